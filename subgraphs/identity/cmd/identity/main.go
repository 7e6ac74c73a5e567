// Command identity runs the identity subgraph (see ergo.yaml for its port).
package main

import (
	"os"

	"ergo/platform/subgraph"
	"ergo/subgraphs/identity/graph"
)

func main() {
	os.Exit(subgraph.Main(graph.Module()))
}
