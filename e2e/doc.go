// Package e2e holds the platform's end-to-end tests: they build the module binaries and the
// router, start them as processes on free loopback ports with a fresh database, and talk to
// the router over HTTP the way the Vue client does. `go test -short` skips them.
package e2e
