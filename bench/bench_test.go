// Package bench holds the end-to-end benchmarks of split, sync, check and
// export on generated corpora (internal/corpus) of 1,000 and 10,000
// articles × 10 locales. They run only when asked:
//
//	go test ./bench -run '^$' -bench . -benchtime 1x
//
// bench/compare.sh times the same work against peer tools.
package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/healthi18n/healthi18n/internal/cache"
	"github.com/healthi18n/healthi18n/internal/check"
	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/corpus"
	"github.com/healthi18n/healthi18n/internal/export"
	"github.com/healthi18n/healthi18n/internal/project"
)

var sizes = []int{1000, 10000}

// corpusDir generates (once per process and size) a corpus in a temporary
// directory.
var corpora = map[int]string{}

func corpusDir(b *testing.B, n int) string {
	b.Helper()
	if dir, ok := corpora[n]; ok {
		return dir
	}
	dir, err := os.MkdirTemp("", fmt.Sprintf("healthi18n-bench-%d-", n))
	if err != nil {
		b.Fatal(err)
	}
	if err := corpus.Generate(dir, corpus.Options{Articles: n, Locales: 10, Translated: 0.9, Stale: 0.1, Broken: 0.01, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	corpora[n] = dir
	return dir
}

func load(b *testing.B, dir string) *project.Project {
	b.Helper()
	cfg, err := config.Load(config.Options{Path: filepath.Join(dir, config.FileName), Environ: []string{}})
	if err != nil {
		b.Fatal(err)
	}
	p, err := project.Load(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func open(b *testing.B, dir string) *project.Tree {
	b.Helper()
	cfg, err := config.Load(config.Options{Path: filepath.Join(dir, config.FileName), Environ: []string{}})
	if err != nil {
		b.Fatal(err)
	}
	t, err := project.Open(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return t
}

// contentBytes is the size of the corpus's articles and translator files,
// for bytes/s.
func contentBytes(b *testing.B, dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n
}

// eachSize runs body as a sub-benchmark per corpus size, reporting bytes/s
// over the corpus and allocations.
func eachSize(b *testing.B, body func(b *testing.B, dir string)) { sizesRun(b, false, body) }

// eachSizeWarm is eachSize with one untimed run first, which fills the
// caches the timed runs then read.
func eachSizeWarm(b *testing.B, body func(b *testing.B, dir string)) { sizesRun(b, true, body) }

func sizesRun(b *testing.B, warm bool, body func(b *testing.B, dir string)) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("%dx10", n), func(b *testing.B) {
			dir := corpusDir(b, n)
			b.SetBytes(contentBytes(b, dir))
			b.ReportAllocs()
			if warm {
				body(b, dir) // before b.Loop, which starts the timer
			}
			for b.Loop() {
				body(b, dir)
			}
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string) { load(b, dir) })
}

// BenchmarkSplit plans the sync of every translator file (no disk writes:
// the tree is up to date after the first run).
func BenchmarkSplit(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string) {
		if _, err := load(b, dir).Split(project.SplitOptions{}).Apply(); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkSplitTree plans the sync unit by unit, as the split command
// does with --no-cache.
func BenchmarkSplitTree(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string) {
		if _, _, err := open(b, dir).Split(project.SplitOptions{}, nil); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkCheck checks unit by unit without the cache (a cold run).
func BenchmarkCheck(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string) {
		if _, err := check.RunTree(open(b, dir), check.TreeOptions{Options: check.Options{SafetyFallback: true}}); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkCheckWarm checks through a cache filled by an earlier run (no
// file changed).
func BenchmarkCheckWarm(b *testing.B) {
	eachSizeWarm(b, func(b *testing.B, dir string) {
		t := open(b, dir)
		opts := check.Options{SafetyFallback: true}
		path := filepath.Join(dir, ".healthi18n-cache", "check")
		c := cache.Open(path, check.CacheKey([]byte("bench"), t, opts))
		if _, err := check.RunTree(t, check.TreeOptions{Options: opts, Cache: c}); err != nil {
			b.Fatal(err)
		}
		if err := c.Save(); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkExportWarm checks and exports through the caches, filled by an
// earlier run: nothing changed, so dist/ is left as it is.
func BenchmarkExportWarm(b *testing.B) {
	eachSizeWarm(b, func(b *testing.B, dir string) {
		t := open(b, dir)
		copts := check.Options{SafetyFallback: true}
		cc := cache.Open(filepath.Join(dir, ".healthi18n-cache", "check"), check.CacheKey([]byte("bench"), t, copts))
		r, err := check.RunTree(t, check.TreeOptions{Options: copts, Cache: cc})
		if err != nil {
			b.Fatal(err)
		}
		eopts := export.Options{Dist: filepath.Join(dir, "dist"), Policy: export.Policy{Safety: "fallback", Missing: "fallback"}}
		eopts.Cache = cache.Open(filepath.Join(dir, ".healthi18n-cache", "export"), export.CacheKey([]byte("bench"), t.Config, eopts))
		if _, err := export.RunTree(t, export.FromResult(r), eopts, nil); err != nil {
			b.Fatal(err)
		}
		for _, c := range []*cache.Cache{cc, eopts.Cache} {
			if err := c.Save(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkExport checks (cold) and exports unit by unit, as the export
// command does with --no-cache.
func BenchmarkExport(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string) {
		t := open(b, dir)
		r, err := check.RunTree(t, check.TreeOptions{Options: check.Options{SafetyFallback: true}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := export.RunTree(t, export.FromResult(r), export.Options{Dist: filepath.Join(dir, "dist"), Policy: export.Policy{Safety: "fallback", Missing: "fallback"}}, nil); err != nil {
			b.Fatal(err)
		}
	})
}
