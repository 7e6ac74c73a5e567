package engine

import (
	"encoding/json"
	"testing"
)

func TestValidScalar(t *testing.T) {
	cases := []struct {
		scalar string
		val    any
		want   bool
	}{
		{"String", "a", true},
		{"String", json.Number("1"), false},
		{"ID", "u1", true},
		{"ID", json.Number("12"), true},
		{"ID", json.Number("1.5"), false},
		{"Int", json.Number("2147483647"), true},
		{"Int", json.Number("2147483648"), false},
		{"Int", json.Number("1.0"), false},
		{"Int", "1", false},
		{"Float", json.Number("1e3"), true},
		{"Float", json.Number("1e999"), false},
		{"Float", true, false},
		{"Boolean", false, true},
		{"Boolean", "true", false},
		{"DateTime", map[string]any{"any": "shape"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.scalar, func(t *testing.T) {
			if got := validScalar(tc.scalar, tc.val); got != tc.want {
				t.Errorf("validScalar(%s, %v) = %v, want %v", tc.scalar, tc.val, got, tc.want)
			}
		})
	}
}
