package router

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"time"

	"ergo/platform/config"
)

// Config is the router's configuration, read from ERGO_* environment variables by LoadConfig.
// The defaults work on a developer's machine; docs/router.md lists every variable.
type Config struct {
	// Addr is the listen address. The default ":4000" listens on every interface; set
	// 127.0.0.1:4000 to accept local connections only.
	Addr string `env:"ROUTER_ADDR" envDefault:":4000"`
	// Supergraph is the path of the composed supergraph SDL, watched for changes.
	Supergraph string `env:"SUPERGRAPH" envDefault:"supergraph/supergraph.graphql"`
	// ReloadInterval is how often the supergraph file is checked for changes.
	ReloadInterval time.Duration `env:"RELOAD_INTERVAL" envDefault:"1s"`
	// CORSOrigins are the browser origins allowed to call the router with credentials.
	CORSOrigins []string `env:"CORS_ORIGINS" envSeparator:"," envDefault:"http://localhost:5173,http://127.0.0.1:5173,http://localhost:4000,http://127.0.0.1:4000"`
	// MaxRequestBytes bounds the size of a POST body.
	MaxRequestBytes int64 `env:"MAX_REQUEST_BYTES" envDefault:"1048576"`
	// MaxDepth bounds the nesting of selections in an operation; 0 turns the check off.
	MaxDepth int `env:"MAX_DEPTH" envDefault:"15"`
	// MaxCost bounds the estimated cost of an operation (see docs/router.md); 0 turns the
	// check off.
	MaxCost int `env:"MAX_COST" envDefault:"10000"`
	// MaxAliases bounds the aliased fields of an operation; 0 turns the check off.
	MaxAliases int `env:"MAX_ALIASES" envDefault:"30"`
	// SubgraphTimeout bounds each call to a subgraph.
	SubgraphTimeout time.Duration `env:"SUBGRAPH_TIMEOUT" envDefault:"10s"`
	// ReadyTimeout bounds each subgraph health check made by /readyz.
	ReadyTimeout time.Duration `env:"READY_TIMEOUT" envDefault:"2s"`
	// ShutdownTimeout bounds how long in-flight requests may run after a stop signal.
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"10s"`
	// JWTSecret is the HS256 key that signs users' bearer tokens. Empty means no token can be
	// verified, so every request that carries one is refused.
	JWTSecret string `env:"JWT_SECRET"`
	// RouterSecret is sent to subgraphs in X-Ergo-Router-Secret so that they can refuse calls
	// that did not come through the router. Empty means the header is not sent.
	RouterSecret string `env:"ROUTER_SECRET"`
	// TrustedProxies are the IP addresses or CIDR prefixes of reverse proxies in front of the
	// router. A request from one of them is attributed to the client its X-Forwarded-For
	// names; without them X-Forwarded-For is ignored and the connection's peer is the client.
	TrustedProxies []string `env:"TRUSTED_PROXIES" envSeparator:","`
	// LogFormat is text (for people) or json (for machines).
	LogFormat string `env:"LOG_FORMAT" envDefault:"text"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `env:"LOG_LEVEL" envDefault:"info"`
}

// minSecretBytes is the shortest HS256 key accepted: RFC 7518 section 3.2 asks for a key at
// least as long as the hash output.
const minSecretBytes = 32

// LoadConfig reads the configuration from environ (KEY=VALUE pairs, as os.Environ returns)
// and validates it. Every error names the variable and the accepted form.
func LoadConfig(environ []string) (Config, error) {
	var cfg Config
	if err := config.Load(&cfg, environ); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// Validate checks values that parse but make no sense.
func (c *Config) Validate() error {
	checks := []struct {
		ok                bool
		name, value, want string
	}{
		{validAddr(c.Addr), "ROUTER_ADDR", c.Addr, "host:port such as :4000 or 127.0.0.1:4000"},
		{c.Supergraph != "", "SUPERGRAPH", c.Supergraph, "the path of the supergraph file"},
		{c.ReloadInterval > 0, "RELOAD_INTERVAL", c.ReloadInterval.String(), "a positive duration"},
		{c.MaxRequestBytes > 0, "MAX_REQUEST_BYTES", itoa(c.MaxRequestBytes), "a positive number"},
		{c.MaxDepth >= 0, "MAX_DEPTH", itoa(c.MaxDepth), "a whole number, 0 for no limit"},
		{c.MaxCost >= 0, "MAX_COST", itoa(c.MaxCost), "a whole number, 0 for no limit"},
		{c.MaxAliases >= 0, "MAX_ALIASES", itoa(c.MaxAliases), "a whole number, 0 for no limit"},
		{c.SubgraphTimeout > 0, "SUBGRAPH_TIMEOUT", c.SubgraphTimeout.String(), "a positive duration"},
		{c.ReadyTimeout > 0, "READY_TIMEOUT", c.ReadyTimeout.String(), "a positive duration"},
		{c.ShutdownTimeout > 0, "SHUTDOWN_TIMEOUT", c.ShutdownTimeout.String(), "a positive duration"},
		{
			c.JWTSecret == "" || len(c.JWTSecret) >= minSecretBytes, "JWT_SECRET", "(hidden)",
			fmt.Sprintf("at least %d bytes", minSecretBytes),
		},
		{c.LogFormat == "text" || c.LogFormat == "json", "LOG_FORMAT", c.LogFormat, "text or json"},
		{validLevel(c.LogLevel), "LOG_LEVEL", c.LogLevel, "debug, info, warn or error"},
	}
	for _, ch := range checks {
		if !ch.ok {
			return config.Invalid(ch.name, ch.value, ch.want)
		}
	}
	if _, bad := parseProxies(c.TrustedProxies); bad != "" {
		return config.Invalid("TRUSTED_PROXIES", bad,
			"comma-separated IP addresses or CIDR prefixes such as 10.0.0.0/8,192.0.2.1")
	}
	for _, o := range c.CORSOrigins {
		if !validOrigin(o) {
			return config.Invalid("CORS_ORIGINS", o,
				"comma-separated origins such as http://localhost:5173 (scheme://host[:port])")
		}
	}
	return nil
}

func itoa[T int | int64](n T) string { return strconv.FormatInt(int64(n), 10) }

func validAddr(addr string) bool {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 0 && n <= 65535
}

func validLevel(s string) bool {
	var l slog.Level
	return l.UnmarshalText([]byte(s)) == nil
}

// validOrigin accepts scheme://host[:port] with nothing after it. A wildcard is refused
// because credentials are allowed, and browsers must never send them to any origin.
func validOrigin(o string) bool {
	u, err := url.Parse(o)
	if err != nil {
		return false
	}
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Path == "" &&
		u.RawQuery == "" && u.Fragment == "" && u.User == nil
}
