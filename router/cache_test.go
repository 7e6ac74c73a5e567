package router

import (
	"fmt"
	"testing"
)

func TestDocCache(t *testing.T) {
	c := newDocCache()
	for i := range docCacheEntries + 1 {
		q := fmt.Sprintf("{ f%d }", i)
		doc, rerr := parseDocument(q)
		if rerr != nil {
			t.Fatal(rerr)
		}
		c.put(q, doc)
		if i == 0 {
			continue
		}
		// Keep the first entry recently used, so the second is the one dropped.
		if _, ok := c.get("{ f0 }"); !ok {
			t.Fatalf("entry f0 dropped after %d puts", i+1)
		}
	}
	tests := []struct {
		query string
		want  bool
	}{
		{"{ f0 }", true},
		{"{ f1 }", false},
		{"{ f2 }", true},
		{fmt.Sprintf("{ f%d }", docCacheEntries), true},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			doc, ok := c.get(tt.query)
			if ok != tt.want {
				t.Fatalf("get(%q) found %v, want %v", tt.query, ok, tt.want)
			}
			if ok && doc.Operations[0].SelectionSet == nil {
				t.Errorf("cached document for %q has no selections", tt.query)
			}
		})
	}

	long := "{ a }" + fmt.Sprintf("%*s", docCacheMaxQuery, "")
	doc, _ := parseDocument(long)
	c.put(long, doc)
	if _, ok := c.get(long); ok {
		t.Error("a query over the size bound was cached")
	}
}

// TestOperationCached checks that a cached document still selects the operation each
// request names.
func TestOperationCached(t *testing.T) {
	rt := &Router{docs: newDocCache()}
	query := "query A { a } query B { b }"
	for _, name := range []string{"A", "B", "A", ""} {
		_, op, rerr := rt.operation(&params{Query: query, OperationName: name})
		switch {
		case name == "" && (rerr == nil || rerr.code != CodeOperationNotFound):
			t.Errorf("no name: got %v, want OPERATION_NOT_FOUND", rerr)
		case name != "" && (rerr != nil || op.Name != name):
			t.Errorf("name %s: got %v, %v", name, op, rerr)
		}
	}
	if _, _, rerr := rt.operation(&params{Query: "{"}); rerr == nil || rerr.code != CodeParseFailed {
		t.Errorf("syntax error: got %v, want GRAPHQL_PARSE_FAILED", rerr)
	}
}
