module ergo/supergraph

go 1.26
