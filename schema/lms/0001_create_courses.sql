-- Courses belong to an organisation unit of the org module (no foreign key: modules share no
-- tables).
CREATE TABLE courses (
    id          uuid PRIMARY KEY,
    org_unit_id uuid NOT NULL,
    code        text NOT NULL CHECK (code <> ''),
    title       text NOT NULL CHECK (title <> ''),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (code)
);

CREATE INDEX courses_org_unit_id ON courses (org_unit_id);

-- A user (identity's id) enrolled in a course.
CREATE TABLE enrollments (
    id         uuid PRIMARY KEY,
    course_id  uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (course_id, user_id)
);

CREATE INDEX enrollments_user_id ON enrollments (user_id);

-- The question bank of a course: single-choice questions tagged with topics.
CREATE TABLE questions (
    id             uuid PRIMARY KEY,
    course_id      uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    text           text NOT NULL CHECK (text <> ''),
    topics         text[] NOT NULL CHECK (cardinality(topics) > 0),
    difficulty     integer NOT NULL CHECK (difficulty BETWEEN 1 AND 5),
    options        text[] NOT NULL CHECK (cardinality(options) >= 2),
    correct_option integer NOT NULL CHECK (correct_option >= 0 AND correct_option < cardinality(options)),
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX questions_course_id ON questions (course_id);
CREATE INDEX questions_topics ON questions USING gin (topics);

-- A quiz is an ordered set of questions of one course. Recommended quizzes are built from
-- analytics and have a deterministic id, so building the same one twice stores it once.
CREATE TABLE quizzes (
    id         uuid PRIMARY KEY,
    course_id  uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title      text NOT NULL CHECK (title <> ''),
    kind       text NOT NULL CHECK (kind IN ('manual', 'recommended')),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX quizzes_course_id ON quizzes (course_id);

CREATE TABLE quiz_questions (
    quiz_id     uuid NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    question_id uuid NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    position    integer NOT NULL CHECK (position >= 0),
    PRIMARY KEY (quiz_id, question_id),
    UNIQUE (quiz_id, position)
);

-- An attempt of an enrolled user at a quiz; submitted_at and the score are set once, when it
-- is submitted and graded.
CREATE TABLE attempts (
    id            uuid PRIMARY KEY,
    quiz_id       uuid NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    enrollment_id uuid NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    started_at    timestamptz NOT NULL,
    submitted_at  timestamptz,
    correct       integer,
    total         integer,
    score         double precision CHECK (score BETWEEN 0 AND 1),
    CHECK ((submitted_at IS NULL) = (score IS NULL))
);

CREATE INDEX attempts_enrollment_id ON attempts (enrollment_id);
CREATE INDEX attempts_quiz_id ON attempts (quiz_id);

CREATE TABLE answers (
    attempt_id    uuid NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    question_id   uuid NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    chosen_option integer NOT NULL,
    correct       boolean NOT NULL,
    PRIMARY KEY (attempt_id, question_id)
);
