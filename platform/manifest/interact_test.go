package manifest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Manifests of the interaction tests: identity is core; org is core and reads identity;
// lms and bi are ordinary modules whose declarations each case sets.
const (
	identityManifest = "name: identity\nversion: 0.1.0\ntitle: I\ncore: true\n"
	orgManifest      = "name: org\nversion: 0.1.0\ntitle: O\ncore: true\ndepends: {identity: '>=0.1.0'}\ninteracts: [identity]\n"
)

const identitySDL = `directive @ergoOverridable on FIELD_DEFINITION
type User @key(fields: "id") {
  id: ID!
  email: String
  displayName: String! @ergoOverridable
  roles: [String!]!
}
type Query { me: User }
`

const orgSDL = `type OrgUnit @key(fields: "id") { id: ID! name: String! }
type User @key(fields: "id") { id: ID! memberships: [OrgUnit!]! }
type Query { orgRoots: [OrgUnit!]! }
`

func TestCheckInteractions(t *testing.T) {
	tests := []struct {
		name     string
		manifest string // lms's manifest
		sdl      string // lms's slice, lms.graphqls
		bi       string // bi's slice, bi.graphqls
		// biDeclares makes bi declare lms in interacts; else bi declares nothing.
		biDeclares bool
		want       []string
	}{
		{
			name:     "stub of a core entity, declared",
			manifest: "interacts: [identity]\n",
			sdl:      `type User @key(fields: "id") { id: ID! courses: [String!]! }`,
		},
		{
			name: "stub of a core entity, undeclared",
			sdl:  `type User @key(fields: "id") { id: ID! courses: [String!]! }`,
			want: []string{"lms.graphqls:1:6: UNDECLARED_INTERACTION: module lms defines a stub of type User of module identity without declaring it: add identity to interacts in lms/module.yaml"},
		},
		{
			name: "extend type, undeclared",
			sdl:  "type Course { id: ID! }\nextend type OrgUnit @key(fields: \"id\") { id: ID! @external courses: [Course!]! }",
			want: []string{"lms.graphqls:2:13: UNDECLARED_INTERACTION: module lms extends type OrgUnit of module org"},
		},
		{
			name: "@extends counts as an extension",
			sdl:  `type OrgUnit @extends @key(fields: "id") { id: ID! @external size: Int! }`,
			want: []string{"lms.graphqls:1:6: UNDECLARED_INTERACTION: module lms extends type OrgUnit of module org"},
		},
		{
			name:     "@requires with interacts and depends",
			manifest: "depends: {identity: '>=0.1.0'}\ninteracts: [identity]\n",
			sdl:      `type User @key(fields: "id") { id: ID! email: String @external domain: String @requires(fields: "email") }`,
		},
		{
			name:     "@requires without depends",
			manifest: "interacts: [identity]\n",
			sdl:      `type User @key(fields: "id") { id: ID! email: String @external domain: String @requires(fields: "email") }`,
			want:     []string{"lms.graphqls:1:80: UNDECLARED_INTERACTION: module lms uses @requires on User.email of module identity without declaring it: add identity to depends in lms/module.yaml"},
		},
		{
			name:     "@requires of a field another non-core module adds",
			manifest: "depends: {identity: '>=0.1.0'}\ninteracts: [identity]\n",
			bi:       `type User @key(fields: "id") { id: ID! risk: Float }`,
			sdl:      `type User @key(fields: "id") { id: ID! risk: Float @external alert: Boolean @requires(fields: "risk") }`,
			want: []string{
				"bi.graphqls:1:6: UNDECLARED_INTERACTION: module bi defines a stub of type User of module identity",
				"lms.graphqls:1:78: UNDECLARED_INTERACTION: module lms uses @requires on User.risk of module bi without declaring it: add bi to interacts and depends",
			},
		},
		{
			name: "@provides undeclared",
			sdl: "type Course @key(fields: \"id\") { id: ID! teacher: User @provides(fields: \"email\") }\n" +
				"type User @key(fields: \"id\") { id: ID! email: String @external }",
			want: []string{
				"lms.graphqls:1:57: UNDECLARED_INTERACTION: module lms uses @provides on User.email of module identity without declaring it: add identity to interacts",
				"lms.graphqls:2:6: UNDECLARED_INTERACTION: module lms defines a stub of type User of module identity",
			},
		},
		{
			name:     "redefining a sealed core field",
			manifest: "interacts: [identity]\n",
			sdl:      `type User @key(fields: "id") { id: ID! email: String }`,
			want:     []string{"lms.graphqls:1:40: CORE_FIELD_SEALED: module lms redefines User.email of core module identity, which is sealed"},
		},
		{
			name:     "redefining an overridable core field",
			manifest: "interacts: [identity]\n",
			sdl:      `type User @key(fields: "id") { id: ID! displayName: String! @shareable }`,
		},
		{
			name:     "@override of a core field",
			manifest: "interacts: [identity]\n",
			sdl:      `type User @key(fields: "id") { id: ID! roles: [String!]! @override(from: "identity") }`,
			want:     []string{"lms.graphqls:1:59: CORE_FIELD_SEALED: module lms overrides User.roles of core module identity, which is sealed; the core schema must mark the field @ergoOverridable"},
		},
		{
			name:     "@override of an overridable core field",
			manifest: "interacts: [identity]\n",
			sdl:      `type User @key(fields: "id") { id: ID! displayName: String! @override(from: "identity") }`,
		},
		{
			name: "@override from an undeclared module",
			bi:   `type Course @key(fields: "id") { id: ID! title: String! }`,
			sdl:  `type Course @key(fields: "id") { id: ID! title: String! @override(from: "bi") }`,
			want: []string{
				"lms.graphqls:1:6: UNDECLARED_INTERACTION: entity Course is defined with `type` by modules bi and lms, and their manifests do not tell which owns it",
				"lms.graphqls:1:58: UNDECLARED_INTERACTION: module lms overrides Course.title of module bi without declaring it",
			},
		},
		{
			name:     "hiding a core field",
			manifest: "interacts: [identity]\n",
			sdl:      `type User @key(fields: "id") { id: ID! email: String @external @inaccessible }`,
			want:     []string{"lms.graphqls:1:65: CORE_FIELD_SEALED: module lms hides User.email of core module identity with @inaccessible"},
		},
		{
			name:     "a shared entity owned by the module the other declares",
			manifest: "interacts: [bi]\n",
			bi:       `type Insight @key(fields: "id") { id: ID! topic: String! }`,
			sdl:      `type Insight @key(fields: "id") { id: ID! quiz: String! }`,
		},
		{
			name:       "modules that declare each other both define an entity",
			manifest:   "interacts: [bi]\n",
			bi:         `type Insight @key(fields: "id") { id: ID! topic: String! }`,
			sdl:        `type Insight @key(fields: "id") { id: ID! quiz: String! }`,
			biDeclares: true,
			want: []string{"lms.graphqls:1:6: UNDECLARED_INTERACTION: entity Insight is defined with `type` by modules bi and lms, " +
				"and their manifests do not tell which owns it (each declares the other, or none does): " +
				"in the modules that do not own it, write `extend type Insight` and declare the owner in interacts"},
		},
		{
			name:       "extend type settles ownership between modules that declare each other",
			manifest:   "interacts: [bi]\n",
			bi:         `type Insight @key(fields: "id") { id: ID! topic: String! }`,
			sdl:        `extend type Insight @key(fields: "id") { id: ID! quiz: String! }`,
			biDeclares: true,
		},
		{
			name: "value types and root types are nobody's",
			bi:   "type Stats { n: Int! }\ntype Query { stats: Stats }",
			sdl:  "type Stats { n: Int! }\ntype Query { courseStats: Stats }",
		},
		{
			name: "schema that does not parse",
			sdl:  "type Course {",
			want: []string{"lms.graphqls:1:14: INVALID_SCHEMA: "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := []*Manifest{
				mustParse(t, "identity", identityManifest),
				mustParse(t, "org", orgManifest),
				mustParse(t, "lms", "name: lms\nversion: 0.1.0\ntitle: L\n"+tt.manifest),
				mustParse(t, "bi", "name: bi\nversion: 0.1.0\ntitle: B\n"+biInteracts(tt.biDeclares)),
			}
			schemas := []Slice{
				{Module: "identity", Sources: []Source{{"identity.graphqls", identitySDL}}},
				{Module: "org", Sources: []Source{{"org.graphqls", orgSDL}}},
				{Module: "lms", Sources: []Source{{"lms.graphqls", tt.sdl}}},
				{Module: "bi", Sources: []Source{{"bi.graphqls", tt.bi}}},
			}
			var got []string
			for _, d := range CheckInteractions(ms, schemas) {
				got = append(got, d.Error())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d:\ngot  %s\nwant %s...", i, got[i], w)
				}
			}
		})
	}
}

