// Command qaeval measures the false-alarm rates of the QA rules on the
// TICO-19 corpus of correct human translations and prints them as a
// Markdown table, for the README:
//
//	go run ./cmd/qaeval [-corpus DIR] [-examples]
//
// DIR defaults to ../shared/corpora/tico19 (relative to the repository
// root, where CI has it). It exits 1 when a rate is above the acceptance
// threshold, 2 when the corpus cannot be read.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/healthi18n/healthi18n/internal/qa"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpora/tico19", "folder holding the en-<lang>.neg-num.tsv files")
	examples := flag.Bool("examples", false, "also list flagged pairs")
	flag.Parse()

	results, err := qa.EvalDir(*corpus, qa.New(nil))
	if err != nil {
		fmt.Fprintln(os.Stderr, "qaeval:", err)
		os.Exit(2)
	}
	fmt.Print(qa.MarkdownTable(results))
	if *examples {
		fmt.Println()
		for _, res := range results {
			for _, rule := range qa.Rules {
				for _, e := range res.Examples[rule] {
					fmt.Printf("- %s %s %s\n", res.Lang.Name, rule, e)
				}
			}
		}
	}
	fail := false
	for _, res := range results {
		for _, rule := range qa.EvalRules {
			if res.Rate(rule) > qa.MaxFalseAlarmRate {
				fmt.Fprintf(os.Stderr, "qaeval: %s flags %.1f%% of %s pairs (limit %.0f%%)\n",
					rule, 100*res.Rate(rule), res.Lang.Name, 100*qa.MaxFalseAlarmRate)
				fail = true
			}
		}
	}
	if fail {
		os.Exit(1)
	}
}
