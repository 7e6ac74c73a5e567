-- CourseStats summarises a course's submitted attempts: how many, mean and median score,
-- and the share that passed. With no attempts the mean, median and pass rate are 0.
-- name: CourseStats :one
SELECT count(*)::int AS attempts,
       coalesce(avg(score), 0)::float8 AS mean_score,
       coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY score), 0)::float8 AS median_score,
       coalesce(avg(passed::int), 0)::float8 AS pass_rate
FROM attempt_facts
WHERE course_id = $1;

-- Mastery estimates, per topic an enrollment answered, an exponentially weighted mean of
-- correctness: with alpha = @alpha, the k-th most recent answer (k = 0 for the latest) weighs
-- alpha * (1 - alpha)^k, and the prior @prior keeps the remaining weight (1 - alpha)^n.
-- Ties in time are broken by event id and position, so the estimate is deterministic.
-- name: Mastery :many
WITH ranked AS (
    SELECT topic, correct,
           row_number() OVER (PARTITION BY topic
                              ORDER BY occurred_at DESC, event_id DESC, position DESC) - 1 AS k
    FROM answer_facts
    WHERE enrollment_id = @enrollment_id
)
SELECT topic,
       count(*)::int AS answers,
       (sum(sqlc.arg(alpha)::float8 * power(1 - sqlc.arg(alpha)::float8, k) * correct::int)
        + power(1 - sqlc.arg(alpha)::float8, count(*)) * sqlc.arg(prior)::float8)::float8 AS mastery
FROM ranked
GROUP BY topic
ORDER BY topic;

-- AtRisk returns a course's enrollments whose mean score is below @threshold, weakest first,
-- with their mean score and number of attempts.
-- name: AtRisk :many
SELECT enrollment_id, user_id, avg(score)::float8 AS mean_score, count(*)::int AS attempts
FROM attempt_facts
WHERE course_id = @course_id
GROUP BY enrollment_id, user_id
HAVING avg(score) < @threshold::float8
ORDER BY mean_score, enrollment_id
LIMIT @max_rows;

-- EnrollmentUser returns the user and course of an enrollment, when BI has seen attempts of
-- it.
-- name: EnrollmentUser :many
SELECT DISTINCT user_id, course_id FROM attempt_facts WHERE enrollment_id = $1;

-- CourseTeachers returns the teachers of a course as the latest course.teachers.changed
-- event gave them; none before any such event.
-- name: CourseTeachers :one
SELECT teacher_ids FROM course_teachers WHERE course_id = $1;
