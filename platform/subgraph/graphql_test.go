package subgraph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"ergo/platform/errcode"
)

func TestPresenter(t *testing.T) {
	live := context.Background()
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name     string
		ctx      context.Context
		err      error
		wantCode errcode.Code
		wantLog  string // a level that must appear in the log, "" for no line at info and above
	}{
		{
			"coded",
			live,
			&errcode.Error{Code: errcode.NotFound, Message: "no such course"},
			errcode.NotFound,
			"",
		},
		{"uncoded", live, errors.New("disk on fire"), errcode.Internal, "level=ERROR"},
		{"request ended", gone, errors.New("read rows: context canceled"), errcode.Unavailable, ""},
		{
			"NUL in text",
			live,
			fmt.Errorf("insert course: %w", &pgconn.PgError{Code: "22021"}),
			errcode.InvalidArgument,
			"",
		},
		{"canceled error, live context", live, context.Canceled, errcode.Unavailable, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))

			got := presenter(log)(tc.ctx, tc.err)

			if code := got.Extensions["code"]; code != string(tc.wantCode) {
				t.Errorf("code = %v, want %s", code, tc.wantCode)
			}
			if tc.wantLog == "" && buf.Len() > 0 {
				t.Errorf("logged %q, want nothing at info and above", buf.String())
			}
			if tc.wantLog != "" && !strings.Contains(buf.String(), tc.wantLog) {
				t.Errorf("log %q lacks %q", buf.String(), tc.wantLog)
			}
			if strings.Contains(got.Message, "disk") || strings.Contains(got.Message, "read rows") {
				t.Errorf("message %q shows an internal cause", got.Message)
			}
		})
	}
}
