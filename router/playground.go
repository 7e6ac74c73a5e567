package router

import (
	"bytes"
	"compress/gzip"
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
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
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	// The page holds the user's token in its headers editor: no other site may frame it.
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	h.Add("Vary", "Accept")
	_, _ = w.Write(page)
}

// asset is one bundle file, kept in memory plain and gzipped.
type asset struct {
	contentType  string
	plain, gzipd []byte
}

// playgroundAssets reads and compresses the bundle once, on first use: the script is over a
// megabyte and shrinks to about a quarter.
var playgroundAssets = sync.OnceValue(func() map[string]asset {
	out := map[string]asset{}
	err := fs.WalkDir(playgroundFiles, "playground/dist", func(p string, d fs.DirEntry,
		err error,
	) error {
		if err != nil || d.IsDir() {
			return err
		}
		plain, err := playgroundFiles.ReadFile(p)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(plain)
		_ = zw.Close()
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		out[path.Base(p)] = asset{contentType: ct, plain: plain, gzipd: buf.Bytes()}
		return nil
	})
	if err != nil {
		panic(err) // embedded at build time; unreadable means a broken build
	}
	return out
})

// serveAsset serves /playground/{name}, gzipped when the client accepts it.
func serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := playgroundAssets()[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	body := a.plain
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = a.gzipd
	}
	_, _ = w.Write(body)
}

// acceptsGzip reports whether an Accept-Encoding value allows gzip with a non-zero q.
func acceptsGzip(v string) bool {
	for _, part := range strings.Split(v, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			_, q, _ := strings.Cut(strings.ReplaceAll(params, " ", ""), "q=")
			return parseQ(q) > 0
		}
	}
	return false
}
