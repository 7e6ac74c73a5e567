package main

import (
	"runtime/debug"
	"testing"
)

func TestSetGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	cases := []struct {
		gogc    string
		ok      bool
		percent int // the collector's target after the call
	}{
		{gogc: "", ok: true, percent: gcPercent},
		{gogc: "150", ok: true, percent: 100},
		{gogc: "0", ok: true, percent: 100},
		{gogc: "off", ok: true, percent: 100},
		{gogc: "abc", ok: false, percent: 100},
		{gogc: "200x", ok: false, percent: 100},
		{gogc: "-50", ok: false, percent: 100},
	}
	for _, tc := range cases {
		t.Run(tc.gogc, func(t *testing.T) {
			debug.SetGCPercent(100)
			err := setGC(tc.gogc)
			if (err == nil) != tc.ok {
				t.Fatalf("setGC(%q) = %v, want ok=%v", tc.gogc, err, tc.ok)
			}
			// A value that is set is left to the runtime, which read it at start.
			if got := debug.SetGCPercent(100); got != tc.percent {
				t.Errorf("after setGC(%q) the target is %d, want %d", tc.gogc, got, tc.percent)
			}
		})
	}
}
