-- A recommended quiz belongs to the enrollment it was built for: only that learner (and
-- teachers and admins) reads it, and only that enrollment attempts it. The weak topics and
-- the size it was asked with let a later read reuse it while it is unattempted instead of
-- storing another. Manual quizzes have none of the three. Recommended quizzes stored before
-- this migration did not record their enrollment; they keep none and are left to teachers
-- and admins.
ALTER TABLE quizzes
    ADD COLUMN enrollment_id uuid REFERENCES enrollments (id) ON DELETE CASCADE,
    ADD COLUMN topics text[],
    ADD COLUMN size integer,
    ADD CHECK (kind = 'recommended' OR (enrollment_id IS NULL AND topics IS NULL AND size IS NULL));

CREATE INDEX quizzes_enrollment_id ON quizzes (enrollment_id) WHERE enrollment_id IS NOT NULL;
