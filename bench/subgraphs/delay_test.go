package subgraphs

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const meQuery = `{"query":"{ me { username } }"}`

// TestDelay checks that a delayed call takes at least its delay, that the subgraph's own
// timing counts the delay, and that the answer is unchanged. Only lower bounds are checked:
// a slow machine makes calls longer, never shorter.
func TestDelay(t *testing.T) {
	cases := []struct {
		name  string
		delay time.Duration
		least time.Duration
	}{
		{"none", 0, 0},
		{"20ms", 20 * time.Millisecond, 20 * time.Millisecond},
		{"negative counts as none", -time.Second, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New("accounts")
			if err != nil {
				t.Fatal(err)
			}
			s.SetDelay(tc.delay)
			s.Timings.Start()

			start := time.Now()
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(meQuery)))
			took := time.Since(start)

			want := `{"data":{"me":{"username":"ada"}}}`
			if w.Code != http.StatusOK || w.Body.String() != want {
				t.Errorf("got %d %s, want 200 %s", w.Code, w.Body, want)
			}
			if took < tc.least {
				t.Errorf("call took %s, want at least %s", took, tc.least)
			}
			timed := s.Timings.Stop()
			if len(timed) != 1 || timed[0] < tc.least {
				t.Errorf("subgraph timed %v, want one call of at least %s", timed, tc.least)
			}
		})
	}
}

// TestDelayConcurrent sends n calls at once over real HTTP to a subgraph that delays each by
// d: waiting side by side, they end long before the n*d that one after another would take.
// The bound, half of n*d, leaves a slow machine nearly a second of slack.
func TestDelayConcurrent(t *testing.T) {
	const n, d = 20, 100 * time.Millisecond
	lns, err := Listen(0)
	if err != nil {
		t.Fatal(err)
	}
	set, err := Start(lns)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = set.Close() }()
	set.SetDelay(d)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}}
	defer client.CloseIdleConnections()

	ready := make(chan struct{})
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-ready
			errs[i] = post(client, set.URLs["accounts"])
		})
	}
	start := time.Now()
	close(ready)
	wg.Wait()
	took := time.Since(start)

	if err := errors.Join(errs...); err != nil {
		t.Fatalf("calls failed: %v", err)
	}
	if took < d || took >= n*d/2 {
		t.Errorf("%d concurrent calls delayed %s took %s, want at least %s and under %s",
			n, d, took, d, n*d/2)
	}
}

func post(client *http.Client, url string) error {
	resp, err := client.Post(url, "application/json", strings.NewReader(meQuery))
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// TestDelayCancelled checks that a call whose client has gone stops waiting at once, and is
// neither answered nor timed. The delay is an hour: were the wait not cut short, the test
// would hang.
func TestDelayCancelled(t *testing.T) {
	s, err := New("accounts")
	if err != nil {
		t.Fatal(err)
	}
	s.SetDelay(time.Hour)
	s.Timings.Start()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	w := httptest.NewRecorder()
	r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", strings.NewReader(meQuery))
	s.ServeHTTP(w, r)

	if w.Body.Len() != 0 {
		t.Errorf("a cancelled call was answered: %s", w.Body)
	}
	if timed := s.Timings.Stop(); len(timed) != 0 {
		t.Errorf("a cancelled call was timed: %v", timed)
	}
}

func TestMainRejectsBadDelay(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"negative", []string{"-delay", "-1ms"}},
		{"no unit", []string{"-delay", "5"}},
		{"not a duration", []string{"-delay", "soon"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stderr strings.Builder
			code := Main(context.Background(), append(tc.args, "-port", "0"), io.Discard, &stderr)
			if code != 2 {
				t.Errorf("Main(%q) = %d, want 2", tc.args, code)
			}
			if !strings.Contains(stderr.String(), "-delay") {
				t.Errorf("stderr %q does not name -delay", stderr.String())
			}
		})
	}
}
