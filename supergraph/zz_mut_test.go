package supergraph

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMutations(t *testing.T) {
	node := crossCheckRunner(t)
	var variants []testCase
	for _, c := range loadCases(t) {
		for si, s := range c.subgraphs {
			if len(s.Sources) != 1 {
				continue
			}
			lines := strings.Split(s.Sources[0].Body, "\n")
			for i := range lines {
				if strings.TrimSpace(lines[i]) == "" || strings.Contains(lines[i], "@link") {
					continue
				}
				mut := append(append([]string{}, lines[:i]...), lines[i+1:]...)
				subs := append([]Subgraph(nil), c.subgraphs...)
				subs[si] = Subgraph{Name: s.Name, URL: s.URL, Sources: []Source{{Name: s.Sources[0].Name, Body: strings.Join(mut, "\n")}}}
				variants = append(variants, testCase{name: fmt.Sprintf("%s/%s-del%d", c.name, s.Name, i+1), subgraphs: subs})
			}
		}
	}
	ref := runReference(t, node, variants)
	kinds := map[string][]string{}
	for _, v := range variants {
		theirs := referenceOutcome(&testing.T{}, ref[v.name])
		sg, err := Compose(v.subgraphs)
		ours := outcome{}
		if err != nil {
			var errs Errors
			errors.As(err, &errs)
			ours.codes = errs.Codes()
		} else {
			ours.model = normalize(t, sg.SDL())
		}
		if d := cmp.Diff(theirs, ours, cmp.AllowUnexported(outcome{})); d != "" {
			key := fmt.Sprintf("theirs=%v ours=%v", theirs.codes, ours.codes)
			if theirs.codes == nil && ours.codes == nil {
				key = "model"
			}
			kinds[key] = append(kinds[key], v.name)
			if len(kinds[key]) == 1 {
				t.Logf("%s: %s\n%s", v.name, key, d)
			}
		}
	}
	var keys []string
	for k := range kinds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%d x %s: %v", len(kinds[k]), k, kinds[k])
	}
	t.Logf("%d variants", len(variants))
}
