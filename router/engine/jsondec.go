package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth bounds nesting in subgraph responses so that hostile input cannot exhaust the
// stack.
const maxJSONDepth = 512

var errJSONSyntax = errors.New("invalid JSON")

// decodeJSON parses a subgraph response into *object, []any, string, json.Number (kept as
// written), bool and nil. It avoids reflection: responses are decoded on every request.
// Strings and numbers without escape sequences share data's memory instead of being copied
// one by one, so any of them kept past the request keeps all of data: copy what a cache
// keeps. Objects, their members and lists are carved out of a few larger allocations.
func decodeJSON(data string) (any, error) {
	d := &jsonDecoder{data: data}
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	d.space()
	if d.pos != len(d.data) {
		return nil, d.errorf("trailing data")
	}
	return v, nil
}

type jsonDecoder struct {
	data string
	pos  int
	// items and members hold the elements of the arrays and the members of the objects being
	// read, innermost last, so that each is stored once at its final length.
	items   []any
	members []member
	// The slabs that finished objects, members and lists are carved from.
	objSlab    []object
	memberSlab []member
	itemSlab   []any
}

// carve returns n elements of *slab, capped at n so that appending to them copies, and takes
// a new chunk of about size elements when the slab is short. A request larger than a quarter
// of a chunk gets its own allocation rather than wasting the rest of the slab.
func carve[T any](slab *[]T, n, size int) []T {
	if n > len(*slab) {
		if n > size/4 {
			return make([]T, n)
		}
		*slab = make([]T, size)
	}
	s := (*slab)[:n:n]
	*slab = (*slab)[n:]
	return s
}

// chunk is the slab size for a response of the decoder's length, given roughly how many
// bytes of JSON each element takes at least.
func (d *jsonDecoder) chunk(bytesPer int) int {
	return min(max(len(d.data)/bytesPer, 8), 1024)
}

func (d *jsonDecoder) errorf(msg string) error {
	return fmt.Errorf("%w: %s at offset %d", errJSONSyntax, msg, d.pos)
}

func (d *jsonDecoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *jsonDecoder) value(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, d.errorf("nesting too deep")
	}
	d.space()
	if d.pos >= len(d.data) {
		return nil, d.errorf("unexpected end")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object(depth)
	case c == '[':
		return d.array(depth)
	case c == '"':
		return d.string()
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	default:
		return d.literal()
	}
}

func (d *jsonDecoder) object(depth int) (any, error) {
	d.pos++
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return d.newObject(nil), nil
	}
	base := len(d.members)
	var seen map[string]int // positions of keys, once the object is too large to scan
	for {
		d.space()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return nil, d.errorf("expected object key")
		}
		k, err := d.string()
		if err != nil {
			return nil, err
		}
		d.space()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return nil, d.errorf("expected colon")
		}
		d.pos++
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		seen = d.addMember(base, seen, k, v)
		d.space()
		if d.pos >= len(d.data) {
			return nil, d.errorf("unexpected end in object")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case '}':
			d.pos++
			o := d.newObject(d.members[base:])
			clear(d.members[base:])
			d.members = d.members[:base]
			return o, nil
		default:
			return nil, d.errorf("expected comma or end of object")
		}
	}
}

// addMember adds a member to the object being read from d.members[base:]. A repeated key
// keeps its first place and takes the later value, as encoding/json decodes it.
func (d *jsonDecoder) addMember(base int, seen map[string]int, k string, v any) map[string]int {
	cur := d.members[base:]
	if seen == nil && len(cur) > indexAfter {
		seen = make(map[string]int, 2*len(cur))
		for i, m := range cur {
			seen[m.key] = i
		}
	}
	if seen != nil {
		if i, ok := seen[k]; ok {
			cur[i].val = v
			return seen
		}
		seen[k] = len(cur)
	} else {
		for i := range cur {
			if cur[i].key == k {
				cur[i].val = v
				return seen
			}
		}
	}
	d.members = append(d.members, member{k, v})
	return seen
}

// newObject returns an object holding a copy of members.
func (d *jsonDecoder) newObject(members []member) *object {
	o := &carve(&d.objSlab, 1, d.chunk(64))[0]
	if len(members) > 0 {
		o.members = carve(&d.memberSlab, len(members), d.chunk(16))
		copy(o.members, members)
	}
	return o
}

func (d *jsonDecoder) array(depth int) (any, error) {
	d.pos++
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return []any{}, nil
	}
	base := len(d.items)
	for {
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		d.items = append(d.items, v)
		d.space()
		if d.pos >= len(d.data) {
			return nil, d.errorf("unexpected end in array")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case ']':
			d.pos++
			list := carve(&d.itemSlab, len(d.items)-base, d.chunk(64))
			copy(list, d.items[base:])
			clear(d.items[base:])
			d.items = d.items[:base]
			return list, nil
		default:
			return nil, d.errorf("expected comma or end of array")
		}
	}
}

