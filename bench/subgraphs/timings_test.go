package subgraphs

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestTimings checks that a server records one duration per GraphQL request, and only while
// recording is on.
func TestTimings(t *testing.T) {
	s, err := New("accounts")
	if err != nil {
		t.Fatal(err)
	}
	set := &Set{Servers: map[string]*Server{"accounts": s}}
	call := func() {
		t.Helper()
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ me { id } }"}`))
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}

	call() // before recording: not counted
	set.StartTimings()
	call()
	call()
	got := set.StopTimings()
	call() // after recording: not counted

	if len(got) != 2 {
		t.Fatalf("recorded %d durations, want 2", len(got))
	}
	if got[0] < 0 || got[0] > got[1] {
		t.Errorf("durations %v are not sorted non-negative", got)
	}
	set.StartTimings()
	if again := set.StopTimings(); len(again) != 0 {
		t.Errorf("a new recording kept %d old durations", len(again))
	}
}
