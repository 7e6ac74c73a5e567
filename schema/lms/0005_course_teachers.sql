-- The teachers of each course (identity's user ids; no foreign key: modules share no
-- tables). A teacher manages only the courses listed here and reads only their learners'
-- data; admins manage every course.
CREATE TABLE course_teachers (
    course_id uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id   uuid NOT NULL,
    PRIMARY KEY (course_id, user_id)
);

CREATE INDEX course_teachers_user_id ON course_teachers (user_id);
