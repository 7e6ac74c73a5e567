package subgraphs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// resolveFunc returns a field's value for its parent object: nil, a string, an int, a bool,
// an object, or a []any of those.
type resolveFunc func(parent any, args map[string]any) (any, error)

// schema is what one GraphQL server answers: fields per type name ("Query" for the root),
// the entity types that _entities resolves, and how to name the type of an object.
type schema struct {
	fields   map[string]map[string]resolveFunc
	entities map[string]func(rep map[string]any) (any, error)
}

// request is the GraphQL-over-HTTP request body.
type request struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

// execution is one operation being answered.
type execution struct {
	s      *schema
	doc    *ast.QueryDocument
	vars   map[string]any
	errors []string
}

// execute answers a GraphQL request body with the response body. It supports what the
// benchmark's routers send: one query operation, variables with defaults, aliases, fragments,
// inline fragments, __typename and _entities. Anything else is answered with an error.
func (s *schema) execute(body []byte) []byte {
	var req request
	if err := json.Unmarshal(body, &req); err != nil {
		return errorResponse("request body: " + err.Error())
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: req.Query})
	if err != nil {
		return errorResponse(err.Error())
	}
	op, err := selectOperation(doc, req.OperationName)
	if err != nil {
		return errorResponse(err.Error())
	}
	ex := &execution{s: s, doc: doc, vars: withDefaults(op, req.Variables)}

	var buf bytes.Buffer
	buf.WriteString(`{"data":`)
	ex.writeObject(&buf, "Query", nil, op.SelectionSet)
	if len(ex.errors) > 0 {
		buf.WriteString(`,"errors":[`)
		for i, msg := range ex.errors {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString(`{"message":`)
			writeValue(&buf, msg)
			buf.WriteByte('}')
		}
		buf.WriteByte(']')
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

func selectOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition, error) {
	if len(doc.Operations) == 0 {
		return nil, errors.New("no operation")
	}
	op := doc.Operations[0]
	if name != "" {
		op = doc.Operations.ForName(name)
	} else if len(doc.Operations) > 1 {
		return nil, errors.New("several operations and no operationName")
	}
	if op == nil {
		return nil, fmt.Errorf("no operation named %q", name)
	}
	if op.Operation != ast.Query {
		return nil, fmt.Errorf("%s operations are not supported", op.Operation)
	}
	return op, nil
}

// withDefaults returns the request's variables with the operation's defaults filled in.
func withDefaults(op *ast.OperationDefinition, vars map[string]any) map[string]any {
	out := map[string]any{}
	for _, d := range op.VariableDefinitions {
		if d.DefaultValue != nil {
			if v, err := d.DefaultValue.Value(nil); err == nil {
				out[d.Variable] = v
			}
		}
	}
	for k, v := range vars {
		out[k] = v
	}
	return out
}

// field is one response key with the fields that were merged into it.
type field struct {
	key    string
	fields []*ast.Field
}

// collect lists the fields of set that apply to an object of type typ, merging fields with
// the same response key in the order of their first appearance (GraphQL's CollectFields).
func (ex *execution) collect(set ast.SelectionSet, typ string, out []field) []field {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			out = addField(out, sel)
		case *ast.InlineFragment:
			if sel.TypeCondition == "" || sel.TypeCondition == typ {
				out = ex.collect(sel.SelectionSet, typ, out)
			}
		case *ast.FragmentSpread:
			if f := ex.doc.Fragments.ForName(sel.Name); f != nil && f.TypeCondition == typ {
				out = ex.collect(f.SelectionSet, typ, out)
			}
		}
	}
	return out
}

func addField(out []field, f *ast.Field) []field {
	key := f.Alias
	if key == "" {
		key = f.Name
	}
	for i := range out {
		if out[i].key == key {
			out[i].fields = append(out[i].fields, f)
			return out
		}
	}
	return append(out, field{key: key, fields: []*ast.Field{f}})
}

