// Command bi runs the bi subgraph and its /events endpoint (see ergo.yaml for its port).
package main

import (
	"os"

	"ergo/subgraphs/bi/graph"
)

func main() {
	os.Exit(graph.Main())
}
