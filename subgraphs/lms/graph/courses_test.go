package graph_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgconn"

	"ergo/platform/postgres"
	"ergo/platform/postgres/pgtest"
	"ergo/platform/server"
	schema "ergo/schema/lms"
	gt "ergo/subgraphs/lms/internal/gqltest"
)

func TestEnrollTwiceKeepsOneEnrollment(t *testing.T) {
	c, pool := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs"}, 1)
	var d struct{ Enroll struct{ ID string } }
	c.Do(t, gt.Student, `mutation($c: ID!, $u: ID!) { enroll(courseId: $c, userId: $u) { id } }`,
		map[string]any{"c": co.ID, "u": gt.Student.UserID}).Decode(t, &d)
	if d.Enroll.ID != co.EnrollmentID || gt.Count(t, pool, "enrollments") != 1 {
		t.Errorf("second enroll gave %s (%d rows), want the first enrollment %s",
			d.Enroll.ID, gt.Count(t, pool, "enrollments"), co.EnrollmentID)
	}
	r := c.Do(t, gt.Other, `mutation($c: ID!, $u: ID!) { enroll(courseId: $c, userId: $u) { id } }`,
		map[string]any{"c": co.ID, "u": gt.Student.UserID})
	if r.Code() != "FORBIDDEN" {
		t.Errorf("enrolling someone else: code %q, want FORBIDDEN", r.Code())
	}
}

func TestAddQuestionRefusesBadInput(t *testing.T) {
	c, pool := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs"}, 1)
	with := func(k string, v any) map[string]any {
		in := map[string]any{
			"courseId": co.ID, "text": "Why?", "topics": []string{"graphs"},
			"difficulty": 3, "options": []string{"a", "b"}, "correctOption": 0,
		}
		in[k] = v
		return in
	}
	tests := []struct {
		name      string
		principal server.Principal
		input     map[string]any
		code      string
		field     string
	}{
		{"student", gt.Student, with("text", "Why?"), "FORBIDDEN", ""},
		{"difficulty 0", gt.Teacher, with("difficulty", 0), "INVALID_ARGUMENT", "difficulty"},
		{"difficulty 6", gt.Teacher, with("difficulty", 6), "INVALID_ARGUMENT", "difficulty"},
		{"one option", gt.Teacher, with("options", []string{"a"}), "INVALID_ARGUMENT", "options"},
		{"answer out of range", gt.Teacher, with("correctOption", 2), "INVALID_ARGUMENT", "correctOption"},
		{"no topics", gt.Teacher, with("topics", []string{}), "INVALID_ARGUMENT", "topics"},
		{"blank topic", gt.Teacher, with("topics", []string{" "}), "INVALID_ARGUMENT", "topics"},
		{"blank text", gt.Teacher, with("text", "  "), "INVALID_ARGUMENT", "text"},
		{
			"unknown course",
			gt.Teacher,
			with("courseId", "00000000-0000-4000-8000-000000000001"),
			"NOT_FOUND",
			"courseId",
		},
		{"malformed course", gt.Teacher, with("courseId", "cs101"), "INVALID_ARGUMENT", "courseId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Do(t, tt.principal, `mutation($in: AddQuestionInput!) { addQuestion(input: $in) { id } }`,
				map[string]any{"in": tt.input})
			if r.Code() != tt.code {
				t.Fatalf("code = %q (%+v), want %s", r.Code(), r.Errors, tt.code)
			}
			if f, _ := r.Errors[0].Extensions["field"].(string); f != tt.field {
				t.Errorf("field = %q, want %q", f, tt.field)
			}
			if n := gt.Count(t, pool, "questions"); n != 1 {
				t.Errorf("questions = %d after a refused add, want 1", n)
			}
		})
	}
}

func TestCreateCourseAndQuizRefuseBadInput(t *testing.T) {
	c, pool := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs"}, 2)
	other := gt.NewCourse(t, c, "CS102", []string{"sorting"}, 1)
	course := `mutation($in: CreateCourseInput!) { createCourse(input: $in) { id } }`
	quiz := `mutation($in: CreateQuizInput!) { createQuiz(input: $in) { id } }`
	tests := []struct {
		name   string
		query  string
		input  map[string]any
		code   string
		table  string
		before int
	}{
		{
			"taken code",
			course,
			map[string]any{"orgUnitId": co.ID, "code": "CS101", "title": "Again"},
			"CONFLICT",
			"courses",
			2,
		},
		{
			"blank title",
			course,
			map[string]any{"orgUnitId": co.ID, "code": "CS103", "title": " "},
			"INVALID_ARGUMENT",
			"courses",
			2,
		},
		{"quiz with a question of another course", quiz, map[string]any{
			"courseId": co.ID, "title": "Q",
			"questionIds": []string{co.Order[0], other.Order[0]},
		}, "INVALID_ARGUMENT", "quizzes", 2},
		{"quiz repeating a question", quiz, map[string]any{
			"courseId": co.ID, "title": "Q",
			"questionIds": []string{co.Order[0], co.Order[0]},
		}, "INVALID_ARGUMENT", "quizzes", 2},
		{
			"empty quiz", quiz,
			map[string]any{"courseId": co.ID, "title": "Q", "questionIds": []string{}},
			"INVALID_ARGUMENT", "quizzes", 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Do(t, gt.Teacher, tt.query, map[string]any{"in": tt.input})
			if r.Code() != tt.code {
				t.Fatalf("code = %q (%+v), want %s", r.Code(), r.Errors, tt.code)
			}
			if n := gt.Count(t, pool, tt.table); n != tt.before {
				t.Errorf("%s = %d after a refused create, want %d", tt.table, n, tt.before)
			}
		})
	}
}

