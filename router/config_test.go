package router

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLoadConfigDefaults(t *testing.T) {
	got, err := LoadConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Addr: ":4000", Supergraph: "supergraph/supergraph.graphql", ReloadInterval: time.Second,
		CORSOrigins: []string{
			"http://localhost:5173", "http://127.0.0.1:5173",
			"http://localhost:4000", "http://127.0.0.1:4000",
		},
		MaxRequestBytes: 1 << 20, MaxDepth: 15, MaxCost: 10000, MaxAliases: 30,
		SubgraphTimeout: 10 * time.Second, ReadyTimeout: 2 * time.Second,
		ShutdownTimeout: 10 * time.Second, LogFormat: "text", LogLevel: "info",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		env  string
		want string // the error's one line
	}{
		{
			"addr", "ERGO_ROUTER_ADDR=4000",
			`ERGO_ROUTER_ADDR="4000" is invalid: want host:port such as :4000 or 127.0.0.1:4000`,
		},
		{
			"not a number", "ERGO_MAX_DEPTH=deep",
			`ERGO_MAX_DEPTH="deep" is invalid: want a whole number`,
		},
		{
			"negative cost", "ERGO_MAX_COST=-1",
			`ERGO_MAX_COST="-1" is invalid: want a whole number, 0 for no limit`,
		},
		{
			"duration", "ERGO_SUBGRAPH_TIMEOUT=10",
			`ERGO_SUBGRAPH_TIMEOUT="10" is invalid: want a duration such as 500ms, 10s or 1m`,
		},
		{
			"zero body", "ERGO_MAX_REQUEST_BYTES=0",
			`ERGO_MAX_REQUEST_BYTES="0" is invalid: want a positive number`,
		},
		{
			"log format", "ERGO_LOG_FORMAT=xml",
			`ERGO_LOG_FORMAT="xml" is invalid: want text or json`,
		},
		{
			"log level", "ERGO_LOG_LEVEL=loud",
			`ERGO_LOG_LEVEL="loud" is invalid: want debug, info, warn or error`,
		},
		{
			"short secret", "ERGO_JWT_SECRET=short",
			`ERGO_JWT_SECRET="(hidden)" is invalid: want at least 32 bytes`,
		},
		{
			"wildcard origin", "ERGO_CORS_ORIGINS=*",
			`ERGO_CORS_ORIGINS="*" is invalid: want comma-separated origins such as ` +
				`http://localhost:5173 (scheme://host[:port])`,
		},
		{
			"origin with path", "ERGO_CORS_ORIGINS=http://localhost:5173/app",
			`ERGO_CORS_ORIGINS="http://localhost:5173/app" is invalid: want comma-separated ` +
				`origins such as http://localhost:5173 (scheme://host[:port])`,
		},
		{
			"proxy host name", "ERGO_TRUSTED_PROXIES=10.0.0.0/8,proxy.local",
			`ERGO_TRUSTED_PROXIES="proxy.local" is invalid: want comma-separated IP addresses ` +
				`or CIDR prefixes such as 10.0.0.0/8,192.0.2.1`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig([]string{tt.env})
			if err == nil {
				t.Fatal("LoadConfig succeeded")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans several lines: %q", err)
			}
		})
	}
}

func TestLoadConfigValues(t *testing.T) {
	got, err := LoadConfig([]string{
		"ERGO_ROUTER_ADDR=127.0.0.1:4100", "ERGO_CORS_ORIGINS=https://ergo.example.edu",
		"ERGO_MAX_DEPTH=0", "ERGO_LOG_FORMAT=json", "ERGO_LOG_LEVEL=debug",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"127.0.0.1:4100", []string{"https://ergo.example.edu"}, 0, "json", "debug"}
	if diff := cmp.Diff(want, []any{
		got.Addr, got.CORSOrigins, got.MaxDepth, got.LogFormat,
		got.LogLevel,
	}); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}
