module ergo/supergraph

go 1.26

require (
	github.com/google/go-cmp v0.7.0
	github.com/vektah/gqlparser/v2 v2.5.64
)

require github.com/agnivade/levenshtein v1.2.2 // indirect
