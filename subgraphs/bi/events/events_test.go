package events_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	"ergo/platform/server"
	"ergo/subgraphs/bi"
	"ergo/subgraphs/bi/events"
)

// failing is an Ingester that fails the way a database call does: with the request's own
// error once the request has ended, otherwise with err.
type failing struct{ err error }

func (f failing) Ingest(ctx context.Context, _ bi.Event) (bool, error) {
	if ctx.Err() != nil {
		return false, fmt.Errorf("ingest event: %w", ctx.Err())
	}
	return false, f.err
}

func TestNotStored(t *testing.T) {
	tests := []struct {
		name      string
		cancel    bool
		status    int
		wantLevel string
		wantMsg   string
	}{
		{"database fails", false, http.StatusInternalServerError, "ERROR", "event not stored"},
		{
			"sender gave up", true, http.StatusServiceUnavailable,
			"DEBUG", "event delivery ended before storing",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			h := events.Handler(failing{errors.New("connection refused")}, "s", log)

			ctx, cancel := context.WithCancel(context.Background())
			if tt.cancel {
				cancel()
			} else {
				defer cancel()
			}
			body := `{"id":"` + uuid.NewString() + `","type":"course.renamed",` +
				`"occurredAt":"2026-09-01T08:00:00Z","payload":{}}`
			r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/events", strings.NewReader(body))
			r.Header.Set(server.HeaderRouterSecret, "s")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)

			if w.Code != tt.status {
				t.Errorf("status = %d, want %d", w.Code, tt.status)
			}
			line := logs.String()
			if !strings.Contains(line, "level="+tt.wantLevel) || !strings.Contains(line, tt.wantMsg) {
				t.Errorf("log = %q, want level %s and message %q", line, tt.wantLevel, tt.wantMsg)
			}
			if tt.cancel && strings.Contains(line, "level=ERROR") {
				t.Errorf("log = %q, want no error for a request the sender ended", line)
			}
		})
	}
}
