// Package org holds the org module's migrations.
package org

import "embed"

// Migrations are the org module's NNNN_name.sql files, applied in the org schema.
//
//go:embed *.sql
var Migrations embed.FS
