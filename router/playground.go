package router

import (
	"embed"
	"io/fs"
	"net/http"
)

// playgroundFiles holds the GraphiQL page and its bundle, built by `npm run build` in
// playground/ and committed, so the router serves it without network access.
//
//go:embed playground/index.html playground/dist
var playgroundFiles embed.FS

// servePlayground writes the GraphiQL page.
func servePlayground(w http.ResponseWriter, _ *http.Request) {
	page, err := playgroundFiles.ReadFile("playground/index.html")
	if err != nil {
		panic(err) // embedded at build time; missing means a broken build
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Add("Vary", "Accept")
	_, _ = w.Write(page)
}

// playgroundAssets serves the bundle under /playground/.
func playgroundAssets() http.Handler {
	dist, err := fs.Sub(playgroundFiles, "playground/dist")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix("/playground/", http.FileServerFS(dist))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
