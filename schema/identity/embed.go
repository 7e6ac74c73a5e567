// Package identity holds the identity module's migrations.
package identity

import "embed"

// Migrations are the identity module's NNNN_name.sql files, applied in the identity schema.
//
//go:embed *.sql
var Migrations embed.FS
