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
	svc.LimitLogins(identity.NewLoginLimiter(3, 10*time.Minute, clk.now))

	// Each step is one sign-in, in order, at the clock's time after advancing it by wait.
	steps := []struct {
		name, email, password string
		wait                  time.Duration
		want                  errcode.Code // "" for success
		message               string       // part of the error message, when set
	}{
		{"first failure", "ada@example.org", "wrong", 0, errcode.Unauthenticated, ""},
		{"second failure", "ada@example.org", "wrong", time.Minute, errcode.Unauthenticated, ""},
		{"third failure", "ADA@example.org ", "wrong", time.Minute, errcode.Unauthenticated, ""},
		{
			"right password while locked", "ada@example.org", "correct horse", time.Minute,
			errcode.RateLimited, "try again in 7 minutes",
		},
		{"letter case shares the count", "Ada@Example.org", "correct horse", 0, errcode.RateLimited, ""},
		{"another email is not locked", "bob@example.org", "wrong", 0, errcode.Unauthenticated, ""},
		{
			"still locked a minute before", "ada@example.org", "correct horse", 6 * time.Minute,
			errcode.RateLimited, "try again in 1 minute",
		},
		{"first failure expired", "ada@example.org", "correct horse", time.Minute, "", ""},
		{"success forgets failures: one", "ada@example.org", "wrong", 0, errcode.Unauthenticated, ""},
		{"success forgets failures: two", "ada@example.org", "wrong", 0, errcode.Unauthenticated, ""},
		{"success forgets failures: sign in", "ada@example.org", "correct horse", 0, "", ""},
		{"unknown emails count too: 1", "eve@example.org", "x", 0, errcode.Unauthenticated, ""},
		{"unknown emails count too: 2", "eve@example.org", "x", 0, errcode.Unauthenticated, ""},
		{"unknown emails count too: 3", "eve@example.org", "x", 0, errcode.Unauthenticated, ""},
		{"unknown emails count too: locked", "eve@example.org", "x", 0, errcode.RateLimited, ""},
	}
	for _, st := range steps {
		clk.advance(st.wait)
		_, err := svc.Login(ctx, st.email, st.password)
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
	l := identity.NewLoginLimiter(5, time.Minute, clk.now)
	var (
		mu      sync.Mutex
		allowed int
		group   sync.WaitGroup
	)
	for range 50 {
		group.Add(1)
		go func() {
			defer group.Done()
			if _, err := l.Begin("ada@example.org"); err == nil {
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

// TestLoginLimiterForgetsOldestWhenFull fills the limiter with more emails than it tracks:
// it stays bounded by forgetting the email whose last failure is oldest.
func TestLoginLimiterForgetsOldestWhenFull(t *testing.T) {
	clk := &clock{t: time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)}
	l := identity.NewLoginLimiter(1, time.Hour, clk.now)
	if _, err := l.Begin("first@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Begin("first@example.org"); errcode.Of(err) != errcode.RateLimited {
		t.Fatalf("second sign-in: %v, want RATE_LIMITED", err)
	}
	clk.advance(time.Second)
	for i := range 100_000 {
		if i == 99_999 {
			clk.advance(time.Second) // the newest, so never the one forgotten below
		}
		if _, err := l.Begin(fmt.Sprintf("user%d@example.org", i)); err != nil {
			t.Fatalf("user %d: %v", i, err)
		}
	}
	if _, err := l.Begin("first@example.org"); err != nil {
		t.Errorf("oldest email still tracked after 100,000 newer ones: %v", err)
	}
	if _, err := l.Begin("user99999@example.org"); errcode.Of(err) != errcode.RateLimited {
		t.Errorf("newest email forgotten: %v, want RATE_LIMITED", err)
	}
}
