package logging_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"ergo/platform/logging"
)

func TestNew(t *testing.T) {
	tests := []struct {
		name, format, level string
		wantErr             string
		check               func(t *testing.T, out string)
	}{
		{name: "json", format: "json", level: "info", check: func(t *testing.T, out string) {
			var m map[string]any
			if err := json.Unmarshal([]byte(out), &m); err != nil || m["msg"] != "hello" {
				t.Errorf("not a JSON line with msg=hello: %q (%v)", out, err)
			}
		}},
		{name: "text", format: "text", level: "debug", check: func(t *testing.T, out string) {
			if !strings.Contains(out, "msg=hello") {
				t.Errorf("text line lacks msg=hello: %q", out)
			}
		}},
		{name: "bad format", format: "xml", level: "info", wantErr: `log format "xml": want text or json`},
		{
			name: "bad level", format: "text", level: "loud",
			wantErr: `log level "loud": want debug, info, warn or error`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log, err := logging.New(&buf, tt.format, tt.level)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("New error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			log.Info("hello")
			tt.check(t, buf.String())
		})
	}
}

func TestRequestIDs(t *testing.T) {
	tests := []struct {
		name, in string
		keep     bool
	}{
		{name: "kept", in: "abc-123", keep: true},
		{name: "missing", in: ""},
		{name: "injection refused", in: "a\nlevel=ERROR"},
		{name: "too long", in: strings.Repeat("a", 65)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen string
			h := logging.RequestIDs(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen = logging.RequestID(r.Context())
			}))
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set(logging.RequestIDHeader, tt.in)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			if got := rec.Header().Get(logging.RequestIDHeader); got != seen || seen == "" {
				t.Fatalf("response id %q, context id %q", got, seen)
			}
			if tt.keep != (seen == tt.in) {
				t.Errorf("id = %q, kept incoming %q = %v, want %v", seen, tt.in, seen == tt.in, tt.keep)
			}
		})
	}
}
