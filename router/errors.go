package router

import (
	"encoding/json"
	"net/http"

	"ergo/platform/errcode"
)

// Codes the router puts in extensions.code of the errors it reports itself. They are stable:
// clients may branch on them. docs/router.md explains each one.
const (
	// CodeBadRequest: the HTTP request is not a well-formed GraphQL request (body not JSON,
	// query missing, variables not an object, ...).
	CodeBadRequest = "BAD_REQUEST"
	// CodePayloadTooLarge: the body is larger than ERGO_MAX_REQUEST_BYTES.
	CodePayloadTooLarge = "PAYLOAD_TOO_LARGE"
	// CodeUnsupportedMediaType: a POST whose Content-Type is not application/json.
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	// CodeNotAcceptable: the Accept header allows no media type the router can answer in.
	CodeNotAcceptable = "NOT_ACCEPTABLE"
	// CodeMethodNotAllowed: a method other than GET or POST, or a mutation sent with GET.
	CodeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	// CodeParseFailed: the query is not valid GraphQL syntax.
	CodeParseFailed = "GRAPHQL_PARSE_FAILED"
	// CodeOperationNotFound: operationName names no operation in the document, or the
	// document has several operations and no operationName.
	CodeOperationNotFound = "OPERATION_NOT_FOUND"
	// CodeQueryTooDeep: the operation nests deeper than ERGO_MAX_DEPTH.
	CodeQueryTooDeep = "QUERY_TOO_DEEP"
	// CodeTooManyAliases: the operation uses more aliased fields than ERGO_MAX_ALIASES.
	CodeTooManyAliases = "TOO_MANY_ALIASES"
	// CodeQueryTooComplex: the operation's estimated cost is above ERGO_MAX_COST.
	CodeQueryTooComplex = "QUERY_TOO_COMPLEX"
	// CodeUnauthenticated: the bearer token is malformed, badly signed or expired.
	CodeUnauthenticated = string(errcode.Unauthenticated)
	// CodeInternal: a fault in the router; extensions.errorId is also in the log line.
	CodeInternal = string(errcode.Internal)
)

// requestError is an error found before execution. Its status applies to every response
// media type, except when graphQL is set: then application/json responses use 200, as the
// GraphQL-over-HTTP spec asks for well-formed requests.
type requestError struct {
	status  int
	graphQL bool
	code    string
	message string
	loc     *location
	header  http.Header // extra response headers, such as Allow or WWW-Authenticate
	errorID string
}

func (e *requestError) Error() string { return e.code + ": " + e.message }

// statusFor returns the HTTP status of the error when answered in media type mt.
func (e *requestError) statusFor(mt string) int {
	if e.graphQL && mt == mediaJSON {
		return http.StatusOK
	}
	return e.status
}

func (e *requestError) gqlError() gqlError {
	ext := map[string]any{"code": e.code}
	if e.errorID != "" {
		ext["errorId"] = e.errorID
	}
	out := gqlError{Message: e.message, Extensions: ext}
	if e.loc != nil {
		out.Locations = []location{*e.loc}
	}
	return out
}

func badRequest(msg string) *requestError {
	return &requestError{status: http.StatusBadRequest, code: CodeBadRequest, message: msg}
}

// gqlError is one entry of a response's errors list.
type gqlError struct {
	Message    string         `json:"message"`
	Locations  []location     `json:"locations,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

type location struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// writeJSON writes v with status and the chosen media type.
func writeJSON(w http.ResponseWriter, status int, mt string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Only values built by the router reach here; a failure is a programming error.
		panic(err)
	}
	w.Header().Set("Content-Type", mt+"; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeRequestError answers with e alone in the errors list and no data entry.
func writeRequestError(w http.ResponseWriter, mt string, e *requestError) {
	for k, vs := range e.header {
		w.Header()[k] = vs
	}
	writeJSON(w, e.statusFor(mt), mt, struct {
		Errors []gqlError `json:"errors"`
	}{[]gqlError{e.gqlError()}})
}
