package engine

// Strings are scanned eight bytes at a time where most of them need nothing done: review
// bodies and descriptions are long runs of plain text.

const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// word reads the eight bytes of s at i as a little-endian number; the compiler turns it into
// one load.
func word(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// hasStop reports whether a byte of w is a control character, a quote or a backslash, or,
// with high set to highBits, a byte of a multi-byte UTF-8 sequence. It may also report a
// byte next to one of those, never one in a word without them.
func hasStop(w, high uint64) bool {
	q := w ^ (lowBits * '"')
	b := w ^ (lowBits * '\\')
	r := (w-lowBits*0x20)&^w | (q-lowBits)&^q | (b-lowBits)&^b | w&high
	return r&highBits != 0
}

// plainRun returns the first index from i on where a word of s may hold a stop (hasStop),
// or where fewer than eight bytes are left.
func plainRun(s string, i int, high uint64) int {
	for i+8 <= len(s) && !hasStop(word(s, i), high) {
		i += 8
	}
	return i
}
