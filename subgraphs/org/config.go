package org

// Config is the org module's own configuration, from ERGO_* variables.
type Config struct {
	// DemoData loads the demo organisation tree into an empty units table at start. Off
	// unless set: `ergo run` sets it (its -demo flag).
	DemoData bool `env:"DEMO_DATA" envDefault:"false"`
}
