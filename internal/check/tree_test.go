package check

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/healthi18n/healthi18n/internal/cache"
	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/corpus"
	"github.com/healthi18n/healthi18n/internal/project"
	"github.com/healthi18n/healthi18n/internal/qa"
)

// treeRun checks the project in dir through RunTree, with the cache at
// cachePath (none if ""). It returns the result or the input error text,
// and the cache hits.
func treeRun(t *testing.T, dir, cachePath string) (*Result, string, int) {
	r, msg, hits, _ := treeRunDigest(t, dir, cachePath)
	return r, msg, hits
}

// treeRunDigest is treeRun through Collect and Result (what RunTree does),
// also returning the outcomes' digest.
func treeRunDigest(t *testing.T, dir, cachePath string) (*Result, string, int, [32]byte) {
	t.Helper()
	cfg, err := config.Load(config.Options{Path: filepath.Join(dir, config.FileName), Environ: []string{}})
	if err != nil {
		return nil, "config: " + err.Error(), 0, [32]byte{}
	}
	tr, err := project.Open(cfg)
	if err != nil {
		return nil, err.Error(), 0, [32]byte{}
	}
	opts := Options{SafetyFallback: cfg.Policy.Safety == "fallback", MinComplete: cfg.Policy.MinComplete,
		QA: qa.New(cfg.Negation), SameAsSourceAllow: cfg.SameAsSourceAllow}
	topts := TreeOptions{Options: opts}
	if cachePath != "" {
		topts.Cache = cache.Open(cachePath, CacheKey([]byte("test program"), tr, opts))
	}
	outs, err := Collect(tr, topts)
	if err != nil {
		return nil, err.Error(), 0, [32]byte{}
	}
	digest := outs.Digest()
	r, err := outs.Result()
	if err != nil {
		return nil, err.Error(), 0, digest
	}
	if topts.Cache != nil {
		if err := topts.Cache.Save(); err != nil {
			t.Fatal(err)
		}
	}
	hits := r.CacheHits
	r.CacheHits, r.Slugs = 0, nil
	return r, "", hits, digest
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
//
// It also holds the outcomes' digest to its promise, on which check's
// replayed report rests: the cached and uncached runs have the same digest,
// and a digest seen at an earlier step (under the same configuration)
// comes with the same result as then.
func TestCacheNeverChangesResult(t *testing.T) {
	corpus.EachStatMode(t, func(t *testing.T) { cacheNeverChangesResult(t, 1+int64(len(t.Name()))) })
}

func cacheNeverChangesResult(t *testing.T, seed int64) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{Articles: 10, Locales: 3, Translated: 0.8, Stale: 0.2, Broken: 0.1, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	cachePath := filepath.Join(dir, ".healthi18n-cache", "check")
	editor := corpus.NewEditor(dir, seed, cachePath)
	hits, repeats := 0, 0
	type seen struct {
		config string
		result *Result
	}
	byDigest := map[[32]byte]seen{}
	for step := 0; step < 60; step++ {
		edit := editor.Step()
		config, _ := os.ReadFile(filepath.Join(dir, "healthi18n.yaml"))
		want, wantErr, _, wantDigest := treeRunDigest(t, dir, "")
		got, gotErr, h, gotDigest := treeRunDigest(t, dir, cachePath)
		hits += h
		if wantErr != gotErr {
			t.Fatalf("step %d (%s): error without cache %q, with cache %q", step, edit, wantErr, gotErr)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("step %d (%s): the cache changed the result:\n%s", step, edit, diffResults(want, got))
		}
		// A second cached run must agree too (and is mostly hits).
		again, againErr, h, againDigest := treeRunDigest(t, dir, cachePath)
		hits += h
		if againErr != wantErr || !reflect.DeepEqual(want, again) {
			t.Fatalf("step %d (%s): a warm cached run changed the result:\n%s", step, edit, diffResults(want, again))
		}
		if wantErr != "" {
			continue
		}
		if gotDigest != wantDigest || againDigest != wantDigest {
			t.Fatalf("step %d (%s): digests differ for one result: uncached %x, cached %x, warm %x", step, edit, wantDigest[:4], gotDigest[:4], againDigest[:4])
		}
		if before, ok := byDigest[wantDigest]; ok && before.config == string(config) {
			repeats++
			if !reflect.DeepEqual(before.result, want) {
				t.Fatalf("step %d (%s): a digest seen before comes with another result:\n%s", step, edit, diffResults(before.result, want))
			}
		}
		byDigest[wantDigest] = seen{string(config), want}
	}
	if hits == 0 {
		t.Fatal("the cache was never used: the test proves nothing")
	}
	t.Logf("%d cache hits; %d steps met a digest again", hits, repeats)
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

// TestSummaryIsTheResult: a Summary is the Result without the units'
// findings: the same units, locales and pass flags, failing alike, and
// its units' findings, in its groups' order, are the Result's findings.
// Corpora with and without broken translations, failing on errors and on
// warnings, give units that pass and units that fail. Each is checked
// afresh, then from the cache, then after an article is edited, in each
// Summarize mode (Collect summing units up or not).
func TestSummaryIsTheResult(t *testing.T) {
	for _, broken := range []float64{0, 0.3} {
		dir := t.TempDir()
		if err := corpus.Generate(dir, corpus.Options{Articles: 8, Locales: 3, Translated: 0.9, Stale: 0.2, Broken: broken, Seed: 4}); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "locales", "de", "gone.de.toml"), []byte("[x]\nother = \"y\"\n"), 0o644)
		for _, failOn := range []Severity{Error, Warning} {
			for _, minComplete := range []float64{0, 95} {
				for _, mode := range []Summarize{SummarizeLater, SummarizeAfterMiss, SummarizeAlways} {
					summaryIsTheResult(t, dir, broken, failOn, minComplete, mode)
				}
			}
		}
	}
}