// writeObject writes obj, of type typ, for the selection set.
func (ex *execution) writeObject(buf *bytes.Buffer, typ string, obj any, set ast.SelectionSet) {
	buf.WriteByte('{')
	for i, f := range ex.collect(set, typ, nil) {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeValue(buf, f.key)
		buf.WriteByte(':')
		ex.writeField(buf, typ, obj, f)
	}
	buf.WriteByte('}')
}

func (ex *execution) writeField(buf *bytes.Buffer, typ string, obj any, f field) {
	name := f.fields[0].Name
	var val any
	var err error
	switch {
	case name == "__typename":
		val = typ
	case typ == "Query" && name == "_entities":
		val, err = ex.entities(f.fields[0])
	default:
		resolve := ex.s.fields[typ][name]
		if resolve == nil {
			err = fmt.Errorf("cannot query field %q on type %q", name, typ)
			break
		}
		var args map[string]any
		if args, err = ex.args(f.fields[0]); err == nil {
			val, err = resolve(obj, args)
		}
	}
	if err != nil {
		ex.errors = append(ex.errors, err.Error())
		val = nil
	}
	ex.writeResult(buf, val, f.fields)
}

// writeResult writes a resolved value; objects and lists of objects are completed with the
// merged sub-selections of fields.
func (ex *execution) writeResult(buf *bytes.Buffer, val any, fields []*ast.Field) {
	switch v := val.(type) {
	case []any:
		buf.WriteByte('[')
		for i, item := range v {
			if i > 0 {
				buf.WriteByte(',')
			}
			ex.writeResult(buf, item, fields)
		}
		buf.WriteByte(']')
	case *User, *Product, *Review, *stock:
		var set ast.SelectionSet
		for _, f := range fields {
			set = append(set, f.SelectionSet...)
		}
		ex.writeObject(buf, typeName(v), v, set)
	default:
		writeValue(buf, v)
	}
}

// args returns the arguments given to f, variables replaced by their values. Defaults of
// arguments left out are the resolvers' business: the server knows no schema.
func (ex *execution) args(f *ast.Field) (map[string]any, error) {
	out := make(map[string]any, len(f.Arguments))
	for _, a := range f.Arguments {
		v, err := a.Value.Value(ex.vars)
		if err != nil {
			return nil, fmt.Errorf("argument %s: %w", a.Name, err)
		}
		out[a.Name] = v
	}
	return out, nil
}

// entities resolves Query._entities: each representation to the object its type's entity
// resolver finds, or null with an error.
func (ex *execution) entities(f *ast.Field) (any, error) {
	args, err := ex.args(f)
	if err != nil {
		return nil, err
	}
	reps, ok := args["representations"].([]any)
	if !ok {
		return nil, errors.New("_entities: representations must be a list")
	}
	out := make([]any, len(reps))
	for i, r := range reps {
		rep, _ := r.(map[string]any)
		typ, _ := rep["__typename"].(string)
		find := ex.s.entities[typ]
		if find == nil {
			ex.errors = append(ex.errors, fmt.Sprintf("_entities: type %q is not an entity here", typ))
			continue
		}
		obj, err := find(rep)
		if err != nil {
			ex.errors = append(ex.errors, err.Error())
			continue
		}
		out[i] = obj
	}
	return out, nil
}

// typeName is the GraphQL type of an object value.
func typeName(v any) string {
	switch v.(type) {
	case *User:
		return "User"
	case *Product, *stock:
		return "Product"
	case *Review:
		return "Review"
	}
	return ""
}

// writeValue writes a scalar as JSON. Numbers from JSON variables arrive as float64.
func writeValue(buf *bytes.Buffer, v any) {
	switch v := v.(type) {
	case nil:
		buf.WriteString("null")
	case int:
		buf.WriteString(strconv.Itoa(v))
	case bool:
		buf.WriteString(strconv.FormatBool(v))
	default:
		b, err := json.Marshal(v)
		if err != nil {
			buf.WriteString("null")
			return
		}
		buf.Write(b)
	}
}

func errorResponse(msg string) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"errors":[{"message":`)
	writeValue(&buf, msg)
	buf.WriteString(`}]}`)
	return buf.Bytes()
}