// stringStops marks the bytes that end a run of plain ASCII inside a JSON string.
var stringStops = func() (t [256]bool) {
	for b := range 0x20 {
		t[b] = true
	}
	for b := utf8.RuneSelf; b < 256; b++ {
		t[b] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

func (d *jsonDecoder) string() (string, error) {
	start := d.pos + 1
	ascii := true
	// Until the first byte of a multi-byte character, runs end at those bytes too; after it,
	// only at what ends or escapes the string, since validity is checked once at the end.
	high, stops := uint64(highBits), &stringStops
	for i := start; i < len(d.data); i++ {
		// Skip plain runs at once, by words and then by bytes; the switch sees only the bytes
		// that end a run.
		i = plainRun(d.data, i, high)
		for i < len(d.data) && !stops[d.data[i]] {
			i++
		}
		if i == len(d.data) {
			break
		}
		switch c := d.data[i]; {
		case c == '"':
			if !ascii && !utf8.ValidString(d.data[start:i]) {
				return d.escaped(start)
			}
			d.pos = i + 1
			return d.data[start:i], nil
		case c >= utf8.RuneSelf:
			ascii = false
			high, stops = 0, &escapes
		case c == '\\':
			return d.escaped(start)
		case c < 0x20:
			d.pos = i
			return "", d.errorf("control character in string")
		}
	}
	d.pos = len(d.data)
	return "", d.errorf("unterminated string")
}

// escaped decodes a string with escape sequences, starting after its opening quote.
func (d *jsonDecoder) escaped(start int) (string, error) {
	buf := make([]byte, 0, 32)
	i := start
	for i < len(d.data) {
		c := d.data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return string(buf), nil
		case c < 0x20:
			d.pos = i
			return "", d.errorf("control character in string")
		case c >= utf8.RuneSelf:
			// Invalid UTF-8 becomes U+FFFD byte by byte, as encoding/json does.
			r, size := utf8.DecodeRuneInString(d.data[i:])
			buf = utf8.AppendRune(buf, r)
			i += size
			continue
		case c != '\\':
			buf = append(buf, c)
			i++
			continue
		}
		if i+1 >= len(d.data) {
			break
		}
		i++
		switch d.data[i] {
		case '"', '\\', '/':
			buf = append(buf, d.data[i])
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, n := d.unicode(i + 1)
			if n == 0 {
				d.pos = i
				return "", d.errorf("invalid unicode escape")
			}
			buf = utf8.AppendRune(buf, r)
			i += n
		default:
			d.pos = i
			return "", d.errorf("invalid escape")
		}
		i++
	}
	d.pos = len(d.data)
	return "", d.errorf("unterminated string")
}

// unicode reads the hex digits of \uXXXX at i (and a following low surrogate); it returns the
// rune and the number of bytes consumed after 'u' minus one, or 0 when invalid.
func (d *jsonDecoder) unicode(i int) (rune, int) {
	hex := func(at int) (rune, bool) {
		if at+4 > len(d.data) {
			return 0, false
		}
		v, err := strconv.ParseUint(d.data[at:at+4], 16, 32)
		return rune(v), err == nil
	}
	r, ok := hex(i)
	if !ok {
		return 0, 0
	}
	if utf16.IsSurrogate(r) && i+10 <= len(d.data) && d.data[i+4] == '\\' && d.data[i+5] == 'u' {
		if r2, ok := hex(i + 6); ok {
			if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
				return dec, 10
			}
		}
	}
	if utf16.IsSurrogate(r) {
		r = utf8.RuneError
	}
	return r, 4
}

// number reads a number per the JSON grammar and keeps its text.
func (d *jsonDecoder) number() (any, error) {
	start := d.pos
	i := d.pos
	if d.data[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d.data) && d.data[i] >= '0' && d.data[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(d.data) && d.data[i] == '0':
		i++
	case digits() == 0:
		d.pos = i
		return nil, d.errorf("invalid number")
	}
	if i < len(d.data) && d.data[i] == '.' {
		i++
		if digits() == 0 {
			d.pos = i
			return nil, d.errorf("invalid number")
		}
	}
	if i < len(d.data) && (d.data[i] == 'e' || d.data[i] == 'E') {
		i++
		if i < len(d.data) && (d.data[i] == '+' || d.data[i] == '-') {
			i++
		}
		if digits() == 0 {
			d.pos = i
			return nil, d.errorf("invalid number")
		}
	}
	d.pos = i
	return json.Number(d.data[start:i]), nil
}

func (d *jsonDecoder) literal() (any, error) {
	for _, l := range []struct {
		text string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if strings.HasPrefix(d.data[d.pos:], l.text) {
			d.pos += len(l.text)
			return l.v, nil
		}
	}
	return nil, d.errorf("unexpected character")
}
