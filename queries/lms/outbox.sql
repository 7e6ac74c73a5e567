-- AddEvent writes an event to the outbox.
-- name: AddEvent :exec
INSERT INTO outbox (id, type, payload, occurred_at)
VALUES ($1, $2, $3, $4);

-- AddDelivery schedules an event's delivery to one subscriber module.
-- name: AddDelivery :exec
INSERT INTO outbox_deliveries (event_id, subscriber, next_attempt_at)
VALUES ($1, $2, $3);

-- DueDeliveries claims up to limit undelivered deliveries whose time has come, oldest first,
-- locking them (and skipping ones another dispatcher holds) until the transaction ends.
-- name: DueDeliveries :many
SELECT d.event_id, d.subscriber, d.attempts, o.type, o.payload, o.occurred_at
FROM outbox_deliveries d
JOIN outbox o ON o.id = d.event_id
WHERE d.delivered_at IS NULL AND d.next_attempt_at <= @now
ORDER BY d.next_attempt_at, o.occurred_at, d.event_id
LIMIT @max_rows
FOR UPDATE OF d SKIP LOCKED;

-- MarkDelivered records that a subscriber accepted an event.
-- name: MarkDelivered :exec
UPDATE outbox_deliveries
SET delivered_at = @delivered_at, attempts = attempts + 1, last_error = NULL
WHERE event_id = @event_id AND subscriber = @subscriber;

-- MarkFailed records a failed delivery and when to try again.
-- name: MarkFailed :exec
UPDATE outbox_deliveries
SET attempts = attempts + 1, next_attempt_at = @next_attempt_at, last_error = @last_error
WHERE event_id = @event_id AND subscriber = @subscriber;

-- PendingDeliveries counts deliveries not yet accepted by their subscriber.
-- name: PendingDeliveries :one
SELECT count(*) FROM outbox_deliveries WHERE delivered_at IS NULL;

-- ParkDelivery stops retrying a delivery the subscriber refused for good; it stays pending
-- (delivered_at NULL) with the reason, for a person to look at.
-- name: ParkDelivery :exec
UPDATE outbox_deliveries
SET attempts = attempts + 1, next_attempt_at = 'infinity', last_error = @last_error
WHERE event_id = @event_id AND subscriber = @subscriber;
