package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"sync"
	"testing"

	"ergo/bench"
	"ergo/router/engine"
)

// replay is an http.RoundTripper that asks the real subgraphs once per distinct request and
// answers every later identical request from memory, so that a benchmark built on it measures
// the engine alone: no sockets, no subgraph work.
type replay struct {
	mu   sync.Mutex
	seen map[string][]byte
}

func (t *replay) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	key := r.URL.String() + "\x00" + string(body)
	t.mu.Lock()
	data, ok := t.seen[key]
	t.mu.Unlock()
	if !ok {
		r.Body = io.NopCloser(bytes.NewReader(body))
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		data, err = io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			return nil, err
		}
		t.mu.Lock()
		t.seen[key] = data
		t.mu.Unlock()
	}
	return &http.Response{
		StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(data)), ContentLength: int64(len(data)), Request: r,
	}, nil
}

// newEngine builds the engine for the workload against subgraphs at urls.
func newEngine(tb testing.TB, urls map[string]string, opts engine.Options) *engine.Engine {
	tb.Helper()
	sdl, err := bench.Compose(urls)
	if err != nil {
		tb.Fatal(err)
	}
	sg, err := engine.Load(sdl)
	if err != nil {
		tb.Fatal(err)
	}
	return engine.New(sg, opts)
}

// execute runs the deep query and fails unless the response is the expected one. It releases
// the response once checked, as the router does once the response is written.
func execute(tb testing.TB, e *engine.Engine, req *engine.Request) {
	resp := e.Execute(context.Background(), req)
	if len(resp.Errors) > 0 || !bytes.Equal(resp.Data, expectedData(tb)) {
		tb.Fatalf("unexpected response: errors %v, data %.200s", resp.Errors, resp.Data)
	}
	resp.Release()
}

var expected struct {
	once sync.Once
	data []byte
}

// expectedData is the data member of testdata/expected.json, compact.
func expectedData(tb testing.TB) []byte {
	expected.once.Do(func() {
		full := bench.Expected()
		prefix, suffix := []byte(`{"data":`), []byte(`}`)
		if !bytes.HasPrefix(full, prefix) || !bytes.HasSuffix(full, suffix) {
			panic("testdata/expected.json is not {\"data\": ...}")
		}
		expected.data = full[len(prefix) : len(full)-len(suffix)]
	})
	return expected.data
}

// BenchmarkPlan measures the engine's per-request work on the deep query: "plan-only" parses,
// validates and plans every request without executing it (engine.Engine.Plan, plan cache
// off); "cold" plans and executes every request with subgraph responses replayed from
// memory; "cached" reuses the plan and executes only.
func BenchmarkPlan(b *testing.B) {
	set := startSubgraphs(b)
	b.Run("plan-only", func(b *testing.B) {
		e := newEngine(b, set.URLs, engine.Options{PlanCacheSize: -1})
		req := &engine.Request{Query: bench.Query()}
		b.ReportAllocs()
		for b.Loop() {
			if errs := e.Plan(context.Background(), req); errs != nil {
				b.Fatalf("plan: %v", errs[0])
			}
		}
	})
	for _, tc := range []struct {
		name  string
		cache int
	}{{"cold", -1}, {"cached", 0}} {
		b.Run(tc.name, func(b *testing.B) {
			e := newEngine(b, set.URLs, engine.Options{
				PlanCacheSize: tc.cache,
				Client:        &http.Client{Transport: &replay{seen: map[string][]byte{}}},
			})
			req := &engine.Request{Query: bench.Query()}
			execute(b, e, req) // fills the replay and, for "cached", the plan cache
			b.ReportAllocs()
			for b.Loop() {
				execute(b, e, req)
			}
		})
	}
}

// BenchmarkExecute measures the deep query end to end in one process: "engine" calls the
// engine directly, with real HTTP to the subgraphs; "router" sends the client request over
// HTTP to the router's handler as well; "router-50" does the same from 50 concurrent
// clients, as cmd/load does, which is the profile to read for costs that grow with
// concurrency (garbage collection, connection pools).
func BenchmarkExecute(b *testing.B) {
	set := startSubgraphs(b)
	b.Run("engine", func(b *testing.B) {
		e := newEngine(b, set.URLs, engine.Options{})
		req := &engine.Request{Query: bench.Query()}
		execute(b, e, req)
		b.ReportAllocs()
		for b.Loop() {
			execute(b, e, req)
		}
	})
	b.Run("router", func(b *testing.B) {
		srv := startRouter(b, set.URLs)
		body, want := bench.RequestBody(), bench.Expected()
		b.ReportAllocs()
		for b.Loop() {
			if got := post(b, srv.Client(), srv.URL+"/graphql", body); !bytes.Equal(got, want) {
				b.Fatalf("unexpected response: %.200s", got)
			}
		}
	})
	b.Run("router-50", func(b *testing.B) {
		srv := startRouter(b, set.URLs)
		body, want := bench.RequestBody(), bench.Expected()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 50}}
		b.SetParallelism(max(1, 50/runtime.GOMAXPROCS(0)))
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				got, err := fetch(client, srv.URL+"/graphql", body)
				if err != nil || !bytes.Equal(got, want) {
					b.Errorf("unexpected response: %v %.200s", err, got)
					return
				}
			}
		})
	})
}

// BenchmarkWriteResponse compares two ways of turning the engine's response to the deep query
// into the HTTP body: json.Marshal of the whole engine.Response, which re-validates and
// re-compacts the already encoded data, and writing the encoded data as it is, which is what
// the router does.
func BenchmarkWriteResponse(b *testing.B) {
	resp := &engine.Response{Data: json.RawMessage(expectedData(b))}
	b.Run("marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(resp); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		var buf bytes.Buffer
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			buf.WriteString(`{"data":`)
			buf.Write(resp.Data)
			buf.WriteByte('}')
		}
		if !bytes.Equal(buf.Bytes(), bench.Expected()) {
			b.Fatal("raw writing changed the response")
		}
	})
}
