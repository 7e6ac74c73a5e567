-- CreateQuestion adds a question to a course's bank.
-- name: CreateQuestion :one
INSERT INTO questions (id, course_id, text, topics, difficulty, options, correct_option)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING *;

-- QuestionsByIDs returns the questions among ids, in no particular order.
-- name: QuestionsByIDs :many
SELECT * FROM questions WHERE id = ANY(@ids::uuid[]);

-- QuestionsOnTopics returns a course's questions sharing a topic with topics, ordered by id
-- so that a selection over them is deterministic.
-- name: QuestionsOnTopics :many
SELECT * FROM questions
WHERE course_id = @course_id AND topics && @topics::text[]
ORDER BY id;

-- CreateQuiz inserts a quiz; a quiz with the same id already stored is left as it is and
-- no row is returned.
-- name: CreateQuiz :execrows
INSERT INTO quizzes (id, course_id, title, kind, enrollment_id, topics, size)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (id) DO NOTHING;

-- AdoptRecommendedQuiz records the enrollment, weak topics and size of a recommended quiz
-- stored before lms recorded them; a quiz that has them already is left as it is.
-- name: AdoptRecommendedQuiz :exec
UPDATE quizzes SET enrollment_id = @enrollment_id, topics = @topics, size = @size
WHERE id = @id AND kind = 'recommended' AND enrollment_id IS NULL;

-- UnattemptedRecommendedQuiz returns the newest recommended quiz built for an enrollment
-- from the same weak topics (in order) and size that has no attempt yet.
-- name: UnattemptedRecommendedQuiz :one
SELECT * FROM quizzes q
WHERE q.enrollment_id = @enrollment_id AND q.topics = @topics::text[] AND q.size = @size
  AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.quiz_id = q.id)
ORDER BY q.created_at DESC, q.id
LIMIT 1;

-- AddQuizQuestion puts a question at a position of a quiz.
-- name: AddQuizQuestion :exec
INSERT INTO quiz_questions (quiz_id, question_id, position)
VALUES ($1, $2, $3);

-- QuizzesByIDs returns the quizzes among ids, in no particular order.
-- name: QuizzesByIDs :many
SELECT * FROM quizzes WHERE id = ANY(@ids::uuid[]);

-- QuizzesOfCourses returns the quizzes teachers made for the courses among course_ids,
-- oldest first; quizzes recommended to one learner are left out.
-- name: QuizzesOfCourses :many
SELECT * FROM quizzes
WHERE course_id = ANY(@course_ids::uuid[]) AND kind = 'manual'
ORDER BY created_at, id;

-- QuestionsOfQuizzes returns the questions of the quizzes among quiz_ids, each quiz's in
-- quiz order.
-- name: QuestionsOfQuizzes :many
SELECT qq.quiz_id, sqlc.embed(q)
FROM quiz_questions qq
JOIN questions q ON q.id = qq.question_id
WHERE qq.quiz_id = ANY(@quiz_ids::uuid[])
ORDER BY qq.quiz_id, qq.position;

-- QuizQuestions returns a quiz's questions in quiz order.
-- name: QuizQuestions :many
SELECT q.*
FROM quiz_questions qq
JOIN questions q ON q.id = qq.question_id
WHERE qq.quiz_id = $1
ORDER BY qq.position;
