module ergo/bench

go 1.26.0

require (
	ergo/router v0.0.0-00010101000000-000000000000
	ergo/supergraph v0.0.0-00010101000000-000000000000
	github.com/google/go-cmp v0.7.0
	github.com/vektah/gqlparser/v2 v2.5.64
)

require (
	ergo/platform v0.0.0 // indirect
	github.com/agnivade/levenshtein v1.2.2 // indirect
	github.com/caarlos0/env/v11 v11.4.2 // indirect
	github.com/golang-jwt/jwt/v5 v5.3.1 // indirect
	github.com/rs/cors v1.11.1 // indirect
)

replace (
	ergo/platform => ../platform
	ergo/router => ../router
	ergo/supergraph => ../supergraph
)
