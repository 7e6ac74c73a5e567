package engine

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// errorSummary is the part of an error the tests compare.
type errorSummary struct {
	Path string
	Code string
}

func summarize(errs []*GraphQLError) []errorSummary {
	var out []errorSummary
	for _, e := range errs {
		code, _ := e.Extensions["code"].(string)
		out = append(out, errorSummary{Path: pathString(e.Path), Code: code})
	}
	return out
}

// featureCase is one operation against the campus fixtures.
type featureCase struct {
	name  string
	query string
	vars  map[string]any
	want  string
	errs  []errorSummary
	// calls lists, per subgraph, how many requests it must receive.
	calls map[string]int
	check func(t *testing.T, c *campus)
	// setup may change the fixtures before the operation runs.
	setup func(c *campus)
}

func runFeatureCases(t *testing.T, cases []featureCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCampus(t, nil)
			if tc.setup != nil {
				tc.setup(c)
			}
			resp := c.execute(t, tc.query, tc.vars)
			if diff := cmp.Diff(tc.errs, summarize(resp.Errors)); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
				for _, e := range resp.Errors {
					t.Logf("error: %s", e.Message)
				}
			}
			if diff := cmp.Diff(decode(t, []byte(tc.want)), decode(t, resp.Data)); diff != "" {
				t.Errorf("data mismatch (-want +got):\n%s", diff)
			}
			for name, n := range tc.calls {
				if got := len(c.fixtures()[name].requests()); got != n {
					t.Errorf("%s received %d requests, want %d", name, got, n)
				}
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

func TestPlanning(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{
			name:  "entity hop with resolvable key",
			query: `{ course(id: "c1") { title teacher { name email } } }`,
			want:  `{"course":{"title":"Programming","teacher":{"name":"Grace","email":"grace@uni.example"}}}`,
			calls: map[string]int{"org": 1, "identity": 1},
		},
		{
			name:  "composite nested key",
			query: `{ course(id: "c1") { code enrollments { grade } } }`,
			want:  `{"course":{"code":"CS101","enrollments":[{"grade":"A"},{"grade":"B"}]}}`,
			calls: map[string]int{"org": 1, "lms": 1},
			check: func(t *testing.T, c *campus) {
				want := []map[string]any{{
					"__typename": "Course", "code": "CS101",
					"term": map[string]any{"year": float64(2025), "season": "FALL"},
				}}
				if diff := cmp.Diff(want, c.lms.requests()[0].Reprs); diff != "" {
					t.Errorf("representations (-want +got):\n%s", diff)
				}
			},
		},
		{
			name:  "several keys choose the one the source can provide",
			query: `{ enrollments { course { title rating } } }`,
			want: `{"enrollments":[{"course":{"title":"Programming","rating":4.5}},
				{"course":{"title":"Programming","rating":4.5}},{"course":{"title":"Databases","rating":4.5}}]}`,
			calls: map[string]int{"lms": 1, "org": 1, "bi": 1},
			check: func(t *testing.T, c *campus) {
				// lms only knows code+term; bi needs id, which org supplies in the middle hop.
				for _, r := range c.bi.requests()[0].Reprs {
					if r["id"] == nil {
						t.Errorf("bi representation without id: %v", r)
					}
				}
			},
		},
		{
			name:  "requires fetches the required field first",
			query: `{ courses(first: 2) { code workload } }`,
			want:  `{"courses":[{"code":"CS101","workload":180},{"code":"CS102","workload":90}]}`,
			calls: map[string]int{"org": 1, "lms": 1},
		},
		{
			name:  "requires on a field of the parent's own subgraph",
			query: `{ enrollments { course { workload } } }`,
			want:  `{"enrollments":[{"course":{"workload":180}},{"course":{"workload":180}},{"course":{"workload":90}}]}`,
			calls: map[string]int{"lms": 2, "org": 1},
		},
		{
			name:  "requires a field that itself requires another subgraph's field",
			query: `{ courses(first: 2) { trend } }`,
			want:  `{"courses":[{"trend":"heavy"},{"trend":"light"}]}`,
			calls: map[string]int{"org": 1, "lms": 1, "bi": 1},
			check: func(t *testing.T, c *campus) {
				for _, r := range c.bi.requests()[0].Reprs {
					if r["workload"] == nil || r["id"] == nil {
						t.Errorf("bi representation lacks requirements: %v", r)
					}
				}
			},
		},
		{
			name:  "requires with arguments, nested fields and fragments",
			query: `{ course(id: "c1") { label } }`,
			want:  `{"course":{"label":"Programming (de) / Computer Science / u2"}}`,
			calls: map[string]int{"org": 1, "lms": 1},
		},
		{
			name:  "requires from a field the client aliased differently",
			query: `{ course(id: "c2") { credits: title workload } }`,
			want:  `{"course":{"credits":"Databases","workload":90}}`,
		},
		{
			name:  "client alias on a key field's name",
			query: `{ enrollments { course { code: title term: rating } } }`,
			want: `{"enrollments":[{"course":{"code":"Programming","term":4.5}},
				{"course":{"code":"Programming","term":4.5}},{"course":{"code":"Databases","term":4.5}}]}`,
			calls: map[string]int{"lms": 1, "org": 1, "bi": 1},
		},
		{
			name:  "provides skips the hop",
			query: `{ enrollments { student { id name } } }`,
			want: `{"enrollments":[{"student":{"id":"u3","name":"Alan (lms)"}},
				{"student":{"id":"u1","name":"Ada (lms)"}},{"student":{"id":"u1","name":"Ada (lms)"}}]}`,
			calls: map[string]int{"lms": 1, "identity": 0},
		},
		{
			name:  "provides with a type condition on an abstract field",
			query: `{ highlights { ... on Course { title credits } } }`,
			want:  `{"highlights":[{"title":"Programming (lms)","credits":6}]}`,
			calls: map[string]int{"lms": 1, "org": 1},
		},
		{
			name:  "field outside provides needs the hop",
			query: `{ enrollments { student { name role } } }`,
			want: `{"enrollments":[{"student":{"name":"Alan (lms)","role":"STUDENT"}},
				{"student":{"name":"Ada (lms)","role":"ADMIN"}},{"student":{"name":"Ada (lms)","role":"ADMIN"}}]}`,
			calls: map[string]int{"lms": 1, "identity": 1},
		},
		{
			name:  "shareable root field picks the subgraph with fewest fetches",
			query: `{ departments { name budget } }`,
			want:  `{"departments":[{"name":"Computer Science","budget":500},{"name":"Mathematics","budget":300}]}`,
			calls: map[string]int{"bi": 1, "org": 0},
		},
		{
			name:  "shareable root field avoids a hop even when another subgraph is in use",
			query: `{ courses(first: 1) { id } departments { budget } }`,
			want:  `{"courses":[{"id":"c1"}],"departments":[{"budget":500},{"budget":300}]}`,
			calls: map[string]int{"bi": 1, "org": 1},
		},
		{
			name:  "shareable root field joins the subgraph in use when that costs nothing",
			query: `{ courses(first: 1) { id } departments { name } }`,
			want:  `{"courses":[{"id":"c1"}],"departments":[{"name":"Computer Science"},{"name":"Mathematics"}]}`,
			calls: map[string]int{"bi": 0, "org": 1},
		},
		{
			name:  "shareable nested field goes where the other fields go",
			query: `{ enrollments { department { name budget } } }`,
			want: `{"enrollments":[{"department":{"name":"Computer Science","budget":500}},
				{"department":{"name":"Computer Science","budget":500}},{"department":{"name":"Computer Science","budget":500}}]}`,
			calls: map[string]int{"lms": 1, "bi": 1, "org": 0},
		},
		{
			name:  "shareable field stays in the current subgraph",
			query: `{ course(id: "c3") { department { name } } }`,
			want:  `{"course":{"department":{"name":"Mathematics"}}}`,
			calls: map[string]int{"org": 1, "bi": 0},
		},
		{
			name:  "override moves the field",
			query: `{ course(id: "c2") { popularity } }`,
			want:  `{"course":{"popularity":20}}`,
			calls: map[string]int{"org": 1, "bi": 1},
		},
		{
			name:  "interface object adds fields to every implementation",
			query: `{ materials { id title views ... on Video { minutes } ... on Document { pages } } }`,
			want: `{"materials":[{"id":"m1","title":"Lecture 1","views":1000,"minutes":90},
				{"id":"m2","title":"Notes","views":20,"pages":12}]}`,
			calls: map[string]int{"lms": 1, "bi": 1},
			check: func(t *testing.T, c *campus) {
				for _, r := range c.bi.requests()[0].Reprs {
					if r["__typename"] != "Material" {
						t.Errorf("representation typename = %v, want Material", r["__typename"])
					}
				}
			},
		},
		{
			name:  "interface object returned by a subgraph resolves its runtime type",
			query: `{ topMaterials { __typename id views title ... on Video { minutes } ... on Document { pages } } }`,
			want: `{"topMaterials":[{"__typename":"Document","id":"m2","views":20,"title":"Notes","pages":12},
				{"__typename":"Video","id":"m1","views":1000,"title":"Lecture 1","minutes":90}]}`,
			calls: map[string]int{"bi": 1, "lms": 1},
		},
		{
			name:  "union members dispatch by __typename",
			query: `{ search(text: "x") { __typename ... on Course { title enrollments { grade } } ... on Department { name budget } } }`,
			want: `{"search":[{"__typename":"Course","title":"Programming","enrollments":[{"grade":"A"},{"grade":"B"}]},
				{"__typename":"Department","name":"Mathematics","budget":300}]}`,
			calls: map[string]int{"org": 1, "lms": 1, "bi": 1},
		},
		{
			name:  "interface leaf fields asked on the interface",
			query: `{ materials { __typename id name: title } }`,
			want:  `{"materials":[{"__typename":"Video","id":"m1","name":"Lecture 1"},{"__typename":"Document","id":"m2","name":"Notes"}]}`,
			calls: map[string]int{"lms": 1, "bi": 0},
			check: func(t *testing.T, c *campus) {
				if q := c.lms.requests()[0].Query; strings.Contains(q, "... on") {
					t.Errorf("lms query has type conditions: %s", q)
				}
			},
		},
		{
			name:  "interface fields through fragments and aliases",
			query: `query { materials { ...M, label: title } } fragment M on Material { __typename id }`,
			want:  `{"materials":[{"__typename":"Video","id":"m1","label":"Lecture 1"},{"__typename":"Document","id":"m2","label":"Notes"}]}`,
			calls: map[string]int{"lms": 1, "bi": 0},
		},
	})
}

