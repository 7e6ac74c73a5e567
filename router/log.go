package router

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sort"
	"time"

	"ergo/platform/logging"
	"ergo/router/engine"
)

// requestLog gathers what the request's one log line reports.
type requestLog struct {
	operation string
	opType    string
	errors    int
	calls     []engine.SubgraphCall
}

// callSummary lists calls per subgraph as "name×count", sorted, with the total number of
// calls, how many failed, and the time spent in them added up (parallel calls overlap).
func (rl *requestLog) callSummary() (perSubgraph []string, total, failed int,
	spent time.Duration,
) {
	counts := map[string]int{}
	for _, c := range rl.calls {
		counts[c.Subgraph]++
		spent += c.Duration
		if c.Err != nil {
			failed++
		}
	}
	for name, n := range counts {
		perSubgraph = append(perSubgraph, fmt.Sprintf("%s×%d", name, n))
	}
	sort.Strings(perSubgraph)
	return perSubgraph, len(rl.calls), failed, spent
}

type requestLogKey struct{}

func requestLogFrom(ctx context.Context) *requestLog {
	rl, _ := ctx.Value(requestLogKey{}).(*requestLog)
	return rl
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe wraps next with panic recovery and one log line per request; it runs inside
// logging.RequestIDs, which sets the request ID. The line never holds headers, tokens or
// variable values.
func (rt *Router) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := rt.now()
		rl := &requestLog{}
		sw := &statusWriter{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), requestLogKey{}, rl))

		defer func() {
			if p := recover(); p != nil {
				if err, ok := p.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(p)
				}
				rt.recovered(sw, r, rl, p)
			}
			rt.logRequest(r, sw.status, rl, rt.now().Sub(start))
		}()
		next.ServeHTTP(sw, r)
	})
}

// recovered answers INTERNAL with an error ID, when nothing was written yet, and logs the
// panic with the same ID.
func (rt *Router) recovered(w *statusWriter, r *http.Request, rl *requestLog, p any) {
	id := logging.NewID()
	rt.log.Error("panic serving request", "request_id", logging.RequestID(r.Context()), "error_id", id,
		"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
	rl.errors++
	if w.status != 0 {
		return
	}
	mt := negotiate(r.Header.Get("Accept"))
	if mt == "" {
		mt = mediaJSON
	}
	writeRequestError(w, mt, &requestError{
		status: http.StatusInternalServerError, code: CodeInternal, errorID: id,
		message: "internal error (id " + id + ")",
	})
}

func (rt *Router) logRequest(r *http.Request, status int, rl *requestLog, d time.Duration) {
	if status == 0 {
		status = http.StatusOK
	}
	calls, total, failed, spent := rl.callSummary()
	attrs := []any{
		"request_id", logging.RequestID(r.Context()), "method", r.Method, "path", r.URL.Path,
		"status", status, "duration", d,
	}
	level := slog.LevelDebug // probes and playground assets would drown the GraphQL lines
	if rl.opType != "" || rl.errors > 0 {
		level = slog.LevelInfo
		attrs = append(attrs, "operation", rl.operation, "operation_type", rl.opType,
			"errors", rl.errors, "subgraph_calls", total, "subgraph_failures", failed,
			"subgraph_time", spent, "subgraphs", calls)
	}
	rt.log.Log(r.Context(), level, "request", attrs...)
}
