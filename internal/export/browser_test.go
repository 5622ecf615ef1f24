package export

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/healthi18n/healthi18n/internal/article"
	"github.com/healthi18n/healthi18n/internal/bundle"
)

// chromium finds a headless-capable Chromium, or skips: .ci/run installs
// Debian's chromium so that CI always runs these tests.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Skip("no chromium on PATH: install Debian's chromium package (.ci/run does) to run the browser tests")
	return ""
}

// dumpDOM loads a file in headless Chromium and returns the DOM after
// scripts (if any) have run.
func dumpDOM(t *testing.T, bin, page string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--virtual-time-budget=2000", "--dump-dom", "file://"+page)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return string(out)
}

// hostile are translations that try every way into the page.
var hostile = []string{
	`<script>document.body.setAttribute("data-pwned","script")</script>`,
	`<img src=x onerror="document.body.setAttribute('data-pwned','onerror')">`,
	`[click](javascript:document.body.setAttribute('data-pwned','link'))`,
	`<svg onload="document.body.setAttribute('data-pwned','svg')"></svg>`,
	`{{template "x"}} <iframe src="javascript:parent.document.body.setAttribute('data-pwned','iframe')"></iframe>`,
}

// TestBrowserRunsNoTranslatedScript renders hostile translations (safety
// and normal, translated and as fallback) into a page, opens it in
// headless Chromium, and shows that no script ran. A control page with a
// real script proves that scripts do run in this browser set-up.
func TestBrowserRunsNoTranslatedScript(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()

	control := filepath.Join(dir, "control.html")
	if err := os.WriteFile(control, []byte(`<!DOCTYPE html><html><body><script>document.body.setAttribute("data-pwned","control")</script></body></html>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if dom := dumpDOM(t, bin, control); !strings.Contains(dom, `data-pwned="control"`) {
		t.Fatalf("control script did not run; the browser test would prove nothing:\n%s", dom)
	}

	var pieces []Piece
	for i, h := range hostile {
		level := article.Normal
		if i%2 == 1 {
			level = article.Danger
		}
		m := &bundle.Message{ID: "m" + string(rune('a'+i)), Level: level, Kind: article.KindParagraph, Forms: map[string]string{"other": h}}
		pieces = append(pieces, Piece{Msg: m, Text: h, Fallback: i == 3})
	}
	n := notices{safetyLabel: `<script>document.body.setAttribute("data-pwned","label")</script>`, fallback: `<img src=x onerror="document.body.setAttribute('data-pwned','notice')">`}
	a := &article.Article{Format: "txt"}
	d := renderMarkdown(a, pieces, n, "es")
	out, err := renderHTML(d, page{Lang: "es", Dir: "ltr", Title: hostile[0], SafetyCount: hostile[1], FallbackCount: hostile[0]}, n, "en")
	if err != nil {
		t.Fatal(err)
	}
	pagePath := filepath.Join(dir, "hostile.html")
	if err := os.WriteFile(pagePath, out, 0o644); err != nil {
		t.Fatal(err)
	}
	dom := dumpDOM(t, bin, pagePath)
	if strings.Contains(dom, "data-pwned=") {
		t.Fatalf("a translated string ran as script:\n%s", dom)
	}
	// The hostile strings are there, as text.
	if !strings.Contains(dom, "&lt;script&gt;document.body.setAttribute") {
		t.Errorf("hostile text not shown as text:\n%s", dom)
	}
	// Escaping alone holds: the same page without its Content-Security-Policy.
	i := strings.Index(string(out), `<meta http-equiv="Content-Security-Policy"`)
	j := strings.Index(string(out)[i:], ">\n")
	noCSP := string(out)[:i] + string(out)[i+j+2:]
	if strings.Contains(noCSP, "Content-Security-Policy") {
		t.Fatal("CSP not removed")
	}
	if err := os.WriteFile(pagePath, []byte(noCSP), 0o644); err != nil {
		t.Fatal(err)
	}
	if dom := dumpDOM(t, bin, pagePath); strings.Contains(dom, "data-pwned=") {
		t.Fatalf("without CSP, a translated string ran as script:\n%s", dom)
	}
}