func biInteracts(declares bool) string {
	if declares {
		return "interacts: [lms]\n"
	}
	return ""
}

// TestCheckInteractionsURLModule checks that a module without a manifest (reached by URL)
// owns the types it defines but is not checked itself.
func TestCheckInteractionsURLModule(t *testing.T) {
	ms := []*Manifest{mustParse(t, "identity", identityManifest)}
	schemas := []Slice{
		{Module: "identity", Sources: []Source{{"identity.graphqls", identitySDL}}},
		{Module: "remote", Sources: []Source{{"remote.graphqls", `type User @key(fields: "id") { id: ID! email: String }`}}},
	}
	if diff := cmp.Diff(Diagnostics(nil), CheckInteractions(ms, schemas)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func FuzzCheckInteractions(f *testing.F) {
	f.Add(`type User @key(fields: "id") { id: ID! email: String @external d: String @requires(fields: "email") }`)
	f.Add(`extend type OrgUnit @key(fields: "id") { id: ID! @external x: User @provides(fields: "roles { a }") }`)
	f.Add(`type User @key(fields: "id") { id: ID! roles: [String!]! @override(from: "identity") @inaccessible }`)
	f.Fuzz(func(t *testing.T, sdl string) {
		ms := []*Manifest{
			mustParse(t, "identity", identityManifest),
			mustParse(t, "lms", "name: lms\nversion: 0.1.0\ntitle: L\n"),
		}
		schemas := []Slice{
			{Module: "identity", Sources: []Source{{"identity.graphqls", identitySDL}}},
			{Module: "lms", Sources: []Source{{"lms.graphqls", sdl}}},
		}
		for _, d := range CheckInteractions(ms, schemas) {
			if d.Code == "" || d.File == "" {
				t.Fatalf("diagnostic without code or file: %+v", d)
			}
		}
	})
}
