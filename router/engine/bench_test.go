package engine

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
)

// deepQuery crosses every subgraph: org -> identity, org -> lms (requires), lms -> identity,
// lms -> org -> bi (two-hop key chain), lms -> bi (interface object).
const deepQuery = `query Deep($n: Int = 2) {
  courses(first: $n) {
    id title workload label rating
    teacher { name email }
    department { name budget }
    enrollments {
      grade
      student { name role enrollments { course { title rating } } }
      course { code title }
    }
  }
  materials { title views ... on Video { minutes } }
}`

func BenchmarkPlan(b *testing.B) {
	run := func(b *testing.B, cacheSize int) {
		c := newInProcessCampus(b, func(o *Options) { o.PlanCacheSize = cacheSize })
		req := &Request{Query: deepQuery}
		b.ReportAllocs()
		cpu := processCPU()
		defer func() { b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op") }()
		for b.Loop() {
			o, errs := c.engine.prepare(context.Background(), req)
			if errs != nil {
				b.Fatal(errs[0])
			}
			if _, err := c.engine.planFor(o); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("cold", func(b *testing.B) { run(b, -1) })
	b.Run("cached", func(b *testing.B) { run(b, 0) })
}

// replayTransport answers subgraph requests with responses recorded from the fixtures, so a
// benchmark measures the engine rather than the fixtures.
type replayTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen map[string][]byte
}

func (t *replayTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	k := r.URL.Host + string(body)
	t.mu.Lock()
	data, ok := t.seen[k]
	t.mu.Unlock()
	if !ok {
		r.Body = io.NopCloser(bytes.NewReader(body))
		resp, err := t.next.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		data, _ = io.ReadAll(resp.Body)
		t.mu.Lock()
		t.seen[k] = data
		t.mu.Unlock()
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(data))}, nil
}

func BenchmarkExecute(b *testing.B) {
	bench := func(b *testing.B, replay bool) {
		c := newInProcessCampus(b, func(o *Options) {
			if replay {
				o.Client = &http.Client{Transport: &replayTransport{next: o.Client.Transport, seen: map[string][]byte{}}}
			}
		})
		req := &Request{Query: deepQuery}
		resp := c.engine.Execute(context.Background(), req)
		if len(resp.Errors) > 0 {
			b.Fatalf("%s: %v", resp.Errors[0].Message, resp.Errors[0].Path)
		}
		b.ReportAllocs()
		cpu := processCPU()
		for b.Loop() {
			c.engine.Execute(context.Background(), req)
		}
		b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
	}
	b.Run("fixtures", func(b *testing.B) { bench(b, false) })
	b.Run("replayed", func(b *testing.B) { bench(b, true) })
}
