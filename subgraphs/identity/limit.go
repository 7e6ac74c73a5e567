package identity

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"ergo/platform/errcode"
)

// Defaults of the sign-in limit: 5 failed sign-ins of one email from one client address, or
// 100 from one client address whatever the emails, within 15 minutes make login refuse that
// email from that address, or that address, until the oldest of them is 15 minutes old.
const (
	DefaultLoginFailures       = 5
	DefaultLoginClientFailures = 100
	DefaultLoginWindow         = 15 * time.Minute
)

// maxTrackedKeys bounds each count's memory when someone tries very many emails or addresses.
const maxTrackedKeys = 100_000

// LoginLimits are the numbers of a LoginLimiter.
type LoginLimits struct {
	// PerEmail failed sign-ins of one email from one client address lock that pair. Keying
	// on the pair keeps a stranger from locking someone else out by guessing their password.
	PerEmail int
	// PerClient failed sign-ins from one client address, whatever the emails, lock that
	// address: one guess at many accounts (password spraying) meets this limit.
	PerClient int
	// Window is how long a failure counts.
	Window time.Duration
}

// DefaultLoginLimits are the limits a Service starts with.
var DefaultLoginLimits = LoginLimits{
	PerEmail: DefaultLoginFailures, PerClient: DefaultLoginClientFailures,
	Window: DefaultLoginWindow,
}

// LoginLimiter counts failed sign-ins in a sliding window, in memory, per email and client
// address and per client address. A sign-in in progress counts as failed until it succeeds,
// so concurrent guesses cannot slip past the limit while passwords are being checked. It is
// safe for concurrent use.
//
// TODO(#5): the counts live in one process (replicas count apart, a restart forgets them).
type LoginLimiter struct {
	now func() time.Time

	mu      sync.Mutex
	emails  *failures // keyed by email and client address
	clients *failures // keyed by client address
}

// NewLoginLimiter returns a limiter with limits, reading the time from now.
func NewLoginLimiter(limits LoginLimits, now func() time.Time) *LoginLimiter {
	return &LoginLimiter{
		now:     now,
		emails:  newFailures(limits.PerEmail, limits.Window),
		clients: newFailures(limits.PerClient, limits.Window),
	}
}

// Begin starts a sign-in of email from the client address client ("" when unknown) and
// returns done, to be called with its outcome: a success forgets the failures of email from
// client, but not the client's failures with other emails. Errors: RATE_LIMITED when the
// email from this client, or the client, has had its limit of failures within the window;
// the message says which and when to try again.
func (l *LoginLimiter) Begin(email, client string) (done func(ok bool), err error) {
	key := strings.ToLower(strings.TrimSpace(email)) + "\x00" + client
	now := l.now()

	l.mu.Lock()
	defer l.mu.Unlock()
	if wait, full := l.emails.full(key, now); full {
		return nil, rateLimited("with this email", wait)
	}
	if wait, full := l.clients.full(client, now); full {
		return nil, rateLimited("from this address", wait)
	}
	l.emails.add(key, now)
	l.clients.add(client, now)

	return func(ok bool) {
		if ok {
			l.mu.Lock()
			l.emails.forget(key)
			l.clients.remove(client, now)
			l.mu.Unlock()
		}
	}, nil
}

// failures are the times of failed sign-ins per key within a sliding window. The
// LoginLimiter's mutex guards them.
type failures struct {
	max    int
	window time.Duration
	times  map[string][]time.Time // oldest first, all within the window when last pruned
}

func newFailures(max int, window time.Duration) *failures {
	return &failures{max: max, window: window, times: map[string][]time.Time{}}
}

// full reports whether key has max failures within the window at now, and how long until
// the oldest of them leaves it.
func (f *failures) full(key string, now time.Time) (time.Duration, bool) {
	times := f.recent(key, now)
	if len(times) < f.max {
		return 0, false
	}
	return times[0].Add(f.window).Sub(now), true
}

// add records a failure of key at now.
func (f *failures) add(key string, now time.Time) {
	f.makeRoom(now)
	f.times[key] = append(f.times[key], now)
}

// forget drops every failure of key.
func (f *failures) forget(key string) { delete(f.times, key) }

// remove drops one failure of key recorded at t, if it is still there.
func (f *failures) remove(key string, t time.Time) {
	times := f.times[key]
	for i := len(times) - 1; i >= 0; i-- {
		if times[i].Equal(t) {
			f.times[key] = append(times[:i:i], times[i+1:]...)
			break
		}
	}
	if len(f.times[key]) == 0 {
		delete(f.times, key)
	}
}

// recent returns key's failures within the window at now, dropping older ones.
func (f *failures) recent(key string, now time.Time) []time.Time {
	times := f.times[key]
	i := 0
	for i < len(times) && !times[i].Add(f.window).After(now) {
		i++
	}
	if i == len(times) {
		delete(f.times, key)
		return nil
	}
	times = times[i:]
	f.times[key] = times
	return times
}

// makeRoom keeps the map under maxTrackedKeys: it drops the keys whose failures have all
// expired and, if that is not enough, the one whose last failure is oldest.
func (f *failures) makeRoom(now time.Time) {
	if len(f.times) < maxTrackedKeys {
		return
	}
	for key := range f.times {
		f.recent(key, now)
	}
	if len(f.times) < maxTrackedKeys {
		return
	}
	var oldest string
	var oldestAt time.Time
	for key, times := range f.times {
		if last := times[len(times)-1]; oldestAt.IsZero() || last.Before(oldestAt) {
			oldest, oldestAt = key, last
		}
	}
	delete(f.times, oldest)
}

func rateLimited(what string, wait time.Duration) error {
	after := "1 minute"
	if minutes := int(math.Ceil(wait.Minutes())); minutes > 1 {
		after = fmt.Sprintf("%d minutes", minutes)
	}
	return errcode.New(errcode.RateLimited,
		"too many failed sign-ins %s; try again in %s", what, after)
}
