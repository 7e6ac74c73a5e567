// Package bi holds the bi module's migrations.
package bi

import "embed"

// Migrations are the bi module's NNNN_name.sql files, applied in the bi schema.
//
//go:embed *.sql
var Migrations embed.FS
