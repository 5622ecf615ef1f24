package check

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/healthi18n/healthi18n/internal/cache"
	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/corpus"
	"github.com/healthi18n/healthi18n/internal/project"
	"github.com/healthi18n/healthi18n/internal/qa"
)

// treeRun checks the project in dir through RunTree, with the cache at
// cachePath (none if ""). It returns the result or the input error text.
func treeRun(t *testing.T, dir, cachePath string) (*Result, string, int) {
	t.Helper()
	cfg, err := config.Load(config.Options{Path: filepath.Join(dir, config.FileName), Environ: []string{}})
	if err != nil {
		return nil, "config: " + err.Error(), 0
	}
	tr, err := project.Open(cfg)
	if err != nil {
		return nil, err.Error(), 0
	}
	opts := Options{SafetyFallback: cfg.Policy.Safety == "fallback", MinComplete: cfg.Policy.MinComplete,
		QA: qa.New(cfg.Negation), SameAsSourceAllow: cfg.SameAsSourceAllow}
	topts := TreeOptions{Options: opts}
	if cachePath != "" {
		topts.Cache = cache.Open(cachePath, CacheKey([]byte("test program"), tr, opts))
	}
	r, err := RunTree(tr, topts)
	if err != nil {
		return nil, err.Error(), 0
	}
	if topts.Cache != nil {
		if err := topts.Cache.Save(); err != nil {
			t.Fatal(err)
		}
	}
	hits := r.CacheHits
	r.CacheHits = 0
	return r, "", hits
}

// TestTreeMatchesLoadedRun: streaming unit by unit gives what checking the
// loaded project gives.
func TestTreeMatchesLoadedRun(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{Articles: 15, Locales: 4, Translated: 0.8, Stale: 0.3, Broken: 0.2, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "locales", "es", "gone.es.toml"), []byte("[x]\nother = \"y\"\n"), 0o644)
	got, msg, _ := treeRun(t, dir, "")
	if msg != "" {
		t.Fatal(msg)
	}
	cfg, _ := config.Load(config.Options{Path: filepath.Join(dir, config.FileName), Environ: []string{}})
	p, err := project.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := Run(p, Options{SafetyFallback: true, QA: qa.New(cfg.Negation)})
	if !reflect.DeepEqual(want, got) {
		t.Errorf("RunTree differs from Run on the loaded project:\n%s", diffResults(want, got))
	}
	if len(got.Findings) < 20 {
		t.Errorf("only %d findings: the corpus should give many", len(got.Findings))
	}
}

// TestCacheNeverChangesResult edits the tree behind the cache's back, damages
// the cache and changes the configuration, at random, and after every step
// compares a cached run with an uncached one. Both stat modes run: stats
// never trusted (files just written) and always trusted (as if old).
func TestCacheNeverChangesResult(t *testing.T) {
	for _, trust := range []bool{false, true} {
		t.Run(fmt.Sprintf("trust-stats=%v", trust), func(t *testing.T) {
			if trust {
				old := cache.RacyWindow
				cache.RacyWindow = -time.Hour
				t.Cleanup(func() { cache.RacyWindow = old })
			}
			cacheNeverChangesResult(t, 1+int64(len(t.Name())))
		})
	}
}

var otherValue = regexp.MustCompile(`(?m)^other = "\[[a-z-A-Z]+\] ([^"]*)"$`)

