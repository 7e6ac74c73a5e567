// Package testenv lets tests that need something from the machine (a browser, Node.js,
// PostgreSQL's binaries) skip when it is missing on a developer's machine, yet fail where
// everything must run: `make test` sets ERGO_TEST_STRICT=1, so CI never passes by skipping.
package testenv

import (
	"os"
	"testing"
)

// StrictVar is the environment variable that turns a missing requirement into a failure.
const StrictVar = "ERGO_TEST_STRICT"

// Missing reports that a requirement of the test is absent: it skips the test, or fails it
// when StrictVar is set to a non-empty value.
func Missing(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv(StrictVar) != "" {
		t.Fatalf("%s (%s is set: every test must run)", reason, StrictVar)
		return
	}
	t.Skip(reason)
}
