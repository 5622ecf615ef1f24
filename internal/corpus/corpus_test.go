package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDeterministic: the same options give the same bytes.
func TestDeterministic(t *testing.T) {
	o := Options{Articles: 5, Locales: 2, Translated: 0.9, Stale: 0.5, Broken: 0.2, Seed: 3}
	a, b := t.TempDir(), t.TempDir()
	if err := Generate(a, o); err != nil {
		t.Fatal(err)
	}
	if err := Generate(b, o); err != nil {
		t.Fatal(err)
	}
	files := 0
	err := filepath.Walk(a, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, path)
		if rel == ".healthi18n.lock" {
			return nil
		}
		x, _ := os.ReadFile(path)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || string(x) != string(y) {
			t.Errorf("%s differs between two runs", rel)
		}
		files++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// healthi18n.yaml, 5 articles, 5 source bundles, 5 × 2 translator files.
	if files != 1+5+5+10 {
		t.Errorf("%d files, want 21", files)
	}
}
