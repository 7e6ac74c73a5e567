package load

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Result is what one load phase measured at the client side.
type Result struct {
	Requests   int
	Mismatches int
	// FirstMismatch is the start of the first wrong response (or the transport error), to
	// show in the report.
	FirstMismatch string
	Elapsed       time.Duration
	// Latencies holds every request's latency, sorted.
	Latencies []time.Duration
}

// RPS is the completed requests per second.
func (r Result) RPS() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// Percentile returns the latency below which a share p (0..1) of the requests completed.
func (r Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(p*float64(len(r.Latencies))+0.5) - 1
	return r.Latencies[min(max(i, 0), len(r.Latencies)-1)]
}

// newClient returns a client that keeps up to conns connections to one host open.
func newClient(conns int) *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// Generate sends body to url from conns workers, each sending its next request when the
// previous one is answered, for d. Every response is checked against want.
func Generate(ctx context.Context, client *http.Client, url string, body, want []byte,
	conns int, d time.Duration,
) Result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	results := make([]Result, conns)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range results {
		wg.Go(func() { results[i] = worker(ctx, client, url, body, want) })
	}
	wg.Wait()

	total := Result{Elapsed: time.Since(start)}
	for _, r := range results {
		total.Requests += r.Requests
		total.Mismatches += r.Mismatches
		total.Latencies = append(total.Latencies, r.Latencies...)
		if total.FirstMismatch == "" {
			total.FirstMismatch = r.FirstMismatch
		}
	}
	slices.Sort(total.Latencies)
	return total
}

// worker sends requests one after another until ctx ends. A request cut off by the end of
// the phase is not counted.
func worker(ctx context.Context, client *http.Client, url string, body, want []byte) Result {
	var r Result
	buf := new(bytes.Buffer)
	for ctx.Err() == nil {
		t0 := time.Now()
		problem := send(ctx, client, url, body, want, buf)
		lat := time.Since(t0)
		if ctx.Err() != nil {
			break
		}
		r.Requests++
		r.Latencies = append(r.Latencies, lat)
		if problem != "" {
			r.Mismatches++
			if r.FirstMismatch == "" {
				r.FirstMismatch = problem
			}
		}
	}
	return r
}

// send makes one request and returns "" when the response is 200 with the wanted body, or a
// short description of what was wrong.
func send(ctx context.Context, client *http.Client, url string, body, want []byte,
	buf *bytes.Buffer,
) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json, application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err.Error()
	}
	defer func() { _ = resp.Body.Close() }()
	buf.Reset()
	if _, err := io.Copy(buf, resp.Body); err != nil {
		return err.Error()
	}
	if resp.StatusCode != http.StatusOK {
		return resp.Status + ": " + head(buf.Bytes())
	}
	if !Same(buf.Bytes(), want) {
		return "wrong body: " + head(buf.Bytes())
	}
	return ""
}

// Same reports whether got is the compact JSON want, up to whitespace between tokens: the
// same members in the same order with the same spelling of every value.
func Same(got, want []byte) bool {
	if bytes.Equal(got, want) {
		return true
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, got); err != nil {
		return false
	}
	return bytes.Equal(buf.Bytes(), want)
}

func head(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}
