// Package bench holds the router benchmark's workload: the SDL of its four subgraphs, the
// composed supergraph, the deep query and the response every router must give to it. The
// subgraphs themselves are in package subgraphs; cmd/load drives routers with the query.
package bench

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"path"

	"ergo/bench/subgraphs"
	"ergo/supergraph"
)

//go:embed testdata/*.graphql testdata/expected.json
var files embed.FS

// SupergraphFile is the committed supergraph, relative to the bench module's directory. Its
// subgraph URLs are 127.0.0.1 at DefaultBasePort and the three ports after it.
const SupergraphFile = "testdata/supergraph.graphql"

// DefaultBasePort is the first of the four loopback ports the committed supergraph expects
// the subgraphs on, in the order of subgraphs.Names.
const DefaultBasePort = 4201

// Query returns the deep query's text.
func Query() string { return mustRead("testdata/query.graphql") }

// Expected returns the expected response to Query in compact JSON.
func Expected() []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(mustRead("testdata/expected.json"))); err != nil {
		panic(fmt.Sprintf("testdata/expected.json: %v", err))
	}
	return buf.Bytes()
}

// RequestBody returns the JSON body of a GraphQL POST that sends Query.
func RequestBody() []byte {
	b, err := json.Marshal(map[string]string{"query": Query()})
	if err != nil {
		panic(err)
	}
	return b
}

// Compose composes the four subgraphs into a supergraph whose subgraph URLs are urls (by
// subgraph name).
func Compose(urls map[string]string) ([]byte, error) {
	var list []supergraph.Subgraph
	for _, name := range subgraphs.Names {
		file := path.Join("testdata", name+".graphql")
		list = append(list, supergraph.Subgraph{
			Name: name, URL: urls[name],
			Sources: []supergraph.Source{{Name: file, Body: mustRead(file)}},
		})
	}
	sg, err := supergraph.Compose(list)
	if err != nil {
		return nil, fmt.Errorf("compose: %w", err)
	}
	return sg.SDL(), nil
}

// DefaultURLs are the subgraph URLs of the committed supergraph.
func DefaultURLs() map[string]string {
	urls := map[string]string{}
	for i, name := range subgraphs.Names {
		urls[name] = fmt.Sprintf("http://127.0.0.1:%d/graphql", DefaultBasePort+i)
	}
	return urls
}

// mustRead reads an embedded file; the files are part of the binary, so failing is a bug.
func mustRead(name string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}
