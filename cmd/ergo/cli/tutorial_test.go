package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ergo/platform/manifest"
	"ergo/platform/modules"
	"ergo/platform/postgres/pgtest"

	"github.com/google/uuid"
)

// tutorialStep is one marked block of docs/modules.md.
type tutorialStep struct {
	kind  string // "run" or "query"
	flags string // after the kind: "signed-in" for a query
	body  string
	line  int
}

// TestTutorial runs docs/modules.md: its marked commands in a copy of the repository, and its
// marked queries against the subgraph the tutorial created. It builds and tests generated
// code, so it is slow and skipped with -short.
func TestTutorial(t *testing.T) {
	if testing.Short() {
		t.Skip("runs sqlc, gqlgen and go test on a new module")
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("the tutorial's commands are run with sh")
	}
	src, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	steps := readTutorial(t, filepath.Join(src, "docs", "modules.md"))
	root := copyRepo(t, src)
	t.Setenv("ERGO_ROOT", root)
	dbURL := pgtest.URL(t)

	var sub *tutorialSubgraph
	for _, st := range steps {
		switch st.kind {
		case "run":
			for _, line := range strings.Split(strings.TrimSpace(st.body), "\n") {
				runTutorialLine(t, root, dbURL, st.line, line)
			}
			if _, err := os.Stat(filepath.Join(root, "subgraphs", "notes")); err == nil {
				checkScaffoldedManifests(t, root, "subgraphs/notes/")
			}
		case "query":
			if sub == nil {
				sub = startTutorialSubgraph(t, root, dbURL, "notes")
			}
			sub.query(t, st)
		}
	}
	if sub == nil {
		t.Fatal("the tutorial has no marked query")
	}
}

// readTutorial returns the fenced blocks that follow a <!-- tutorial:KIND FLAGS --> line.
func readTutorial(t *testing.T, path string) []tutorialStep {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var steps []tutorialStep
	var cur *tutorialStep
	inBlock := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "<!-- tutorial:"):
			spec := strings.TrimSuffix(strings.TrimPrefix(line, "<!-- tutorial:"), " -->")
			kind, flags, _ := strings.Cut(spec, " ")
			cur = &tutorialStep{kind: kind, flags: flags, line: n}
		case cur != nil && !inBlock && strings.HasPrefix(line, "```"):
			inBlock = true
		case cur != nil && inBlock && line == "```":
			steps = append(steps, *cur)
			cur, inBlock = nil, false
		case cur != nil && inBlock:
			cur.body += line + "\n"
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return steps
}

// runTutorialLine runs one command: ergo in-process, anything else with sh in root.
func runTutorialLine(t *testing.T, root, dbURL string, docLine int, line string) {
	t.Helper()
	t.Logf("docs/modules.md:%d: $ %s", docLine, line)
	if args, ok := strings.CutPrefix(line, "ergo "); ok {
		code, stdout, stderr := run(t, strings.Fields(args)...)
		if code != 0 {
			t.Fatalf("docs/modules.md:%d: %s: exit %d\n%s%s", docLine, line, code, stdout, stderr)
		}
		return
	}
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "ERGO_DATABASE_URL="+dbURL)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("docs/modules.md:%d: %s: %v\n%s", docLine, line, err, out)
	}
}

// copyRepo copies the work tree at src into a temporary directory, leaving out git's data,
// local state and installed Node packages.
func copyRepo(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	skip := []string{".git", ".ergo", "node_modules"}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			if slices.Contains(skip, d.Name()) {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), body, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// tutorialSubgraph is a module's subgraph binary started by the test.
type tutorialSubgraph struct {
	url string
}

// startTutorialSubgraph builds and starts module's subgraph on a free local port and waits
// until it is ready; it is stopped when the test ends.
func startTutorialSubgraph(t *testing.T, root, dbURL, module string) *tutorialSubgraph {
	t.Helper()
	bin := filepath.Join(t.TempDir(), module)
	build := exec.Command("go", "build", "-o", bin, "./subgraphs/"+module+"/cmd/"+module)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", module, err, out)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var logs bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "ERGO_ADDR="+addr, "ERGO_DATABASE_URL="+dbURL, "ERGO_ROUTER_SECRET=")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})

	deadline := time.Now().Add(time.Minute)
	for {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return &tutorialSubgraph{url: "http://" + addr + "/query"}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not become ready: %v\n%s", module, err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// query posts a tutorial query as the router would, signed in when the step says so, and
// fails on any GraphQL error or empty data.
func (s *tutorialSubgraph) query(t *testing.T, st tutorialStep) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": st.body})
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, s.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if st.flags == "signed-in" {
		req.Header.Set("X-Ergo-User-ID", uuid.NewString())
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("docs/modules.md:%d: %v", st.line, err)
	}
	defer res.Body.Close()
	var out struct {
		Data   json.RawMessage   `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("docs/modules.md:%d: decode: %v", st.line, err)
	}
	if len(out.Errors) > 0 || len(out.Data) == 0 || string(out.Data) == "null" {
		t.Fatalf("docs/modules.md:%d: data %s, errors %s", st.line, out.Data, out.Errors)
	}
	t.Logf("docs/modules.md:%d: %s", st.line, out.Data)
}

// checkScaffoldedManifests checks the enabled modules' manifests and schema slices the way
// composition does, and fails on the problems in files under prefix (the scaffolded module's).
func checkScaffoldedManifests(t *testing.T, root, prefix string) {
	t.Helper()
	cfg, err := modules.Load(root, "")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := manifest.LoadEnabled(root, cfg)
	var ds manifest.Diagnostics
	if err != nil && !errors.As(err, &ds) {
		t.Fatal(err)
	}
	var schemas []manifest.Slice
	for _, m := range cfg.Enabled() {
		files, err := m.SchemaFiles(root)
		if err != nil {
			t.Fatal(err)
		}
		s := manifest.Slice{Module: m.Name}
		for _, f := range files {
			body, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
			if err != nil {
				t.Fatal(err)
			}
			s.Sources = append(s.Sources, manifest.Source{Name: f, Body: string(body)})
		}
		schemas = append(schemas, s)
	}
	for _, d := range append(ds, manifest.CheckInteractions(ms, schemas)...) {
		if strings.HasPrefix(d.File, prefix) {
			t.Errorf("scaffolded module: %v", d)
		}
	}
}
