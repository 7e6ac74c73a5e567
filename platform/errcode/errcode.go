// Package errcode defines the stable error codes ERGO returns to clients in
// GraphQL errors' extensions.code, and the Error type that carries one.
//
// The Vue client maps these codes to messages and animations, so a code, once published, is
// never renamed. frontend-contract/error-codes.json lists them for the client.
package errcode

import (
	"errors"
	"fmt"
)

// Code is a stable, upper-case error code.
type Code string

// The codes domain logic returns. Router-level codes (parse, validation, limits) are listed in
// the router's documentation and in frontend-contract/error-codes.json.
const (
	// InvalidArgument: the input is malformed or out of range; the message says which field.
	InvalidArgument Code = "INVALID_ARGUMENT"
	// NotFound: the addressed object does not exist (or the caller may not know it exists).
	NotFound Code = "NOT_FOUND"
	// Unauthenticated: no valid credentials were presented.
	Unauthenticated Code = "UNAUTHENTICATED"
	// Forbidden: the caller is known but may not do this.
	Forbidden Code = "FORBIDDEN"
	// Conflict: the request clashes with the current state (duplicate, already done, cycle).
	Conflict Code = "CONFLICT"
	// FailedPrecondition: the system is not in a state that allows the request.
	FailedPrecondition Code = "FAILED_PRECONDITION"
	// Unavailable: a dependency is down; retrying later may succeed.
	Unavailable Code = "UNAVAILABLE"
	// RateLimited: the caller tried too often (for example failed sign-ins); the message says
	// when to try again.
	RateLimited Code = "RATE_LIMITED"
	// Internal: a bug or an unexpected failure; the client sees only a safe message and an ID.
	Internal Code = "INTERNAL"
)

// Error is a domain error with a stable code and a message safe to show to the user.
type Error struct {
	Code    Code
	Message string
	// Field optionally names the input field at fault, for forms.
	Field string
	// Err is an underlying cause; it is never shown to clients.
	Err error
}

// Error returns the code and message, and the cause when there is one.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an *Error with a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an InvalidArgument error about the named input field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: InvalidArgument, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Of returns the code of the first *Error in err's chain, or Internal when there is none.
func Of(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}
