package config_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ergo/platform/config"
)

type sample struct {
	Addr    string        `env:"ADDR" envDefault:":4000"`
	Timeout time.Duration `env:"TIMEOUT" envDefault:"5s"`
	Limit   int           `env:"LIMIT" envDefault:"10"`
	Debug   bool          `env:"DEBUG"`
}

func (s *sample) Validate() error {
	if s.Limit < 1 {
		return config.Invalid("LIMIT", "0", "a whole number of at least 1")
	}
	return nil
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		environ []string
		want    sample
		wantErr string
	}{
		{
			name: "defaults",
			want: sample{Addr: ":4000", Timeout: 5 * time.Second, Limit: 10},
		},
		{
			name:    "values",
			environ: []string{"ERGO_ADDR=:9", "ERGO_TIMEOUT=1m", "ERGO_DEBUG=true", "OTHER=x"},
			want:    sample{Addr: ":9", Timeout: time.Minute, Limit: 10, Debug: true},
		},
		{
			name:    "bad duration names the variable",
			environ: []string{"ERGO_TIMEOUT=soon"},
			wantErr: `ERGO_TIMEOUT="soon" is invalid: want a duration such as 500ms, 10s or 1m`,
		},
		{
			name:    "two bad values are both reported",
			environ: []string{"ERGO_LIMIT=many", "ERGO_DEBUG=perhaps"},
			wantErr: `ERGO_LIMIT="many" is invalid: want a whole number` + "\n" +
				`ERGO_DEBUG="perhaps" is invalid: want true or false`,
		},
		{
			name:    "validation",
			environ: []string{"ERGO_LIMIT=0"},
			wantErr: `ERGO_LIMIT="0" is invalid: want a whole number of at least 1`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got sample
			err := config.Load(&got, tt.environ)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Load error = %v, want %q", err, tt.wantErr)
				}
				var cerr *config.Error
				if !errors.As(err, &cerr) {
					t.Fatalf("Load error %T does not unwrap to *config.Error", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Load mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
