package router

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"ergo/platform/logging"
)

// Run starts the router with configuration from the environment and serves until ctx ends,
// then lets in-flight requests finish. It returns the process exit code: 0 after a clean
// stop, 2 for a configuration problem (one line on stderr naming the variable), 1 otherwise.
// The router takes no arguments and does not read stdin.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		_, _ = fmt.Fprintln(stderr, "router: takes no arguments; configure it with ERGO_* variables"+
			" (see docs/router.md)")
		return 2
	}
	cfg, err := LoadConfig(os.Environ())
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "router:", err)
		return 2
	}
	logger, err := logging.New(stderr, cfg.LogFormat, cfg.LogLevel)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "router:", err) // Validate already checked both values
		return 2
	}
	if err := Serve(ctx, cfg, logger, nil); err != nil {
		logger.Error("router stopped", "err", err)
		return 1
	}
	return 0
}

// Serve runs the router for cfg until ctx ends. When ln is nil it listens on cfg.Addr. On
// ctx's end it stops accepting connections and waits up to cfg.ShutdownTimeout for running
// requests.
func Serve(ctx context.Context, cfg Config, logger *slog.Logger, ln net.Listener) error {
	rt, err := New(cfg, logger)
	if err != nil {
		return err
	}
	if ln == nil {
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			return fmt.Errorf("listen: %w", err)
		}
	}
	if cfg.RouterSecret == "" {
		logger.Warn("ERGO_ROUTER_SECRET is not set: subgraphs cannot tell router calls apart")
	}

	srv := &http.Server{
		Handler:           rt.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go rt.Watch(watchCtx)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("router listening", "addr", ln.Addr().String(), "supergraph", cfg.Supergraph)

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Requests still running after ShutdownTimeout are cut off.
		_ = srv.Close()
		if !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("shutdown: %w", err)
		}
		logger.Warn("requests cut off at shutdown", "timeout", cfg.ShutdownTimeout)
	}
	logger.Info("router stopped")
	return nil
}
