package router

import (
	"net/http"
	"testing"
	"time"
)

// FuzzAuthenticate feeds arbitrary Authorization headers to the token check: it never panics,
// refuses with UNAUTHENTICATED and status 401, and lets in only the caller of a token signed
// with the router's key.
func FuzzAuthenticate(f *testing.F) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	valid := signToken(f, testSecret, "u-1", []string{"student"}, now.Add(time.Hour))
	for _, seed := range []string{
		"", "Bearer", "Bearer ", "Basic abc", "Bearer " + valid, "bearer  " + valid + " ",
		"Bearer " + valid[:len(valid)-2], "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.e30.",
		"Bearer " + signToken(f, "another secret of enough length!!", "u-2", nil, now.Add(time.Hour)),
		"Bearer " + signToken(f, testSecret, "u-3", []string{"a,b"}, now.Add(time.Hour)),
	} {
		f.Add(seed)
	}
	a := &authenticator{secret: []byte(testSecret), now: func() time.Time { return now }}

	f.Fuzz(func(t *testing.T, value string) {
		p, err := a.authenticate(http.Header{"Authorization": {value}})
		if err != nil {
			if err.code != CodeUnauthenticated || err.status != http.StatusUnauthorized {
				t.Fatalf("refusal %d %s, want 401 %s", err.status, err.code, CodeUnauthenticated)
			}
			if p.UserID != "" || len(p.Roles) > 0 {
				t.Fatalf("refused yet returned caller %+v", p)
			}
			return
		}
		// Only the one token signed with the router's key may let someone in: without the
		// key no mutation can produce another valid signature.
		if value != "" && (p.UserID != "u-1" || len(p.Roles) != 1 || p.Roles[0] != "student") {
			t.Fatalf("accepted %q as %+v", value, p)
		}
	})
}
