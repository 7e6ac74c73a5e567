package engine

import (
	"maps"
	"slices"
)

// object is a JSON object of the merged data: its members in the order they arrived, each key
// once. Objects in subgraph answers have a handful of members, and comparing a few strings
// costs less than hashing one, so members are found by a scan; an object that grows past
// indexAfter members gets an index, so that a huge object cannot make lookups quadratic.
type object struct {
	members []member
	index   map[string]int
}

// member is one key and value of an object.
type member struct {
	key string
	val any
}

// indexAfter is the number of members up to which an object is searched by a scan.
const indexAfter = 16

// find returns the position of key in o, or -1. A nil object has no members.
func (o *object) find(key string) int {
	if o == nil {
		return -1
	}
	if len(o.members) > indexAfter {
		if o.index == nil || len(o.index) != len(o.members) {
			o.reindex()
		}
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i := range o.members {
		if o.members[i].key == key {
			return i
		}
	}
	return -1
}

func (o *object) reindex() {
	o.index = make(map[string]int, len(o.members))
	for i, m := range o.members {
		o.index[m.key] = i
	}
}

// get returns the value of key; nil and false when o has no such member.
func (o *object) get(key string) (any, bool) {
	if i := o.find(key); i >= 0 {
		return o.members[i].val, true
	}
	return nil, false
}

// value returns the value of key, nil when o has no such member.
func (o *object) value(key string) any {
	v, _ := o.get(key)
	return v
}

// set replaces the value of key or adds the member at the end.
func (o *object) set(key string, val any) {
	if i := o.find(key); i >= 0 {
		o.members[i].val = val
		return
	}
	o.add(key, val)
}

// add adds a member that o does not have.
func (o *object) add(key string, val any) {
	o.members = append(o.members, member{key, val})
	if o.index != nil {
		o.index[key] = len(o.members) - 1
	}
}

// rename gives the member key the name to, in its place. A member already named to takes
// its value instead, and key's member goes.
func (o *object) rename(key, to string) {
	i := o.find(key)
	if i < 0 || key == to {
		return
	}
	j := o.find(to)
	if j < 0 {
		o.members[i].key = to
		if o.index != nil {
			delete(o.index, key)
			o.index[to] = i
		}
		return
	}
	o.members[j].val = o.members[i].val
	o.members = append(o.members[:i], o.members[i+1:]...)
	o.index = nil
}

// toPlain returns v with every object turned into a map[string]any, for code outside the
// engine (field middleware) that expects the shapes encoding/json decodes into.
func toPlain(v any) any {
	switch v := v.(type) {
	case *object:
		m := make(map[string]any, len(v.members))
		for _, mb := range v.members {
			m[mb.key] = toPlain(mb.val)
		}
		return m
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = toPlain(item)
		}
		return out
	}
	return v
}

// fromPlain is the inverse of toPlain: maps become objects, with their members in key order.
func fromPlain(v any) any {
	switch v := v.(type) {
	case map[string]any:
		o := &object{members: make([]member, 0, len(v))}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			o.members = append(o.members, member{k, fromPlain(v[k])})
		}
		return o
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = fromPlain(item)
		}
		return out
	}
	return v
}
