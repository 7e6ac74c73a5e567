package manifest

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// index holds where each key and value of a manifest's YAML is, so that the YAML library's
// errors, which give a line and Go types, can be told in the file's own terms.
type index struct {
	// lines maps a key path such as "depends.identity" or "navigation[1]" to its line.
	lines map[string]int
	// values lists every value with its key path, in document order (parents first).
	values []pathValue
}

// pathValue is one value of the document and the key path that leads to it ("" for the root).
type pathValue struct {
	path string
	node *yaml.Node
}

// record indexes n, found at key path, and everything under it.
func (ix *index) record(path string, n *yaml.Node) {
	ix.values = append(ix.values, pathValue{path, n})
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			if path != "" {
				key = path + "." + key
			}
			ix.lines[key] = n.Content[i].Line
			ix.record(key, n.Content[i+1])
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			key := fmt.Sprintf("%s[%d]", path, i)
			ix.lines[key] = item.Line
			ix.record(key, item)
		}
	}
}

// The YAML library's messages that name Go types, and the manifest's types they name.
var (
	unknownField = regexp.MustCompile(`^field (.+) not found in type (?:manifest\.)?(\w+)$`)
	wrongKind    = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.+)$")
	keyTwice     = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)
	yamlTypes    = map[string]reflect.Type{
		"Manifest": reflect.TypeFor[Manifest](),
		"Header":   reflect.TypeFor[Header](),
		"Events":   reflect.TypeFor[Events](),
		"App":      reflect.TypeFor[App](),
		"NavEntry": reflect.TypeFor[NavEntry](),
	}
)

// yamlDiagnostics turns the YAML library's "line N: message" errors into diagnostics, in the
// terms of the file: keys and kinds of values, not Go types. ix, when known, names the key a
// value belongs to.
func yamlDiagnostics(file string, err error, ix *index) Diagnostics {
	msgs := []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	var ds Diagnostics
	for _, msg := range msgs {
		d := Diagnostic{File: file, Message: msg}
		if rest, ok := strings.CutPrefix(msg, "line "); ok {
			n, text, _ := strings.Cut(rest, ": ")
			if line, err := strconv.Atoi(n); err == nil {
				d.Line, d.Message = line, text
			}
		}
		d.Message = ix.explain(d.Line, d.Message)
		ds = append(ds, d)
	}
	return ds
}

// explain rewrites one message of the YAML library found at line; other messages are kept.
func (ix *index) explain(line int, msg string) string {
	if sm := unknownField.FindStringSubmatch(msg); sm != nil {
		return ix.unknownKey(line, sm[1], sm[2])
	}
	if sm := keyTwice.FindStringSubmatch(msg); sm != nil {
		return fmt.Sprintf("key %q given twice (first at line %s)", sm[1], sm[2])
	}
	sm := wrongKind.FindStringSubmatch(msg)
	if sm == nil {
		return msg
	}
	got := map[string]string{"seq": "a list", "map": "a mapping", "null": "an empty value"}[sm[1]]
	if got == "" {
		got = strconv.Quote(sm[2])
	}
	msg = fmt.Sprintf("want %s, not %s", want(sm[3]), got)
	if path := ix.valuePath(line, sm[1], sm[2]); path != "" {
		msg = path + ": " + msg
	}
	return msg
}

// unknownKey describes key, unknown in the Go type typ, at line.
func (ix *index) unknownKey(line int, key, typ string) string {
	where := ""
	if ix != nil {
		for path, l := range ix.lines {
			parent, ok := strings.CutSuffix(path, "."+key)
			if l == line && ok {
				where = " in " + parent
			}
		}
	}
	msg := fmt.Sprintf("unknown key %q%s", key, where)
	if t, ok := yamlTypes[typ]; ok {
		msg += " (known keys: " + strings.Join(yamlKeys(t), ", ") + ")"
	}
	return msg
}

// valuePath returns the key path of the innermost value at line of the given YAML kind
// (seq, map or a scalar's tag) and scalar text, or "" when there is none.
func (ix *index) valuePath(line int, tag, text string) string {
	if ix == nil {
		return ""
	}
	path := ""
	for _, v := range ix.values {
		n := v.node
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		kind := map[yaml.Kind]string{yaml.SequenceNode: "seq", yaml.MappingNode: "map"}[n.Kind]
		if n.Line == line && (kind == tag || kind == "" && n.Value == text) {
			path = v.path
		}
	}
	return path
}

// onlyUnknownKeys tells whether err is a decoding error made only of unknown keys.
func onlyUnknownKeys(err error) bool {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return false
	}
	for _, msg := range te.Errors {
		if !strings.Contains(msg, " not found in type ") {
			return false
		}
	}
	return true
}

// want describes a Go type of the manifest in the file's terms.
func want(goType string) string {
	switch goType = strings.TrimPrefix(goType, "manifest."); {
	case goType == "bool":
		return "true or false"
	case goType == "int":
		return "a whole number"
	case goType == "string":
		return "a single value"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case yamlTypes[goType] != nil:
		return "a mapping (keys " + strings.Join(yamlKeys(yamlTypes[goType]), ", ") + ")"
	}
	return "a mapping"
}

// yamlKeys returns the YAML keys of the struct type t, in field order.
func yamlKeys(t reflect.Type) []string {
	var keys []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			keys = append(keys, name)
		}
	}
	return keys
}
