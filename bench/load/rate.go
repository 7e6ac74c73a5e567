package load

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"time"
)

// schedule hands out the due times of a constant-arrival-rate phase: request i is due at
// start + i/rate seconds, for every i whose due time is before start + d. A request is sent
// by the first connection that is free for it; one that no connection took within late of
// its due time is dropped and counted instead of being sent later, so that a saturated
// router shows as dropped requests rather than as a generator that quietly slowed down.
type schedule struct {
	start time.Time
	rate  float64
	n     int64 // requests in the phase
	late  time.Duration

	mu   sync.Mutex
	next int64
}

func newSchedule(start time.Time, rate float64, d, late time.Duration) *schedule {
	return &schedule{start: start, rate: rate, n: int64(d.Seconds() * rate), late: late}
}

// due is the due time of request i.
func (s *schedule) due(i int64) time.Time {
	return s.start.Add(time.Duration(float64(i) * float64(time.Second) / s.rate))
}

// claim gives a connection that is free at now the next request to send: its due time, which
// may be in the future. It skips and counts the requests that are overdue by more than late.
// ok is false when the phase has no request left.
func (s *schedule) claim(now time.Time) (due time.Time, dropped int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.next < s.n {
		due = s.due(s.next)
		s.next++
		if now.Sub(due) <= s.late {
			return due, dropped, true
		}
		dropped++
	}
	return time.Time{}, dropped, false
}

// clock is the time source of the rate workers; tests replace it.
type clock interface {
	Now() time.Time
	// SleepUntil waits until t and reports true, or reports false when ctx ends first.
	SleepUntil(ctx context.Context, t time.Time) bool
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) SleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// GenerateRate sends body to url at rate requests per second for d, from up to conns
// connections, and checks every response against want. Each request's latency counts from
// its due time; requests that found no free connection within late of it are dropped and
// counted (see schedule), and requests sent later than late because the generator itself was
// held up are counted as late. Requests still in flight when d ends are waited for.
func GenerateRate(ctx context.Context, client *http.Client, url string, body, want []byte,
	conns int, rate float64, late, d time.Duration,
) Result {
	do := func(ctx context.Context, buf *bytes.Buffer) string {
		return send(ctx, client, url, body, want, buf)
	}
	return generateRate(ctx, realClock{}, do, conns, rate, late, d)
}

// generateRate runs conns rate workers over one schedule and adds up their results.
func generateRate(ctx context.Context, clk clock, do func(context.Context, *bytes.Buffer) string,
	conns int, rate float64, late, d time.Duration,
) Result {
	s := newSchedule(clk.Now(), rate, d, late)
	results := make([]Result, conns)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() { results[i] = rateWorker(ctx, clk, s, do) })
	}
	wg.Wait()
	return merge(results, d)
}

// rateWorker is one connection: it takes the next due request, waits for its due time,
// sends it and records its latency from the due time, until the schedule is exhausted.
func rateWorker(ctx context.Context, clk clock, s *schedule,
	do func(context.Context, *bytes.Buffer) string,
) Result {
	var r Result
	buf := new(bytes.Buffer)
	for {
		due, dropped, ok := s.claim(clk.Now())
		r.Dropped += dropped
		if !ok || !clk.SleepUntil(ctx, due) {
			return r
		}
		sent := clk.Now()
		problem := do(ctx, buf)
		if ctx.Err() != nil {
			return r // interrupted: the run is abandoned anyway
		}
		r.record(clk.Now().Sub(due), problem)
		r.Lags = append(r.Lags, sent.Sub(due))
		if sent.Sub(due) > s.late {
			r.Late++
		}
	}
}
