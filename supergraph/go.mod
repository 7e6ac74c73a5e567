module ergo/supergraph

go 1.26

require (
	github.com/agnivade/levenshtein v1.2.2 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/vektah/gqlparser/v2 v2.5.64 // indirect
)
