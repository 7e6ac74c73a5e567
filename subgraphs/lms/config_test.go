package lms_test

import (
	"errors"
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
