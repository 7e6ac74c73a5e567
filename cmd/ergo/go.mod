module ergo/cmd/ergo

go 1.26

require (
	ergo/platform v0.0.0
	ergo/supergraph v0.0.0
)

replace (
	ergo/platform => ../../platform
	ergo/supergraph => ../../supergraph
)