func TestResults(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{
			name:  "non-null violation propagates to the nearest nullable parent",
			query: `{ user(id: "u3") { id email } }`,
			want:  `{"user":null}`,
			errs:  []errorSummary{{Path: "user.email", Code: CodeSubgraphError}},
		},
		{
			name:  "null propagates through non-null list items to the root",
			query: `{ enrollments { student { email } } }`,
			want:  `null`,
			errs:  []errorSummary{{Path: "enrollments.0.student.email", Code: CodeSubgraphError}},
		},
		{
			name: "missing entity nulls its fields",
			setup: func(c *campus) {
				c.identity.entities["User"] = func(map[string]any) any { return nil }
			},
			query: `{ courses(first: 1) { title teacher { name } } }`,
			want:  `{"courses":[{"title":"Programming","teacher":null}]}`,
			errs:  []errorSummary{{Path: "courses.0.teacher.name", Code: CodeSubgraphError}},
		},
		{
			name:  "subgraph error is re-pathed to the client path",
			query: `{ courses { id teacher { email } } }`,
			want: `{"courses":[{"id":"c1","teacher":{"email":"grace@uni.example"}},
				{"id":"c2","teacher":{"email":"grace@uni.example"}},{"id":"c3","teacher":null}]}`,
			errs: []errorSummary{{Path: "courses.2.teacher.email", Code: CodeSubgraphError}},
		},
		{
			name:  "error in a batched request is re-pathed to its part",
			query: `{ enrollments { student { role } } courses { teacher { email } } }`,
			want: `{"enrollments":[{"student":{"role":"STUDENT"}},{"student":{"role":"ADMIN"}},{"student":{"role":"ADMIN"}}],
				"courses":[{"teacher":{"email":"grace@uni.example"}},{"teacher":{"email":"grace@uni.example"}},{"teacher":null}]}`,
			errs:  []errorSummary{{Path: "courses.2.teacher.email", Code: CodeSubgraphError}},
			calls: map[string]int{"identity": 1},
		},
		{
			name:  "enum value unknown to the API schema is null with an error",
			query: `{ user(id: "u4") { id role } }`,
			want:  `{"user":{"id":"u4","role":null}}`,
			errs:  []errorSummary{{Path: "user.role", Code: CodeSubgraphError}},
		},
		{
			name:  "enum value known to one subgraph only",
			query: `{ course(id: "c3") { term { season } } }`,
			want:  `{"course":{"term":{"season":"SUMMER"}}}`,
		},
		{
			name:  "typename and aliases on the root",
			query: `{ __typename a: me { n: name } b: me { id } }`,
			want:  `{"__typename":"Query","a":{"n":"Ada"},"b":{"id":"u1"}}`,
			calls: map[string]int{"identity": 1},
		},
		{
			name:  "mixed introspection and data",
			query: `{ __type(name: "Course") { name kind } me { name } }`,
			want:  `{"__type":{"name":"Course","kind":"OBJECT"},"me":{"name":"Ada"}}`,
		},
		{
			name:  "only introspection asks no subgraph",
			query: `{ __schema { queryType { name } mutationType { name } } }`,
			want:  `{"__schema":{"queryType":{"name":"Query"},"mutationType":{"name":"Mutation"}}}`,
			check: func(t *testing.T, c *campus) {
				if n := c.totalRequests(); n != 0 {
					t.Errorf("subgraph requests = %d, want 0", n)
				}
			},
		},
	})
}

