// Command org runs the org subgraph (see ergo.yaml for its port).
package main

import (
	"os"

	"ergo/platform/subgraph"
	"ergo/subgraphs/org/graph"
)

func main() {
	os.Exit(subgraph.Main(graph.Module()))
}