func cacheNeverChangesResult(t *testing.T, seed int64) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{Articles: 10, Locales: 3, Translated: 0.8, Stale: 0.2, Broken: 0.1, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	cachePath := filepath.Join(dir, ".healthi18n-cache", "check")
	rng := rand.New(rand.NewSource(seed))
	glob := func(pattern string) []string {
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		return m
	}
	pick := func(xs []string) string {
		if len(xs) == 0 {
			return ""
		}
		return xs[rng.Intn(len(xs))]
	}
	// keepTimes rewrites a file keeping its size and modification time: only
	// the change time and the content tell.
	keepTimes := func(path string, edit func([]byte) []byte) {
		st, err := os.Stat(path)
		if err != nil {
			return
		}
		data, _ := os.ReadFile(path)
		os.WriteFile(path, edit(data), 0o644)
		os.Chtimes(path, st.ModTime(), st.ModTime())
	}
	edits := []struct {
		name string
		do   func()
	}{
		{"nothing", func() {}},
		{"swap a digit in a translation, same size and mtime", func() {
			keepTimes(pick(glob("locales/[a-df-z]*/*.toml")), func(b []byte) []byte {
				loc := otherValue.FindAllSubmatchIndex(b, -1)
				if len(loc) == 0 {
					return b
				}
				i := loc[rng.Intn(len(loc))][2]
				if b[i] == 'X' {
					b[i] = 'Y'
				} else {
					b[i] = 'X'
				}
				return b
			})
		}},
		{"empty a translation", func() {
			keepTimes(pick(glob("locales/[a-df-z]*/*.toml")), func(b []byte) []byte {
				return []byte(otherValue.ReplaceAllStringFunc(string(b), func(s string) string {
					if rng.Intn(3) == 0 {
						return `other = ""`
					}
					return s
				}))
			})
		}},
		{"delete a translator file", func() { os.Remove(pick(glob("locales/[a-df-z]*/*.toml"))) }},
		{"add an orphan translator file", func() {
			os.WriteFile(filepath.Join(dir, "locales", "es", fmt.Sprintf("old-%d.es.toml", rng.Intn(3))), []byte("[a]\nother = \"b\"\n"), 0o644)
		}},
		{"edit a source article", func() {
			keepTimes(pick(glob("content/*.md")), func(b []byte) []byte {
				return []byte(strings.Replace(string(b), "Most people", "Mostly people", 1))
			})
		}},
		{"add a paragraph to an article", func() {
			f := pick(glob("content/*.md"))
			data, _ := os.ReadFile(f)
			os.WriteFile(f, append(data, "\nNever take it with alcohol.\n"...), 0o644)
		}},
		{"add and remove an article", func() {
			os.WriteFile(filepath.Join(dir, "content", "new.md"), []byte("# New\n\nDo not drive.\n"), 0o644)
			if rng.Intn(2) == 0 {
				os.Remove(filepath.Join(dir, "content", "new.md"))
			}
		}},
		{"break a translator file (bad input)", func() {
			f := pick(glob("locales/de/*.toml"))
			data, _ := os.ReadFile(f)
			os.WriteFile(f, append(data, "\n[unclosed\n"...), 0o644)
		}},
		{"edit a source bundle", func() {
			keepTimes(pick(glob("locales/en/*.toml")), func(b []byte) []byte {
				return []byte(strings.Replace(string(b), "#. ", "#, ", 1))
			})
		}},
		{"change the policy", func() {
			f := filepath.Join(dir, config.FileName)
			data, _ := os.ReadFile(f)
			s := string(data)
			if strings.Contains(s, "fallback") {
				s = strings.Replace(s, "fallback", "strict", 1)
			} else {
				s = strings.Replace(s, "strict", "fallback", 1)
			}
			os.WriteFile(f, []byte(s), 0o644)
		}},
		{"truncate the cache", func() {
			data, _ := os.ReadFile(cachePath)
			os.WriteFile(cachePath, data[:len(data)/3], 0o644)
		}},
		{"flip a byte of the cache", func() {
			data, _ := os.ReadFile(cachePath)
			if len(data) > 0 {
				data[rng.Intn(len(data))] ^= byte(1 + rng.Intn(255))
				os.WriteFile(cachePath, data, 0o644)
			}
		}},
		{"replace the cache with garbage", func() { os.WriteFile(cachePath, []byte("healthi18n-cache-v1\ngarbage"), 0o644) }},
		{"delete the cache", func() { os.Remove(cachePath) }},
	}
	hits := 0
	var broken []string // translator files made invalid, to repair
	for step := 0; step < 60; step++ {
		e := edits[rng.Intn(len(edits))]
		if strings.HasPrefix(e.name, "break") {
			for _, f := range broken {
				os.Remove(f) // repair by removing: the next split would recreate it
			}
			broken = glob("locales/de/*.toml")
		}
		e.do()
		if !strings.HasPrefix(e.name, "break") && len(broken) > 0 && rng.Intn(2) == 0 {
			for _, f := range broken {
				data, _ := os.ReadFile(f)
				os.WriteFile(f, []byte(strings.ReplaceAll(string(data), "\n[unclosed\n", "")), 0o644)
			}
			broken = nil
		}
		want, wantErr, _ := treeRun(t, dir, "")
		got, gotErr, h := treeRun(t, dir, cachePath)
		hits += h
		if wantErr != gotErr {
			t.Fatalf("step %d (%s): error without cache %q, with cache %q", step, e.name, wantErr, gotErr)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("step %d (%s): the cache changed the result:\n%s", step, e.name, diffResults(want, got))
		}
		// A second cached run must agree too (and is mostly hits).
		again, againErr, h := treeRun(t, dir, cachePath)
		hits += h
		if againErr != wantErr || !reflect.DeepEqual(want, again) {
			t.Fatalf("step %d (%s): a warm cached run changed the result:\n%s", step, e.name, diffResults(want, again))
		}
	}
	if hits == 0 {
		t.Fatal("the cache was never used: the test proves nothing")
	}
}

// diffResults shows the first differences between two results.
func diffResults(want, got *Result) string {
	if want == nil || got == nil {
		return fmt.Sprintf("want %v, got %v", want != nil, got != nil)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < max(len(want.Findings), len(got.Findings)) && n < 5; i++ {
		var w, g Finding
		if i < len(want.Findings) {
			w = want.Findings[i]
		}
		if i < len(got.Findings) {
			g = got.Findings[i]
		}
		if w != g {
			fmt.Fprintf(&b, "finding %d:\n-want %+v\n+got  %+v\n", i, w, g)
			n++
		}
	}
	if !reflect.DeepEqual(want.Locales, got.Locales) {
		fmt.Fprintf(&b, "-want locales %+v\n+got  locales %+v\n", want.Locales, got.Locales)
	}
	if !reflect.DeepEqual(want.Units, got.Units) {
		b.WriteString("units differ\n")
	}
	return b.String()
}
