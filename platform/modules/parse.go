package modules

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// moduleKeys are the keys of one module in ergo.yaml, in the order the docs give them.
var moduleKeys = []string{"name", "dir", "port", "url", "disabled"}

// Parse parses the content of ergo.yaml; name is used in diagnostics (`name:line: message`).
// Unknown keys, values of the wrong kind, bad names, modules or ports listed twice and
// missing addresses are errors, all reported at once, in the file's own terms.
func Parse(name string, body []byte) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	p := &parser{file: name}
	cfg := &Config{}
	for _, n := range p.moduleNodes(&doc) {
		m, at := p.module(n, len(cfg.Modules))
		cfg.Modules = append(cfg.Modules, m)
		p.at = append(p.at, at)
	}
	p.checkDuplicates(cfg.Modules)
	return cfg, p.err()
}

// yamlError rewrites the YAML library's "line N: message" syntax errors as "name:N: message".
func yamlError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		line, text, _ := strings.Cut(rest, ": ")
		return fmt.Errorf("%s:%s: %s", name, line, text)
	}
	return fmt.Errorf("%s: %s", name, msg)
}

// parser walks the YAML nodes of ergo.yaml, collecting every problem with its line.
type parser struct {
	file string
	errs []problem
	// at holds, for each module read so far, the lines its diagnostics point at.
	at []lines
}

// lines are the lines of one module's entry and of its port key.
type lines struct{ entry, port int }

// problem is one diagnostic and the line it points at.
type problem struct {
	line int
	err  error
}

func (p *parser) errorf(line int, format string, args ...any) {
	err := fmt.Errorf("%s:%d: %s", p.file, line, fmt.Sprintf(format, args...))
	p.errs = append(p.errs, problem{line, err})
}

// err returns every problem, in line order, as one error; nil when there is none.
func (p *parser) err() error {
	slices.SortStableFunc(p.errs, func(a, b problem) int { return cmp.Compare(a.line, b.line) })
	errs := make([]error, len(p.errs))
	for i, pr := range p.errs {
		errs[i] = pr.err
	}
	return errors.Join(errs...)
}

// moduleNodes returns the entries of the document's modules list. The document must be a
// mapping whose only key is modules; an empty document or list has no module.
func (p *parser) moduleNodes(doc *yaml.Node) []*yaml.Node {
	if len(doc.Content) == 0 || isNull(resolve(doc.Content[0])) {
		return nil
	}
	root := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		p.errorf(root.Line, "want a mapping with one key, modules, such as \"modules: [...]\"")
		return nil
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		switch {
		case k.Value != "modules":
			p.errorf(k.Line, "unknown key %q (the file has one key, modules)", k.Value)
		case list != nil:
			p.errorf(k.Line, "key \"modules\" given twice")
		default:
			list = resolve(root.Content[i+1])
		}
	}
	if list == nil || isNull(list) {
		return nil
	}
	if list.Kind != yaml.SequenceNode {
		p.errorf(list.Line, "modules: want a list with one \"- name: ...\" entry per module")
		return nil
	}
	return list.Content
}

// module reads the i-th entry of the modules list.
func (p *parser) module(n *yaml.Node, i int) (Module, lines) {
	var m Module
	n = resolve(n)
	at := lines{entry: n.Line}
	if n.Kind != yaml.MappingNode {
		p.errorf(n.Line, "modules: want each entry to be a mapping with keys %s", strings.Join(moduleKeys, ", "))
		return m, at
	}

	// The name first, so that the other messages can say which module they are about.
	label := p.label(n, i)
	before := len(p.errs)
	seen := map[string]int{}
	for j := 0; j+1 < len(n.Content); j += 2 {
		k, v := n.Content[j], resolve(n.Content[j+1])
		if first, dup := seen[k.Value]; dup {
			p.errorf(k.Line, "key %q given twice in %s (first at line %d)", k.Value, label, first)
			continue
		}
		seen[k.Value] = k.Line
		p.field(&m, &at, label, k, v)
	}

	// A module with a bad key gets no more messages: what is missing is most likely the key
	// misspelled or misshapen.
	if err := m.check(); err != nil && len(p.errs) == before {
		p.errorf(at.entry, "%v", err)
	}
	if m.URL == "" && m.Port != 0 {
		m.URL = "http://localhost:" + strconv.Itoa(m.Port) + "/query"
	}
	return m, at
}

// field reads one key k with value v of a module into m.
func (p *parser) field(m *Module, at *lines, label string, k, v *yaml.Node) {
	switch k.Value {
	case "name":
		m.Name = p.text(label, k, v)
	case "dir":
		m.Dir = p.text(label, k, v)
	case "url":
		m.URL = p.text(label, k, v)
	case "port":
		at.port = k.Line
		if v.Kind != yaml.ScalarNode || v.Decode(&m.Port) != nil {
			p.errorf(k.Line, "port %s of %s: want a whole number from 1 to 65535", show(v), label)
		}
	case "disabled":
		if v.Kind != yaml.ScalarNode || v.Decode(&m.Disabled) != nil {
			p.errorf(k.Line, "disabled %s of %s: want true or false", show(v), label)
		}
	default:
		p.errorf(k.Line, "unknown key %q in %s (known keys: %s)", k.Value, label, strings.Join(moduleKeys, ", "))
	}
}

// text returns the value of a key that takes a single value.
func (p *parser) text(label string, k, v *yaml.Node) string {
	var s string
	if v.Kind != yaml.ScalarNode || v.Decode(&s) != nil {
		p.errorf(k.Line, "%s of %s: want a single value, not %s", k.Value, label, show(v))
	}
	return s
}

// label names the i-th module of the list in messages: by its name when it has one.
func (p *parser) label(n *yaml.Node, i int) string {
	for j := 0; j+1 < len(n.Content); j += 2 {
		v := resolve(n.Content[j+1])
		if n.Content[j].Value == "name" && v.Kind == yaml.ScalarNode && v.Value != "" {
			return fmt.Sprintf("module %q", v.Value)
		}
	}
	return fmt.Sprintf("module %d of the list (no name)", i+1)
}

// checkDuplicates reports a module name or a port used by two modules of the file. Only
// modules with a dir have a port of their own; disabled ones count, since ERGO_MODULES may
// enable them.
func (p *parser) checkDuplicates(ms []Module) {
	names, ports := map[string]int{}, map[int]int{}
	for i, m := range ms {
		if first, dup := names[m.Name]; dup && m.Name != "" {
			p.errorf(p.at[i].entry, "module %q is listed twice (first at line %d)", m.Name, p.at[first].entry)
		} else {
			names[m.Name] = i
		}
		if m.Dir == "" || m.Port == 0 {
			continue
		}
		if first, dup := ports[m.Port]; dup {
			p.errorf(p.at[i].port, "port %d of module %q is already the port of module %q (line %d): "+
				"give each module a port of its own", m.Port, m.Name, ms[first].Name, p.at[first].port)
		} else {
			ports[m.Port] = i
		}
	}
}

// resolve follows an alias (*name) to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// show describes a value in a message: a single value quoted, else its kind.
func show(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return strconv.Quote(n.Value)
	}
	return "an empty value"
}
