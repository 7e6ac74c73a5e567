package graph_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/server"
	gt "ergo/subgraphs/lms/internal/gqltest"
)

// rowCounts returns the number of rows of every table of lms's schema, by table.
func rowCounts(t testing.TB, pool *pgxpool.Pool) map[string]int {
	t.Helper()
	rows, err := pool.Query(context.Background(),
		`SELECT table_name FROM information_schema.tables
		 WHERE table_schema = 'lms' AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, name := range tables {
		out[name] = gt.Count(t, pool, `"`+name+`"`)
	}
	return out
}

func TestEnrollWritesAllOrNothing(t *testing.T) {
	c, pool := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs"}, 1)
	enroll := `mutation($c: ID!, $u: ID!) { enroll(courseId: $c, userId: $u) { id } }`
	tests := []struct {
		name         string
		p            server.Principal
		course, user string
		code, field  string
	}{
		{"anonymous", server.Principal{}, co.ID, gt.Other.UserID, "UNAUTHENTICATED", ""},
		{"someone else", gt.Student, co.ID, gt.Other.UserID, "FORBIDDEN", ""},
		{"malformed course", gt.Admin, "CS101", gt.Other.UserID, "INVALID_ARGUMENT", "courseId"},
		{"malformed user", gt.Admin, co.ID, "42", "INVALID_ARGUMENT", "userId"},
		{"nil user", gt.Admin, co.ID, "00000000-0000-0000-0000-000000000000", "INVALID_ARGUMENT", "userId"},
		{"unknown course", gt.Admin, "00000000-0000-4000-8000-000000000001", gt.Other.UserID, "NOT_FOUND", "courseId"},
	}
	before := rowCounts(t, pool)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Do(t, tt.p, enroll, map[string]any{"c": tt.course, "u": tt.user})
			if r.Code() != tt.code {
				t.Fatalf("code = %q (%+v), want %s", r.Code(), r.Errors, tt.code)
			}
			if f, _ := r.Errors[0].Extensions["field"].(string); f != tt.field {
				t.Errorf("field = %q, want %q", f, tt.field)
			}
			if diff := cmp.Diff(before, rowCounts(t, pool)); diff != "" {
				t.Errorf("rows changed by a refused enroll (-before +after):\n%s", diff)
			}
		})
	}
}

func TestCreateCourseRefusesMalformedUnit(t *testing.T) {
	c, pool := start(t)
	course := `mutation($in: CreateCourseInput!) { createCourse(input: $in) { id } }`
	for _, unit := range []string{"physics", "", "00000000-0000-0000-0000-000000000000"} {
		t.Run(fmt.Sprintf("%q", unit), func(t *testing.T) {
			r := c.Do(t, gt.Teacher, course, map[string]any{"in": map[string]any{
				"orgUnitId": unit, "code": "CS101", "title": "Algorithms",
			}})
			if r.Code() != "INVALID_ARGUMENT" || r.Errors[0].Extensions["field"] != "orgUnitId" {
				t.Errorf("errors %+v, want INVALID_ARGUMENT on orgUnitId", r.Errors)
			}
			if n := gt.Count(t, pool, "courses"); n != 0 {
				t.Errorf("courses = %d after a refused create, want 0", n)
			}
		})
	}
}

// TestEntitiesReportFailuresPerEntity resolves a batch with an unknown and a malformed
// course among known ones: the two are null with an error at their own index, and the
// others resolve.
func TestEntitiesReportFailuresPerEntity(t *testing.T) {
	c, _ := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs"}, 1)
	query := `query($r: [_Any!]!) { _entities(representations: $r) { ... on Course { code } } }`
	r := c.Do(t, gt.Student, query, map[string]any{"r": []map[string]any{
		{"__typename": "Course", "id": co.ID},
		{"__typename": "Course", "id": "00000000-0000-4000-8000-000000000001"},
		{"__typename": "Course", "id": "cs101"},
		{"__typename": "Course", "id": co.ID},
	}})
	if want := `{"_entities":[{"code":"CS101"},null,null,{"code":"CS101"}]}`; string(r.Data) != want {
		t.Errorf("data = %s, want %s", r.Data, want)
	}
	got := map[string]string{}
	for _, err := range r.Errors {
		code, _ := err.Extensions["code"].(string)
		got[fmt.Sprint(err.Path)] = code
	}
	want := map[string]string{"[_entities 1]": "NOT_FOUND", "[_entities 2]": "INVALID_ARGUMENT"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("error codes by path (-want +got):\n%s", diff)
	}
}