func summaryIsTheResult(t *testing.T, dir string, broken float64, failOn Severity, minComplete float64, mode Summarize) {
	cachePath := filepath.Join(t.TempDir(), "c")
	edited := filepath.Join(dir, "content", "article-00004.md")
	original, err := os.ReadFile(edited)
	if err != nil {
		t.Fatal(err)
	}
	defer os.WriteFile(edited, original, 0o644)
	for run := range 3 { // checked, then from the cache, then after an edit
		if run == 2 {
			os.WriteFile(edited, append(slices.Clone(original), "\nNever take two doses at once.\n"...), 0o644)
		}
		cfg, tr, err := corpus.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		opts := Options{FailOn: failOn, MinComplete: minComplete, QA: qa.New(cfg.Negation)}
		c := cache.Open(cachePath, CacheKey([]byte("test"), tr, opts))
		outs, err := Collect(tr, TreeOptions{Options: opts, Cache: c, Summarize: mode})
		if err != nil {
			t.Fatal(err)
		}
		sum, findings := summaryFindings(t, outs)
		r, err := outs.Result()
		if err != nil {
			t.Fatal(err)
		}
		c.Save()
		name := fmt.Sprintf("broken %v, fail on %s, min-complete %v, summarize %d, run %d", broken, failOn, minComplete, mode, run)
		if run > 0 && r.CacheHits == 0 {
			t.Fatalf("%s: no cache hit: the test proves little", name)
		}
		passes := map[bool]int{}
		for _, u := range r.Units {
			passes[u.Pass]++
		}
		if broken == 0 && failOn == Error && (passes[true] == 0 || passes[false] == 0) {
			t.Fatalf("%s: %d units pass, %d fail: the test proves little", name, passes[true], passes[false])
		}
		if sum.Result.Units != nil || !reflect.DeepEqual(sum.Result.Locales, r.Locales) {
			t.Fatalf("%s: the summary's locales are not the result's (or it has units):\n%+v\n%+v", name, sum.Result.Locales, r.Locales)
		}
		if sum.Failed() != r.Failed() {
			t.Fatalf("%s: the summary failed %v, the result %v", name, sum.Failed(), r.Failed())
		}
		// A unit or locale fails when one of its findings
		// reaches failOn.
		failing := map[[2]string]bool{}
		for _, f := range r.Findings {
			if f.Severity.Rank() >= failOn.Rank() {
				failing[[2]string{f.Locale, f.Article}] = true
				failing[[2]string{f.Locale, "*"}] = true
			}
		}
		for _, u := range r.Units {
			if u.Pass == failing[[2]string{u.Locale, u.Article}] {
				t.Fatalf("%s: %s in %s passes: %v", name, u.Article, u.Locale, u.Pass)
			}
		}
		for _, l := range r.Locales {
			if l.Pass == failing[[2]string{l.Locale, "*"}] {
				t.Fatalf("%s: %s passes: %v", name, l.Locale, l.Pass)
			}
		}
		if !reflect.DeepEqual(findings, r.Findings) {
			t.Fatalf("%s: the units' findings and the summary's are not the result's", name)
		}
	}
}

// summaryFindings is the Summary of outs, and the findings of its units
// (each taken with Outcomes.Findings) with its own, sorted: what Result
// gives as Findings.
func summaryFindings(t *testing.T, outs *Outcomes) (*Summary, []Finding) {
	t.Helper()
	sum, err := outs.Summary()
	if err != nil {
		t.Fatal(err)
	}
	var all []Finding
	for i := range sum.Units {
		fs, err := outs.Findings(&sum.Units[i])
		if err != nil {
			t.Fatalf("%s: %v", sum.Units[i].Key, err)
		}
		all = append(all, fs...)
	}
	all = append(all, sum.Result.Findings...)
	SortFindings(all)
	return sum, all
}