func TestResponseOrder(t *testing.T) {
	c := newCampus(t, nil)
	resp := c.execute(t, `{ course(id: "c1") { workload title z: code teacher { email id } } }`, nil)
	want := `{"course":{"workload":180,"title":"Programming","z":"CS101","teacher":{"email":"grace@uni.example","id":"u2"}}}`
	if string(resp.Data) != want {
		t.Errorf("data = %s\nwant %s", resp.Data, want)
	}
}

func TestRepresentationsDeduplicated(t *testing.T) {
	c := newCampus(t, nil)
	resp := c.execute(t, `{ courses { teacher { name } } enrollments { student { role } } }`, nil)
	wantData(t, resp, `{"courses":[{"teacher":{"name":"Grace"}},{"teacher":{"name":"Grace"}},{"teacher":{"name":"Eve"}}],
		"enrollments":[{"student":{"role":"STUDENT"}},{"student":{"role":"ADMIN"}},{"student":{"role":"ADMIN"}}]}`)
	calls := c.identity.requests()
	if len(calls) != 1 {
		t.Fatalf("identity requests = %d, want 1 (one per subgraph and plan step)", len(calls))
	}
	var sizes []int
	for _, part := range calls[0].Parts {
		sizes = append(sizes, len(part))
	}
	// courses: u2, u2, u4 -> 2; enrollments: u3, u1, u1 -> 2.
	if diff := cmp.Diff([]int{2, 2}, sizes); diff != "" {
		t.Errorf("representations per request (-want +got):\n%s", diff)
	}
}

