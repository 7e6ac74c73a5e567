// Command lms runs the lms subgraph and its outbox dispatcher (see ergo.yaml for its port).
package main

import (
	"os"

	"ergo/subgraphs/lms/graph"
)

func main() {
	os.Exit(graph.Main())
}
