module ergo/cmd/ergo

go 1.26.0

require (
	ergo/platform v0.0.0
	ergo/supergraph v0.0.0
)

require github.com/caarlos0/env/v11 v11.4.2 // indirect

replace (
	ergo/platform => ../../platform
	ergo/supergraph => ../../supergraph
)
