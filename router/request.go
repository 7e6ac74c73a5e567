package router

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// params are the parameters of a GraphQL-over-HTTP request.
type params struct {
	Query         string
	OperationName string
	Variables     map[string]any
	Extensions    map[string]any
}

// maxTokens bounds the work on one document: real operations use a few hundred tokens, the
// playground's introspection query about 500, and validation time grows faster than the
// document (a chain of thousands of fragments took seconds at 20,000).
const maxTokens = 5000

// parseRequest reads the GraphQL parameters of a GET (from the URL query) or POST (from a
// JSON body of at most maxBytes). Numbers in variables stay json.Number, so that large IDs
// reach the subgraphs unchanged.
func parseRequest(w http.ResponseWriter, r *http.Request, maxBytes int64) (*params, *requestError) {
	switch r.Method {
	case http.MethodGet:
		return parseGet(r.URL.Query())
	case http.MethodPost:
		if err := checkContentType(r.Header.Get("Content-Type")); err != nil {
			return nil, err
		}
		return parseBody(http.MaxBytesReader(w, r.Body, maxBytes))
	}
	return nil, &requestError{
		status: http.StatusMethodNotAllowed, code: CodeMethodNotAllowed,
		message: "use GET or POST", header: http.Header{"Allow": {"GET, POST"}},
	}
}

// checkContentType accepts application/json with no charset or UTF-8, as the spec requires.
func checkContentType(ct string) *requestError {
	mt, p, err := mime.ParseMediaType(ct)
	charset := p["charset"]
	if err == nil && mt == mediaJSON && (charset == "" || strings.EqualFold(charset, "utf-8")) {
		return nil
	}
	return &requestError{
		status: http.StatusUnsupportedMediaType, code: CodeUnsupportedMediaType,
		message: "send the request body as Content-Type: application/json",
	}
}

func parseGet(q url.Values) (*params, *requestError) {
	p := &params{Query: q.Get("query"), OperationName: q.Get("operationName")}
	if !q.Has("query") {
		return nil, badRequest("the query parameter is missing")
	}
	for name, values := range q {
		for _, v := range values {
			if !utf8.ValidString(v) {
				return nil, badRequest("the " + name + " parameter is not valid UTF-8")
			}
		}
	}
	for _, f := range []struct {
		name string
		dst  *map[string]any
	}{{"variables", &p.Variables}, {"extensions", &p.Extensions}} {
		if !q.Has(f.name) {
			continue
		}
		if err := decodeObject([]byte(q.Get(f.name)), f.dst); err != nil {
			return nil, badRequest(fmt.Sprintf("the %s parameter must be a JSON object", f.name))
		}
	}
	return p, nil
}

func parseBody(body io.Reader) (*params, *requestError) {
	data, err := io.ReadAll(body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, &requestError{
				status: http.StatusRequestEntityTooLarge,
				code:   CodePayloadTooLarge, message: fmt.Sprintf(
					"the request body is larger than %d bytes", tooLarge.Limit),
			}
		}
		return nil, badRequest("the request body could not be read")
	}

	// encoding/json would turn invalid bytes into U+FFFD, and a module store the mangled text.
	if !utf8.Valid(data) {
		return nil, badRequest("the request body is not valid UTF-8")
	}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
		return nil, badRequest("batched requests (a JSON array of operations) are not supported: " +
			"send each operation as its own request with a JSON object body")
	}
	var raw map[string]json.RawMessage
	if err := decodeObject(data, &raw); err != nil {
		return nil, badRequest("the request body must be a JSON object: " + err.Error())
	}
	return fromJSON(raw)
}

// fromJSON checks each known member's type; unknown members are ignored, as the spec allows.
// TODO(#4): extensions are read but unused: persisted queries are not supported yet.
func fromJSON(raw map[string]json.RawMessage) (*params, *requestError) {
	p := &params{}
	query, ok := raw["query"]
	if !ok || isNull(query) {
		return nil, badRequest("the query member is missing")
	}
	if json.Unmarshal(query, &p.Query) != nil {
		return nil, badRequest("the query member must be a string")
	}
	if v, ok := raw["operationName"]; ok && !isNull(v) {
		if json.Unmarshal(v, &p.OperationName) != nil {
			return nil, badRequest("the operationName member must be a string or null")
		}
	}
	for _, f := range []struct {
		name string
		dst  *map[string]any
	}{{"variables", &p.Variables}, {"extensions", &p.Extensions}} {
		v, ok := raw[f.name]
		if !ok || isNull(v) {
			continue
		}
		if decodeObject(v, f.dst) != nil {
			return nil, badRequest(fmt.Sprintf("the %s member must be a JSON object or null",
				f.name))
		}
	}
	return p, nil
}

// decodeObject decodes exactly one JSON object from data into dst, numbers as json.Number.
func decodeObject[T any](data []byte, dst *T) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return errors.New("not an object")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the object")
	}
	return nil
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// parseOperation parses the query and selects the operation to run.
func parseOperation(p *params) (*ast.QueryDocument, *ast.OperationDefinition, *requestError) {
	doc, rerr := parseDocument(p.Query)
	if rerr != nil {
		return nil, nil, rerr
	}
	op, rerr := selectOperation(doc, p.OperationName)
	return doc, op, rerr
}

// parseDocument parses a GraphQL document, reporting a syntax error with its location.
func parseDocument(query string) (*ast.QueryDocument, *requestError) {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, maxTokens)
	if err != nil {
		return nil, parseError(err)
	}
	return doc, nil
}

func parseError(err error) *requestError {
	e := &requestError{
		status: http.StatusBadRequest, graphQL: true, code: CodeParseFailed,
		message: err.Error(),
	}
	var gerr *gqlerror.Error
	if errors.As(err, &gerr) {
		e.message = gerr.Message
		if len(gerr.Locations) > 0 {
			e.loc = &location{Line: gerr.Locations[0].Line, Column: gerr.Locations[0].Column}
		}
	}
	return e
}

// selectOperation follows the spec's GetOperation: by name, or the only operation.
func selectOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition,
	*requestError,
) {
	notFound := func(msg string) *requestError {
		return &requestError{
			status: http.StatusBadRequest, graphQL: true,
			code: CodeOperationNotFound, message: msg,
		}
	}
	switch {
	case name != "":
		if op := doc.Operations.ForName(name); op != nil {
			return op, nil
		}
		return nil, notFound(fmt.Sprintf("the document has no operation named %q", name))
	case len(doc.Operations) == 1:
		return doc.Operations[0], nil
	case len(doc.Operations) == 0:
		return nil, notFound("the document has no operation")
	}
	return nil, notFound("the document has several operations: set operationName")
}

// number converts a decoded JSON or GraphQL number to float64.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case int64:
		return float64(n), true
	case int:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}
