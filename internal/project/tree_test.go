package project_test

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/healthi18n/healthi18n/internal/cache"
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

// TestSplitCacheNeverChangesPlan edits the tree behind split's cache at
// random (and damages the cache), and after every step compares the plan of
// a cached split with an uncached one; half the time the plan is applied, so
// that units settle and the cache is used. Both stat modes run.
func TestSplitCacheNeverChangesPlan(t *testing.T) {
	corpus.EachStatMode(t, func(t *testing.T) {
		dir := t.TempDir()
		if err := corpus.Generate(dir, corpus.Options{Articles: 10, Locales: 3, Translated: 0.8, Stale: 0.3, Seed: 11}); err != nil {
			t.Fatal(err)
		}
		cachePath := filepath.Join(dir, ".healthi18n-cache", "split")
		editor := corpus.NewEditor(dir, 11, cachePath)
		rng := rand.New(rand.NewSource(11))
		hits := 0
		split := func(useCache bool) (*project.Plan, []string, string) {
			_, tr, err := corpus.Open(dir)
			if err != nil {
				return nil, nil, err.Error()
			}
			var opts project.SplitOptions
			if useCache {
				opts.Cache = cache.Open(cachePath, project.SplitCacheKey([]byte("test"), tr, opts))
			}
			plan, orphans, err := tr.Split(opts, nil)
			if err != nil {
				return nil, nil, err.Error()
			}
			if opts.Cache != nil {
				hits += opts.Cache.Hits()
				if err := opts.Cache.Save(); err != nil {
					t.Fatal(err)
				}
			}
			return plan, orphans, ""
		}
		for step := range 60 {
			edit := editor.Step()
			want, wantOrphans, wantErr := split(false)
			for run := range 2 { // the second run reads what the first saved
				got, gotOrphans, gotErr := split(true)
				if gotErr != wantErr || !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotOrphans, wantOrphans) {
					t.Fatalf("step %d (%s), cached run %d: the cache changed the split: error %q vs %q, plans equal %v, orphans %v vs %v",
						step, edit, run, gotErr, wantErr, reflect.DeepEqual(got, want), gotOrphans, wantOrphans)
				}
			}
			if want != nil && rng.Intn(2) == 0 {
				if _, err := want.Apply(); err != nil {
					t.Fatal(err)
				}
			}
		}
		if hits == 0 {
			t.Fatal("the cache was never used: the test proves nothing")
		}
	})
}

// smallTree generates a project of 3 articles in 2 target locales.
func smallTree(t *testing.T) (string, *config.Config) {
	t.Helper()
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{Articles: 3, Locales: 2, Translated: 1, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Path: filepath.Join(dir, config.FileName), Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Targets) != 2 {
		t.Fatalf("targets %v", cfg.Targets)
	}
	return dir, cfg
}

// TestOrphanFiles: a target locale's translator files that belong to no
// article are orphans, sorted across locales; an article's own file, the
// UI strings' file, a file of another locale's name, another extension and
// a directory named like a translator file are not.
func TestOrphanFiles(t *testing.T) {
	dir, cfg := smallTree(t)
	a, b := cfg.Targets[0].Name, cfg.Targets[1].Name
	at := func(parts ...string) string { return filepath.Join(append([]string{dir, "locales"}, parts...)...) }
	for _, p := range []string{
		at(b, "gone."+b+".toml"), at(a, "zz-gone."+a+".toml"), at(a, "gone-too."+a+".toml"),
		at(a, project.UIName+"."+a+".toml"), at(a, "other."+b+".toml"), at(a, "notes.txt"),
	} {
		if err := os.WriteFile(p, []byte("[a]\nother = \"b\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(at(a, "folder."+a+".toml"), 0o755); err != nil {
		t.Fatal(err)
	}
	tr, err := project.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	slugs := project.Slugs{}
	for _, f := range tr.Content {
		slug := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		if err := slugs.AddSlug(slug, f); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{at(a, "gone-too."+a+".toml"), at(a, "zz-gone."+a+".toml"), at(b, "gone."+b+".toml")}
	sort.Strings(want)
	if got := tr.OrphanFiles(slugs); !reflect.DeepEqual(got, want) {
		t.Errorf("orphans\n got %q\nwant %q", got, want)
	}
}

// TestOrphanFilesInCache: with a cache, each locale's orphans are read
// from it while the locale's directory is unchanged, and from the
// directory again once a file in it is added, removed or renamed, or when
// the articles are others; the list is always the one OrphanFiles gives.
func TestOrphanFilesInCache(t *testing.T) {
	old := cache.RacyWindow
	cache.RacyWindow = -time.Hour // every recorded stat is trusted at once
	t.Cleanup(func() { cache.RacyWindow = old })

	dir, cfg := smallTree(t)
	tr, err := project.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a, b := cfg.Targets[0].Name, cfg.Targets[1].Name
	at := func(lang, name string) string { return filepath.Join(dir, "locales", lang, name) }
	touch := func(path string) {
		t.Helper()
		if err := os.WriteFile(path, []byte("[a]\nother = \"b\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	slugs := project.Slugs{}
	for _, f := range tr.Content {
		slugs.AddSlug(strings.TrimSuffix(filepath.Base(f), filepath.Ext(f)), f)
	}
	touch(at(a, "gone."+a+".toml"))

	cpath := filepath.Join(t.TempDir(), "cache")
	step := func(what string, slugs project.Slugs, wantHits int) {
		t.Helper()
		c := cache.Open(cpath, []byte("k"))
		got := tr.OrphanFilesIn(slugs, c)
		if want := tr.OrphanFiles(slugs); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: orphans from the cache\n %q\nwant %q", what, got, want)
		}
		if c.Hits() != wantHits {
			t.Errorf("%s: %d locales taken from the cache, want %d", what, c.Hits(), wantHits)
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
	}
	step("first run", slugs, 0)
	step("nothing changed", slugs, 2)
	touch(at(b, "new."+b+".toml"))
	step("an orphan added", slugs, 1)
	if err := os.Rename(at(a, "gone."+a+".toml"), at(a, "renamed."+a+".toml")); err != nil {
		t.Fatal(err)
	}
	step("an orphan renamed", slugs, 1)
	if err := os.Remove(at(b, "new."+b+".toml")); err != nil {
		t.Fatal(err)
	}
	step("an orphan removed", slugs, 1)
	if err := os.Mkdir(at(b, "folder."+b+".toml"), 0o755); err != nil {
		t.Fatal(err)
	}
	step("a directory added", slugs, 1)
	touch(at(a, "renamed."+a+".toml")) // rewritten in place: the directory is unchanged
	step("an orphan rewritten", slugs, 2)
	more := project.Slugs{"renamed": "content/renamed.md"}
	for k, v := range slugs {
		more[k] = v
	}
	step("another article", more, 0)
	step("the articles as they were", slugs, 0)
	step("nothing changed again", slugs, 2)
	if err := os.RemoveAll(filepath.Join(dir, "locales", b)); err != nil {
		t.Fatal(err)
	}
	step("a locale directory removed", slugs, 1)
	step("still removed", slugs, 2)
}
