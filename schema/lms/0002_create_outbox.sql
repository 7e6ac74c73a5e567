-- The transactional outbox: an event is written in the same transaction as the change it
-- reports, and a dispatcher delivers it to each subscriber module at least once.
CREATE TABLE outbox (
    id          uuid PRIMARY KEY,
    type        text NOT NULL,
    payload     jsonb NOT NULL,
    occurred_at timestamptz NOT NULL
);

-- One row per event and subscriber; delivered_at is set once the subscriber accepted it.
CREATE TABLE outbox_deliveries (
    event_id        uuid NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    subscriber      text NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    delivered_at    timestamptz,
    PRIMARY KEY (event_id, subscriber)
);

CREATE INDEX outbox_deliveries_pending ON outbox_deliveries (next_attempt_at)
    WHERE delivered_at IS NULL;
