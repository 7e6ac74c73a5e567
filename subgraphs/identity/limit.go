package identity

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"ergo/platform/errcode"
)

// Defaults of the sign-in limit: 5 failed sign-ins of one email within 15 minutes lock it
// until the oldest of them is 15 minutes old.
const (
	DefaultLoginFailures = 5
	DefaultLoginWindow   = 15 * time.Minute
)

// maxTrackedEmails bounds the limiter's memory when someone tries very many emails.
const maxTrackedEmails = 100_000

// LoginLimiter counts failed sign-ins per email in a sliding window, in memory. A sign-in in
// progress counts as failed until it succeeds, so concurrent guesses cannot slip past the
// limit while passwords are being checked. It is safe for concurrent use.
//
// TODO(#5): the count lives in one process (replicas count apart, a restart forgets it) and
// is per email only: the router does not pass the client's address, so a per-client limit
// across many emails needs it to.
type LoginLimiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu     sync.Mutex
	failed map[string][]time.Time // oldest first, all within the window when last pruned
}

// NewLoginLimiter returns a limiter allowing max failed sign-ins per email within window,
// reading the time from now.
func NewLoginLimiter(max int, window time.Duration, now func() time.Time) *LoginLimiter {
	return &LoginLimiter{max: max, window: window, now: now, failed: map[string][]time.Time{}}
}

// Begin starts a sign-in of email and returns done, to be called with its outcome: a
// success forgets the email's failures. Errors: RATE_LIMITED when email has had max failures
// within the window; the message says when to try again.
func (l *LoginLimiter) Begin(email string) (done func(ok bool), err error) {
	key := strings.ToLower(strings.TrimSpace(email))
	now := l.now()

	l.mu.Lock()
	defer l.mu.Unlock()
	times := l.recent(key, now)
	if len(times) >= l.max {
		return nil, rateLimited(times[0].Add(l.window).Sub(now))
	}
	l.makeRoom(now)
	l.failed[key] = append(times, now)

	return func(ok bool) {
		if ok {
			l.mu.Lock()
			delete(l.failed, key)
			l.mu.Unlock()
		}
	}, nil
}

// recent returns key's failures within the window at now, dropping older ones.
func (l *LoginLimiter) recent(key string, now time.Time) []time.Time {
	times := l.failed[key]
	i := 0
	for i < len(times) && !times[i].Add(l.window).After(now) {
		i++
	}
	if i == len(times) {
		delete(l.failed, key)
		return nil
	}
	times = times[i:]
	l.failed[key] = times
	return times
}

// makeRoom keeps the map under maxTrackedEmails: it drops the emails whose failures have all
// expired and, if that is not enough, the one whose last failure is oldest.
func (l *LoginLimiter) makeRoom(now time.Time) {
	if len(l.failed) < maxTrackedEmails {
		return
	}
	for key := range l.failed {
		l.recent(key, now)
	}
	if len(l.failed) < maxTrackedEmails {
		return
	}
	var oldest string
	for key, times := range l.failed {
		if oldest == "" || times[len(times)-1].Before(l.failed[oldest][len(l.failed[oldest])-1]) {
			oldest = key
		}
	}
	delete(l.failed, oldest)
}

func rateLimited(wait time.Duration) error {
	after := "1 minute"
	if minutes := int(math.Ceil(wait.Minutes())); minutes > 1 {
		after = fmt.Sprintf("%d minutes", minutes)
	}
	return errcode.New(errcode.RateLimited,
		"too many failed sign-ins with this email; try again in %s", after)
}
