// Command registry runs the registry subgraph, which serves the modules query (see ergo.yaml
// for its port).
package main

import (
	"fmt"
	"os"

	"ergo/platform/subgraph"
	"ergo/subgraphs/registry/graph"
)

func main() {
	m, err := graph.NewModule(os.Environ())
	if err != nil {
		fmt.Fprintf(os.Stderr, "registry: %v\n", err)
		os.Exit(1)
	}
	os.Exit(subgraph.Main(m))
}
