package bench

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"ergo/bench/subgraphs"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/supergraph.graphql and testdata/expected.json")

// TestSupergraphCurrent checks that the committed supergraph is what the composer makes of
// the committed subgraph SDL.
func TestSupergraphCurrent(t *testing.T) {
	got, err := Compose(DefaultURLs())
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		writeFile(t, SupergraphFile, got)
	}
	want, err := os.ReadFile(SupergraphFile)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s is stale (go test ./bench -run TestSupergraphCurrent -update): -file +composed\n%s",
			SupergraphFile, diff)
	}
}

// TestExpectedFromMonolith checks expected.json against the monolith: one server holding all
// four subgraphs' fields, which answers the query without any federation.
func TestExpectedFromMonolith(t *testing.T) {
	mono, err := subgraphs.New("monolith")
	if err != nil {
		t.Fatal(err)
	}
	got := mono.Execute(RequestBody())
	if *update {
		var buf bytes.Buffer
		if err := json.Indent(&buf, got, "", "  "); err != nil {
			t.Fatal(err)
		}
		buf.WriteByte('\n')
		writeFile(t, "testdata/expected.json", buf.Bytes())
	}
	if bytes.Contains(got, []byte(`"errors"`)) {
		t.Fatalf("monolith answered with errors: %s", got)
	}
	if len(got) < 20_000 {
		t.Errorf("response is %d bytes, want tens of kilobytes", len(got))
	}
	if diff := cmp.Diff(string(Expected()), string(got)); diff != "" {
		t.Errorf("testdata/expected.json differs from the monolith's answer (-file +monolith):\n%s", diff)
	}
}

func writeFile(tb testing.TB, name string, data []byte) {
	tb.Helper()
	if err := os.WriteFile(name, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}
