-- CreateCourse inserts a course owned by an org unit; a code taken in any case violates a
-- unique constraint (courses_code_key or courses_code_upper_key).
-- name: CreateCourse :one
INSERT INTO courses (id, org_unit_id, code, title)
VALUES ($1, $2, $3, $4)
RETURNING *;

-- CoursesByIDs returns the courses among ids, in no particular order.
-- name: CoursesByIDs :many
SELECT * FROM courses WHERE id = ANY(@ids::uuid[]);

-- CoursesOfUnits returns the courses the org units among unit_ids own, by code.
-- name: CoursesOfUnits :many
SELECT * FROM courses WHERE org_unit_id = ANY(@unit_ids::uuid[]) ORDER BY code;

-- LockCourse returns a course's id and keeps the course from being deleted until the
-- transaction ends, so that what is written for it cannot be left without it.
-- name: LockCourse :one
SELECT id FROM courses WHERE id = $1 FOR SHARE;

-- Enroll enrolls a user in a course; enrolling twice returns the existing enrollment.
-- name: Enroll :one
INSERT INTO enrollments (id, course_id, user_id)
VALUES ($1, $2, $3)
ON CONFLICT (course_id, user_id) DO UPDATE SET course_id = EXCLUDED.course_id
RETURNING *;

-- EnrollmentsByIDs returns the enrollments among ids, in no particular order.
-- name: EnrollmentsByIDs :many
SELECT * FROM enrollments WHERE id = ANY(@ids::uuid[]);

-- EnrollmentsOfUsers returns the enrollments of the users among user_ids, oldest first.
-- name: EnrollmentsOfUsers :many
SELECT * FROM enrollments WHERE user_id = ANY(@user_ids::uuid[]) ORDER BY created_at, id;

-- EnrollmentsOfCourses returns the enrollments of the courses among course_ids, oldest first.
-- name: EnrollmentsOfCourses :many
SELECT * FROM enrollments WHERE course_id = ANY(@course_ids::uuid[]) ORDER BY created_at, id;

-- CountCourses returns how many courses exist; demo data loads only into empty tables.
-- name: CountCourses :one
SELECT count(*) FROM courses;

-- AddCourseTeacher makes a user a teacher of a course; adding a teacher twice changes nothing.
-- name: AddCourseTeacher :exec
INSERT INTO course_teachers (course_id, user_id)
VALUES ($1, $2)
ON CONFLICT DO NOTHING;

-- RemoveCourseTeacher removes a user from a course's teachers, if they are one.
-- name: RemoveCourseTeacher :exec
DELETE FROM course_teachers WHERE course_id = $1 AND user_id = $2;

-- TeachersOfCourses returns the teachers of the courses among course_ids, by user id.
-- name: TeachersOfCourses :many
SELECT * FROM course_teachers WHERE course_id = ANY(@course_ids::uuid[]) ORDER BY course_id, user_id;

-- LockCourseStaff returns a course's id and keeps other transactions from changing its
-- teachers until this one ends, so that the teacher list it publishes is the one it leaves.
-- name: LockCourseStaff :one
SELECT id FROM courses WHERE id = $1 FOR NO KEY UPDATE;
