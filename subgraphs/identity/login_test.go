package identity_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"ergo/platform/errcode"
	"ergo/platform/postgres"
	"ergo/platform/postgres/pgtest"
	"ergo/platform/server"
	schema "ergo/schema/identity"
	"ergo/subgraphs/identity"
)

// clock is a settable time source for the limiter.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestLoginRateLimit(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, "identity")
	if _, err := postgres.Migrate(ctx, pool, "identity", schema.Migrations); err != nil {
		t.Fatal(err)
	}
	svc := identity.NewService(pool, identity.NewTokens([]byte(strings.Repeat("k", 32)),
		time.Hour, time.Now), fast)
	if err := svc.Bootstrap(ctx, "ada@example.org", "correct horse"); err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)}
	svc.LimitLogins(identity.NewLoginLimiter(identity.LoginLimits{
		PerEmail: 3, PerClient: 100, Window: 10 * time.Minute,
	}, clk.now))
	const mallory, ada = "203.0.113.66", "198.51.100.7"

	// Each step is one sign-in, in order, at the clock's time after advancing it by wait.
	steps := []struct {
		name, client, email, password string
		wait                          time.Duration
		want                          errcode.Code // "" for success
		message                       string       // part of the error message, when set
	}{
		{"first failure", mallory, "ada@example.org", "wrong", 0, errcode.Unauthenticated, ""},
		{"second failure", mallory, "ada@example.org", "wrong", time.Minute, errcode.Unauthenticated, ""},
		{"third failure", mallory, "ADA@example.org ", "wrong", time.Minute, errcode.Unauthenticated, ""},
		{
			"right password while locked", mallory, "ada@example.org", "correct horse", time.Minute,
			errcode.RateLimited, "with this email; try again in 7 minutes",
		},
		{
			"letter case shares the count",
			mallory,
			"Ada@Example.org",
			"correct horse",
			0,
			errcode.RateLimited,
			"",
		},
		{"the owner elsewhere is not locked out", ada, "ada@example.org", "correct horse", 0, "", ""},
		{"another email is not locked", mallory, "bob@example.org", "wrong", 0, errcode.Unauthenticated, ""},
		{
			"still locked a minute before", mallory, "ada@example.org", "correct horse", 6 * time.Minute,
			errcode.RateLimited, "try again in 1 minute",
		},
		{"first failure expired", mallory, "ada@example.org", "correct horse", time.Minute, "", ""},
		{
			"success forgets failures: one",
			mallory,
			"ada@example.org",
			"wrong",
			0,
			errcode.Unauthenticated,
			"",
		},
		{
			"success forgets failures: two",
			mallory,
			"ada@example.org",
			"wrong",
			0,
			errcode.Unauthenticated,
			"",
		},
		{"success forgets failures: sign in", mallory, "ada@example.org", "correct horse", 0, "", ""},
		{"unknown emails count too: 1", mallory, "eve@example.org", "x", 0, errcode.Unauthenticated, ""},
		{"unknown emails count too: 2", mallory, "eve@example.org", "x", 0, errcode.Unauthenticated, ""},
		{"unknown emails count too: 3", mallory, "eve@example.org", "x", 0, errcode.Unauthenticated, ""},
		{"unknown emails count too: locked", mallory, "eve@example.org", "x", 0, errcode.RateLimited, ""},
	}
	for _, st := range steps {
		clk.advance(st.wait)
		_, err := svc.Login(server.WithClientAddr(ctx, st.client), st.email, st.password)
		if st.want == "" {
			if err != nil {
				t.Fatalf("%s: %v, want a session", st.name, err)
			}
			continue
		}
		if got := errcode.Of(err); got != st.want || !strings.Contains(err.Error(), st.message) {
			t.Fatalf("%s: error %v, want %s with %q", st.name, err, st.want, st.message)
		}
	}
}