func TestSkipInclude(t *testing.T) {
	const q = `query($t: Boolean!, $s: Boolean = false) { course(id: "c1") { title @include(if: $t) teacher @skip(if: $s) { name } } }`
	cases := []struct {
		name string
		vars map[string]any
		want string
		hops int
	}{
		{"both", map[string]any{"t": true}, `{"course":{"title":"Programming","teacher":{"name":"Grace"}}}`, 1},
		{"title skipped", map[string]any{"t": false}, `{"course":{"teacher":{"name":"Grace"}}}`, 1},
		{"teacher skipped", map[string]any{"t": true, "s": true}, `{"course":{"title":"Programming"}}`, 0},
	}
	c := newCampus(t, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(c.identity.requests())
			wantData(t, c.execute(t, q, tc.vars), tc.want)
			if got := len(c.identity.requests()) - before; got != tc.hops {
				t.Errorf("identity requests = %d, want %d", got, tc.hops)
			}
		})
	}
}

func TestVariables(t *testing.T) {
	c := newCampus(t, nil)
	t.Run("default value", func(t *testing.T) {
		wantData(t, c.execute(t, `query($n: Int = 1) { courses(first: $n) { id } }`, nil), `{"courses":[{"id":"c1"}]}`)
		got := c.org.requests()
		if v := got[len(got)-1].Vars["n"]; v != float64(1) {
			t.Errorf("org variable n = %v, want 1", v)
		}
	})
	t.Run("coercion error is a request error", func(t *testing.T) {
		resp := c.execute(t, `query($n: Int) { courses(first: $n) { id } }`, map[string]any{"n": "two"})
		if !resp.IsRequestError() || resp.Data != nil {
			t.Fatalf("want request error without data, got %s %v", resp.Data, resp.Errors)
		}
		if diff := cmp.Diff([]errorSummary{{Code: CodeBadUserInput}}, summarize(resp.Errors)); diff != "" {
			t.Error(diff)
		}
	})
	t.Run("missing required variable", func(t *testing.T) {
		resp := c.execute(t, `query($id: ID!) { user(id: $id) { id } }`, nil)
		if !resp.IsRequestError() {
			t.Fatalf("want request error, got %v", resp.Errors)
		}
	})
}

