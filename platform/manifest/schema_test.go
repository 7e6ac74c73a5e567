package manifest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"ergo/platform/modules"
)

// schemaFile is the published JSON Schema of module.yaml, relative to this package.
const schemaFile = "../../frontend-contract/module.schema.json"

// TestSchemaAgrees checks that the published JSON Schema and Parse accept and reject the
// same manifests: every module's module.yaml and the cases under testdata/agree.
func TestSchemaAgrees(t *testing.T) {
	sch := compileSchema(t)
	// The modules' own manifests must only be judged alike: whether they are valid is
	// what `ergo compose` checks.
	tests := []struct {
		glob      string
		accept    bool
		agreeOnly bool
	}{
		{"testdata/agree/good/*.yaml", true, false},
		{"testdata/agree/bad/*.yaml", false, false},
		{"../../subgraphs/*/" + FileName, true, true},
	}
	for _, tt := range tests {
		files, err := filepath.Glob(tt.glob)
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			t.Run(file, func(t *testing.T) {
				body, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				_, goErr := Parse(file, body)
				schemaErr := validateYAML(sch, body)
				if tt.agreeOnly {
					if (goErr == nil) != (schemaErr == nil) {
						t.Errorf("Parse and the schema disagree:\nParse: %v\nschema: %v", goErr, schemaErr)
					}
					return
				}
				if (goErr == nil) != tt.accept {
					t.Errorf("Parse: accept = %v, want %v (err: %v)", goErr == nil, tt.accept, goErr)
				}
				if (schemaErr == nil) != tt.accept {
					t.Errorf("schema: accept = %v, want %v (err: %v)", schemaErr == nil, tt.accept, schemaErr)
				}
			})
		}
	}
}

// TestSchemaPatterns checks that the schema spells the name, version and range grammars
// exactly as the Go parser does.
func TestSchemaPatterns(t *testing.T) {
	var s struct {
		Properties struct {
			Name    struct{ Pattern string }
			Version struct{ Pattern string }
			Depends struct {
				AdditionalProperties struct{ Pattern string }
			}
		}
	}
	body, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  string
		want *regexp.Regexp
	}{
		{"name", s.Properties.Name.Pattern, namePattern},
		{"version", s.Properties.Version.Pattern, versionPattern},
		{"range", s.Properties.Depends.AdditionalProperties.Pattern, rangePattern},
	}
	for _, tt := range tests {
		if tt.got != tt.want.String() {
			t.Errorf("%s pattern:\nschema %s\nGo     %s", tt.name, tt.got, tt.want)
		}
	}
}

func compileSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	body, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("module.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("module.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// validateYAML validates a YAML document against sch, the way an editor with a YAML
// language server does: as the JSON value the YAML denotes.
func validateYAML(sch *jsonschema.Schema, body []byte) error {
	var v any
	if err := yaml.Unmarshal(body, &v); err != nil {
		return err
	}
	js, err := json.Marshal(v)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// TestRegistrySchema checks that registry entries built from manifests are what the client
// contract, frontend-contract/modules.schema.json, describes.
func TestRegistrySchema(t *testing.T) {
	body, err := os.ReadFile("../../frontend-contract/modules.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("modules.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("modules.schema.json")
	if err != nil {
		t.Fatal(err)
	}

	var entries []RegistryEntry
	files, _ := filepath.Glob("testdata/agree/good/*.yaml")
	for _, file := range files {
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Parse(file, body)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, m.Entry(true))
	}
	if len(entries) < 2 {
		t.Fatalf("only %d manifests to check", len(entries))
	}
	js, err := json.Marshal(entries)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("registry JSON %s does not match the contract: %v", js, err)
	}
}

func TestRegistry(t *testing.T) {
	root := t.TempDir()
	for dir, body := range map[string]string{
		"subgraphs/lms": "name: lms\nversion: 0.2.0\ntitle: Learning\napps: [{name: quizzes, title: Quizzes}]\n" +
			"navigation: [{title: Courses, route: /courses, order: 20}]\n",
		"subgraphs/old": "name: old\nversion: 1.0.0\ntitle: Old\n",
	} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, dir, FileName), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := modules.Parse("ergo.yaml", []byte("modules:\n"+
		"  - {name: search, url: http://127.0.0.1:4010/graphql}\n"+
		"  - {name: lms, dir: subgraphs/lms, port: 4003}\n"+
		"  - {name: old, dir: subgraphs/old, port: 4004, disabled: true}\n"))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := Registry(root, cfg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(entries)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"name":"search","version":"","title":"search","description":null,"core":false,"healthy":false,"navigation":[],"apps":[]},` +
		`{"name":"lms","version":"0.2.0","title":"Learning","description":null,"core":false,"healthy":false,` +
		`"navigation":[{"title":"Courses","icon":null,"route":"/courses","order":20}],` +
		`"apps":[{"name":"quizzes","title":"Quizzes","description":null}]}]`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("registry JSON (-want +got):\n%s", diff)
	}

	if err := os.WriteFile(filepath.Join(root, "subgraphs/lms", FileName), []byte("name: lms\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Registry(root, cfg); err == nil || !strings.HasPrefix(err.Error(), "module lms: ") ||
		!strings.Contains(err.Error(), "subgraphs/lms/module.yaml:1: version is missing") {
		t.Errorf("Registry with a bad manifest = %v", err)
	}
}
