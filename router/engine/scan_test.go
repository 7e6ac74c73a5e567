package engine

import (
	"math/rand/v2"
	"testing"
)

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

// TestHasStopRandomWords checks words with several stops and bytes of every kind against a
// byte-by-byte answer.
func TestHasStopRandomWords(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := []byte{0x00, 0x1f, 0x20, 0x21, '"', 0x23, '\\', 0x5b, 0x5d, 'a', 0x7f, 0x80, 0xc3, 0xff}
	for range 200_000 {
		var b [8]byte
		for i := range b {
			b[i] = pick[rng.IntN(len(pick))]
		}
		s := string(b[:])
		stop, high := false, false
		for _, c := range b {
			stop = stop || c < 0x20 || c == '"' || c == '\\'
			high = high || c >= 0x80
		}
		if got := hasStop(word(s, 0), 0); got != stop {
			t.Fatalf("hasStop(%q, 0) = %v, want %v", s, got, stop)
		}
		if got := hasStop(word(s, 0), highBits); got != (stop || high) {
			t.Fatalf("hasStop(%q, highBits) = %v, want %v", s, got, stop || high)
		}
	}
}
