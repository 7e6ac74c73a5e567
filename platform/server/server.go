// Package server runs ERGO's HTTP servers: graceful start and stop, health endpoints, and the
// identity the router passes to subgraphs.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"time"
)

// Check reports whether one dependency (the database, say) works; nil means healthy.
type Check func(ctx context.Context) error

// Health serves /healthz (the process is alive) and /readyz (every check passes) on mux.
// /readyz answers 200 or 503 with {"status": "ok"|"down", "checks": {"name": "ok"|"down"}};
// the failing checks' errors go to the log, not to the caller.
func Health(mux *http.ServeMux, log *slog.Logger, checks map[string]Check) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		status, body := ready(ctx, log, checks)
		writeJSON(w, status, body)
	})
}

// Readiness is the body of a /readyz answer.
type Readiness struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

func ready(ctx context.Context, log *slog.Logger, checks map[string]Check) (int, Readiness) {
	names := make([]string, 0, len(checks))
	for name := range checks {
		names = append(names, name)
	}
	sort.Strings(names)

	body := Readiness{Status: "ok", Checks: map[string]string{}}
	for _, name := range names {
		if err := checks[name](ctx); err != nil {
			log.Warn("readiness check failed", "check", name, "err", err)
			body.Checks[name], body.Status = "down", "down"
			continue
		}
		body.Checks[name] = "ok"
	}
	if body.Status != "ok" {
		return http.StatusServiceUnavailable, body
	}
	return http.StatusOK, body
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Serve serves h on addr until ctx is cancelled, then stops accepting connections and waits
// up to grace for requests in flight. It returns nil after a clean stop.
func Serve(ctx context.Context, log *slog.Logger, addr string, h http.Handler, grace time.Duration) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ServeListener(ctx, log, ln, h, grace)
}

// ServeListener is Serve on a listener the caller opened (tests use port 0).
func ServeListener(ctx context.Context, log *slog.Logger, ln net.Listener, h http.Handler,
	grace time.Duration,
) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String())

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	if err := srv.Shutdown(stopCtx); err != nil {
		return fmt.Errorf("stop: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
