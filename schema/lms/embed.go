// Package lms holds the lms module's migrations.
package lms

import "embed"

// Migrations are the lms module's NNNN_name.sql files, applied in the lms schema.
//
//go:embed *.sql
var Migrations embed.FS
