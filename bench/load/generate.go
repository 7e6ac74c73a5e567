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
	// Latencies holds every request's latency, sorted. At a constant arrival rate it is
	// counted from the time the request was due, not from when it was sent.
	Latencies Sample
	// Dropped counts requests of a constant-arrival-rate phase that were not sent because no
	// connection was free within the allowed lateness of their due time.
	Dropped int
	// Late counts requests of a constant-arrival-rate phase that were sent, but more than the
	// allowed lateness after their due time, because the load generator itself was held up
	// (a connection had taken the request in time). Their latency includes the delay.
	Late int
	// Lags holds, at a constant arrival rate, how long after its due time each request was
	// sent, sorted: the load generator's own delay, included in Latencies.
	Lags Sample
}

// RPS is the completed requests per second.
func (r Result) RPS() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// Percentile returns the latency below which a share p (0..1) of the requests completed.
func (r Result) Percentile(p float64) time.Duration { return r.Latencies.Percentile(p) }

// record adds one answered request.
func (r *Result) record(latency time.Duration, problem string) {
	r.Requests++
	r.Latencies = append(r.Latencies, latency)
	if problem != "" {
		r.Mismatches++
		if r.FirstMismatch == "" {
			r.FirstMismatch = problem
		}
	}
}

// merge adds up the results of the workers of one phase that lasted elapsed, with their
// samples sorted.
func merge(parts []Result, elapsed time.Duration) Result {
	total := Result{Elapsed: elapsed}
	for _, r := range parts {
		total.Requests += r.Requests
		total.Mismatches += r.Mismatches
		total.Dropped += r.Dropped
		total.Late += r.Late
		total.Latencies = append(total.Latencies, r.Latencies...)
		total.Lags = append(total.Lags, r.Lags...)
		if total.FirstMismatch == "" {
			total.FirstMismatch = r.FirstMismatch
		}
	}
	slices.Sort(total.Latencies)
	slices.Sort(total.Lags)
	return total
}

// Sample is a sorted list of durations.
type Sample []time.Duration

// Percentile returns the smallest duration that at least a share p (0..1) of the sample does
// not exceed (the nearest rank, rounded), or 0 for an empty sample.
func (s Sample) Percentile(p float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	i := int(p*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
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
	return merge(results, time.Since(start))
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
		r.record(lat, problem)
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
