package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"

	"github.com/healthi18n/healthi18n/internal/config"
)

// copyRepo copies the shipped configuration, content and UI source into a
// temporary project.
func copyRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, rel := range []string{"healthi18n.yaml", "content/prostate-milking.txt", "content/paracetamol.md", "locales/en/ui.en.toml"} {
		data, err := os.ReadFile(filepath.Join("..", "..", rel))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func load(t *testing.T, dir string) *Project {
	t.Helper()
	cfg, err := config.Load(config.Options{Path: filepath.Join(dir, config.FileName), Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSplitOutputLoadsInGoI18n loads every file split writes with go-i18n's
// own Bundle.LoadMessageFile.
func TestSplitOutputLoadsInGoI18n(t *testing.T) {
	dir := copyRepo(t)
	written, err := load(t, dir).Split(SplitOptions{}).Apply()
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 2+7*3 {
		t.Errorf("split wrote %d files, want 23 (2 source bundles, 3 files × 7 targets)", len(written))
	}
	for _, path := range written {
		b := i18n.NewBundle(language.English)
		b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
		mf, err := b.LoadMessageFile(path)
		if err != nil {
			t.Errorf("go-i18n cannot load %s: %v", path, err)
			continue
		}
		if len(mf.Messages) == 0 {
			t.Errorf("%s: no messages", path)
		}
		lang := strings.Split(filepath.Base(path), ".")[1]
		if mf.Tag.String() != lang {
			t.Errorf("%s: go-i18n reads the language as %s", path, mf.Tag)
		}
	}
	// Splitting again writes nothing and changes no byte.
	again, err := load(t, dir).Split(SplitOptions{}).Apply()
	if err != nil || len(again) != 0 {
		t.Errorf("second split wrote %v (%v)", again, err)
	}
}

// TestBadInputWritesNothing: one bad article among good ones stops the
// run before anything is written.
func TestBadInputWritesNothing(t *testing.T) {
	dir := copyRepo(t)
	if err := os.WriteFile(filepath.Join(dir, "content", "bad.md"), []byte("---\ntitle: [unclosed\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Path: filepath.Join(dir, config.FileName), Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load(cfg); err == nil || !strings.Contains(err.Error(), "content/bad.md:") {
		t.Fatalf("error = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "locales", "es")); !os.IsNotExist(err) {
		t.Errorf("something was written: %v", err)
	}
}

// TestShippedTreeIsSynced guards the repository itself: the committed
// source bundles and translator files are exactly what split writes, so a
// fresh clone's first build changes no tracked file.
func TestShippedTreeIsSynced(t *testing.T) {
	cfg, err := config.Load(config.Options{Path: filepath.Join("..", "..", config.FileName), Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range p.Split(SplitOptions{}).Writes {
		have, err := os.ReadFile(w.Path)
		if err != nil || string(have) != string(w.Data) {
			t.Errorf("%s is not what split writes: run go run ./cmd/healthi18n split and commit", p.Rel(w.Path))
		}
	}
}
