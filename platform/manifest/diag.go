package manifest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Codes of the problems CheckInteractions reports. They are stable: scripts and tests may
// match them.
const (
	// UndeclaredInteraction: a module extends, stubs, @requires or @provides another
	// module's types without naming that module in interacts (and depends, for @requires).
	UndeclaredInteraction = "UNDECLARED_INTERACTION"
	// CoreFieldSealed: a non-core module redefines, overrides or hides a field of a core
	// module that the core schema does not mark @ergoOverridable.
	CoreFieldSealed = "CORE_FIELD_SEALED"
	// InvalidSchema: a schema slice does not parse, so its interactions cannot be checked.
	InvalidSchema = "INVALID_SCHEMA"
)

// Diagnostic is one problem found in a manifest or a schema slice, at a position in a file.
type Diagnostic struct {
	// File is the path of the file, relative to the repository root, with forward slashes.
	File string
	// Line and Col are 1-based; Col is 0 when only the line is known.
	Line, Col int
	// Code is one of the codes above for interaction problems, empty for manifest problems.
	Code string
	// Message says what is wrong and, where it helps, what to do.
	Message string
}

// Error formats d compiler-style: "file:line:col: CODE: message", leaving out what is unknown.
func (d Diagnostic) Error() string {
	var b strings.Builder
	b.WriteString(d.File)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d", d.Line)
		if d.Col > 0 {
			fmt.Fprintf(&b, ":%d", d.Col)
		}
	}
	b.WriteString(": ")
	if d.Code != "" {
		b.WriteString(d.Code + ": ")
	}
	b.WriteString(d.Message)
	return b.String()
}

// Diagnostics is a list of problems; as an error it prints one per line.
type Diagnostics []Diagnostic

// Error joins the problems with newlines.
func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}

// Err returns ds sorted by position as an error, or nil when there is no problem.
func (ds Diagnostics) Err() error {
	if len(ds) == 0 {
		return nil
	}
	ds.sort()
	return ds
}

func (ds Diagnostics) sort() {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Code, b.Code), cmp.Compare(a.Message, b.Message))
	})
}
