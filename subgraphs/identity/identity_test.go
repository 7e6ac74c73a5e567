package identity_test

import (
	"strings"
	"testing"

	"ergo/platform/config"
	"ergo/subgraphs/identity"
)

// fast keeps hashing cheap in tests; the parameters travel inside each hash.
var fast = identity.Hasher{Params: identity.Argon2Params{
	Memory: 64, Time: 1, Threads: 1,
	SaltLen: 16, KeyLen: 32,
}}

func TestHashAndVerify(t *testing.T) {
	hash, err := fast.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q is not an argon2id PHC string with its parameters", hash)
	}
	other, _ := fast.Hash("correct horse")
	if other == hash {
		t.Errorf("two hashes of one password are equal; the salt is not random")
	}

	tests := []struct {
		name, password, hash string
		want                 bool
		wantErr              bool
	}{
		{"right password", "correct horse", hash, true, false},
		{"wrong password", "correct horse!", hash, false, false},
		{"default parameters verify too", "pw", mustHash(t, identity.Hasher{Params: identity.DefaultArgon2}, "pw"), true, false},
		{"not a PHC string", "x", "plain", false, true},
		{"other algorithm", "x", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5", false, true},
		{"absurd memory", "x", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := fast.Verify(tt.password, tt.hash)
			if (err != nil) != tt.wantErr || ok != tt.want {
				t.Errorf("Verify = %v, %v; want %v, error %v", ok, err, tt.want, tt.wantErr)
			}
		})
	}
}

func mustHash(t testing.TB, h identity.Hasher, pw string) string {
	t.Helper()
	s, err := h.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func FuzzVerify(f *testing.F) {
	f.Add("pw", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5")
	f.Add("", "$$$$$")
	f.Add("x", "$argon2id$v=19$m=0,t=0,p=0$$")
	f.Fuzz(func(t *testing.T, password, hash string) {
		// Stored hashes are outside input to the parser: it must refuse, not panic or hang.
		_, _ = fast.Verify(password, hash)
	})
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{" Ada@Example.org ", "Ada@Example.org"},
		{"a@b.c", "a@b.c"},
		{"no-at.example.org", ""},
		{"two@@example.org", ""},
		{"a@nodot", ""},
		{"a b@example.org", ""},
		{"@example.org", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := identity.NormalizeEmail(tt.in)
			if got != tt.want || (err != nil) != (tt.want == "") {
				t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"a@b.c", " x@y.z ", "@", "a@b@c.d", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := identity.NormalizeEmail(s)
		if err != nil {
			return
		}
		if strings.Count(got, "@") != 1 || strings.ContainsAny(got, " \t\r\n") || len(got) > 254 {
			t.Errorf("accepted %q as %q", s, got)
		}
	})
}

func TestConfig(t *testing.T) {
	secret := "ERGO_JWT_SECRET=" + strings.Repeat("s", 32)
	tests := []struct {
		name    string
		env     []string
		wantVar string
	}{
		{"defaults", []string{secret}, ""},
		{"no secret", nil, "ERGO_JWT_SECRET"},
		{"short secret", []string{"ERGO_JWT_SECRET=short"}, "ERGO_JWT_SECRET"},
		{"ttl too short", []string{secret, "ERGO_JWT_TTL=5s"}, "ERGO_JWT_TTL"},
		{"admin without password", []string{secret, "ERGO_ADMIN_EMAIL=a@b.c"}, "ERGO_ADMIN_PASSWORD"},
		{"no sign-in failure allowed", []string{secret, "ERGO_LOGIN_MAX_FAILURES=0"}, "ERGO_LOGIN_MAX_FAILURES"},
		{"sign-in window too long", []string{secret, "ERGO_LOGIN_WINDOW=48h"}, "ERGO_LOGIN_WINDOW"},
		{
			"client limit below email limit",
			[]string{secret, "ERGO_LOGIN_MAX_FAILURES=10", "ERGO_LOGIN_MAX_FAILURES_PER_CLIENT=5"},
			"ERGO_LOGIN_MAX_FAILURES_PER_CLIENT",
		},
		{"client limit", []string{secret, "ERGO_LOGIN_MAX_FAILURES_PER_CLIENT=20"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cfg identity.Config
			err := config.Load(&cfg, tt.env)
			if tt.wantVar == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantVar) {
				t.Fatalf("error %v should name %s", err, tt.wantVar)
			}
			if strings.Contains(err.Error(), "short") && tt.name == "short secret" {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
}
