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

-- AttemptsOfEnrollments returns the attempts of the enrollments among enrollment_ids,
-- newest first.
-- name: AttemptsOfEnrollments :many
SELECT * FROM attempts
WHERE enrollment_id = ANY(@enrollment_ids::uuid[])
ORDER BY started_at DESC, id;

-- AddAnswer records one graded answer of an attempt.
-- name: AddAnswer :exec
INSERT INTO answers (attempt_id, question_id, chosen_option, correct)
VALUES ($1, $2, $3, $4);

-- AnswersOfAttempts returns the answers of the attempts among attempt_ids, by question.
-- name: AnswersOfAttempts :many
SELECT * FROM answers WHERE attempt_id = ANY(@attempt_ids::uuid[]) ORDER BY question_id;

-- FinishAttempt stores the grade of an attempt that was not submitted yet.
-- name: FinishAttempt :execrows
UPDATE attempts
SET submitted_at = @submitted_at, correct = @correct, total = @total, score = @score
WHERE id = @id AND submitted_at IS NULL;
