package router

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ergo/platform/testenv"
)

// TestPlaygroundInBrowser loads the playground in headless Chromium, sets a bearer token in
// the headers editor, runs a query against the fixture subgraphs and reads the result from
// the page. It needs the chromium binary (Debian package chromium).
func TestPlaygroundInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	browser := findChromium()
	if browser == "" {
		testenv.Missing(
			t,
			"chromium not found on PATH (apt-get install chromium); playground browser test skipped",
		)
	}
	env := newTestEnv(t, nil)
	token := signToken(t, testSecret, "u-browser", []string{"student"}, time.Now().Add(time.Hour))

	ctx := newBrowser(t, browser)
	editor := chromedp.CSS(`.graphiql-query-editor .CodeMirror`)
	headers := chromedp.CSS(`.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror`)
	err := chromedp.Do(ctx,
		chromedp.Navigate(env.srv.URL+"/"),
		chromedp.WaitVisible(editor),
		setEditor(string(editor), `query Mine { me { id } course(id: "c1") { title } }`),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Headers"]`)),
		chromedp.WaitVisible(headers),
		setEditor(string(headers), `{"Authorization": "Bearer `+token+`"}`),
		chromedp.Click(chromedp.CSS(`.graphiql-execute-button`)),
	)
	if err != nil {
		t.Fatalf("drive the playground: %v", err)
	}
	result, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => {
		const el = document.querySelector('.graphiql-response .CodeMirror');
		const text = el ? el.textContent : '';
		return text.includes('Algebra') ? text : false;
	})()`, chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		t.Fatalf("wait for the result in the page: %v", err)
	}
	for _, want := range []string{`"title": "Algebra"`, `"id": "u-browser"`} {
		if !strings.Contains(result, want) {
			t.Errorf("result in the page lacks %s:\n%s", want, result)
		}
	}

	// The token typed into the headers editor must not outlive the tab.
	stored, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(localStorage)`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored, token) {
		t.Error("the bearer token was saved in localStorage")
	}
}

// setEditor replaces the text of the CodeMirror editor matched by sel.
func setEditor(sel, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](
		`document.querySelector(` + jsString(sel) + `).CodeMirror.setValue(` +
			jsString(text) + `)`,
	)
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "`", "\\`", "$", `\$`)
	return "`" + r.Replace(s) + "`"
}

func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts headless Chromium with a fresh profile and no background traffic.
func newBrowser(tb testing.TB, path string) context.Context {
	tb.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	tb.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}
