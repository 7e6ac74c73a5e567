package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ergo/platform/logging"
	"ergo/platform/server"
)

func TestReadyz(t *testing.T) {
	tests := []struct {
		name       string
		checks     map[string]server.Check
		wantStatus int
		wantBody   string
	}{
		{
			"all ok",
			map[string]server.Check{"database": ok},
			200,
			`{"status":"ok","checks":{"database":"ok"}}`,
		},
		{
			"one down",
			map[string]server.Check{"database": down, "cache": ok},
			503,
			`{"status":"down","checks":{"cache":"ok","database":"down"}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			server.Health(mux, logging.Discard(), tt.checks)
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			if rec.Code != tt.wantStatus || strings.TrimSpace(rec.Body.String()) != tt.wantBody {
				t.Errorf("readyz = %d %s, want %d %s", rec.Code, rec.Body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}

func ok(context.Context) error   { return nil }
func down(context.Context) error { return errors.New("connection refused") }

func TestFromRouter(t *testing.T) {
	tests := []struct {
		name       string
		secret     string
		header     map[string]string
		wantStatus int
		want       server.Principal
		wantAddr   string
	}{
		{
			"no secret configured", "",
			map[string]string{server.HeaderUserID: "u1"},
			200,
			server.Principal{UserID: "u1"},
			"",
		},
		{
			"right secret", "s",
			map[string]string{
				server.HeaderRouterSecret: "s",
				server.HeaderUserID:       "u1", server.HeaderUserRoles: "student,teacher",
				server.HeaderClientAddr: "192.0.2.7",
			},
			200,
			server.Principal{UserID: "u1", Roles: []string{"student", "teacher"}},
			"192.0.2.7",
		},
		{
			"missing secret", "s",
			map[string]string{server.HeaderUserID: "u1", server.HeaderClientAddr: "192.0.2.7"},
			403,
			server.Principal{},
			"",
		},
		{"wrong secret", "s", map[string]string{server.HeaderRouterSecret: "x"}, 403, server.Principal{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got server.Principal
			var addr string
			h := server.FromRouter(tt.secret, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got, addr = server.PrincipalFrom(r.Context()), server.ClientAddrFrom(r.Context())
			}))
			req := httptest.NewRequest(http.MethodPost, "/query", nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("principal (-want +got):\n%s", diff)
			}
			if addr != tt.wantAddr {
				t.Errorf("client address = %q, want %q", addr, tt.wantAddr)
			}
		})
	}
}
