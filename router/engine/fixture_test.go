package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// obj is a fixture object; values may be resolve functions taking field arguments, or errors.
type obj = map[string]any

// resolveFn computes a field from its arguments.
type resolveFn func(args map[string]any) any

// fixture is a hand-written subgraph served over real HTTP. It executes the subgraph protocol
// (root fields and _entities) against in-memory objects and records every request.
type fixture struct {
	name     string
	root     map[string]resolveFn
	entities map[string]func(repr map[string]any) any
	// interfaces lists the interfaces of each object type, for fragment type conditions.
	interfaces map[string][]string
	// fail, when set, may answer a request itself (failures, hangs); true means handled.
	fail func(w http.ResponseWriter, r *http.Request) bool

	mu    sync.Mutex
	calls []fixtureCall
}

// fixtureCall is one request a fixture received.
type fixtureCall struct {
	Query string
	Reprs []map[string]any
	// Parts holds the representations per _entities field of a batched request.
	Parts  [][]map[string]any
	Vars   map[string]any
	Header http.Header
}

func (fx *fixture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	call := fixtureCall{Query: body.Query, Vars: body.Variables, Header: r.Header.Clone()}
	names := []string{"representations"}
	for i := range len(body.Variables) {
		names = append(names, "r"+strconv.Itoa(i))
	}
	for _, name := range names {
		list, ok := body.Variables[name].([]any)
		if !ok {
			continue
		}
		var part []map[string]any
		for _, rep := range list {
			m, _ := rep.(map[string]any)
			part = append(part, m)
		}
		call.Reprs = append(call.Reprs, part...)
		call.Parts = append(call.Parts, part)
	}
	fx.mu.Lock()
	fx.calls = append(fx.calls, call)
	fx.mu.Unlock()
	if fx.fail != nil && fx.fail(w, r) {
		return
	}

	doc, err := parser.ParseQuery(&ast.Source{Input: body.Query})
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ex := &fixtureExec{fx: fx, vars: body.Variables}
	data := ex.root(doc.Operations[0].SelectionSet)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"data": data, "errors": ex.errs})
}

func (fx *fixture) requests() []fixtureCall {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	return append([]fixtureCall(nil), fx.calls...)
}

type fixtureExec struct {
	fx   *fixture
	vars map[string]any
	errs []map[string]any
}

func (ex *fixtureExec) root(set ast.SelectionSet) obj {
	out := obj{}
	for _, s := range set {
		f := s.(*ast.Field)
		k := alias(f)
		if f.Name == "_entities" {
			reps, _ := ex.args(f)["representations"].([]any)
			var list []any
			for i, rep := range reps {
				m, _ := rep.(map[string]any)
				fn := ex.fx.entities[fmt.Sprint(m["__typename"])]
				var v any
				if fn != nil {
					v = fn(m)
				}
				list = append(list, ex.value(v, f.SelectionSet, []any{k, i}))
			}
			out[k] = list
			continue
		}
		fn := ex.fx.root[f.Name]
		if fn == nil {
			ex.errorf([]any{k}, "no field %s", f.Name)
			out[k] = nil
			continue
		}
		out[k] = ex.value(fn(ex.args(f)), f.SelectionSet, []any{k})
	}
	return out
}

func (ex *fixtureExec) args(f *ast.Field) map[string]any {
	out := map[string]any{}
	for _, a := range f.Arguments {
		v, _ := a.Value.Value(ex.vars)
		out[a.Name] = v
	}
	return out
}

func (ex *fixtureExec) value(v any, set ast.SelectionSet, path []any) any {
	if err, ok := v.(error); ok {
		ex.errorf(path, "%v", err)
		return nil
	}
	switch v := v.(type) {
	case obj:
		if len(set) == 0 {
			return v
		}
		out := obj{}
		ex.object(v, set, path, out)
		return out
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = ex.value(item, set, append(append([]any(nil), path...), i))
		}
		return out
	}
	return v
}

