-- The teachers of each course, from lms course.teachers.changed events. Each event carries
-- the whole list; the row keeps the list of the latest event (by its occurred_at), whatever
-- order the events arrive in. bi shows a course's analytics to these teachers (and admins).
CREATE TABLE course_teachers (
    course_id   uuid PRIMARY KEY,
    teacher_ids uuid[] NOT NULL,
    as_of       timestamptz NOT NULL
);
