package project_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/corpus"
	"github.com/healthi18n/healthi18n/internal/project"
)

// TestTreeSplitMatchesLoadedSplit: the streaming split plans exactly the
// loaded split's writes that change a file, in the same order, with the
// same changes and counts.
func TestTreeSplitMatchesLoadedSplit(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{Articles: 12, Locales: 3, Translated: 0.7, Stale: 0.5, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	// More to sync: a new article, a deleted translator file, an orphan.
	os.WriteFile(filepath.Join(dir, "content", "new.md"), []byte("# New\n\nNever drive after taking it.\n"), 0o644)
	os.Remove(filepath.Join(dir, "locales", "de", "article-00003.de.toml"))
	os.WriteFile(filepath.Join(dir, "locales", "es", "gone.es.toml"), []byte("[a]\nother = \"b\"\n"), 0o644)
	cfg, err := config.Load(config.Options{Path: filepath.Join(dir, config.FileName), Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, prune := range []bool{false, true} {
		p, err := project.Load(cfg)
		if err != nil {
			t.Fatal(err)
		}
		want := p.Split(project.SplitOptions{Prune: prune})
		var changed []project.Write
		for _, w := range want.Writes {
			if old, err := os.ReadFile(w.Path); err != nil || !bytes.Equal(old, w.Data) {
				changed = append(changed, w)
			}
		}
		want.Writes = changed
		tr, err := project.Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		got, orphans, err := tr.Split(project.SplitOptions{Prune: prune}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("prune=%v: streaming plan differs: %d vs %d writes, %d vs %d changes", prune, len(want.Writes), len(got.Writes), len(want.Changes), len(got.Changes))
		}
		if !reflect.DeepEqual(orphans, p.OrphanFiles) || len(orphans) != 1 {
			t.Errorf("orphans %v, want %v", orphans, p.OrphanFiles)
		}
		if len(got.Writes) < 10 || !strings.HasSuffix(got.Writes[len(got.Writes)-1].Path, ".en.toml") {
			t.Errorf("%d writes; the source bundles should come last", len(got.Writes))
		}
	}
}
