//go:build !unix

package pgtest

// lock is a no-op where flock is missing.
// TODO(#2): serialise concurrent cluster starts on Windows as well.
func lock(string) (func(), error) { return func() {}, nil }
