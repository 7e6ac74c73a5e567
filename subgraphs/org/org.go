// Package org is ERGO's organisation module: a tree of units of any depth (university,
// faculty, department, group) and the users' roles in them. Its GraphQL adapter is in graph/,
// its database access (sqlc) in postgres/.
package org

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"ergo/platform/errcode"
)

// Kind labels a unit. Units nest to any depth; the kind does not restrict where a unit goes.
type Kind string

// The unit kinds.
const (
	KindUniversity Kind = "university"
	KindFaculty    Kind = "faculty"
	KindDepartment Kind = "department"
	KindGroup      Kind = "group"
)

// Role is a member's role within one unit.
type Role string

// The member roles. RoleAdmin in a unit may change that unit and everything below it.
const (
	RoleStudent Role = "student"
	RoleTeacher Role = "teacher"
	RoleHead    Role = "head"
	RoleAdmin   Role = "admin"
)

// Unit is one node of the organisation tree.
type Unit struct {
	ID       uuid.UUID
	ParentID *uuid.UUID
	Kind     Kind
	Name     string
}

// Membership is a user's role in a unit.
type Membership struct {
	UnitID uuid.UUID
	UserID uuid.UUID
	Role   Role
}

// User is the identity module's user as org sees it: only its id.
type User struct {
	ID uuid.UUID
}

// ParseID parses an id given by a client; a malformed one is INVALID_ARGUMENT on field.
func ParseID(field, s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, errcode.Invalid(field, "%s must be a UUID", field)
	}
	return id, nil
}

// MarshalGQL writes the kind as a GraphQL enum value (UNIVERSITY, ...).
func (k Kind) MarshalGQL(w io.Writer) { writeEnum(w, string(k)) }

// UnmarshalGQL reads a GraphQL enum value; unknown values are INVALID_ARGUMENT.
func (k *Kind) UnmarshalGQL(v any) error {
	s, err := readEnum(v, "kind", "UNIVERSITY", "FACULTY", "DEPARTMENT", "GROUP")
	*k = Kind(s)
	return err
}

// MarshalGQL writes the role as a GraphQL enum value (STUDENT, ...).
func (r Role) MarshalGQL(w io.Writer) { writeEnum(w, string(r)) }

// UnmarshalGQL reads a GraphQL enum value; unknown values are INVALID_ARGUMENT.
func (r *Role) UnmarshalGQL(v any) error {
	s, err := readEnum(v, "role", "STUDENT", "TEACHER", "HEAD", "ADMIN")
	*r = Role(s)
	return err
}

func writeEnum(w io.Writer, s string) {
	_, _ = io.WriteString(w, strconv.Quote(strings.ToUpper(s)))
}

func readEnum(v any, field string, allowed ...string) (string, error) {
	s, ok := v.(string)
	for _, a := range allowed {
		if ok && s == a {
			return strings.ToLower(s), nil
		}
	}
	return "", errcode.Invalid(field, "%s must be one of %s", field, strings.Join(allowed, ", "))
}

// errUnitNotFound is the NOT_FOUND error for a unit id.
func errUnitNotFound(field string, id uuid.UUID) error {
	return &errcode.Error{
		Code: errcode.NotFound, Field: field,
		Message: fmt.Sprintf("no organisation unit with id %s", id),
	}
}

// IsEntity marks Unit as a federation entity (gqlgen's fedruntime.Entity).
func (Unit) IsEntity() {}

// IsEntity marks User as a federation entity (gqlgen's fedruntime.Entity).
func (User) IsEntity() {}
