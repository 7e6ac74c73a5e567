package supergraph

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// Change is one change between two supergraphs that breaks existing clients. Path names
// the element: `Course`, `Course.title`, `Query.courses(first:)` or `Status.OPEN`.
type Change struct {
	Path    string
	Message string
}

// String returns "path: message".
func (c Change) String() string { return c.Path + ": " + c.Message }

// BreakingChanges compares the API of two supergraph SDLs and lists the changes that can
// break a client written against old: removed or renamed types, fields, arguments, enum
// values, union members and interfaces; changed types; outputs made nullable; inputs made
// non-null; new required arguments and input fields. The join and link machinery and
// @inaccessible elements are not part of the API and are ignored. The list is sorted by
// path. An SDL that does not parse is an error.
func BreakingChanges(old, new []byte) ([]Change, error) {
	a, err := apiTypes("old supergraph", old)
	if err != nil {
		return nil, err
	}
	b, err := apiTypes("new supergraph", new)
	if err != nil {
		return nil, err
	}
	var changes []Change
	for name, ot := range a {
		nt, ok := b[name]
		switch {
		case !ok:
			changes = append(changes, Change{name, "type was removed"})
		case ot.Kind != nt.Kind:
			changes = append(changes, Change{name, fmt.Sprintf("kind changed from %s to %s", ot.Kind, nt.Kind)})
		default:
			changes = append(changes, compareType(ot, nt)...)
		}
	}
	sort.Slice(changes, func(i, j int) bool {
		if changes[i].Path != changes[j].Path {
			return changes[i].Path < changes[j].Path
		}
		return changes[i].Message < changes[j].Message
	})
	return changes, nil
}

// apiTypes parses a supergraph and returns its API types by name, without machinery and
// @inaccessible elements.
func apiTypes(name string, sdl []byte) (map[string]*ast.Definition, error) {
	doc, err := parser.ParseSchema(&ast.Source{Name: name, Input: string(sdl)})
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	types := map[string]*ast.Definition{}
	for _, d := range append(doc.Definitions, doc.Extensions...) {
		if machineryName(d.Name) || strings.HasPrefix(d.Name, "join__") || inaccessible(d.Directives) {
			continue
		}
		if prev := types[d.Name]; prev != nil {
			prev.Fields = append(prev.Fields, d.Fields...)
			prev.EnumValues = append(prev.EnumValues, d.EnumValues...)
			prev.Types = append(prev.Types, d.Types...)
			prev.Interfaces = append(prev.Interfaces, d.Interfaces...)
			continue
		}
		types[d.Name] = d
	}
	return types, nil
}

// inaccessible tells whether a directive list hides its element from the API.
func inaccessible(dirs ast.DirectiveList) bool {
	return dirs.ForName("inaccessible") != nil
}

// compareType compares two versions of a type of the same kind.
func compareType(a, b *ast.Definition) []Change {
	var changes []Change
	for _, i := range a.Interfaces {
		if !contains(b.Interfaces, i) {
			changes = append(changes, Change{a.Name, "no longer implements " + i})
		}
	}
	for _, m := range a.Types {
		if !contains(b.Types, m) {
			changes = append(changes, Change{a.Name, "union member " + m + " was removed"})
		}
	}
	for _, v := range a.EnumValues {
		if nv := b.EnumValues.ForName(v.Name); nv == nil || inaccessible(nv.Directives) {
			if !inaccessible(v.Directives) {
				changes = append(changes, Change{a.Name + "." + v.Name, "enum value was removed"})
			}
		}
	}
	if a.Kind == ast.InputObject {
		return append(changes, compareInputFields(a, b)...)
	}
	return append(changes, compareFields(a, b)...)
}

// compareFields compares the output fields of an object or interface.
func compareFields(a, b *ast.Definition) []Change {
	var changes []Change
	for _, f := range a.Fields {
		if inaccessible(f.Directives) {
			continue
		}
		path := a.Name + "." + f.Name
		nf := b.Fields.ForName(f.Name)
		if nf == nil || inaccessible(nf.Directives) {
			changes = append(changes, Change{path, "field was removed"})
			continue
		}
		if !safeOutput(f.Type, nf.Type) {
			changes = append(changes, Change{path, typeChange(f.Type, nf.Type, "output")})
		}
		changes = append(changes, compareArgs(path, f.Arguments, nf.Arguments)...)
	}
	return changes
}

// compareArgs compares the arguments of one field.
func compareArgs(path string, a, b ast.ArgumentDefinitionList) []Change {
	var changes []Change
	for _, arg := range a {
		if inaccessible(arg.Directives) {
			continue
		}
		at := path + "(" + arg.Name + ":)"
		na := b.ForName(arg.Name)
		switch {
		case na == nil || inaccessible(na.Directives):
			changes = append(changes, Change{at, "argument was removed"})
		case !safeInput(arg.Type, na.Type):
			changes = append(changes, Change{at, typeChange(arg.Type, na.Type, "input")})
		}
	}
	for _, na := range b {
		if a.ForName(na.Name) == nil && na.Type.NonNull && na.DefaultValue == nil {
			changes = append(changes, Change{path + "(" + na.Name + ":)", "new required argument"})
		}
	}
	return changes
}

// compareInputFields compares the fields of an input object.
func compareInputFields(a, b *ast.Definition) []Change {
	var changes []Change
	for _, f := range a.Fields {
		if inaccessible(f.Directives) {
			continue
		}
		path := a.Name + "." + f.Name
		nf := b.Fields.ForName(f.Name)
		switch {
		case nf == nil || inaccessible(nf.Directives):
			changes = append(changes, Change{path, "input field was removed"})
		case !safeInput(f.Type, nf.Type):
			changes = append(changes, Change{path, typeChange(f.Type, nf.Type, "input")})
		}
	}
	for _, nf := range b.Fields {
		if a.Fields.ForName(nf.Name) == nil && nf.Type.NonNull && nf.DefaultValue == nil {
			changes = append(changes, Change{a.Name + "." + nf.Name, "new required input field"})
		}
	}
	return changes
}

// safeOutput tells whether clients reading a value of type old can read one of type new:
// the same shape, where new may be stricter (non-null) but not looser.
func safeOutput(old, new *ast.Type) bool {
	if old.NonNull && !new.NonNull || (old.Elem == nil) != (new.Elem == nil) {
		return false
	}
	if old.Elem != nil {
		return safeOutput(old.Elem, new.Elem)
	}
	return old.NamedType == new.NamedType
}

// safeInput tells whether values clients send for type old are accepted as type new: the
// same shape, where new may be looser (nullable) but not stricter.
func safeInput(old, new *ast.Type) bool {
	if !old.NonNull && new.NonNull || (old.Elem == nil) != (new.Elem == nil) {
		return false
	}
	if old.Elem != nil {
		return safeInput(old.Elem, new.Elem)
	}
	return old.NamedType == new.NamedType
}

// typeChange describes a breaking type change of an output or input position.
func typeChange(old, new *ast.Type, side string) string {
	msg := fmt.Sprintf("type changed from %s to %s", old.String(), new.String())
	switch {
	case side == "output" && old.NonNull && !new.NonNull:
		msg += " (clients may now receive null)"
	case side == "input" && !old.NonNull && new.NonNull:
		msg += " (clients that omit it or send null now fail)"
	}
	return msg
}