func TestRequestErrors(t *testing.T) {
	c := newCampus(t, nil)
	cases := []struct {
		name, query, op, code string
	}{
		{"parse", `{ me { `, "", CodeParseFailed},
		{"validation", `{ me { nope } }`, "", CodeValidationFailed},
		{"inaccessible field", `{ me { ssn } }`, "", CodeValidationFailed},
		{"inaccessible type field", `{ course(id: "c1") { internalNote } }`, "", CodeValidationFailed},
		{"unknown operation", `query A { me { id } }`, "B", CodeOperationUnknown},
		{"ambiguous operation", `query A { me { id } } query B { me { id } }`, "", CodeOperationUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := c.engine.Execute(context.Background(), &Request{Query: tc.query, OperationName: tc.op})
			if !resp.IsRequestError() || len(resp.Errors) == 0 {
				t.Fatalf("want request error, got %s %v", resp.Data, resp.Errors)
			}
			if got := resp.Errors[0].Extensions["code"]; got != tc.code {
				t.Errorf("code = %v, want %s", got, tc.code)
			}
		})
	}
	t.Run("operation name selects", func(t *testing.T) {
		resp := c.engine.Execute(context.Background(), &Request{
			Query: `query A { me { id } } query B { me { name } }`, OperationName: "B",
		})
		wantData(t, resp, `{"me":{"name":"Ada"}}`)
	})
}

func TestMutationOrder(t *testing.T) {
	c := newCampus(t, nil)
	resp := c.execute(t, `mutation {
		a: rename(id: "u1", name: "A") { name }
		e: enroll(courseId: "c1", userId: "u2") { student { role } }
		b: rename(id: "u2", name: "B") { name }
	}`, nil)
	wantData(t, resp, `{"a":{"name":"A"},"e":{"student":{"role":"TEACHER"}},"b":{"name":"B"}}`)

	// Identity gets: the first rename, then the entity fetch for enroll's student, then the
	// second rename — mutation fields run one after another, each fully resolved.
	var order []string
	for _, call := range c.identity.requests() {
		switch {
		case strings.Contains(call.Query, "_entities"):
			order = append(order, "_entities")
		case strings.Contains(call.Query, `"A"`):
			order = append(order, "rename A")
		case strings.Contains(call.Query, `"B"`):
			order = append(order, "rename B")
		}
	}
	want := []string{"rename A", "_entities", "rename B"}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("identity request order (-want +got):\n%s", diff)
	}
	if got := len(c.lms.requests()); got != 1 {
		t.Errorf("lms requests = %d, want 1", got)
	}
}

