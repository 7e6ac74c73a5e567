package engine

import (
	"encoding/json"
	"testing"
)

// fullIntrospection asks for everything a schema explorer shows.
const fullIntrospection = `
query Explore {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...TypeInfo }
    directives { name description locations isRepeatable args { ...Input } }
  }
}
fragment TypeInfo on __Type {
  kind name description specifiedByURL
  fields(includeDeprecated: true) { name description args { ...Input } type { ...Ref } isDeprecated deprecationReason }
  inputFields { ...Input }
  interfaces { ...Ref }
  enumValues(includeDeprecated: true) { name isDeprecated deprecationReason }
  possibleTypes { ...Ref }
}
fragment Input on __InputValue { name description type { ...Ref } defaultValue }
fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
`

func TestIntrospection(t *testing.T) {
	c := newCampus(t, nil)
	resp := c.execute(t, fullIntrospection, nil)
	if len(resp.Errors) > 0 {
		t.Fatalf("errors: %v", resp.Errors[0].Message)
	}
	var out struct {
		Schema struct {
			Types []struct {
				Name   string
				Kind   string
				Fields []struct {
					Name string
					Type struct{ Kind string }
					Args []struct {
						Name         string
						DefaultValue *string
					}
				}
				PossibleTypes []struct{ Name string }
			}
			Directives []struct{ Name string }
		} `json:"__schema"`
	}
	if err := json.Unmarshal(resp.Data, &out); err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	for i, ty := range out.Schema.Types {
		types[ty.Name] = i
	}
	for _, hidden := range []string{"join__Graph", "link__Purpose", "join__FieldSet"} {
		if _, ok := types[hidden]; ok {
			t.Errorf("type %s is visible", hidden)
		}
	}
	user := out.Schema.Types[types["User"]]
	for _, f := range user.Fields {
		if f.Name == "ssn" {
			t.Error("inaccessible User.ssn is visible")
		}
	}
	var first *string
	for _, f := range out.Schema.Types[types["Query"]].Fields {
		if f.Name == "courses" {
			first = f.Args[0].DefaultValue
		}
	}
	if first == nil || *first != "10" {
		t.Errorf("courses(first:) default = %v, want 10", first)
	}
	if n := len(out.Schema.Types[types["Material"]].PossibleTypes); n != 2 {
		t.Errorf("Material possible types = %d, want 2", n)
	}
	for _, d := range out.Schema.Directives {
		if d.Name == "join__field" || d.Name == "inaccessible" {
			t.Errorf("directive %s is visible", d.Name)
		}
	}
	if n := c.totalRequests(); n != 0 {
		t.Errorf("subgraph requests = %d, want 0", n)
	}
}
