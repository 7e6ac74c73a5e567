// Package router is ERGO's HTTP front door. It serves GraphQL over HTTP at / (and /graphql),
// the GraphiQL playground to browsers at /, health at /healthz and /readyz, verifies users'
// bearer tokens, limits operation depth and cost, and hands operations to the engine that
// plans and runs them against the subgraphs. The supergraph file is watched and a valid new
// version replaces the running one without dropping requests.
package router

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"ergo/platform/logging"

	"github.com/rs/cors"
)

// Router serves one supergraph at a time. It is safe for concurrent use.
type Router struct {
	cfg    Config
	log    *slog.Logger
	limits Limits
	auth   *authenticator
	client *http.Client // for subgraph readiness checks
	// subgraphClient carries GraphQL calls to subgraphs, pooled across reloads.
	subgraphClient *http.Client
	docs           *docCache
	now            func() time.Time
	proxies        proxies // whose X-Forwarded-For is believed

	graph atomic.Pointer[graph]
	// sum and rejected are the hashes of the file now served and of the last file refused,
	// readErr the last read failure logged; only the goroutine that reloads uses them.
	sum, rejected [sha256.Size]byte
	readErr       string
}

// New returns a Router for cfg that has loaded the supergraph file. It fails when the file
// cannot be read or is not a valid supergraph.
func New(cfg Config, logger *slog.Logger) (*Router, error) {
	rt := &Router{
		cfg:    cfg,
		log:    logger,
		limits: Limits{MaxDepth: cfg.MaxDepth, MaxCost: cfg.MaxCost, MaxAliases: cfg.MaxAliases},
		auth:   &authenticator{secret: []byte(cfg.JWTSecret), now: time.Now},
		client: &http.Client{},
		now:    time.Now,
		docs:   newDocCache(),
	}
	// Validate has refused bad entries; parsing again keeps New usable without it.
	rt.proxies, _ = parseProxies(cfg.TrustedProxies)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64 // the default of 2 reopens connections under load
	rt.subgraphClient = &http.Client{Transport: tr}
	if err := rt.loadFile(); err != nil {
		return nil, err
	}
	return rt, nil
}

// Handler returns the router's HTTP handler, CORS included.
func (rt *Router) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", rt.serveRoot)
	mux.HandleFunc("/graphql", rt.serveRoot)
	mux.HandleFunc("GET /healthz", rt.serveHealthz)
	mux.HandleFunc("GET /readyz", rt.serveReadyz)
	mux.HandleFunc("GET /playground/{name}", serveAsset)

	c := cors.New(cors.Options{
		AllowedOrigins: rt.cfg.CORSOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{
			"Authorization", "Content-Type", "Accept", HeaderQueryPlan,
			HeaderRequestID,
		},
		ExposedHeaders:   []string{HeaderRequestID},
		AllowCredentials: true,
		MaxAge:           600,
	})
	return logging.RequestIDs(rt.observe(c.Handler(mux)))
}

// serveRoot shows the playground to a browser that asks for a page without a query, and
// treats everything else as GraphQL.
func (rt *Router) serveRoot(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && !r.URL.Query().Has("query") &&
		acceptsHTML(r.Header.Get("Accept")) {
		servePlayground(w, r)
		return
	}
	rt.serveGraphQL(w, r)
}

// Watch checks the supergraph file every ReloadInterval until ctx ends, and swaps in each
// valid new version.
func (rt *Router) Watch(ctx context.Context) {
	t := time.NewTicker(rt.cfg.ReloadInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			rt.reload()
		}
	}
}

// reload loads the supergraph file when its contents changed. A file that fails to load is
// logged once and the running graph kept.
func (rt *Router) reload() {
	sdl, err := os.ReadFile(rt.cfg.Supergraph)
	if err != nil {
		// A file being replaced may be missing for a moment: log each new failure once.
		if err.Error() != rt.readErr {
			rt.readErr = err.Error()
			rt.log.Error("supergraph not reloaded", "path", rt.cfg.Supergraph, "err", err)
		}
		return
	}
	rt.readErr = ""
	sum := sha256.Sum256(sdl)
	if sum == rt.sum || sum == rt.rejected {
		return
	}
	if err := rt.swap(sdl, sum); err != nil {
		rt.rejected = sum
		rt.log.Error("supergraph rejected, still serving the previous one",
			"path", rt.cfg.Supergraph, "err", err)
		return
	}
	rt.log.Info("supergraph reloaded", "path", rt.cfg.Supergraph,
		"subgraphs", len(rt.graph.Load().subgraphs))
}

// loadFile loads the supergraph file for the first time.
func (rt *Router) loadFile() error {
	sdl, err := os.ReadFile(rt.cfg.Supergraph)
	if err != nil {
		return fmt.Errorf("read supergraph: %w", err)
	}
	return rt.swap(sdl, sha256.Sum256(sdl))
}

// swap builds a graph from sdl and makes it the one new requests use; requests already
// running keep the graph they started with.
func (rt *Router) swap(sdl []byte, sum [sha256.Size]byte) error {
	g, err := rt.loadEngine(sdl)
	if err != nil {
		return fmt.Errorf("%s: %w", rt.cfg.Supergraph, err)
	}
	rt.graph.Store(g)
	rt.sum = sum
	return nil
}
