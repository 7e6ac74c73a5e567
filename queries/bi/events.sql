-- MarkProcessed records an event id; it returns no row when the event was processed before.
-- name: MarkProcessed :execrows
INSERT INTO processed_events (id, type)
VALUES ($1, $2)
ON CONFLICT (id) DO NOTHING;

-- AddAttemptFact records a submitted attempt.
-- name: AddAttemptFact :exec
INSERT INTO attempt_facts (event_id, attempt_id, course_id, enrollment_id, user_id, score,
                           passed, occurred_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8);

-- AddAnswerFact records one answered question under one of its topics.
-- name: AddAnswerFact :exec
INSERT INTO answer_facts (event_id, position, topic, enrollment_id, course_id, question_id,
                          difficulty, correct, occurred_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);

-- CountAttemptFacts returns how many attempts BI knows of.
-- name: CountAttemptFacts :one
SELECT count(*) FROM attempt_facts;

-- SetCourseTeachers stores a course's teachers as of an event, unless a later event's list
-- is stored already.
-- name: SetCourseTeachers :exec
INSERT INTO course_teachers (course_id, teacher_ids, as_of)
VALUES ($1, $2, $3)
ON CONFLICT (course_id) DO UPDATE
SET teacher_ids = EXCLUDED.teacher_ids, as_of = EXCLUDED.as_of
WHERE course_teachers.as_of <= EXCLUDED.as_of;
