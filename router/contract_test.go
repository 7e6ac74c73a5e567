package router

import (
	"encoding/json"
	"os"
	"testing"

	"ergo/platform/errcode"
	"ergo/router/engine"
)

// The error codes a client can meet are published in frontend-contract/error-codes.json; a
// code the router, the engine or the platform raises but the file does not list is a code the
// Vue client cannot know about.
func TestErrorCodesArePublished(t *testing.T) {
	raw, err := os.ReadFile("../frontend-contract/error-codes.json")
	if err != nil {
		t.Fatal(err)
	}
	var contract struct {
		Codes []struct {
			Code string `json:"code"`
		} `json:"codes"`
	}
	if err := json.Unmarshal(raw, &contract); err != nil {
		t.Fatalf("error-codes.json: %v", err)
	}
	published := map[string]bool{}
	for _, c := range contract.Codes {
		if published[c.Code] {
			t.Errorf("error-codes.json lists %s twice", c.Code)
		}
		published[c.Code] = true
	}
	raised := []string{
		CodeBadRequest, CodePayloadTooLarge, CodeUnsupportedMediaType, CodeNotAcceptable,
		CodeMethodNotAllowed, CodeParseFailed, CodeOperationNotFound, CodeQueryTooDeep,
		CodeTooManyAliases, CodeQueryTooComplex, CodeUnauthenticated, CodeInternal,
		engine.CodeParseFailed, engine.CodeValidationFailed, engine.CodeBadUserInput,
		engine.CodeOperationUnknown, engine.CodePlanningFailed, engine.CodeSubgraphError,
		engine.CodeDownstream, engine.CodeForbidden, engine.CodeInternal,
		string(errcode.InvalidArgument), string(errcode.NotFound), string(errcode.Unauthenticated),
		string(errcode.Forbidden), string(errcode.Conflict), string(errcode.FailedPrecondition),
		string(errcode.Unavailable), string(errcode.Internal), string(errcode.RateLimited),
	}
	for _, code := range raised {
		if !published[code] {
			t.Errorf("%s is raised but missing from frontend-contract/error-codes.json", code)
		}
	}
}
