package engine

import (
	"bytes"
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

func TestWriteString(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "Hello, world", `"Hello, world"`},
		{"empty", "", `""`},
		{"quotes and backslash", `say "hi" \ bye`, `"say \"hi\" \\ bye"`},
		{"control characters", "a\nb\tc\rd\x00e\x1f", `"a\nb\tc\rd\u0000e\u001f"`},
		{"multibyte UTF-8 as it is", "é ü 😀 \u2028", "\"é ü 😀 \u2028\""},
		{"invalid UTF-8 replaced", "a\xffb\xc3", `"a\ufffdb\ufffd"`},
		{"invalid UTF-8 with escapes", "\"\xff\n", `"\"\ufffd\n"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			writeString(&buf, tc.in)
			if got := buf.String(); got != tc.want {
				t.Errorf("writeString(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzWriteString checks that every string is written as valid JSON that decodes to what
// encoding/json's encoding of it decodes to.
func FuzzWriteString(f *testing.F) {
	for _, s := range []string{"plain", "a\"b\\c\n", "\xff\xfe", "é😀\u2028", "\x00\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		writeString(&buf, s)
		var got, want string
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
			t.Fatalf("writeString(%q) = %s, not a JSON string: %v", s, buf.Bytes(), err)
		}
		std, _ := json.Marshal(s)
		_ = json.Unmarshal(std, &want)
		if got != want {
			t.Fatalf("writeString(%q) decodes to %q, encoding/json's to %q", s, got, want)
		}
	})
}
