package lms_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ergo/platform/errcode"
	"ergo/subgraphs/lms"
)

func fieldOf(err error) string {
	var e *errcode.Error
	if !errors.As(err, &e) || e.Code != errcode.InvalidArgument {
		return ""
	}
	return e.Field
}

func TestParseModuleURLs(t *testing.T) {
	tests := []struct {
		in      string
		want    map[string]string
		wantErr bool
	}{
		{"", map[string]string{}, false},
		{"bi=http://localhost:4004", map[string]string{"bi": "http://localhost:4004"}, false},
		{" identity=http://a:1 , bi=https://b ", map[string]string{"identity": "http://a:1", "bi": "https://b"}, false},
		{"bi", nil, true},
		{"bi=localhost:4004", nil, true},
		{"=http://a", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := lms.ParseModuleURLs(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && !cmp.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func FuzzParseModuleURLs(f *testing.F) {
	for _, s := range []string{"", "bi=http://localhost:4004", "a=http://x,b=https://y", "=,=,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		urls, err := lms.ParseModuleURLs(s)
		if err != nil {
			return
		}
		for name, url := range urls {
			if name == "" || url == "" {
				t.Errorf("accepted an empty name or URL in %q", s)
			}
		}
	})
}

func TestLoadSubscribers(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"ergo.yaml": "modules:\n" +
			"  - {name: lms, dir: subgraphs/lms, port: 4003}\n" +
			"  - {name: bi, dir: subgraphs/bi, port: 4004}\n" +
			"  - {name: notes, dir: subgraphs/notes, port: 4005}\n" +
			"  - {name: search, url: 'http://127.0.0.1:4010/graphql'}\n",
		"subgraphs/lms/module.yaml": "name: lms\nversion: 0.1.0\ntitle: L\n" +
			"events: {publishes: [attempt.submitted, course.created]}\n",
		"subgraphs/bi/module.yaml": "name: bi\nversion: 0.1.0\ntitle: B\ninteracts: [lms]\n" +
			"events: {consumes: [lms.attempt.submitted, lms.course.created]}\n",
		"subgraphs/notes/module.yaml": "name: notes\nversion: 0.1.0\ntitle: N\ninteracts: [lms]\n" +
			"events: {consumes: [lms.attempt.submitted, other.attempt.submitted]}\n",
	}
	for name, body := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, root, enabled string
		want                map[string][]string
	}{
		{"every enabled module", root, "", map[string][]string{
			"attempt.submitted": {"bi", "notes"}, "course.created": {"bi"},
		}},
		{"ERGO_MODULES", root, "lms,notes,search", map[string][]string{"attempt.submitted": {"notes"}}},
		{"this repository", "../..", "", map[string][]string{
			"attempt.submitted": {"bi"}, "course.teachers.changed": {"bi"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := lms.LoadSubscribers(tt.root, tt.enabled)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("subscribers (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := lms.LoadSubscribers(t.TempDir(), ""); err == nil {
		t.Error("no error for a root without ergo.yaml")
	}
}
