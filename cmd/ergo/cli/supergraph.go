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
func (p *platform) supergraph(ctx context.Context) (string, error) {
	sdl, err := p.compose(ctx)
	if err != nil {
		return "", err
	}
	path := filepath.Join(stateDir(p.env.Root), "supergraph.graphql")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	return path, os.WriteFile(path, sdl, 0o644)
}

// compose composes the enabled modules. On failure it prints every problem, and a hint when
// an enabled module interacts with one that is not enabled.
func (p *platform) compose(context.Context) ([]byte, error) {
	sdl, err := composeModules(p.env.Root, p.modules)
	if err != nil {
		printComposeError(p.env.Stderr, err)
		if hint := newSubset(p.env.Root, p.all).interactsHint(); hint != "" {
			fmt.Fprintln(p.env.Stderr, hint)
		}
		return nil, fmt.Errorf("the enabled modules do not compose")
	}
	if len(sdl) == 0 {
		return nil, fmt.Errorf("no modules enabled: enable some in ergo.yaml or with MODULES=")
	}
	return sdl, nil
}
