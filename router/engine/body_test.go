package engine

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestReadBody(t *testing.T) {
	cases := []struct {
		name    string
		body    string
		length  int64
		limit   int64
		want    string
		wantErr string
	}{
		{name: "known length", body: `{"data":{}}`, length: 11, limit: 100, want: `{"data":{}}`},
		{name: "unknown length", body: `{"data":{}}`, length: -1, limit: 100, want: `{"data":{}}`},
		{name: "shorter than its length", body: `{"da`, length: 11, limit: 100, wantErr: "unexpected EOF"},
		{
			name:    "known length over the limit",
			body:    `{"data":{}}`,
			length:  11,
			limit:   5,
			wantErr: "larger than 5 bytes",
		},
		{
			name:    "unknown length over the limit",
			body:    `{"data":{}}`,
			length:  -1,
			limit:   5,
			wantErr: "larger than 5 bytes",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := &http.Response{ContentLength: tc.length, Body: io.NopCloser(strings.NewReader(tc.body))}
			got, err := readBody(res, tc.limit)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("readBody = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
