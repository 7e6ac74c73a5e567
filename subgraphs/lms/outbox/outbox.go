// Package outbox delivers the events lms writes to its transactional outbox to the subscriber
// modules, at least once: each pending delivery is posted to {module base URL}/events until
// the subscriber answers 2xx, with exponential backoff between failed tries. Subscribers must
// therefore be idempotent (they keep the ids of processed events). A delivery the subscriber
// refuses as malformed (400, 422) is parked: it stays pending with the reason in last_error
// and is not retried.
package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/server"
	"ergo/subgraphs/lms"
	"ergo/subgraphs/lms/postgres"
)

// Clock is the dispatcher's time source; tests pass a fake one.
type Clock interface {
	Now() time.Time
	// After delivers once d has passed.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// After is time.After.
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Dispatcher delivers pending outbox events.
type Dispatcher struct {
	Pool *pgxpool.Pool
	// URLs maps a module name to its base URL (no /query), as in ERGO_MODULE_URLS.
	URLs map[string]string
	// Secret is sent as X-Ergo-Router-Secret so subscribers accept the delivery.
	Secret string
	Client *http.Client
	Clock  Clock
	Log    *slog.Logger
	// Batch is how many deliveries one round claims.
	Batch int
	// Poll is the pause between rounds when nothing was due.
	Poll time.Duration
	// MinBackoff doubles after each failed try of a delivery, up to MaxBackoff.
	MinBackoff, MaxBackoff time.Duration
}

// New returns a Dispatcher with the usual settings: batches of 100, a poll every second, and
// backoff from 1s doubling up to 5 minutes.
func New(pool *pgxpool.Pool, urls map[string]string, secret string, log *slog.Logger) *Dispatcher {
	return &Dispatcher{
		Pool: pool, URLs: urls, Secret: secret,
		Client: &http.Client{Timeout: 10 * time.Second}, Clock: SystemClock{}, Log: log,
		Batch: 100, Poll: time.Second, MinBackoff: time.Second, MaxBackoff: 5 * time.Minute,
	}
}

// Run delivers events until ctx ends. A failing round is logged and retried after Poll.
func (d *Dispatcher) Run(ctx context.Context) {
	for {
		n, err := d.Dispatch(ctx)
		if err != nil && ctx.Err() == nil {
			d.Log.Error("outbox round failed", "err", err)
		}
		if n == d.Batch && err == nil {
			continue // more may be due right away
		}
		select {
		case <-ctx.Done():
			return
		case <-d.Clock.After(d.Poll):
		}
	}
}

// Dispatch runs one round: it claims up to Batch due deliveries, posts each, and records the
// outcome. It returns how many deliveries it tried.
func (d *Dispatcher) Dispatch(ctx context.Context) (int, error) {
	tried := 0
	err := pgx.BeginFunc(ctx, d.Pool, func(tx pgx.Tx) error {
		q := postgres.New(tx)
		due, err := q.DueDeliveries(ctx, postgres.DueDeliveriesParams{
			Now:     d.Clock.Now(),
			MaxRows: int32(d.Batch),
		})
		if err != nil {
			return fmt.Errorf("claim deliveries: %w", err)
		}
		// A subscriber that failed once is skipped for the rest of the round, so a slow or
		// down module costs one timeout per round, not one per event.
		down := map[string]bool{}
		for _, row := range due {
			if down[row.Subscriber] {
				continue
			}
			ok, err := d.deliverOne(ctx, q, row)
			if err != nil {
				return err
			}
			down[row.Subscriber] = !ok
			tried++
		}
		return nil
	})
	return tried, err
}

// deliverOne posts one delivery and records the outcome; it reports whether the subscriber
// answered (accepted or refused the event) rather than failing.
func (d *Dispatcher) deliverOne(ctx context.Context, q *postgres.Queries,
	row postgres.DueDeliveriesRow,
) (bool, error) {
	ev := lms.Event{ID: row.EventID, Type: row.Type, OccurredAt: row.OccurredAt, Payload: row.Payload}
	postErr := d.post(ctx, row.Subscriber, ev)
	var refused *RefusedError
	switch {
	case postErr == nil:
		err := q.MarkDelivered(ctx, postgres.MarkDeliveredParams{
			DeliveredAt: ptr(d.Clock.Now()), EventID: row.EventID, Subscriber: row.Subscriber,
		})
		return true, wrap("mark delivered", err)
	case errors.As(postErr, &refused):
		d.Log.Error("event refused by subscriber; delivery parked", "event_id", row.EventID,
			"subscriber", row.Subscriber, "err", postErr)
		err := q.ParkDelivery(ctx, postgres.ParkDeliveryParams{
			LastError: ptr(postErr.Error()), EventID: row.EventID, Subscriber: row.Subscriber,
		})
		return true, wrap("park delivery", err)
	}
	return false, d.retryLater(ctx, q, row, postErr)
}

// retryLater records a failed try and schedules the next one after the backoff.
func (d *Dispatcher) retryLater(ctx context.Context, q *postgres.Queries,
	row postgres.DueDeliveriesRow, postErr error,
) error {
	wait := Backoff(int(row.Attempts), d.MinBackoff, d.MaxBackoff)
	d.Log.Warn("event delivery failed", "event_id", row.EventID, "subscriber", row.Subscriber,
		"attempt", row.Attempts+1, "retry_in", wait, "err", postErr)
	err := q.MarkFailed(ctx, postgres.MarkFailedParams{
		NextAttemptAt: d.Clock.Now().Add(wait),
		LastError:     ptr(postErr.Error()), EventID: row.EventID, Subscriber: row.Subscriber,
	})
	return wrap("mark failed", err)
}

// RefusedError is a subscriber's answer that the event itself is wrong (400 or 422):
// sending it again cannot help, so the delivery is parked instead of retried.
type RefusedError struct {
	Subscriber string
	Status     string
}

// Error names the subscriber and its answer.
func (e *RefusedError) Error() string {
	return fmt.Sprintf("%s refused the event: %s", e.Subscriber, e.Status)
}

func wrap(what string, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// post sends ev to the subscriber's /events endpoint; any answer but 2xx is an error.
func (d *Dispatcher) post(ctx context.Context, subscriber string, ev lms.Event) error {
	base, ok := d.URLs[subscriber]
	if !ok {
		return fmt.Errorf("no URL for module %s in ERGO_MODULE_URLS", subscriber)
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		strings.TrimSuffix(base, "/")+"/events", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(server.HeaderRouterSecret, d.Secret)

	res, err := d.Client.Do(req)
	if err != nil {
		return fmt.Errorf("post event: %w", err)
	}
	defer func() { _ = res.Body.Close() }()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16))
	switch {
	case res.StatusCode == http.StatusBadRequest || res.StatusCode == http.StatusUnprocessableEntity:
		return &RefusedError{Subscriber: subscriber, Status: res.Status}
	case res.StatusCode/100 != 2:
		return fmt.Errorf("post event: %s answered %s", subscriber, res.Status)
	}
	return nil
}

// Backoff is the wait after the attempts-th failed try (0 for the first): min doubled per
// earlier failure, capped at max.
func Backoff(attempts int, min, max time.Duration) time.Duration {
	wait := min
	for i := 0; i < attempts && wait < max; i++ {
		wait *= 2
	}
	if wait > max {
		return max
	}
	return wait
}

func ptr[T any](v T) *T { return &v }
