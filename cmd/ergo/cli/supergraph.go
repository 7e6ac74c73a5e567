package cli

import (
	"context"
	"path/filepath"
)

// supergraph returns the supergraph file the router loads.
// TODO(#3): compose the enabled modules into .ergo/supergraph.graphql so that ERGO_MODULES
// takes effect without touching the committed file.
func (p *platform) supergraph(context.Context) (string, error) {
	return filepath.Join(p.env.Root, "supergraph", "supergraph.graphql"), nil
}
