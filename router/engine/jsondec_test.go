package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// stdDecode decodes with encoding/json, numbers kept as json.Number, for comparison.
func stdDecode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// largeObject is the start of an object with more members than an object scans.
var largeObject = func() string {
	var b strings.Builder
	b.WriteString("{")
	for i := range indexAfter + 4 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%02d":%d`, i, i)
	}
	return b.String()
}()

func TestDecodeJSON(t *testing.T) {
	cases := []struct {
		name, in string
		ok       bool
	}{
		{"object", `{"a":[1,-2.5e3,true,false,null],"b":{"c":"d"}}`, true},
		{"escapes", `"a\"b\\c\/d\n\t\u00e9\ud83d\ude00"`, true},
		{"lone surrogate", `"\ud800x"`, true},
		{"empty containers", ` { "a" : [ ] , "b" : { } } `, true},
		{"repeated key", `{"a":1,"b":2,"a":3}`, true},
		{"repeated key in a large object", largeObject + `,"k03":"again"}`, true},
		{"leading zero", `01`, false},
		{"bad fraction", `1.`, false},
		{"bad exponent", `1e`, false},
		{"trailing comma", `[1,]`, false},
		{"unterminated", `{"a":"b`, false},
		{"trailing data", `{} x`, false},
		{"control character", "\"a\x01\"", false},
		{"bare word", `nul`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeJSON(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if !tc.ok {
				return
			}
			want, err := stdDecode([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, toPlain(got)); diff != "" {
				t.Errorf("(-encoding/json +ours):\n%s", diff)
			}
		})
	}
}

func TestDecodeJSONDepth(t *testing.T) {
	deep := bytes.Repeat([]byte("["), maxJSONDepth+2)
	if _, err := decodeJSON(string(deep)); err == nil {
		t.Error("no error for nesting beyond the limit")
	}
}

// FuzzDecodeJSON checks the decoder against encoding/json on valid input and that it rejects
// what json.Valid rejects.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5,"x\u0041"]}`, `[]`, `"\ud83d\ude00"`, `-0.0e+1`, `{"a":}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeJSON(string(data))
		if !json.Valid(data) {
			if err == nil {
				t.Fatalf("accepted invalid JSON %q", data)
			}
			return
		}
		if bytes.Count(data, []byte("[")) > maxJSONDepth/2 {
			return
		}
		if err != nil {
			t.Fatalf("rejected valid JSON %q: %v", data, err)
		}
		want, err := stdDecode(data)
		if err != nil {
			t.Skip()
		}
		if diff := cmp.Diff(want, toPlain(got)); diff != "" {
			t.Fatalf("%q (-encoding/json +ours):\n%s", data, diff)
		}
	})
}

// BenchmarkDecodeString decodes long strings of plain ASCII, of Latin text with accents and
// of Japanese text.
func BenchmarkDecodeString(b *testing.B) {
	for _, tc := range []struct{ name, text string }{
		{"ascii", "The quick brown fox jumps over the lazy dog. "},
		{"latin", "Élève très appliquée, à l'écoute et sérieuse. "},
		{"japanese", "学生は毎日図書館で勉強しています。"},
	} {
		in := `"` + strings.Repeat(tc.text, 1024/len(tc.text)) + `"`
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if _, err := decodeJSON(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
