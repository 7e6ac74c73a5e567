package testenv

import (
	"testing"
)

// recorder catches what Missing does to a test without stopping the real one.
type recorder struct {
	testing.TB
	failed, skipped bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
func (r *recorder) Skip(...any)           { r.skipped = true }

func TestMissing(t *testing.T) {
	cases := []struct {
		name        string
		strict      string
		wantFail    bool
		wantSkipped bool
	}{
		{"developer machine", "", false, true},
		{"make test", "1", true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(StrictVar, tc.strict)
			r := &recorder{TB: t}

			Missing(r, "chromium not found")

			if r.failed != tc.wantFail || r.skipped != tc.wantSkipped {
				t.Errorf("failed=%v skipped=%v, want failed=%v skipped=%v",
					r.failed, r.skipped, tc.wantFail, tc.wantSkipped)
			}
		})
	}
}
