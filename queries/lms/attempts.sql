-- CreateAttempt starts an attempt at a quiz.
-- name: CreateAttempt :one
INSERT INTO attempts (id, quiz_id, enrollment_id, started_at)
VALUES ($1, $2, $3, $4)
RETURNING *;

-- AttemptsByIDs returns the attempts among ids, in no particular order.
-- name: AttemptsByIDs :many
SELECT * FROM attempts WHERE id = ANY(@ids::uuid[]);

-- LockAttempt returns an attempt and locks it until the transaction ends, so that two
-- submissions of it are serialised.
-- name: LockAttempt :one
SELECT * FROM attempts WHERE id = $1 FOR UPDATE;

-- AttemptsOfEnrollment returns an enrollment's attempts, newest first.
-- name: AttemptsOfEnrollment :many
SELECT * FROM attempts WHERE enrollment_id = $1 ORDER BY started_at DESC, id;

-- AddAnswer records one graded answer of an attempt.
-- name: AddAnswer :exec
INSERT INTO answers (attempt_id, question_id, chosen_option, correct)
VALUES ($1, $2, $3, $4);

-- AnswersOfAttempt returns an attempt's answers.
-- name: AnswersOfAttempt :many
SELECT * FROM answers WHERE attempt_id = $1 ORDER BY question_id;

-- FinishAttempt stores the grade of an attempt that was not submitted yet.
-- name: FinishAttempt :execrows
UPDATE attempts
SET submitted_at = @submitted_at, correct = @correct, total = @total, score = @score
WHERE id = @id AND submitted_at IS NULL;
