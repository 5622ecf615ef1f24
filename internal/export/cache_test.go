package export

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/healthi18n/healthi18n/internal/cache"
	"github.com/healthi18n/healthi18n/internal/check"
	"github.com/healthi18n/healthi18n/internal/corpus"
	"github.com/healthi18n/healthi18n/internal/qa"
)

// TestCacheNeverChangesExport edits the project and the cached export's
// dist/ behind the cache's back (files changed keeping their times,
// deleted, added; the manifest edited; a UI translation changed; the cache
// damaged; the policy switched between strict and fallback), and after every step compares,
// byte for byte, a cached export with an export made without the cache
// into another directory. Both stat modes run.
func TestCacheNeverChangesExport(t *testing.T) {
	corpus.EachStatMode(t, func(t *testing.T) { cacheNeverChangesExport(t, 21) })
}

func cacheNeverChangesExport(t *testing.T, seed int64) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{Articles: 8, Locales: 3, Translated: 0.85, Stale: 0.2, Broken: 0.1, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	// The pipeline's own strings, whose translations every article uses.
	copyUIStrings(t, dir, "en", "es", "de", "fr")
	cachePath := filepath.Join(dir, ".healthi18n-cache", "export")
	checkCachePath := filepath.Join(dir, ".healthi18n-cache", "check")
	plain, cached := filepath.Join(dir, "dist-plain"), filepath.Join(dir, "dist")
	editor := corpus.NewEditor(dir, seed, cachePath, checkCachePath)
	rng := rand.New(rand.NewSource(seed))
	hits := 0

	var subset map[string]bool // the locales of a step's runs (nil: all)
	// run exports into dist, with the cache or without; it returns the
	// input error, if any.
	run := func(dist string, useCache bool) string {
		cfg, tr, err := corpus.Open(dir)
		if err != nil {
			return err.Error()
		}
		// With the caches, as the command runs it: check's findings are
		// decoded one article at a time from its cache (FromSummary).
		copts := check.Options{SafetyFallback: cfg.Policy.Safety == "fallback",
			MinComplete: cfg.Policy.MinComplete, QA: qa.New(cfg.Negation), SameAsSourceAllow: cfg.SameAsSourceAllow}
		var checked *Checked
		var checkCache *cache.Cache
		if useCache {
			checkCache = cache.Open(checkCachePath, check.CacheKey([]byte("test"), tr, copts))
			outs, err := check.Collect(tr, check.TreeOptions{Options: copts, Cache: checkCache, Summarize: check.SummarizeAlways})
			if err != nil {
				return err.Error()
			}
			sum, err := outs.Summary()
			if err != nil {
				return err.Error()
			}
			checked = FromSummary(sum, outs)
		} else {
			r, err := check.RunTree(tr, check.TreeOptions{Options: copts})
			if err != nil {
				return err.Error()
			}
			checked = FromResult(r)
		}
		opts := Options{Dist: dist, Policy: Policy{Safety: cfg.Policy.Safety, Missing: cfg.Policy.Missing, MinComplete: cfg.Policy.MinComplete}}
		// Some runs export a few locales only, carrying the others over.
		for _, lang := range cfg.Targets {
			if subset[lang.Name] {
				opts.Locales = append(opts.Locales, lang)
			}
		}
		if useCache {
			opts.Cache = cache.Open(cachePath, CacheKey([]byte("test"), cfg, opts))
		}
		if _, err := RunTree(tr, checked, opts, nil); err != nil {
			t.Fatal(err)
		}
		if checkCache != nil {
			if err := checkCache.Save(); err != nil {
				t.Fatal(err)
			}
		}
		if opts.Cache != nil {
			hits += opts.Cache.Hits()
			if err := opts.Cache.Save(); err != nil {
				t.Fatal(err)
			}
		}
		return ""
	}
	exported := func() []string {
		m, _ := filepath.Glob(filepath.Join(cached, "*", "*"))
		return m
	}
	distEdits := []struct {
		name string
		do   func()
	}{
		{"change a byte of an exported file, same size and times", func() {
			if files := exported(); len(files) > 0 {
				f := files[rng.Intn(len(files))]
				st, _ := os.Stat(f)
				data, _ := os.ReadFile(f)
				data[rng.Intn(len(data))] ^= 0x20
				os.WriteFile(f, data, 0o644)
				os.Chtimes(f, st.ModTime(), st.ModTime())
			}
		}},
		{"delete an exported file", func() {
			if files := exported(); len(files) > 0 {
				os.Remove(files[rng.Intn(len(files))])
			}
		}},
		{"add a stray file to a locale directory", func() {
			if files := exported(); len(files) > 0 {
				os.WriteFile(filepath.Join(filepath.Dir(files[0]), "stray.md"), []byte("stray"), 0o644)
			}
		}},
		{"change the translation of a UI string, same size and times", func() {
			f := filepath.Join(dir, "locales", "es", "ui.es.toml")
			st, _ := os.Stat(f)
			data, _ := os.ReadFile(f)
			if bytes.Contains(data, []byte("Advertencia de seguridad")) {
				data = bytes.Replace(data, []byte("Advertencia de seguridad"), []byte("ADVERTENCIA de seguridad"), 1)
			} else {
				data = bytes.Replace(data, []byte("ADVERTENCIA de seguridad"), []byte("Advertencia de seguridad"), 1)
			}
			os.WriteFile(f, data, 0o644)
			os.Chtimes(f, st.ModTime(), st.ModTime())
		}},
		{"change a byte of the manifest, same size and times", func() {
			f := filepath.Join(cached, "manifest.json")
			st, err := os.Stat(f)
			data, _ := os.ReadFile(f)
			if err != nil || len(data) == 0 {
				return
			}
			i := rng.Intn(len(data))
			if data[i] >= '0' && data[i] <= '8' { // a digit or a letter keeps it JSON
				data[i]++
			} else if data[i] >= 'a' && data[i] < 'z' {
				data[i]++
			}
			os.WriteFile(f, data, 0o644)
			os.Chtimes(f, st.ModTime(), st.ModTime())
		}},
		{"chmod an exported file or the manifest", func() {
			files := append(exported(), filepath.Join(cached, "manifest.json"))
			os.Chmod(files[rng.Intn(len(files))], 0o600)
		}},
		{"edit the manifest", func() {
			f := filepath.Join(cached, "manifest.json")
			data, _ := os.ReadFile(f)
			os.WriteFile(f, append(data, ' '), 0o644)
		}},
	}
	// distEdited: dist/ was edited and no run of every locale has
	// exported since (the runs after the edit ended on bad input).
	distEdited := false
	for step := range 50 {
		subset = nil
		if rng.Intn(3) == 0 && !distEdited {
			subset = map[string]bool{"de": true, "es": rng.Intn(2) == 0}
		}
		var edit string
		// dist/ is edited only before a run of every locale: a run of a few
		// keeps what it finds in the others' directories.
		if rng.Intn(2) == 0 && subset == nil {
			e := distEdits[rng.Intn(len(distEdits))]
			e.do()
			edit = e.name
			distEdited = true
		} else {
			edit = editor.Step()
		}
		wantErr := run(plain, false)
		if wantErr == "" && subset == nil {
			distEdited = false
		}
		var want map[string]string
		if wantErr == "" {
			want = snapshot(t, plain)
		}
		for attempt := range 2 { // the second cached run reads what the first saved
			gotErr := run(cached, true)
			if gotErr != wantErr {
				t.Fatalf("step %d (%s): error without cache %q, with %q", step, edit, wantErr, gotErr)
			}
			if wantErr != "" {
				break
			}
			got := snapshot(t, cached)
			for name := range want {
				if got[name] != want[name] {
					t.Fatalf("step %d (%s), cached run %d: %s differs from the export without cache", step, edit, attempt, name)
				}
			}
			for name := range got {
				if _, ok := want[name]; !ok {
					t.Fatalf("step %d (%s), cached run %d: %s is not in the export without cache", step, edit, attempt, name)
				}
			}
		}
	}
	if hits == 0 {
		t.Fatal("the cache was never used: the test proves nothing")
	}
}

// copyUIStrings copies the repository's translations of the pipeline's own
// strings (locales/<lang>/ui.<lang>.toml) into the project at dir.
func copyUIStrings(t *testing.T, dir string, langs ...string) {
	t.Helper()
	for _, lang := range langs {
		name := filepath.Join("locales", lang, "ui."+lang+".toml")
		data, err := os.ReadFile(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
