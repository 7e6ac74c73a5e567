package bi

// Config is the bi module's own configuration, from ERGO_* variables.
type Config struct {
	// DemoData loads the demo attempts' facts into empty tables at start. Off unless set:
	// `ergo run` sets it (its -demo flag).
	DemoData bool `env:"DEMO_DATA" envDefault:"false"`
}
