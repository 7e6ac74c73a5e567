// Package events is bi's HTTP endpoint for events: POST /events with an event envelope
// {id, type, occurredAt, payload}. Deliveries come from other modules' outbox dispatchers,
// at least once, so the endpoint is idempotent.
package events

import (
	"context"
	"io"
	"log/slog"
	"net/http"

	"ergo/platform/server"
	"ergo/subgraphs/bi"
)

// maxBody caps one event; an attempt with a thousand answers stays far below it.
const maxBody = 1 << 20

// Ingester applies events; *bi.Service is one.
type Ingester interface {
	Ingest(ctx context.Context, ev bi.Event) (bool, error)
}

// Handler accepts events: 204 when applied or already applied before, 400 for a malformed
// event (retrying cannot help), 500 when it could not be stored (the sender retries), 503
// when the request ended before the event was stored. Only
// callers with the shared secret get through (server.FromRouter).
func Handler(svc Ingester, secret string, log *slog.Logger) http.Handler {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "POST an event", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "event too large or unreadable", http.StatusBadRequest)
			return
		}
		ev, err := bi.ParseEvent(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fresh, err := svc.Ingest(r.Context(), ev)
		if err != nil {
			notStored(w, r, log, ev, err)
			return
		}
		log.Debug("event received", "event_id", ev.ID, "type", ev.Type, "duplicate", !fresh)
		w.WriteHeader(http.StatusNoContent)
	})
	return server.FromRouter(secret, h)
}

// notStored answers a delivery whose event could not be stored. A request that ended before
// the event was stored (the sender gave up or went away) is the sender's choice, not a
// failure of bi: it is logged at debug and answered 503, which nobody may read anymore.
func notStored(w http.ResponseWriter, r *http.Request, log *slog.Logger, ev bi.Event, err error) {
	if r.Context().Err() != nil {
		log.Debug("event delivery ended before storing", "event_id", ev.ID, "type", ev.Type, "err", err)
		http.Error(w, "request ended before the event was stored", http.StatusServiceUnavailable)
		return
	}
	log.Error("event not stored", "event_id", ev.ID, "type", ev.Type, "err", err)
	http.Error(w, "event not stored; retry later", http.StatusInternalServerError)
}
