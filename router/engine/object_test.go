package engine

import (
	"encoding/json"
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

func TestDecodedMembersInOrder(t *testing.T) {
	cases := []struct {
		name, in string
		want     []member
	}{
		{"repeated key keeps its place", `{"b":1,"a":2,"b":3}`, []member{
			{"b", json.Number("3")}, {"a", json.Number("2")},
		}},
		{"repeated key in a large object", largeObject + `,"k03":"again","z":0}`, func() []member {
			var out []member
			for i := range indexAfter + 4 {
				out = append(out, member{fmt.Sprintf("k%02d", i), json.Number(fmt.Sprint(i))})
			}
			out[3].val = "again"
			return append(out, member{"z", json.Number("0")})
		}()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := decodeJSON(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, v.(*object).members, cmp.AllowUnexported(member{})); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenameKeepsThePlace(t *testing.T) {
	for _, size := range []int{3, indexAfter + 5} {
		t.Run(fmt.Sprintf("%d members", size), func(t *testing.T) {
			o := &object{}
			for i := range size {
				o.set(fmt.Sprintf("k%d", i), i)
			}
			o.get("k0") // builds the index of a large object
			o.rename("k1", "one")
			if o.members[1].key != "one" || o.members[1].val != 1 {
				t.Errorf("member 1 = %v, want one: 1", o.members[1])
			}
			if v, ok := o.get("one"); !ok || v != 1 {
				t.Errorf("get(one) = %v, %v", v, ok)
			}
			if _, ok := o.get("k1"); ok {
				t.Error("k1 is still found")
			}
		})
	}
}

// Objects and lists decoded side by side share the chunks they were carved from; changing
// one must leave its neighbours as they were.
func TestDecodedNeighboursStayApart(t *testing.T) {
	v, err := decodeJSON(`[{"a":1,"b":2},{"c":3},[4,5],{"d":6}]`)
	if err != nil {
		t.Fatal(err)
	}
	list := v.([]any)
	first := list[0].(*object)
	first.set("x", "new")
	first.rename("a", "c")
	first.set("y", "more")
	want := []any{
		map[string]any{"c": json.Number("1"), "b": json.Number("2"), "x": "new", "y": "more"},
		map[string]any{"c": json.Number("3")},
		[]any{json.Number("4"), json.Number("5")},
		map[string]any{"d": json.Number("6")},
	}
	if diff := cmp.Diff(want, toPlain(list)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
