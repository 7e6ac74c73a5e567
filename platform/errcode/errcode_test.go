package errcode_test

import (
	"errors"
	"fmt"
	"testing"

	"ergo/platform/errcode"
)

func TestOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want errcode.Code
	}{
		{"direct", errcode.New(errcode.NotFound, "course %d", 7), errcode.NotFound},
		{"wrapped", fmt.Errorf("load: %w", errcode.Invalid("size", "too big")), errcode.InvalidArgument},
		{"plain error is internal", errors.New("boom"), errcode.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errcode.Of(tt.err); got != tt.want {
				t.Errorf("Of(%v) = %s, want %s", tt.err, got, tt.want)
			}
		})
	}
}

func TestErrorHidesNothingFromLogs(t *testing.T) {
	err := &errcode.Error{Code: errcode.Internal, Message: "try later", Err: errors.New("disk full")}
	if got, want := err.Error(), "INTERNAL: try later: disk full"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, err.Err) {
		t.Error("cause does not unwrap")
	}
}
