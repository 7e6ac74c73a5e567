module ergo/platform

go 1.26
