package load

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

// TestScheduleClaim walks one schedule of 10 requests/s for 1 s (due at 0, 100, ..., 900 ms)
// with 10 ms of allowed lateness through claims made at given times, as connections that
// become free would make them.
func TestScheduleClaim(t *testing.T) {
	type claim struct {
		Now     int // ms after the start
		Due     int
		Dropped int
		OK      bool
	}
	cases := []struct {
		name   string
		claims []claim
	}{
		{"idle connections take future requests in order", []claim{
			{0, 0, 0, true}, {0, 100, 0, true}, {0, 200, 0, true},
		}},
		{"overdue within lateness is sent", []claim{
			{10, 0, 0, true}, {110, 100, 0, true},
		}},
		{"overdue beyond lateness is dropped", []claim{
			{0, 0, 0, true}, {250, 300, 2, true}, {1000, 0, 6, false},
		}},
		{"exhausted", []claim{
			{905, 900, 9, true}, {905, 0, 0, false},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSchedule(t0, 10, time.Second, 10*time.Millisecond)
			var got []claim
			for _, c := range tc.claims {
				due, dropped, ok := s.claim(at(c.Now))
				g := claim{Now: c.Now, Dropped: dropped, OK: ok}
				if ok {
					g.Due = int(due.Sub(t0) / time.Millisecond)
				}
				got = append(got, g)
			}
			if diff := cmp.Diff(tc.claims, got); diff != "" {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
		})
	}
}

// fakeClock is a clock that moves only when told: sleeping jumps to the wake-up time.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
	// oversleep is how much later than asked every sleep ends, as when the generator's CPU
	// is busy with other work.
	oversleep time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *fakeClock) SleepUntil(ctx context.Context, t time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	c.now = c.now.Add(c.oversleep)
	return ctx.Err() == nil
}

// TestGenerateRate runs one connection at 10 requests/s for 1 s with 10 ms of lateness
// against a fake server whose every answer takes a fixed time on the fake clock, so that
// every latency, lag and drop is known exactly.
func TestGenerateRate(t *testing.T) {
	ms := func(ns ...int) Sample {
		var out Sample
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	cases := []struct {
		name      string
		service   time.Duration
		oversleep time.Duration
		want      Result
	}{
		{"keeps up", 95 * time.Millisecond, 0, Result{
			Requests:  10,
			Latencies: ms(95, 95, 95, 95, 95, 95, 95, 95, 95, 95),
			Lags:      ms(0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
		}},
		{
			// Requests sent late count their lateness in their latency; the third in a row
			// would be 15 ms late and is dropped.
			"slightly slower", 105 * time.Millisecond, 0, Result{
				Requests:  8,
				Dropped:   2,
				Latencies: ms(105, 105, 105, 110, 110, 110, 115, 115),
				Lags:      ms(0, 0, 0, 5, 5, 5, 10, 10),
			},
		},
		{"saturated", 250 * time.Millisecond, 0, Result{
			Requests:  4,
			Dropped:   6,
			Latencies: ms(250, 250, 250, 250),
			Lags:      ms(0, 0, 0, 0),
		}},
		{
			// The generator wakes 20 ms late every time: nothing is dropped, every request
			// is late, and the delay counts in its latency.
			"stalled generator", 50 * time.Millisecond, 20 * time.Millisecond, Result{
				Requests:  10,
				Late:      10,
				Latencies: ms(70, 70, 70, 70, 70, 70, 70, 70, 70, 70),
				Lags:      ms(20, 20, 20, 20, 20, 20, 20, 20, 20, 20),
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{now: t0, oversleep: tc.oversleep}
			do := func(context.Context, *bytes.Buffer) string {
				clk.advance(tc.service)
				return ""
			}
			got := generateRate(context.Background(), clk, do, 1, 10, 10*time.Millisecond, time.Second)
			tc.want.Elapsed = time.Second
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGenerateRateAccountsForEveryRequest runs the real generator against a local server:
// whatever the machine's speed, every due request is either answered or dropped, and wrong
// answers are counted.
func TestGenerateRateAccountsForEveryRequest(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if n.Add(1) == 1 {
			_, _ = io.WriteString(w, `{"data":null}`)
			return
		}
		_, _ = io.WriteString(w, `{"data":{"ok":true}}`)
	}))
	defer srv.Close()

	res := GenerateRate(context.Background(), newClient(2), srv.URL, []byte(`{}`),
		[]byte(`{"data":{"ok":true}}`), 2, 200, 10*time.Millisecond, 100*time.Millisecond)
	if res.Requests+res.Dropped != 20 {
		t.Errorf("answered %d + dropped %d, want the 20 due requests", res.Requests, res.Dropped)
	}
	if res.Requests != len(res.Latencies) || res.Requests != len(res.Lags) {
		t.Errorf("requests %d, latencies %d, lags %d", res.Requests, len(res.Latencies), len(res.Lags))
	}
	if res.Mismatches != 1 || !strings.Contains(res.FirstMismatch, `{"data":null}`) {
		t.Errorf("mismatches = %d, first %q; want the one wrong answer", res.Mismatches, res.FirstMismatch)
	}
}
