module ergo/schema

go 1.26