func (ex *fixtureExec) object(o obj, set ast.SelectionSet, path []any, out obj) {
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			k := alias(s)
			v := o[s.Name]
			if fn, ok := v.(resolveFn); ok {
				v = fn(ex.args(s))
			}
			out[k] = ex.value(v, s.SelectionSet, append(append([]any(nil), path...), k))
		case *ast.InlineFragment:
			if s.TypeCondition == "" || o["__typename"] == s.TypeCondition ||
				slices.Contains(ex.fx.interfaces[fmt.Sprint(o["__typename"])], s.TypeCondition) {
				ex.object(o, s.SelectionSet, path, out)
			}
		}
	}
}

func (ex *fixtureExec) errorf(path []any, format string, args ...any) {
	ex.errs = append(ex.errs, map[string]any{"message": fmt.Sprintf(format, args...), "path": path})
}

func alias(f *ast.Field) string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Name
}

// campus holds the four fixture subgraphs of testdata/campus.graphql and an engine on them.
type campus struct {
	identity, org, lms, bi *fixture
	engine                 *Engine
	sg                     *Supergraph
}

// fixtures returns every fixture by subgraph name.
func (c *campus) fixtures() map[string]*fixture {
	return map[string]*fixture{"identity": c.identity, "org": c.org, "lms": c.lms, "bi": c.bi}
}

// totalRequests counts requests over all fixtures.
func (c *campus) totalRequests() int {
	n := 0
	for _, fx := range c.fixtures() {
		n += len(fx.requests())
	}
	return n
}

