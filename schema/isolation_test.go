package schema_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// modules are the modules whose migrations live here; each owns the PostgreSQL schema of
// its name.
var modules = []string{"identity", "org", "lms", "bi"}

var (
	createTable = regexp.MustCompile(`(?i)\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_.]*)`)
	tableRef    = regexp.MustCompile(`(?i)\b(?:FROM|JOIN|INTO|UPDATE)\s+([a-z_][a-z0-9_.]*)`)
	cteName     = regexp.MustCompile(`(?i)(?:\bWITH\s+(?:RECURSIVE\s+)?|,\s*)([a-z_][a-z0-9_]*)\s+AS\s*\(`)
	qualified   = regexp.MustCompile(`(?i)\b([a-z_][a-z0-9_]*)\s*\.\s*[a-z_][a-z0-9_]*`)
	comment     = regexp.MustCompile(`--[^\n]*`)
)

// TestQueriesStayInTheirSchema fails when a module's queries name a table its own migrations
// do not create, or qualify a name with another module's schema: modules share no tables and
// talk only through GraphQL and events.
func TestQueriesStayInTheirSchema(t *testing.T) {
	for _, m := range modules {
		t.Run(m, func(t *testing.T) {
			own := tables(t, m)
			files, _ := filepath.Glob(filepath.Join("..", "queries", m, "*.sql"))
			if len(files) == 0 {
				t.Fatalf("no queries in queries/%s", m)
			}
			for _, f := range files {
				for _, problem := range check(t, f, m, own) {
					t.Error(problem)
				}
			}
		})
	}
}

// TestQueriesAreDocumented fails when a query has no comment line right above its
// "-- name:" line; sqlc turns that comment into the generated method's doc comment.
func TestQueriesAreDocumented(t *testing.T) {
	for _, m := range modules {
		files, _ := filepath.Glob(filepath.Join("..", "queries", m, "*.sql"))
		for _, f := range files {
			lines := strings.Split(read(t, f), "\n")
			for i, line := range lines {
				if !strings.HasPrefix(line, "-- name:") {
					continue
				}
				if i == 0 || !strings.HasPrefix(lines[i-1], "--") {
					t.Errorf("%s:%d: query has no comment above its -- name: line", f, i+1)
				}
			}
		}
	}
}

// tables returns the tables that module's migrations create.
func tables(t testing.TB, module string) map[string]bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(module, "*.sql"))
	out := map[string]bool{}
	for _, f := range files {
		for _, m := range createTable.FindAllStringSubmatch(read(t, f), -1) {
			if strings.Contains(m[1], ".") {
				t.Errorf("%s: table %s is schema-qualified; migrations run in the module's schema", f, m[1])
			}
			out[strings.ToLower(m[1])] = true
		}
	}
	return out
}

// check returns one message per foreign reference in the query file.
func check(t testing.TB, file, module string, own map[string]bool) []string {
	t.Helper()
	var problems []string
	for i, query := range strings.Split(read(t, file), "-- name:") {
		if i > 0 {
			_, query, _ = strings.Cut(query, "\n") // the rest of the -- name: line
		}
		sql := comment.ReplaceAllString(query, "")
		ctes := map[string]bool{}
		for _, m := range cteName.FindAllStringSubmatch(sql, -1) {
			ctes[strings.ToLower(m[1])] = true
		}
		for _, m := range qualified.FindAllStringSubmatch(sql, -1) {
			if other := strings.ToLower(m[1]); other != module && isModule(other) {
				problems = append(problems, file+": query names "+m[0]+" in module "+other+"'s schema")
			}
		}
		for _, m := range tableRef.FindAllStringSubmatch(sql, -1) {
			name := strings.ToLower(m[1])
			if !own[name] && !ctes[name] && !keywords[name] {
				problems = append(problems, file+": query uses "+m[1]+", which is not a table of "+module)
			}
		}
	}
	return problems
}

// keywords follow FROM, INTO or UPDATE in statements without naming a table
// (ON CONFLICT DO UPDATE SET, FOR UPDATE OF, FOR UPDATE SKIP LOCKED).
var keywords = map[string]bool{"set": true, "of": true, "skip": true, "nowait": true}

func isModule(name string) bool {
	for _, m := range modules {
		if m == name {
			return true
		}
	}
	return false
}

func read(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCheckFindsForeignReferences makes sure the check above is not vacuous.
func TestCheckFindsForeignReferences(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, sql string
		want      int
	}{
		{"own table", "-- name: A :many\nSELECT * FROM outbox;", 0},
		{"cte", "-- name: A :many\nWITH RECURSIVE up AS (SELECT 1 FROM outbox) SELECT * FROM up;", 0},
		{"qualified other schema", "-- name: A :many\nSELECT * FROM lms.courses;", 2},
		{"other module's table", "-- name: A :many\nSELECT * FROM outbox o JOIN courses c ON true;", 1},
		{"write elsewhere", "-- name: A :exec\nINSERT INTO identity.users VALUES (1);", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := filepath.Join(dir, "q.sql")
			if err := os.WriteFile(f, []byte(tt.sql), 0o600); err != nil {
				t.Fatal(err)
			}
			got := check(t, f, "bi", map[string]bool{"outbox": true})
			if len(got) != tt.want {
				t.Errorf("got %d problems %q, want %d", len(got), got, tt.want)
			}
		})
	}
}
