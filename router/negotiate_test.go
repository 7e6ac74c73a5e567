package router

import "testing"

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name, accept, want string
	}{
		{"missing", "", mediaGraphQLResponse},
		{"graphql response", "application/graphql-response+json", mediaGraphQLResponse},
		{"json", "application/json", mediaJSON},
		{"any", "*/*", mediaGraphQLResponse},
		{"application any", "application/*", mediaGraphQLResponse},
		{
			"json preferred by q", "application/graphql-response+json;q=0.5, application/json",
			mediaJSON,
		},
		{
			"equal q prefers graphql response", "application/json, application/graphql-response+json",
			mediaGraphQLResponse,
		},
		{
			"browser", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
			mediaGraphQLResponse,
		},
		{"specific range wins over wildcard", "application/json;q=0, */*", mediaGraphQLResponse},
		{"json refused", "application/json;q=0", ""},
		{"nothing usable", "text/plain", ""},
		{"malformed parts skipped", ";;;, application/json", mediaJSON},
		{"bad q", "application/json;q=2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := negotiate(tt.accept); got != tt.want {
				t.Errorf("negotiate(%q) = %q, want %q", tt.accept, got, tt.want)
			}
		})
	}
}

func TestAcceptsHTML(t *testing.T) {
	tests := []struct {
		accept string
		want   bool
	}{
		{"text/html,application/xhtml+xml,*/*;q=0.8", true},
		{"text/html;q=0", false},
		{"*/*", false},
		{"application/json", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.accept, func(t *testing.T) {
			if got := acceptsHTML(tt.accept); got != tt.want {
				t.Errorf("acceptsHTML(%q) = %v, want %v", tt.accept, got, tt.want)
			}
		})
	}
}

// FuzzAcceptHeaders checks that no Accept or Accept-Encoding value makes negotiation panic
// or pick a media type the router cannot write.
func FuzzAcceptHeaders(f *testing.F) {
	for _, s := range []string{
		"", "*/*", "application/json;q=0.5, text/html", ";;q=x,,",
		"gzip;q=0", "application/graphql-response+json; charset=\"utf-8\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		switch got := negotiate(v); got {
		case "", mediaJSON, mediaGraphQLResponse:
		default:
			t.Fatalf("negotiate(%q) = %q", v, got)
		}
		acceptsHTML(v)
		acceptsGzip(v)
	})
}
