package router

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestClientAddr(t *testing.T) {
	trusted, bad := parseProxies([]string{"10.0.0.0/8", " 192.0.2.1", "::ffff:198.51.100.9"})
	if bad != "" {
		t.Fatalf("parseProxies refused %q", bad)
	}
	tests := []struct {
		name    string
		proxies proxies
		remote  string
		xff     []string
		want    string
	}{
		{"peer", nil, "203.0.113.5:5123", nil, "203.0.113.5"},
		{
			"forwarded-for ignored without trusted proxies",
			nil,
			"203.0.113.5:5123",
			[]string{"1.2.3.4"},
			"203.0.113.5",
		},
		{
			"forwarded-for ignored from an untrusted peer",
			trusted,
			"203.0.113.5:5123",
			[]string{"1.2.3.4"},
			"203.0.113.5",
		},
		{"trusted proxy", trusted, "10.1.2.3:80", []string{"203.0.113.5"}, "203.0.113.5"},
		{
			"forged left part skipped", trusted, "10.1.2.3:80",
			[]string{"1.1.1.1, 203.0.113.5, 192.0.2.1"},
			"203.0.113.5",
		},
		{
			"several headers",
			trusted,
			"10.1.2.3:80",
			[]string{"1.1.1.1", "203.0.113.5, 10.9.9.9"},
			"203.0.113.5",
		},
		{"garbage stops the walk", trusted, "10.1.2.3:80", []string{"203.0.113.5, nonsense"}, "10.1.2.3"},
		{"only proxies", trusted, "10.1.2.3:80", []string{"192.0.2.1"}, "192.0.2.1"},
		{"trusted proxy without header", trusted, "10.1.2.3:80", nil, "10.1.2.3"},
		{"mapped IPv4 peer", trusted, "[::ffff:198.51.100.9]:80", []string{"2001:db8::1"}, "2001:db8::1"},
		{"IPv6 peer", nil, "[2001:db8::7]:443", nil, "2001:db8::7"},
		{"unreadable peer", nil, "pipe", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := tt.proxies.clientAddr(r); got != tt.want {
				t.Errorf("clientAddr = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestClientAddrReachesSubgraphs checks that subgraphs learn the client's address from the
// router, that a client cannot forge it, and that X-Forwarded-For counts only from a
// trusted proxy.
func TestClientAddrReachesSubgraphs(t *testing.T) {
	query := gqlBody(t, `{ me { id } }`, nil, "")
	forged := map[string]string{HeaderClientAddr: "198.51.100.1", "X-Forwarded-For": "203.0.113.5"}
	tests := []struct {
		name    string
		proxies string
		want    string
	}{
		{"no trusted proxies", "", "127.0.0.1"},
		{"router behind a trusted proxy", "127.0.0.1", "203.0.113.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t, func(c *Config) {
				if tt.proxies != "" {
					c.TrustedProxies = []string{tt.proxies}
				}
			})
			if got := env.post(t, mediaGraphQLResponse, query, forged); got.status != http.StatusOK {
				t.Fatalf("status %d: %s", got.status, got.raw)
			}
			calls := env.people.calls()
			if len(calls) != 1 {
				t.Fatalf("subgraph got %d calls, want 1", len(calls))
			}
			if got := calls[0].Get(HeaderClientAddr); got != tt.want {
				t.Errorf("%s = %q, want %q", HeaderClientAddr, got, tt.want)
			}
		})
	}
}