// TestLoginLimiterConcurrent starts many sign-ins of one email at once: sign-ins in progress
// count as failures, so no more than the limit get through to the password check.
func TestLoginLimiterConcurrent(t *testing.T) {
	clk := &clock{t: time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)}
	l := identity.NewLoginLimiter(
		identity.LoginLimits{PerEmail: 5, PerClient: 100, Window: time.Minute},
		clk.now,
	)
	var (
		mu      sync.Mutex
		allowed int
		group   sync.WaitGroup
	)
	for range 50 {
		group.Add(1)
		go func() {
			defer group.Done()
			if _, err := l.Begin("ada@example.org", "192.0.2.1"); err == nil {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		}()
	}
	group.Wait()
	if allowed != 5 {
		t.Errorf("%d of 50 concurrent sign-ins allowed, want 5", allowed)
	}
}

// TestLoginLimiterForgetsOldestWhenFull fills the limiter with more emails and addresses
// than it tracks: it stays bounded by forgetting the ones whose last failure is oldest.
func TestLoginLimiterForgetsOldestWhenFull(t *testing.T) {
	clk := &clock{t: time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)}
	l := identity.NewLoginLimiter(identity.LoginLimits{PerEmail: 1, PerClient: 1, Window: time.Hour}, clk.now)
	if _, err := l.Begin("first@example.org", "first"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Begin("first@example.org", "first"); errcode.Of(err) != errcode.RateLimited {
		t.Fatalf("second sign-in: %v, want RATE_LIMITED", err)
	}
	clk.advance(time.Second)
	for i := range 100_000 {
		if i == 99_999 {
			clk.advance(time.Second) // the newest, so never the one forgotten below
		}
		if _, err := l.Begin(fmt.Sprintf("user%d@example.org", i), fmt.Sprint(i)); err != nil {
			t.Fatalf("user %d: %v", i, err)
		}
	}
	if _, err := l.Begin("first@example.org", "first"); err != nil {
		t.Errorf("oldest email and address still tracked after 100,000 newer ones: %v", err)
	}
	if _, err := l.Begin("user99999@example.org", "99999"); errcode.Of(err) != errcode.RateLimited {
		t.Errorf("newest email forgotten: %v, want RATE_LIMITED", err)
	}
}

// TestLoginLimiterPerClient follows sign-ins from several addresses: a client that guesses
// one password at many emails is stopped, others are not, and a success does not reset a
// client's failures with other emails. outcome says how each sign-in that got through ended.
func TestLoginLimiterPerClient(t *testing.T) {
	clk := &clock{t: time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)}
	l := identity.NewLoginLimiter(identity.LoginLimits{PerEmail: 2, PerClient: 4, Window: 10 * time.Minute},
		clk.now)
	const sprayer, campus = "203.0.113.66", "198.51.100.7"
	steps := []struct {
		name, client, email string
		wait                time.Duration
		ok                  bool   // the outcome when the sign-in gets through
		limited             string // part of the RATE_LIMITED message; "" when it gets through
	}{
		{"spray 1", sprayer, "a@example.org", 0, false, ""},
		{"spray 2", sprayer, "b@example.org", 0, false, ""},
		{"spray 3", sprayer, "c@example.org", 0, false, ""},
		{"a success keeps the other failures", sprayer, "d@example.org", time.Minute, true, ""},
		{"spray 4", sprayer, "e@example.org", time.Minute, false, ""},
		{
			"spray 5 is refused",
			sprayer,
			"f@example.org",
			0,
			false,
			"from this address; try again in 8 minutes",
		},
		{"even for a known email", sprayer, "d@example.org", 0, true, "from this address"},
		{"another client goes on", campus, "f@example.org", 0, false, ""},
		{"its own limit per email", campus, "f@example.org", 0, false, ""},
		{"locks that email there", campus, "f@example.org", 0, true, "with this email"},
		{"but not its other emails", campus, "g@example.org", 0, true, ""},
		{"the spray window passes", sprayer, "f@example.org", 8 * time.Minute, false, ""},
	}
	for _, st := range steps {
		clk.advance(st.wait)
		done, err := l.Begin(st.email, st.client)
		if st.limited == "" {
			if err != nil {
				t.Fatalf("%s: %v, want the sign-in to get through", st.name, err)
			}
			done(st.ok)
			continue
		}
		if errcode.Of(err) != errcode.RateLimited || !strings.Contains(err.Error(), st.limited) {
			t.Fatalf("%s: %v, want RATE_LIMITED saying %q", st.name, err, st.limited)
		}
	}
}
