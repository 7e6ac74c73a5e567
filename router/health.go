package router

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// serveHealthz answers 200 while the process runs.
func (rt *Router) serveHealthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, mediaJSON, map[string]string{"status": "ok"})
}

// readiness is the body of /readyz.
type readiness struct {
	Status     string                    `json:"status"`
	Supergraph string                    `json:"supergraph"`
	Subgraphs  map[string]subgraphHealth `json:"subgraphs"`
}

// subgraphHealth is one subgraph's answer, or why there was none.
type subgraphHealth struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks,omitempty"`
	Error  string            `json:"error,omitempty"`
}

// serveReadyz answers 200 when the supergraph is loaded and every subgraph's own /readyz says
// ok, and 503 otherwise, naming what is down.
func (rt *Router) serveReadyz(w http.ResponseWriter, r *http.Request) {
	g := rt.graph.Load()
	out := readiness{Status: "ok", Supergraph: "ok", Subgraphs: map[string]subgraphHealth{}}
	if g == nil {
		out.Status, out.Supergraph = "unavailable", "not loaded"
		writeJSON(w, http.StatusServiceUnavailable, mediaJSON, out)
		return
	}

	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, sg := range g.subgraphs {
		wg.Go(func() {
			h := rt.subgraphReady(r.Context(), sg)
			mu.Lock()
			defer mu.Unlock()
			out.Subgraphs[sg.Name] = h
		})
	}
	wg.Wait()

	status := http.StatusOK
	for _, h := range out.Subgraphs {
		if h.Status != "ok" {
			out.Status, status = "unavailable", http.StatusServiceUnavailable
		}
	}
	writeJSON(w, status, mediaJSON, out)
}

// subgraphReady asks one subgraph's /readyz, served at its base URL.
func (rt *Router) subgraphReady(ctx context.Context, sg subgraph) subgraphHealth {
	ctx, cancel := context.WithTimeout(ctx, rt.cfg.ReadyTimeout)
	defer cancel()

	u, err := readyURL(sg.URL)
	if err != nil {
		return subgraphHealth{Status: "down", Error: err.Error()}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return subgraphHealth{Status: "down", Error: err.Error()}
	}
	resp, err := rt.client.Do(req)
	if err != nil {
		return subgraphHealth{Status: "down", Error: "unreachable: " + unwrapURLError(err)}
	}
	defer func() { _ = resp.Body.Close() }()

	var h subgraphHealth
	dec := json.NewDecoder(io.LimitReader(resp.Body, 64<<10))
	if err := dec.Decode(&h); err != nil || h.Status == "" {
		h = subgraphHealth{Status: "down", Error: fmt.Sprintf("HTTP %d without a health body",
			resp.StatusCode)}
	}
	if resp.StatusCode != http.StatusOK && h.Status == "ok" {
		h.Status = "down"
	}
	if h.Status != "ok" && h.Error == "" {
		h.Error = fmt.Sprintf("HTTP %d", resp.StatusCode)
	}
	return h
}

// readyURL turns a subgraph's GraphQL URL (http://host:4001/query) into the URL of its
// readiness endpoint (http://host:4001/readyz).
func readyURL(graphqlURL string) (string, error) {
	u, err := url.Parse(graphqlURL)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("invalid subgraph URL %q", graphqlURL)
	}
	base := strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/query")
	u.Path = base + "/readyz"
	u.RawQuery, u.Fragment = "", ""
	return u.String(), nil
}

// unwrapURLError drops the method and URL that *url.Error repeats.
func unwrapURLError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}
