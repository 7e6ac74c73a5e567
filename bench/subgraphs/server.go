// Package subgraphs serves the four subgraphs of the benchmark workload (accounts, products,
// inventory, reviews) over HTTP from fixed in-memory data.
//
// Each server is a small GraphQL executor behind a response cache: the first request with a
// given body is executed, and later requests with the same bytes get the stored response. A
// router under load repeats the same few subgraph requests, so the subgraphs cost little more
// than the HTTP exchange and never become the bottleneck of a router benchmark.
package subgraphs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// maxCached bounds the number of distinct request bodies a server keeps responses for; a
// router that sends ever-changing bodies still gets answers, executed each time.
const maxCached = 4096

// maxBody bounds a request body.
const maxBody = 1 << 20

// Server answers GraphQL requests for one subgraph at POST /graphql, and {"status":"ok"} at
// GET /readyz.
type Server struct {
	name   string
	schema *schema
	cache  sync.Map // request body -> response body
	cached atomic.Int64
	// Requests counts the GraphQL requests answered, for reports.
	Requests atomic.Int64
	// Timings holds the durations of GraphQL requests while recording is on.
	Timings Timings
	delay   atomic.Int64 // nanoseconds every GraphQL request waits before it is answered
}

// New returns the server of the named subgraph: one of Names, or "monolith", which answers
// client queries over all the data without federation (the reference for expected
// responses). It fails for any other name.
func New(name string) (*Server, error) {
	s, err := schemaFor(name)
	if err != nil {
		return nil, err
	}
	return &Server{name: name, schema: s}, nil
}

// SetDelay makes every later GraphQL request wait d before it is answered, as a subgraph
// with its own latency would; 0 (the default) answers at once. The wait is a timer, so it
// holds no CPU and concurrent requests wait side by side. It is counted in Timings. A
// negative d counts as 0.
func (s *Server) SetDelay(d time.Duration) { s.delay.Store(int64(max(d, 0))) }

// Execute answers a GraphQL request body, without the cache.
func (s *Server) Execute(body []byte) []byte { return s.schema.execute(body) }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/readyz":
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"ok"}`)
	case r.Method == http.MethodPost && r.URL.Path == "/graphql":
		s.serveGraphQL(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
		return
	}
	s.Requests.Add(1)
	if !s.wait(r.Context()) {
		return // the caller is gone: nothing to answer, nothing to time
	}
	resp, ok := s.cache.Load(string(body))
	if !ok {
		resp = s.schema.execute(body)
		if s.cached.Add(1) <= maxCached {
			s.cache.Store(string(body), resp)
		}
	}
	out := resp.([]byte)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	_, _ = w.Write(out)
	// Flush inside the timed span, so that the time includes writing the response out.
	_ = http.NewResponseController(w).Flush()
	s.Timings.add(time.Since(start))
}

// wait holds the request for the server's delay; it reports false when ctx ends first.
func (s *Server) wait(ctx context.Context) bool {
	d := time.Duration(s.delay.Load())
	if d <= 0 {
		return true
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

// Set is the four subgraphs, each on its own listener.
type Set struct {
	// URLs maps each subgraph name to its GraphQL endpoint.
	URLs    map[string]string
	Servers map[string]*Server
	servers []*http.Server
	done    sync.WaitGroup
}

// Listen opens one listener per subgraph: on 127.0.0.1 at basePort, basePort+1, ... in the
// order of Names, or on free ports when basePort is 0.
func Listen(basePort int) (map[string]net.Listener, error) {
	out := map[string]net.Listener{}
	for i, name := range Names {
		port := 0
		if basePort != 0 {
			port = basePort + i
		}
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			for _, l := range out {
				_ = l.Close()
			}
			return nil, fmt.Errorf("listen for %s: %w", name, err)
		}
		out[name] = ln
	}
	return out, nil
}

// Start serves every subgraph on its listener until Close.
func Start(listeners map[string]net.Listener) (*Set, error) {
	set := &Set{URLs: map[string]string{}, Servers: map[string]*Server{}}
	for _, name := range Names {
		ln, ok := listeners[name]
		if !ok {
			return nil, fmt.Errorf("no listener for %s", name)
		}
		s, err := New(name)
		if err != nil {
			return nil, err
		}
		srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
		set.URLs[name] = "http://" + ln.Addr().String() + "/graphql"
		set.Servers[name] = s
		set.servers = append(set.servers, srv)
		set.done.Add(1)
		go func() {
			defer set.done.Done()
			_ = srv.Serve(ln)
		}()
	}
	return set, nil
}

// SetDelay sets the delay of every server of the set (see Server.SetDelay).
func (set *Set) SetDelay(d time.Duration) {
	for _, s := range set.Servers {
		s.SetDelay(d)
	}
}

// Close stops every server and waits for them.
func (set *Set) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	for _, srv := range set.servers {
		errs = append(errs, srv.Shutdown(ctx))
	}
	set.done.Wait()
	return errors.Join(errs...)
}
