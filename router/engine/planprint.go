package engine

import (
	"strings"
)

// String renders the plan for extensions.queryPlan, one node per line, indented by depth.
func (p *plan) String() string {
	var b strings.Builder
	b.WriteString("QueryPlan {\n")
	p.write(&b, p.root, 1)
	b.WriteString("}")
	return b.String()
}

func (p *plan) write(b *strings.Builder, n planNode, depth int) {
	ind := strings.Repeat("  ", depth)
	switch n := n.(type) {
	case *sequenceNode:
		b.WriteString(ind + "Sequence {\n")
		for _, c := range n.nodes {
			p.write(b, c, depth+1)
		}
		b.WriteString(ind + "}\n")
	case *parallelNode:
		b.WriteString(ind + "Parallel {\n")
		for _, c := range n.nodes {
			p.write(b, c, depth+1)
		}
		b.WriteString(ind + "}\n")
	case *batchNode:
		b.WriteString(ind + "Batch(service: \"" + p.names[n.graph] + "\") {\n")
		for _, f := range n.parts {
			p.write(b, f, depth+1)
		}
		b.WriteString(ind + "}\n")
	case *fetchNode:
		if n.entity == "" {
			b.WriteString(ind + "Fetch(service: \"" + p.names[n.graph] + "\") " + n.query + "\n")
			return
		}
		b.WriteString(ind + "Flatten(path: \"" + strings.Join(n.path, ".") + "\") {\n")
		b.WriteString(ind + "  Fetch(service: \"" + p.names[n.graph] + "\") {" + n.reprString() + "} => " + n.query + "\n")
		b.WriteString(ind + "}\n")
	}
}

func (f *fetchNode) reprString() string {
	parts := []string{"__typename"}
	for _, r := range f.repr {
		s := r.name
		if r.key != r.name {
			s = r.key + ":" + r.name
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}