func loadCampus(tb testing.TB) *Supergraph {
	tb.Helper()
	sdl, err := os.ReadFile("testdata/campus.graphql")
	if err != nil {
		tb.Fatal(err)
	}
	s, err := Load(sdl)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// newCampus starts the fixture subgraphs on httptest servers and builds an engine for them.
// configure may adjust the options before the engine is built.
func newCampus(tb testing.TB, configure func(*Options)) *campus {
	tb.Helper()
	c := &campus{identity: identityFixture(), org: orgFixture(), lms: lmsFixture(), bi: biFixture()}
	c.sg = loadCampus(tb)
	opts := Options{SubgraphURLs: map[string]string{}}
	for name, fx := range c.fixtures() {
		srv := httptest.NewServer(fx)
		tb.Cleanup(srv.Close)
		opts.SubgraphURLs[name] = srv.URL
	}
	if configure != nil {
		configure(&opts)
	}
	c.engine = New(c.sg, opts)
	return c
}

var users = map[string]obj{
	"u1": {"__typename": "User", "id": "u1", "name": "Ada", "email": "ada@uni.example", "role": "ADMIN", "ssn": "111"},
	"u2": {"__typename": "User", "id": "u2", "name": "Grace", "email": "grace@uni.example", "role": "TEACHER"},
	"u3": {"__typename": "User", "id": "u3", "name": "Alan", "email": nil, "role": "STUDENT"},
	"u4": {"__typename": "User", "id": "u4", "name": "Eve", "email": errors.New("email service down"), "role": "SUPERADMIN"},
}

func identityFixture() *fixture {
	fx := &fixture{name: "identity"}
	fx.root = map[string]resolveFn{
		"me":     func(map[string]any) any { return users["u1"] },
		"user":   func(a map[string]any) any { return userOrNil(a["id"]) },
		"secret": func(map[string]any) any { return "the answer" },
		"rename": func(a map[string]any) any {
			u := obj{}
			for k, v := range users[fmt.Sprint(a["id"])] {
				u[k] = v
			}
			u["name"] = a["name"]
			return u
		},
	}
	fx.entities = map[string]func(map[string]any) any{
		"User": func(r map[string]any) any { return userOrNil(r["id"]) },
	}
	return fx
}

func userOrNil(id any) any {
	if u, ok := users[fmt.Sprint(id)]; ok {
		return u
	}
	return nil
}

func term(year int, season string) obj { return obj{"year": year, "season": season} }

var courses = []obj{
	{
		"__typename": "Course", "id": "c1", "code": "CS101", "term": term(2025, "FALL"), "title": "Programming",
		"credits": 6, "teacher": obj{"__typename": "User", "id": "u2"}, "dept": "CS", "popularity": -1, "capacity": 100,
	},
	{
		"__typename": "Course", "id": "c2", "code": "CS102", "term": term(2026, "SPRING"), "title": "Databases",
		"credits": 3, "teacher": obj{"__typename": "User", "id": "u2"}, "dept": "CS", "popularity": -1, "capacity": 100,
	},
	{
		"__typename": "Course", "id": "c3", "code": "MA201", "term": term(2026, "SUMMER"), "title": "Algebra",
		"credits": 4, "teacher": obj{"__typename": "User", "id": "u4"}, "dept": "MA", "popularity": -1, "capacity": 100,
	},
}

var departments = map[string]obj{
	"CS": {"__typename": "Department", "code": "CS", "name": "Computer Science"},
	"MA": {"__typename": "Department", "code": "MA", "name": "Mathematics"},
}

// orgCourse returns the org subgraph's view of a course.
func orgCourse(c obj) obj {
	out := obj{}
	for k, v := range c {
		out[k] = v
	}
	out["department"] = departments[c["dept"].(string)]
	out["titleIn"] = resolveFn(func(a map[string]any) any { return fmt.Sprintf("%s (%s)", c["title"], a["lang"]) })
	return out
}

func orgFixture() *fixture {
	fx := &fixture{name: "org"}
	fx.root = map[string]resolveFn{
		"courses": func(a map[string]any) any {
			n := len(courses)
			if f, err := strconv.Atoi(fmt.Sprint(a["first"])); err == nil {
				n = min(n, f)
			}
			var out []any
			for _, c := range courses[:n] {
				out = append(out, orgCourse(c))
			}
			return out
		},
		"course": func(a map[string]any) any { return courseBy("id", a["id"], orgCourse) },
		"search": func(map[string]any) any {
			return []any{orgCourse(courses[0]), departments["MA"]}
		},
		"departments": func(map[string]any) any { return []any{departments["CS"], departments["MA"]} },
	}
	fx.entities = map[string]func(map[string]any) any{
		"Course": func(r map[string]any) any {
			if r["id"] != nil {
				return courseBy("id", r["id"], orgCourse)
			}
			for _, c := range courses {
				t, _ := r["term"].(map[string]any)
				ct := c["term"].(obj)
				if c["code"] == r["code"] && fmt.Sprint(t["year"]) == fmt.Sprint(ct["year"]) && t["season"] == ct["season"] {
					return orgCourse(c)
				}
			}
			return nil
		},
		"Department": func(r map[string]any) any { return departments[fmt.Sprint(r["code"])] },
	}
	return fx
}

func courseBy(field string, v any, view func(obj) obj) any {
	for _, c := range courses {
		if c[field] == v {
			return view(c)
		}
	}
	return nil
}

// enrollments: Alan (u3) and Ada (u1) in CS101; Ada in CS102.
var enrollments = []obj{
	{"student": "u3", "course": 0, "grade": "A"},
	{"student": "u1", "course": 0, "grade": "B"},
	{"student": "u1", "course": 1, "grade": nil},
}

func lmsEnrollment(e obj) obj {
	u := users[e["student"].(string)]
	c := courses[e["course"].(int)]
	return obj{
		"__typename": "Enrollment", "grade": e["grade"],
		"student": obj{
			"__typename": "User", "id": u["id"], "name": u["name"].(string) + " (lms)",
			"enrollments": resolveFn(func(map[string]any) any { return lmsEnrollmentsOf(u["id"]) }),
		},
		"course":     obj{"__typename": "Course", "code": c["code"], "term": c["term"]},
		"department": obj{"__typename": "Department", "code": c["dept"]},
	}
}

func lmsEnrollmentsOf(id any) []any {
	list := []any{}
	for _, e := range enrollments {
		if e["student"] == id {
			list = append(list, lmsEnrollment(e))
		}
	}
	return list
}

func lmsFixture() *fixture {
	fx := &fixture{name: "lms"}
	materials := []any{
		obj{"__typename": "Video", "id": "m1", "title": "Lecture 1", "minutes": 90},
		obj{"__typename": "Document", "id": "m2", "title": "Notes", "pages": 12},
	}
	fx.interfaces = map[string][]string{"Video": {"Material"}, "Document": {"Material"}}
	fx.root = map[string]resolveFn{
		"enrollments": func(map[string]any) any {
			var out []any
			for _, e := range enrollments {
				out = append(out, lmsEnrollment(e))
			}
			return out
		},
		"materials": func(map[string]any) any { return materials },
		"highlights": func(map[string]any) any {
			c := courses[0]
			return []any{obj{"__typename": "Course", "code": c["code"], "term": c["term"], "title": "Programming (lms)"}}
		},
		"enroll": func(a map[string]any) any {
			return obj{
				"__typename": "Enrollment", "grade": nil,
				"student": obj{"__typename": "User", "id": a["userId"], "name": "new"},
				"course":  obj{"__typename": "Course", "code": "CS101", "term": term(2025, "FALL")},
			}
		},
	}
	fx.entities = map[string]func(map[string]any) any{
		"Course": func(r map[string]any) any {
			out := obj{"__typename": "Course", "code": r["code"], "term": r["term"]}
			var list []any
			for _, e := range enrollments {
				c := courses[e["course"].(int)]
				if c["code"] == r["code"] {
					list = append(list, lmsEnrollment(e))
				}
			}
			out["enrollments"] = list
			if cr, ok := r["credits"].(float64); ok {
				out["workload"] = int(cr) * 30
			}
			if t, ok := r["titleIn"].(string); ok {
				d, _ := r["department"].(map[string]any)
				tc, _ := r["teacher"].(map[string]any)
				out["label"] = fmt.Sprintf("%s / %v / %v", t, d["name"], tc["id"])
			}
			return out
		},
		"User": func(r map[string]any) any {
			return obj{"__typename": "User", "id": r["id"], "enrollments": lmsEnrollmentsOf(r["id"])}
		},
		"Material": func(r map[string]any) any {
			for _, m := range materials {
				if m.(obj)["id"] == r["id"] {
					return m
				}
			}
			return nil
		},
	}
	return fx
}

func biFixture() *fixture {
	fx := &fixture{name: "bi"}
	fx.root = map[string]resolveFn{
		"topMaterials": func(map[string]any) any {
			return []any{
				obj{"__typename": "Material", "id": "m2", "views": 20},
				obj{"__typename": "Material", "id": "m1", "views": 1000},
			}
		},
		"departments": func(map[string]any) any {
			return []any{
				obj{"__typename": "Department", "code": "CS", "name": "Computer Science", "budget": 500},
				obj{"__typename": "Department", "code": "MA", "name": "Mathematics", "budget": 300},
			}
		},
	}
	fx.entities = map[string]func(map[string]any) any{
		"Course": func(r map[string]any) any {
			id := fmt.Sprint(r["id"])
			out := obj{"__typename": "Course", "id": id, "rating": 4.5, "popularity": len(id) * 10, "capacity": 30}
			if w, ok := r["workload"].(float64); ok {
				out["trend"] = "light"
				if w >= 150 {
					out["trend"] = "heavy"
				}
			}
			return out
		},
		"Department": func(r map[string]any) any {
			budget := map[string]any{"CS": 500, "MA": 300}
			code := fmt.Sprint(r["code"])
			return obj{"__typename": "Department", "code": code, "name": departments[code]["name"], "budget": budget[code]}
		},
		"Material": func(r map[string]any) any {
			views := map[string]any{"m1": 1000, "m2": 20}
			return obj{"__typename": "Material", "id": r["id"], "views": views[fmt.Sprint(r["id"])]}
		},
	}
	return fx
}
