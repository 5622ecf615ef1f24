package export

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/healthi18n/healthi18n/internal/cache"
	"github.com/healthi18n/healthi18n/internal/check"
	"github.com/healthi18n/healthi18n/internal/corpus"
	"github.com/healthi18n/healthi18n/internal/locale"
	"github.com/healthi18n/healthi18n/internal/qa"
)

// cachedExport runs check, then between (if not nil), then export of the
// corpus in dir into dist, with the caches (check's findings then taken
// from its cache one article at a time, as the command does) or without.
func cachedExport(t *testing.T, dir, dist string, useCache bool, between func()) {
	t.Helper()
	cachedExportFrom(t, dir, dist, useCache, true, between)
}

// cachedExportFrom is cachedExport, with check's findings taken from its
// Summary or from a whole Result.
func cachedExportFrom(t *testing.T, dir, dist string, useCache, fromSummary bool, between func()) {
	t.Helper()
	cfg, tr, err := corpus.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	copts := check.Options{SafetyFallback: cfg.Policy.Safety == "fallback",
		MinComplete: cfg.Policy.MinComplete, QA: qa.New(cfg.Negation), SameAsSourceAllow: cfg.SameAsSourceAllow}
	var checked *Checked
	var checkCache *cache.Cache
	if useCache && fromSummary {
		checkCache = cache.Open(filepath.Join(dir, ".healthi18n-cache", "check"), check.CacheKey([]byte("test"), tr, copts))
		outs, err := check.Collect(tr, check.TreeOptions{Options: copts, Cache: checkCache, Summarize: check.SummarizeAlways})
		if err != nil {
			t.Fatal(err)
		}
		sum, err := outs.Summary()
		if err != nil {
			t.Fatal(err)
		}
		checked = FromSummary(sum, outs)
	} else {
		r, err := check.RunTree(tr, check.TreeOptions{Options: copts})
		if err != nil {
			t.Fatal(err)
		}
		checked = FromResult(r)
	}
	if between != nil {
		between()
	}
	opts := Options{Dist: dist, Policy: Policy{Safety: cfg.Policy.Safety, Missing: cfg.Policy.Missing, MinComplete: cfg.Policy.MinComplete}}
	if useCache {
		opts.Cache = cache.Open(filepath.Join(dir, ".healthi18n-cache", "export"), CacheKey([]byte("test"), cfg, opts))
	}
	if _, err := RunTree(tr, checked, opts, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*cache.Cache{checkCache, opts.Cache} {
		if c != nil {
			if err := c.Save(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestEditBetweenCheckAndExport: an article edited after check read it and
// before export did is exported with check's findings on the old text; that
// output must not be cached as the export of the new text.
func TestEditBetweenCheckAndExport(t *testing.T) {
	for _, fromSummary := range []bool{true, false} {
		dir := t.TempDir()
		if err := corpus.Generate(dir, corpus.Options{Articles: 1, Locales: 1, Translated: 1, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		content := filepath.Join(dir, "content", "article-00000.md")
		data, _ := os.ReadFile(content)
		if !bytes.Contains(data, []byte("500 mg")) {
			t.Fatal("the corpus changed: no 500 mg to edit")
		}
		cached, plain := filepath.Join(dir, "dist"), filepath.Join(dir, "dist-plain")
		cachedExportFrom(t, dir, cached, true, fromSummary, func() {
			os.WriteFile(content, bytes.Replace(data, []byte("500 mg"), []byte("250 mg"), 1), 0o644)
		})
		cachedExportFrom(t, dir, cached, true, fromSummary, nil) // nothing changes now
		cachedExportFrom(t, dir, plain, false, fromSummary, nil)
		got, _ := os.ReadFile(filepath.Join(cached, "es", "article-00000.md"))
		want, _ := os.ReadFile(filepath.Join(plain, "es", "article-00000.md"))
		if !bytes.Equal(got, want) {
			t.Fatalf("from summary %v: the cached export kept output made from findings on the old text:\n%s\nwant\n%s", fromSummary, got, want)
		}
	}
}

// TestNoChangeRunLeavesWhatAFullRunWould: a run that changes nothing may
// leave dist/ alone only if a full run would make the same dist/; a
// symbolic link or a directory of another mode beside the locales is not
// carried over by a full run, so the cached run must not keep it either.
func TestNoChangeRunLeavesWhatAFullRunWould(t *testing.T) {
	for name, add := range map[string]func(dist string){
		"symlink":       func(dist string) { os.Symlink("es", filepath.Join(dist, "latest")) },
		"dir mode 0700": func(dist string) { os.Mkdir(filepath.Join(dist, "extra"), 0o700) },
		"locale dir mode": func(dist string) {
			os.Chmod(filepath.Join(dist, "es"), 0o700)
		},
		"file mode": func(dist string) {
			os.Chmod(filepath.Join(dist, "es", "article-00000.md"), 0o600)
		},
		"manifest mode": func(dist string) {
			os.Chmod(filepath.Join(dist, "manifest.json"), 0o600)
		},
		"UI bundle mode": func(dist string) {
			os.Chmod(filepath.Join(dist, "es", "ui.es.json"), 0o600)
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := corpus.Generate(dir, corpus.Options{Articles: 2, Locales: 2, Translated: 1, Seed: 1}); err != nil {
				t.Fatal(err)
			}
			// The pipeline's own strings, for a UI bundle in each locale.
			copyUIStrings(t, dir, "en", "es", "de")
			dist := filepath.Join(dir, "dist")
			cachedExport(t, dir, dist, true, nil)
			if _, err := os.Stat(filepath.Join(dist, "es", "ui.es.json")); err != nil {
				t.Fatal("no UI bundle to test with:", err)
			}
			add(dist)
			cachedExport(t, dir, dist, true, nil)
			got := dirListing(t, dist)
			cachedExport(t, dir, dist, false, nil)
			if want := dirListing(t, dist); got != want {
				t.Errorf("cached run left\n%s\na full run makes\n%s", got, want)
			}
		})
	}
}

// dirListing lists every entry under dir with its mode.
func dirListing(t *testing.T, dir string) string {
	var b bytes.Buffer
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b.WriteString(rel + " " + info.Mode().String() + "\n")
		return nil
	})
	return b.String()
}

// TestMalformedRecordIsAMiss: a cache value that decodes but does not make
// sense (nothing recorded for a locale, files outside its directory) is not
// used, so a reused article always has a manifest entry that export wrote.
func TestMalformedRecordIsAMiss(t *testing.T) {
	dir := t.TempDir()
	c := cache.Open(filepath.Join(dir, "c"), []byte("k"))
	de := &target{lang: locale.Locale{Name: "de"}, active: true, entries: newEntries("", 1),
		refusals: make([][]Refusal, 1), verr: make([]*VerifyError, 1)}
	defer de.entries.close()
	slugs := make([]string, 1)
	for name, rec := range map[string]articleRecord{
		"empty":            {},
		"outside its dir":  {Manifest: &ArticleManifest{Slug: "a", Files: []string{"de/../../etc/passwd"}}},
		"other locale":     {Manifest: &ArticleManifest{Slug: "a", Files: articleFiles("fr", "a")}},
		"no files":         {Manifest: &ArticleManifest{Slug: "a"}},
		"one of its files": {Manifest: &ArticleManifest{Slug: "a", Files: []string{"de/a.md"}}},
		"another's files":  {Manifest: &ArticleManifest{Slug: "a", Files: articleFiles("de", "b")}},
		"slug a path":      {Manifest: &ArticleManifest{Slug: "../a", Files: articleFiles("de", "../a")}},
		"two outcomes":     {Manifest: &ArticleManifest{Slug: "a", Files: articleFiles("de", "a")}, Verify: &VerifyError{}},
	} {
		c.Put(name, nil, encodeRecords(map[string]articleRecord{"de": rec}))
		if reuseArticle(c, name, []*target{de}, slugs, 0) {
			t.Errorf("%s: a malformed record was used", name)
		}
	}
	if de.entries.has(0) || slugs[0] != "" {
		t.Error("a malformed record left an entry behind")
	}
	// The record export makes is used, and its entry kept.
	good := &ArticleManifest{Slug: "a", Files: articleFiles("de", "a"), Messages: []string{"title"}, Translated: 1}
	c.Put("good", nil, encodeRecords(map[string]articleRecord{"de": {Manifest: good}}))
	if !reuseArticle(c, "good", []*target{de}, slugs, 0) {
		t.Fatal("a well-formed record was not used")
	}
	var got []ArticleManifest
	de.entries.each(func(_ int, am *ArticleManifest) error { got = append(got, *am); return nil })
	if slugs[0] != "a" || len(got) != 1 || !reflect.DeepEqual(got[0], *good) {
		t.Errorf("kept slug %q and entries %+v, want a and %+v", slugs[0], got, *good)
	}
}

// TestSameManifest: dist/manifest.json is judged the same as this run's
// manifest by the recalled digest, or else by rendering and hashing; a
// manifest that differs is never taken for it either way.
func TestSameManifest(t *testing.T) {
	dist := t.TempDir()
	a := &Manifest{Tool: "healthi18n", Source: "en", Locales: []LocaleManifest{{Locale: "de", Status: StatusComplete}}}
	b := &Manifest{Tool: "healthi18n", Source: "en", Locales: []LocaleManifest{{Locale: "de", Status: StatusPartial}}}
	if _, err := a.write(filepath.Join(dist, "manifest.json")); err != nil {
		t.Fatal(err)
	}
	da, _ := a.digest()
	for _, c := range []struct {
		name     string
		man      *Manifest
		recalled *[32]byte
		want     bool
	}{
		{"same, by digest", a, &da, true},
		{"other, by digest", b, &da, false},
		{"same, by rendering", a, nil, true},
		{"other, by rendering", b, nil, false},
	} {
		got, seen := sameManifest(dist, c.man, c.recalled)
		if got != c.want {
			t.Errorf("%s: sameManifest = %v, want %v", c.name, got, c.want)
		}
		// What was compared by reading is what the cache may remember.
		if want := got && c.recalled == nil; (seen != nil) != want {
			t.Errorf("%s: seen = %v, want one: %v", c.name, seen, want)
		}
	}
	os.Chmod(filepath.Join(dist, "manifest.json"), 0o600)
	if same, _ := sameManifest(dist, a, &da); same {
		t.Error("a manifest whose mode changed was taken as the same")
	}
}
