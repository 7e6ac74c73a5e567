package router

import (
	"mime"
	"strconv"
	"strings"
)

// Response media types of the GraphQL-over-HTTP spec.
const (
	mediaGraphQLResponse = "application/graphql-response+json"
	mediaJSON            = "application/json"
)

// negotiate picks the response media type for an Accept header value, or "" when it allows
// neither. A missing header means application/graphql-response+json (the spec's rule since
// 2025); on equal preference the router prefers it too, because its status codes tell request
// errors apart.
func negotiate(accept string) string {
	if strings.TrimSpace(accept) == "" {
		return mediaGraphQLResponse
	}
	best, bestQ := "", 0.0
	for _, mt := range []string{mediaGraphQLResponse, mediaJSON} {
		if q := quality(accept, mt); q > bestQ {
			best, bestQ = mt, q
		}
	}
	return best
}

// quality returns the q value the Accept header gives to mt, taken from its most specific
// matching range (RFC 9110 section 12.5.1).
func quality(accept, mt string) float64 {
	typ, sub, _ := strings.Cut(mt, "/")
	q, specificity := 0.0, -1
	for _, part := range strings.Split(accept, ",") {
		rng, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		rt, rs, _ := strings.Cut(rng, "/")
		s := -1
		switch {
		case rt == typ && rs == sub:
			s = 2
		case rt == typ && rs == "*":
			s = 1
		case rt == "*" && rs == "*":
			s = 0
		}
		if s > specificity {
			q, specificity = parseQ(params["q"]), s
		}
	}
	return q
}

func parseQ(s string) float64 {
	if s == "" {
		return 1
	}
	q, err := strconv.ParseFloat(s, 64)
	if err != nil || q < 0 || q > 1 {
		return 0
	}
	return q
}

// acceptsHTML reports whether a browser asked for a page: the Accept header names text/html
// with a non-zero q.
func acceptsHTML(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		rng, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && rng == "text/html" && parseQ(params["q"]) > 0 {
			return true
		}
	}
	return false
}
