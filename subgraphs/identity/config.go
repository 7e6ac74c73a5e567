package identity

import (
	"fmt"
	"strconv"
	"time"

	"ergo/platform/config"
)

// Config is the identity module's own configuration, from ERGO_* variables.
type Config struct {
	// JWTSecret signs access tokens (HS256); the router verifies them with the same secret.
	// At least 32 bytes. `ergo run` sets one for local development.
	JWTSecret string `env:"JWT_SECRET"`
	// TokenTTL is how long an access token stays valid.
	TokenTTL time.Duration `env:"JWT_TTL" envDefault:"1h"`
	// AdminEmail and AdminPassword, when both set, create that admin at start if missing.
	AdminEmail    string `env:"ADMIN_EMAIL"`
	AdminPassword string `env:"ADMIN_PASSWORD"`
	// LoginFailures failed sign-ins with one email from one client address within
	// LoginWindow make login answer RATE_LIMITED for that email from that address until the
	// oldest of them leaves the window; LoginClientFailures failed sign-ins from one address,
	// whatever the emails, do the same for every email from that address.
	LoginFailures       int           `env:"LOGIN_MAX_FAILURES" envDefault:"5"`
	LoginClientFailures int           `env:"LOGIN_MAX_FAILURES_PER_CLIENT" envDefault:"100"`
	LoginWindow         time.Duration `env:"LOGIN_WINDOW" envDefault:"15m"`
	// DemoData loads the demo users (password DemoPassword) into an empty users table. Off
	// unless set: `ergo run` sets it (its -demo flag).
	DemoData bool `env:"DEMO_DATA" envDefault:"false"`
}

// Validate checks the secret's length, the token lifetime and the sign-in limits.
func (c *Config) Validate() error {
	if len(c.JWTSecret) < 32 {
		shown := "" // the secret itself is never printed
		if c.JWTSecret != "" {
			shown = fmt.Sprintf("<%d bytes>", len(c.JWTSecret))
		}
		return config.Invalid("JWT_SECRET", shown, "a random secret of at least 32 bytes")
	}
	if c.TokenTTL < time.Minute || c.TokenTTL > 30*24*time.Hour {
		return config.Invalid("JWT_TTL", c.TokenTTL.String(), "a duration from 1m to 720h")
	}
	if c.LoginFailures < 1 || c.LoginFailures > 1000 {
		return config.Invalid("LOGIN_MAX_FAILURES", strconv.Itoa(c.LoginFailures), "a number from 1 to 1000")
	}
	if c.LoginClientFailures < c.LoginFailures || c.LoginClientFailures > 1_000_000 {
		return config.Invalid("LOGIN_MAX_FAILURES_PER_CLIENT", strconv.Itoa(c.LoginClientFailures),
			"a number from ERGO_LOGIN_MAX_FAILURES to 1000000")
	}
	if c.LoginWindow < time.Second || c.LoginWindow > 24*time.Hour {
		return config.Invalid("LOGIN_WINDOW", c.LoginWindow.String(), "a duration from 1s to 24h")
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		return config.Invalid("ADMIN_PASSWORD", "", "both ERGO_ADMIN_EMAIL and ERGO_ADMIN_PASSWORD, or neither")
	}
	return nil
}
