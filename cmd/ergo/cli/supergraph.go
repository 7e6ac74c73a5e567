package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// supergraph composes the modules this run enables into .ergo/supergraph.graphql, the file
// the router loads. The committed supergraph/supergraph.graphql is left alone: it describes
// the platform as ergo.yaml configures it, while MODULES= may pick a subset for one run.
func (p *platform) supergraph(context.Context) (string, error) {
	sdl, err := composeModules(p.env.Root, p.modules)
	if err != nil {
		printComposeError(p.env.Stderr, err)
		return "", fmt.Errorf("the enabled modules do not compose")
	}
	if len(sdl) == 0 {
		return "", fmt.Errorf("no modules enabled: enable some in ergo.yaml or with MODULES=")
	}
	path := filepath.Join(stateDir(p.env.Root), "supergraph.graphql")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	return path, os.WriteFile(path, sdl, 0o644)
}