func TestPlanCache(t *testing.T) {
	c := newCampus(t, func(o *Options) {
		o.PercentDraw = func(*Request) float64 { return 99 }
	})
	q := `query($s: Boolean!) { me { name @skip(if: $s) } }`
	for range 3 {
		c.execute(t, q, map[string]any{"s": false})
	}
	// One document entry and one plan.
	if got := c.engine.cache.len(); got != 2 {
		t.Errorf("cache entries = %d, want 2", got)
	}
	c.execute(t, q, map[string]any{"s": true})
	if got := c.engine.cache.len(); got != 3 {
		t.Errorf("cache entries after a new @skip value = %d, want 3", got)
	}
	resp := c.engine.Execute(context.Background(), &Request{Query: q, Variables: map[string]any{"s": true}, IncludePlan: true})
	plan, _ := resp.Extensions["queryPlan"].(string)
	if !strings.Contains(plan, `Fetch(service: "identity")`) {
		t.Errorf("queryPlan = %q", plan)
	}
}

func TestHeaders(t *testing.T) {
	c := newCampus(t, func(o *Options) {
		o.ForwardHeaders = []string{"X-Request-Id", "Authorization"}
		o.SubgraphHeaders = func(_ context.Context, _ *Request, name string) http.Header {
			return http.Header{"X-Ergo-Subgraph": {name}}
		}
	})
	h := http.Header{"X-Request-Id": {"r1"}, "Authorization": {"Bearer secret"}, "Cookie": {"c"}}
	c.engine.Execute(context.Background(), &Request{Query: `{ me { id } }`, Header: h})
	got := c.identity.requests()[0].Header
	if got.Get("X-Request-Id") != "r1" || got.Get("X-Ergo-Subgraph") != "identity" {
		t.Errorf("forwarded headers missing: %v", got)
	}
	if got.Get("Authorization") != "" || got.Get("Cookie") != "" {
		t.Errorf("credentials forwarded: %v", got)
	}
	if !strings.Contains(got.Get("Accept"), "application/graphql-response+json") {
		t.Errorf("Accept = %q", got.Get("Accept"))
	}
}

func TestProgressiveOverride(t *testing.T) {
	cases := []struct {
		name    string
		draw    float64
		want    string
		service string
	}{
		{"label enabled below the percentage", 10, `{"course":{"capacity":30}}`, "bi"},
		{"label disabled at or above the percentage", 30, `{"course":{"capacity":100}}`, "org"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCampus(t, func(o *Options) {
				o.PercentDraw = func(*Request) float64 { return tc.draw }
			})
			wantData(t, c.execute(t, `{ course(id: "c1") { capacity } }`, nil), tc.want)
			if tc.service == "bi" && len(c.bi.requests()) != 1 {
				t.Errorf("bi requests = %d, want 1", len(c.bi.requests()))
			}
			if tc.service == "org" && len(c.bi.requests()) != 0 {
				t.Errorf("bi requests = %d, want 0", len(c.bi.requests()))
			}
		})
	}
}

func TestVariablesInEntityFetch(t *testing.T) {
	c := newCampus(t, nil)
	resp := c.execute(t, `query($lang: String!) { enrollments { course { titleIn(lang: $lang) } } }`,
		map[string]any{"lang": "fr"})
	wantData(t, resp, `{"enrollments":[{"course":{"titleIn":"Programming (fr)"}},
		{"course":{"titleIn":"Programming (fr)"}},{"course":{"titleIn":"Databases (fr)"}}]}`)
	calls := c.org.requests()
	if len(calls) != 1 || calls[0].Vars["lang"] != "fr" || !strings.Contains(calls[0].Query, "$lang:String!") {
		t.Errorf("org calls = %+v", calls)
	}
}

func TestQueryPlanText(t *testing.T) {
	c := newCampus(t, nil)
	resp := c.engine.Execute(context.Background(), &Request{
		Query: `{ enrollments { course { title rating } } }`, IncludePlan: true,
	})
	plan, _ := resp.Extensions["queryPlan"].(string)
	for _, want := range []string{
		"Sequence {",
		`Fetch(service: "lms") query{enrollments{course{code term{year season}}}}`,
		`Flatten(path: "enrollments.@.course")`,
		`Fetch(service: "bi") {__typename id}`,
	} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
}
