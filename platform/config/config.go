// Package config loads a binary's typed configuration from ERGO_* environment variables.
//
// Each binary declares one struct whose fields carry `env:"NAME"` and `envDefault:"..."` tags
// (names without the ERGO_ prefix). Load fills it and runs its Validate method, so a wrong
// value stops the program at start with one line that names the variable and the accepted form.
package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/caarlos0/env/v11"
)

// Prefix is put before every variable name.
const Prefix = "ERGO_"

// Validator is implemented by configuration structs that check their values after loading.
// Validate should return errors made with Invalid so that they name the variable.
type Validator interface {
	Validate() error
}

// Error is a configuration problem with one variable.
type Error struct {
	// Var is the full environment variable name, such as ERGO_ROUTER_ADDR.
	Var string
	// Value is the offending value; empty when the variable is missing.
	Value string
	// Want says which form is accepted.
	Want string
}

// Error returns one line a person can act on.
func (e *Error) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s is not set: want %s", e.Var, e.Want)
	}
	return fmt.Sprintf("%s=%q is invalid: want %s", e.Var, e.Value, e.Want)
}

// Invalid returns an *Error for the variable name (without prefix), its value and the form
// it should take.
func Invalid(name, value, want string) error {
	return &Error{Var: Prefix + name, Value: value, Want: want}
}

// Load fills cfg, a pointer to a struct, from the environment given as KEY=VALUE pairs
// (pass os.Environ()), then validates it when cfg implements Validator. Every problem is
// reported, each naming its variable.
func Load(cfg any, environ []string) error {
	opts := env.Options{Prefix: Prefix, Environment: toMap(environ)}
	if err := env.ParseWithOptions(cfg, opts); err != nil {
		return explain(cfg, opts.Environment, err)
	}
	if v, ok := cfg.(Validator); ok {
		return v.Validate()
	}
	return nil
}

func toMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// explain turns the env library's errors into *Error values that name the variable.
func explain(cfg any, environ map[string]string, err error) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return err
	}
	var out []error
	for _, e := range agg.Errors {
		out = append(out, explainOne(cfg, environ, e))
	}
	return errors.Join(out...)
}

func explainOne(cfg any, environ map[string]string, err error) error {
	var parse env.ParseError
	var unset env.VarIsNotSetError
	var empty env.EmptyVarError
	switch {
	case errors.As(err, &parse):
		name := envName(cfg, parse.Name)
		return &Error{Var: name, Value: environ[name], Want: describe(parse.Type)}
	case errors.As(err, &unset):
		return &Error{Var: unset.Key, Want: "a value"}
	case errors.As(err, &empty):
		return &Error{Var: empty.Key, Want: "a non-empty value"}
	}
	return err
}

// envName finds the variable name of the struct field called field.
func envName(cfg any, field string) string {
	t := reflect.TypeOf(cfg).Elem()
	if f, ok := t.FieldByName(field); ok {
		if tag, _, _ := strings.Cut(f.Tag.Get("env"), ","); tag != "" {
			return Prefix + tag
		}
	}
	return Prefix + strings.ToUpper(field)
}

// describe names the accepted form of a Go type in words.
func describe(t reflect.Type) string {
	switch t.String() {
	case "time.Duration":
		return "a duration such as 500ms, 10s or 1m"
	case "bool":
		return "true or false"
	case "[]string":
		return "a comma-separated list"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a value of type " + t.String()
}