func TestCourseCodes(t *testing.T) {
	c, pool := start(t)
	unit := "7d0e3f1a-0000-4000-8000-00000000aaaa"
	create := `mutation($in: CreateCourseInput!) { createCourse(input: $in) { code } }`
	if r := c.Do(t, gt.Teacher, create, map[string]any{"in": map[string]any{
		"orgUnitId": unit, "code": "MAT300", "title": "Analysis",
	}}); r.Code() != "" {
		t.Fatalf("create MAT300: %+v", r.Errors)
	}
	tests := []struct {
		name, code string
		want       string // the stored code, or the error code
	}{
		{"upper-cased", " cs-201 ", "CS-201"},
		{"shortest", "ab", "AB"},
		{"longest", strings.Repeat("A", 20), strings.Repeat("A", 20)},
		{"taken in another case", "mat300", "CONFLICT"},
		{"space and line break", "A B\nC", "INVALID_ARGUMENT"},
		{"one character", "A", "INVALID_ARGUMENT"},
		{"too long", strings.Repeat("A", 21), "INVALID_ARGUMENT"},
		{"leading dash", "-AB", "INVALID_ARGUMENT"},
		{"trailing dash", "AB-", "INVALID_ARGUMENT"},
		{"underscore", "CS_101", "INVALID_ARGUMENT"},
		{"non-ASCII letter", "ÄB12", "INVALID_ARGUMENT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := gt.Count(t, pool, "courses")
			r := c.Do(t, gt.Teacher, create, map[string]any{"in": map[string]any{
				"orgUnitId": unit, "code": tt.code, "title": "A course",
			}})
			if r.Code() == "" {
				var d struct{ CreateCourse struct{ Code string } }
				r.Decode(t, &d)
				if d.CreateCourse.Code != tt.want {
					t.Errorf("code = %q, want %q", d.CreateCourse.Code, tt.want)
				}
				return
			}
			if r.Code() != tt.want {
				t.Fatalf("error code = %q (%+v), want %s", r.Code(), r.Errors, tt.want)
			}
			if f, _ := r.Errors[0].Extensions["field"].(string); f != "code" {
				t.Errorf("field = %q, want code", f)
			}
			if n := gt.Count(t, pool, "courses"); n != before {
				t.Errorf("courses = %d after a refused create, want %d", n, before)
			}
		})
	}
}

func TestCodeMigrationUpperCasesOldCodes(t *testing.T) {
	// Codes written before lms upper-cased them: migrating upper-cases them and keeps them
	// unique whatever their case.
	ctx := context.Background()
	pool := pgtest.Pool(t, "lms")
	before := fstest.MapFS{}
	first := []string{
		"0001_create_courses.sql", "0002_create_outbox.sql", "0003_recommended_quiz_learner.sql",
	}
	for _, name := range first {
		body, err := fs.ReadFile(schema.Migrations, name)
		if err != nil {
			t.Fatal(err)
		}
		before[name] = &fstest.MapFile{Data: body}
	}
	if _, err := postgres.Migrate(ctx, pool, "lms", before); err != nil {
		t.Fatal(err)
	}
	insert := `INSERT INTO courses (id, org_unit_id, code, title)
	  VALUES (gen_random_uuid(), gen_random_uuid(), $1, 'T')`
	if _, err := pool.Exec(ctx, insert, "phy100"); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Migrate(ctx, pool, "lms", schema.Migrations); err != nil {
		t.Fatal(err)
	}

	var code string
	if err := pool.QueryRow(ctx, `SELECT code FROM courses`).Scan(&code); err != nil || code != "PHY100" {
		t.Errorf("code = %q (%v), want PHY100", code, err)
	}
	_, err := pool.Exec(ctx, insert, "Phy100")
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		t.Errorf("insert Phy100: err = %v, want a unique violation", err)
	}
}
