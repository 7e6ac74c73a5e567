package engine

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestObjectMembers(t *testing.T) {
	for _, size := range []int{3, indexAfter + 5} {
		t.Run(fmt.Sprintf("%d members", size), func(t *testing.T) {
			o := &object{}
			want := map[string]any{}
			for i := range size {
				k := fmt.Sprintf("k%d", i)
				o.set(k, i)
				want[k] = i
			}
			o.set("k1", "replaced")
			want["k1"] = "replaced"
			o.rename("k2", "renamed")
			delete(want, "k2")
			want["renamed"] = 2
			o.rename("k0", "k1") // replaces k1
			want["k1"] = 0
			delete(want, "k0")
			o.set("late", true)
			want["late"] = true

			if diff := cmp.Diff(want, toPlain(o)); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
			for k, v := range want {
				if got, ok := o.get(k); !ok || got != v {
					t.Errorf("get(%q) = %v, %v; want %v", k, got, ok, v)
				}
			}
			if _, ok := o.get("k2"); ok {
				t.Error("the renamed key is still there")
			}
			if n := len(o.members); n != len(want) {
				t.Errorf("%d members, want %d", n, len(want))
			}
		})
	}
}

func TestNilObjectHasNoMembers(t *testing.T) {
	var o *object
	if v, ok := o.get("a"); ok || v != nil {
		t.Errorf("get on nil = %v, %v", v, ok)
	}
}

func TestPlainRoundTrip(t *testing.T) {
	in := map[string]any{"b": []any{map[string]any{"c": "d"}, 1.5}, "a": nil}
	if diff := cmp.Diff(in, toPlain(fromPlain(in))); diff != "" {
		t.Errorf("(-in +round trip):\n%s", diff)
	}
}
