// Command corpusgen writes a synthetic healthi18n project for benchmarks
// (see internal/corpus). The same flags always give the same bytes.
//
//	go run ./bench/corpusgen -out /tmp/corpus -articles 1000 -locales 10
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/healthi18n/healthi18n/internal/corpus"
)

func main() {
	out := flag.String("out", "corpus", "directory to create")
	var o corpus.Options
	flag.IntVar(&o.Articles, "articles", 1000, "number of articles")
	flag.IntVar(&o.Locales, "locales", 10, "number of target locales (at most 15)")
	flag.Float64Var(&o.Translated, "translated", 0.9, "share of messages translated")
	flag.Float64Var(&o.Stale, "stale", 0.1, "share of articles whose source changes after translation")
	flag.Float64Var(&o.Broken, "broken", 0.01, "share of translations with a changed number")
	flag.Int64Var(&o.Seed, "seed", 1, "random seed")
	flag.Parse()
	if err := corpus.Generate(*out, o); err != nil {
		fmt.Fprintln(os.Stderr, "corpusgen:", err)
		os.Exit(1)
	}
}
