-- BI learns only from events; it never reads another module's tables. Every event id it has
-- processed is kept, so a redelivered event changes nothing.
CREATE TABLE processed_events (
    id          uuid PRIMARY KEY,
    type        text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

-- One row per submitted attempt (from lms attempt.submitted events).
CREATE TABLE attempt_facts (
    event_id      uuid PRIMARY KEY REFERENCES processed_events (id) ON DELETE CASCADE,
    attempt_id    uuid NOT NULL UNIQUE,
    course_id     uuid NOT NULL,
    enrollment_id uuid NOT NULL,
    user_id       uuid NOT NULL,
    score         double precision NOT NULL CHECK (score BETWEEN 0 AND 1),
    passed        boolean NOT NULL,
    occurred_at   timestamptz NOT NULL
);

CREATE INDEX attempt_facts_course_id ON attempt_facts (course_id);
CREATE INDEX attempt_facts_enrollment_id ON attempt_facts (enrollment_id);

-- One row per answered question and topic of the question.
CREATE TABLE answer_facts (
    event_id      uuid NOT NULL REFERENCES processed_events (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    topic         text NOT NULL,
    enrollment_id uuid NOT NULL,
    course_id     uuid NOT NULL,
    question_id   uuid NOT NULL,
    difficulty    integer NOT NULL,
    correct       boolean NOT NULL,
    occurred_at   timestamptz NOT NULL,
    PRIMARY KEY (event_id, position, topic)
);

CREATE INDEX answer_facts_enrollment_topic ON answer_facts (enrollment_id, topic, occurred_at);
