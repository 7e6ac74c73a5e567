package outbox_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/logging"
	"ergo/platform/server"
	"ergo/subgraphs/lms"
	"ergo/subgraphs/lms/graph"
	gt "ergo/subgraphs/lms/internal/gqltest"
	"ergo/subgraphs/lms/outbox"
	"ergo/subgraphs/lms/postgres"
)

// clock is a fake outbox.Clock that moves only when told to.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time                       { return c.now }
func (c *clock) After(time.Duration) <-chan time.Time { return nil }

// subscriber is a fake bi: it fails while failures > 0 and records what it accepted.
type subscriber struct {
	mu       sync.Mutex
	failures int
	refuse   int // answer 400 to this many events once the subscriber is up
	calls    int
	accepted []lms.Event
	secrets  []string
}

func (s *subscriber) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	s.secrets = append(s.secrets, r.Header.Get(server.HeaderRouterSecret))
	if r.URL.Path != "/events" || s.failures > 0 {
		s.failures--
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	var ev lms.Event
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil || s.refuse > 0 {
		s.refuse--
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	s.accepted = append(s.accepted, ev)
	w.WriteHeader(http.StatusNoContent)
}

var t0 = time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)

func setup(t *testing.T, failures int) (*pgxpool.Pool, *subscriber, *clock, *outbox.Dispatcher) {
	t.Helper()
	pool := gt.Pool(t, graph.Module(gt.Subscribers))
	sub := &subscriber{failures: failures}
	srv := httptest.NewServer(sub)
	t.Cleanup(srv.Close)
	c := &clock{now: t0}
	d := outbox.New(pool, map[string]string{"bi": srv.URL}, "s3cret", logging.Discard())
	d.Clock = c
	return pool, sub, c, d
}

// publish writes n events that occurred in the seconds before t0, oldest first.
func publish(t *testing.T, pool *pgxpool.Pool, n int) {
	t.Helper()
	for i := range n {
		err := lms.Publish(context.Background(), postgres.New(pool), "attempt.submitted",
			t0.Add(time.Duration(i-n)*time.Second), map[string]int{"n": i}, []string{"bi"})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func dispatch(t *testing.T, d *outbox.Dispatcher) int {
	t.Helper()
	n, err := d.Dispatch(context.Background())
	if err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	return n
}

func TestDeliversOnceWithSecret(t *testing.T) {
	pool, sub, _, d := setup(t, 0)
	publish(t, pool, 2)

	if n := dispatch(t, d); n != 2 {
		t.Fatalf("first round tried %d, want 2", n)
	}
	if n := dispatch(t, d); n != 0 {
		t.Errorf("second round tried %d, want 0: everything was delivered", n)
	}
	if len(sub.accepted) != 2 || sub.accepted[0].Type != "attempt.submitted" ||
		string(sub.accepted[1].Payload) != `{"n":1}` ||
		!sub.accepted[0].OccurredAt.Equal(t0.Add(-2*time.Second)) {
		t.Errorf("accepted %+v", sub.accepted)
	}
	if diff := cmp.Diff([]string{"s3cret", "s3cret"}, sub.secrets); diff != "" {
		t.Errorf("secrets (-want +got):\n%s", diff)
	}
	if n := gt.Count(t, pool, "outbox_deliveries WHERE delivered_at IS NULL"); n != 0 {
		t.Errorf("%d deliveries still pending", n)
	}
}

func TestRetriesWithBackoff(t *testing.T) {
	pool, sub, c, d := setup(t, 2)
	publish(t, pool, 1)

	steps := []struct {
		advance   time.Duration
		wantTried int
		wantCalls int
	}{
		{0, 1, 1},                      // fails; next try after 1s
		{500 * time.Millisecond, 0, 1}, // not due yet
		{500 * time.Millisecond, 1, 2}, // fails again; next after 2s
		{time.Second, 0, 2},
		{time.Second, 1, 3}, // accepted
		{time.Hour, 0, 3},
	}
	for i, s := range steps {
		c.now = c.now.Add(s.advance)
		if n := dispatch(t, d); n != s.wantTried || sub.calls != s.wantCalls {
			t.Fatalf("step %d: tried %d, calls %d; want %d, %d", i, n, sub.calls, s.wantTried, s.wantCalls)
		}
	}
	var attempts int
	var lastError *string
	err := pool.QueryRow(context.Background(), `SELECT attempts, last_error FROM outbox_deliveries`).
		Scan(&attempts, &lastError)
	if err != nil || attempts != 3 || lastError != nil || len(sub.accepted) != 1 {
		t.Errorf("attempts=%d last_error=%v accepted=%d err=%v; want 3, nil, 1", attempts,
			lastError, len(sub.accepted), err)
	}
}

func TestDownSubscriberIsSkippedForTheRound(t *testing.T) {
	pool, sub, _, d := setup(t, 100)
	publish(t, pool, 3)
	if n := dispatch(t, d); n != 1 || sub.calls != 1 {
		t.Errorf("tried %d with %d calls; want one try per round while the subscriber is down", n, sub.calls)
	}
}

func TestUnknownSubscriberWaits(t *testing.T) {
	pool, _, _, d := setup(t, 0)
	d.URLs = map[string]string{}
	publish(t, pool, 1)
	dispatch(t, d)
	var lastError string
	err := pool.QueryRow(context.Background(), `SELECT last_error FROM outbox_deliveries`).Scan(&lastError)
	if err != nil || lastError != "no URL for module bi in ERGO_MODULE_URLS" {
		t.Errorf("last_error = %q (%v)", lastError, err)
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempts int
		want     time.Duration
	}{
		{0, time.Second},
		{1, 2 * time.Second},
		{3, 8 * time.Second},
		{8, 256 * time.Second},
		{9, 5 * time.Minute},
		{1000, 5 * time.Minute},
	}
	for _, tt := range tests {
		if got := outbox.Backoff(tt.attempts, time.Second, 5*time.Minute); got != tt.want {
			t.Errorf("Backoff(%d) = %v, want %v", tt.attempts, got, tt.want)
		}
	}
}

func TestRefusedEventIsParked(t *testing.T) {
	pool, sub, c, d := setup(t, 0)
	publish(t, pool, 2)
	sub.refuse = 1 // the first event is malformed in the subscriber's eyes

	if n := dispatch(t, d); n != 2 || len(sub.accepted) != 1 {
		t.Fatalf("tried %d, accepted %d; want 2 tried (a refusal is no outage), 1 accepted", n, len(sub.accepted))
	}
	c.now = c.now.Add(365 * 24 * time.Hour)
	if n := dispatch(t, d); n != 0 {
		t.Errorf("a year later %d deliveries were tried again, want 0: refused ones are parked", n)
	}
	var lastError string
	err := pool.QueryRow(context.Background(), `SELECT last_error FROM outbox_deliveries
		WHERE delivered_at IS NULL`).Scan(&lastError)
	if err != nil || !strings.Contains(lastError, "refused") {
		t.Errorf("parked delivery: last_error %q (%v)", lastError, err)
	}
}
