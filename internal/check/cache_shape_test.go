package check

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/healthi18n/healthi18n/internal/cache"
	"github.com/healthi18n/healthi18n/internal/corpus"
	"github.com/healthi18n/healthi18n/internal/project"
	"github.com/healthi18n/healthi18n/internal/qa"
)

// TestShortOutcomeIsAMiss: a cached outcome that decodes but has fewer
// unit results than there are locales (written by hand, or by a version
// with a bug, under the same key) is a miss, not a panic; and the slug at
// its head, which Collect took on trust, is replaced by the article's own.
func TestShortOutcomeIsAMiss(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{Articles: 1, Locales: 2, Translated: 1, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	cachePath := filepath.Join(dir, "c")
	tr, opts := cacheShortOutcome(t, dir, cachePath, "not-its-slug")
	r, err := RunTree(tr, TreeOptions{Options: opts, Cache: cache.Open(cachePath, CacheKey([]byte("test program"), tr, opts))})
	if err != nil {
		t.Fatal(err)
	}
	if r.CacheHits != 0 || len(r.Units) != 2 {
		t.Errorf("%d cache hits, %d unit results: the short outcome was used", r.CacheHits, len(r.Units))
	}
	if got := r.Slugs[tr.UnitKey(0)]; got != "article-00000" {
		t.Errorf("slug %q, want article-00000 (the one the unit has)", got)
	}
}

// TestWrongSlugAtHeadIsNotBadInput: a cached outcome whose head names
// another article's slug (damage the checksum cannot see) does not make
// the run fail on a duplicate slug: the outcome is decoded whole, found
// wrong, and the article checked again, as an uncached run would.
func TestWrongSlugAtHeadIsNotBadInput(t *testing.T) {
	dir, want := uncachedCorpus(t, corpus.Options{Articles: 2, Locales: 2, Translated: 1, Seed: 1})
	cachePath := filepath.Join(dir, "c")
	cacheShortOutcome(t, dir, cachePath, "article-00001")
	got, msg, _ := treeRun(t, dir, cachePath)
	if msg != "" {
		t.Fatalf("the cached head made the input bad: %s", msg)
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("the cached head changed the result:\n%s", diffResults(want, got))
	}
}

// TestNothingToCheckIsCached: a project without UI strings has a unit with
// nothing to check, and a warm run takes that from the cache too.
func TestNothingToCheckIsCached(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{Articles: 3, Locales: 2, Translated: 1, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	cachePath := filepath.Join(dir, "c")
	treeRun(t, dir, cachePath)
	_, tr, err := corpus.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, hits := treeRun(t, dir, cachePath); hits != tr.Units() {
		t.Errorf("warm run: %d hits of %d units", hits, tr.Units())
	}
}

// cacheShortOutcome puts in the cache at cachePath, for the first article
// of the project in dir, an outcome with the given slug and no unit
// results: what damage the checksum cannot see might leave. It returns the
// tree and the options treeRun uses.
func cacheShortOutcome(t *testing.T, dir, cachePath, slug string) (*project.Tree, Options) {
	t.Helper()
	return cacheOutcome(t, dir, cachePath, func([]byte) []byte {
		return encodeOutcome(&outcome{Slug: slug, Content: "content/article-00000.md"})
	})
}

// cacheOutcome puts in the cache at cachePath, for the first article of
// the project in dir, the value made of the one cached there (nil if
// none), under the options treeRun uses. It returns the tree and those
// options.
func cacheOutcome(t *testing.T, dir, cachePath string, value func(cached []byte) []byte) (*project.Tree, Options) {
	t.Helper()
	cfg, tr, err := corpus.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{SafetyFallback: cfg.Policy.Safety == "fallback", MinComplete: cfg.Policy.MinComplete,
		QA: qa.New(cfg.Negation), SameAsSourceAllow: cfg.SameAsSourceAllow}
	c := cache.Open(cachePath, CacheKey([]byte("test program"), tr, opts))
	cached, _, _ := c.Lookup(tr.UnitKey(0))
	_, reads, err := tr.LoadUnit(0)
	if err != nil {
		t.Fatal(err)
	}
	c.Put(tr.UnitKey(0), project.CacheInputs(reads), value(cached))
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	return tr, opts
}

// TestDamagedFindingsAreCheckedAgain: a cached outcome whose brief is
// whole but whose findings cannot be decoded (damage the checksum cannot
// see) gives the unit's findings all the same: the unit is checked again.
func TestDamagedFindingsAreCheckedAgain(t *testing.T) {
	dir, want := uncachedCorpus(t, corpus.Options{Articles: 2, Locales: 2, Translated: 0.5, Seed: 1})
	cachePath := filepath.Join(dir, "c")
	treeRun(t, dir, cachePath)
	tr, opts := cacheOutcome(t, dir, cachePath, func(cached []byte) []byte {
		brief, findings, err := splitOutcome(cached)
		if err != nil || len(findings) == 0 {
			t.Fatalf("a cached value of %d bytes: %v", len(cached), err)
		}
		damaged := append(binary.AppendUvarint(nil, uint64(len(brief))), brief...)
		return append(damaged, bytes.Repeat([]byte{0xff}, len(findings))...)
	})
	outs, err := Collect(tr, TreeOptions{Options: opts, Cache: cache.Open(cachePath, CacheKey([]byte("test program"), tr, opts))})
	if err != nil {
		t.Fatal(err)
	}
	_, got := summaryFindings(t, outs)
	if !reflect.DeepEqual(got, want.Findings) {
		t.Errorf("the findings are not those of an uncached run:\n%s", diffResults(want, &Result{Findings: got, Locales: want.Locales, Units: want.Units}))
	}
}

// uncachedCorpus generates a corpus and gives its directory and the
// result of an uncached check of it.
func uncachedCorpus(t *testing.T, o corpus.Options) (string, *Result) {
	t.Helper()
	dir := t.TempDir()
	if err := corpus.Generate(dir, o); err != nil {
		t.Fatal(err)
	}
	want, msg, _ := treeRun(t, dir, "")
	if msg != "" {
		t.Fatal(msg)
	}
	return dir, want
}

// TestTallyOfACheckedAgainUnitIsDropped: Collect sums up a unit from a
// brief that decodes (here with counts that are not the unit's own) but
// whose findings do not, and whose head names another article's slug;
// the duplicate slug has every outcome decoded whole, so the unit is
// checked again. Summary must then not count what Collect summed up: in
// every Summarize mode, the summary and findings are those of an uncached
// run.
func TestTallyOfACheckedAgainUnitIsDropped(t *testing.T) {
	dir, want := uncachedCorpus(t, corpus.Options{Articles: 2, Locales: 2, Translated: 0.5, Seed: 1})
	for _, mode := range []Summarize{SummarizeLater, SummarizeAfterMiss, SummarizeAlways} {
		cachePath := filepath.Join(t.TempDir(), "c")
		treeRun(t, dir, cachePath)
		tr, opts := cacheOutcome(t, dir, cachePath, func(cached []byte) []byte {
			oc, err := decodeOutcome(cached)
			if err != nil || len(oc.Units) == 0 || len(oc.Findings) == 0 {
				t.Fatalf("a cached outcome that does not decode, or without findings: %v", err)
			}
			oc.Slug = "article-00001"
			oc.Units[0].Messages += 7
			brief, findings, err := splitOutcome(encodeOutcome(oc))
			if err != nil {
				t.Fatal(err)
			}
			damaged := append(binary.AppendUvarint(nil, uint64(len(brief))), brief...)
			return append(damaged, bytes.Repeat([]byte{0xff}, len(findings))...)
		})
		outs, err := Collect(tr, TreeOptions{Options: opts, Cache: cache.Open(cachePath, CacheKey([]byte("test program"), tr, opts)), Summarize: mode})
		if err != nil {
			t.Fatalf("mode %d: %v", mode, err)
		}
		sum, got := summaryFindings(t, outs)
		if !reflect.DeepEqual(sum.Result.Locales, want.Locales) {
			t.Errorf("mode %d: the summary's locales are not those of an uncached run:\n%+v\n%+v", mode, sum.Result.Locales, want.Locales)
		}
		if !reflect.DeepEqual(got, want.Findings) {
			t.Errorf("mode %d: the findings are not those of an uncached run:\n%s", mode, diffResults(want, &Result{Findings: got, Locales: want.Locales, Units: want.Units}))
		}
	}
}
