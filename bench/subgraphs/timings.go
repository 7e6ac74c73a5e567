package subgraphs

import (
	"slices"
	"sync"
	"time"
)

// Timings records how long a server took to answer GraphQL requests: from the handler's entry
// until the response was flushed to the connection. Time spent before the handler runs (in the
// kernel's queues, waiting for a CPU, reading headers) is not included. It records only between
// Start and Stop, so that a driver can time exactly its measured phase; the zero value is ready
// and records nothing.
type Timings struct {
	mu sync.Mutex
	on bool
	d  []time.Duration
}

// Start discards what was recorded and starts recording.
func (t *Timings) Start() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.on, t.d = true, t.d[:0]
}

// Stop stops recording and returns the durations recorded since Start, in the order the
// requests ended. The caller owns the returned slice.
func (t *Timings) Stop() []time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.on = false
	return slices.Clone(t.d)
}

func (t *Timings) add(d time.Duration) {
	t.mu.Lock()
	if t.on {
		t.d = append(t.d, d)
	}
	t.mu.Unlock()
}

// StartTimings starts recording the request durations of every server of the set.
func (set *Set) StartTimings() {
	for _, s := range set.Servers {
		s.Timings.Start()
	}
}

// StopTimings stops recording and returns the durations of every server's requests since
// StartTimings, together and sorted.
func (set *Set) StopTimings() []time.Duration {
	var all []time.Duration
	for _, s := range set.Servers {
		all = append(all, s.Timings.Stop()...)
	}
	slices.Sort(all)
	return all
}
