package engine

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden query plans in testdata/plans")

// TestPlanGolden pins the query plans of representative operations; run with -update after
// an intended planner change and review the diff.
func TestPlanGolden(t *testing.T) {
	cases := []struct{ name, query string }{
		{"root-parallel", `{ me { id } courses { id } }`},
		{"key-hop", `{ course(id: "c1") { title teacher { name email } } }`},
		{"nested-key", `{ courses { code enrollments { grade } } }`},
		{"key-chain", `{ enrollments { course { title rating } } }`},
		{"requires", `{ courses { workload label trend } }`},
		{"provides", `{ enrollments { student { name role } } }`},
		{"shareable-root", `{ departments { name budget } }`},
		{"union", `{ search(text: "a") { ... on Course { title enrollments { grade } } ... on Department { budget } } }`},
		{"interface-leaves", `{ materials { __typename id title } }`},
		{"interface-object", `{ materials { title views } topMaterials { title ... on Video { minutes } } }`},
		{"mutation", `mutation { rename(id: "u1", name: "x") { name enrollments { grade } } enroll(courseId: "c1", userId: "u1") { grade } }`},
		{"batch", `{ courses { teacher { name } } enrollments { student { role } } }`},
		{"deep", deepQuery},
	}
	c := newInProcessCampus(t, func(o *Options) {
		o.PercentDraw = func(*Request) float64 { return 99 }
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := c.engine.Execute(context.Background(), &Request{Query: tc.query, IncludePlan: true})
			got, _ := resp.Extensions["queryPlan"].(string)
			file := filepath.Join("testdata", "plans", tc.name+".plan")
			if *update {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, []byte(got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if diff := cmp.Diff(string(want), got+"\n"); diff != "" {
				t.Errorf("plan mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
