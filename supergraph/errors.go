package supergraph

import (
	"fmt"
	"sort"
	"strings"
)

// Error codes reported by Compose. They follow the names used across the federation
// ecosystem so that a code found in one tool's documentation means the same here.
const (
	CodeNoSubgraphs                  = "NO_SUBGRAPHS"
	CodeInvalidSubgraphName          = "INVALID_SUBGRAPH_NAME"
	CodeInvalidGraphQL               = "INVALID_GRAPHQL"
	CodeInvalidLinkDirectiveUsage    = "INVALID_LINK_DIRECTIVE_USAGE"
	CodeUnknownFederationLinkVersion = "UNKNOWN_FEDERATION_LINK_VERSION"
	CodeUnsupportedFeature           = "UNSUPPORTED_FEATURE"
	CodeDirectiveCompositionError    = "DIRECTIVE_COMPOSITION_ERROR"
	CodeRootQueryUsed                = "ROOT_QUERY_USED"
	CodeRootMutationUsed             = "ROOT_MUTATION_USED"
	CodeRootSubscriptionUsed         = "ROOT_SUBSCRIPTION_USED"

	CodeKeyInvalidFields               = "KEY_INVALID_FIELDS"
	CodeKeyFieldsHasArgs               = "KEY_FIELDS_HAS_ARGS"
	CodeKeyFieldsSelectInvalidType     = "KEY_FIELDS_SELECT_INVALID_TYPE"
	CodeKeyInvalidFieldsType           = "KEY_INVALID_FIELDS_TYPE"
	CodeInterfaceKeyNotOnImplem        = "INTERFACE_KEY_NOT_ON_IMPLEMENTATION"
	CodeRequiresInvalidFields          = "REQUIRES_INVALID_FIELDS"
	CodeRequiresFieldsMissingExt       = "REQUIRES_FIELDS_MISSING_EXTERNAL"
	CodeProvidesInvalidFields          = "PROVIDES_INVALID_FIELDS"
	CodeProvidesFieldsMissingExt       = "PROVIDES_FIELDS_MISSING_EXTERNAL"
	CodeProvidesOnNonObjectField       = "PROVIDES_ON_NON_OBJECT_FIELD"
	CodeProvidesFieldsHasArgs          = "PROVIDES_FIELDS_HAS_ARGS"
	CodeExternalUnused                 = "EXTERNAL_UNUSED"
	CodeExternalOnInterface            = "EXTERNAL_ON_INTERFACE"
	CodeRequiresUnsupportedOnInterface = "REQUIRES_UNSUPPORTED_ON_INTERFACE"
	CodeProvidesUnsupportedOnInterface = "PROVIDES_UNSUPPORTED_ON_INTERFACE"
	CodeExternalMissingOnBase          = "EXTERNAL_MISSING_ON_BASE"
	CodeExternalTypeMismatch           = "EXTERNAL_TYPE_MISMATCH"
	CodeExternalArgumentMissing        = "EXTERNAL_ARGUMENT_MISSING"
	CodeOverrideFromSelf               = "OVERRIDE_FROM_SELF_ERROR"
	CodeOverrideSourceHasOverride      = "OVERRIDE_SOURCE_HAS_OVERRIDE"
	CodeOverrideCollision              = "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE"
	CodeOverrideLabelInvalid           = "OVERRIDE_LABEL_INVALID"
	CodeInterfaceObjectUsage           = "INTERFACE_OBJECT_USAGE_ERROR"
	CodeInvalidFieldSharing            = "INVALID_FIELD_SHARING"
	CodeTypeKindMismatch               = "TYPE_KIND_MISMATCH"
	CodeExtensionWithNoBase            = "EXTENSION_WITH_NO_BASE"
	CodeFieldTypeMismatch              = "FIELD_TYPE_MISMATCH"
	CodeFieldArgumentTypeMismatch      = "FIELD_ARGUMENT_TYPE_MISMATCH"
	CodeFieldArgumentDefaultMismat     = "FIELD_ARGUMENT_DEFAULT_MISMATCH"
	CodeInputFieldDefaultMismatch      = "INPUT_FIELD_DEFAULT_MISMATCH"
	CodeRequiredArgumentMissing        = "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH"
	CodeRequiredInputFieldMissing      = "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH"
	CodeEmptyMergedInputType           = "EMPTY_MERGED_INPUT_TYPE"
	CodeEnumValueMismatch              = "ENUM_VALUE_MISMATCH"
	CodeEmptyMergedEnumType            = "EMPTY_MERGED_ENUM_TYPE"
	CodeInterfaceFieldNoImplem         = "INTERFACE_FIELD_NO_IMPLEM"
	CodeNoQueries                      = "NO_QUERIES"
	CodeReferencedInaccessible         = "REFERENCED_INACCESSIBLE"
	CodeOnlyInaccessibleChildren       = "ONLY_INACCESSIBLE_CHILDREN"
	CodeRequiredInaccessible           = "REQUIRED_INACCESSIBLE"
	CodeImplementedByInaccessible      = "IMPLEMENTED_BY_INACCESSIBLE"
	CodeQueryRootTypeInaccessible      = "QUERY_ROOT_TYPE_INACCESSIBLE"
	CodeSatisfiability                 = "SATISFIABILITY_ERROR"
)

// Position is a place in a subgraph source file; Line and Column start at 1.
type Position struct {
	File   string
	Line   int
	Column int
}

// String returns file:line:col, or only what is known of it.
func (p Position) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line == 0:
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Error is one composition problem: a stable Code, the Subgraph it was found in (empty when
// it concerns the supergraph as a whole) and the position of the offending element.
type Error struct {
	Code     string
	Subgraph string
	Pos      Position
	Message  string
}

// Error formats the problem as `path:line:col: [subgraph] CODE: message`, leaving out the
// parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	if p := e.Pos.String(); p != "" {
		b.WriteString(p)
		b.WriteString(": ")
	}
	if e.Subgraph != "" {
		b.WriteString("[" + e.Subgraph + "] ")
	}
	b.WriteString(e.Code + ": " + e.Message)
	return b.String()
}

// Errors is the list of every problem one composition found. Compose returns it as its error.
type Errors []*Error

// Error prints one problem per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Codes returns the distinct codes in the list, sorted.
func (es Errors) Codes() []string {
	seen := map[string]bool{}
	var codes []string
	for _, e := range es {
		if !seen[e.Code] {
			seen[e.Code] = true
			codes = append(codes, e.Code)
		}
	}
	sort.Strings(codes)
	return codes
}

// sorted orders problems by file position, then subgraph, code and message, and removes
// exact duplicates, so output is stable.
func (es Errors) sorted() Errors {
	out := append(Errors(nil), es...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Column != b.Pos.Column {
			return a.Pos.Column < b.Pos.Column
		}
		if a.Subgraph != b.Subgraph {
			return a.Subgraph < b.Subgraph
		}
		return a.Code+a.Message < b.Code+b.Message
	})
	dedup := out[:0]
	for i, e := range out {
		if i > 0 && *e == *out[i-1] {
			continue
		}
		dedup = append(dedup, e)
	}
	return dedup
}

// quote returns s as a GraphQL string literal. Invalid UTF-8 becomes U+FFFD.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '"' || r == '\\':
			b.WriteRune('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
