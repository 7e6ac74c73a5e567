package engine

import "testing"

func TestHasStop(t *testing.T) {
	plain := "abcdefgh"
	for b := range 256 {
		for at := range 8 {
			s := plain[:at] + string([]byte{byte(b)}) + plain[at+1:]
			w := word(s, 0)
			stop := b < 0x20 || b == '"' || b == '\\'
			if got := hasStop(w, 0); got != stop {
				t.Fatalf("hasStop(%q, 0) = %v, want %v", s, got, stop)
			}
			if got := hasStop(w, highBits); got != (stop || b >= 0x80) {
				t.Fatalf("hasStop(%q, highBits) = %v, want %v", s, got, stop || b >= 0x80)
			}
		}
	}
}
