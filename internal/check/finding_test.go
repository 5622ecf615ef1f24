package check

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestSortFindingsIsAStableSort compares SortFindings with a plain stable
// sort on random findings full of ties, in random and in nearly sorted
// orders (the shape check produces).
func TestSortFindingsIsAStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	for round := range 300 {
		fs := make([]Finding, rng.IntN(60))
		for i := range fs {
			fs[i] = Finding{Locale: pick("de", "fr", "ar", ""), File: pick("a", "b", "c"), Line: rng.IntN(3), Col: rng.IntN(2),
				Rule: pick("empty", "stale"), MessageID: pick("x", "y"), Message: fmt.Sprint(i)}
		}
		if round%2 == 0 {
			sort.SliceStable(fs, func(i, j int) bool { return CompareFindings(fs[i], fs[j]) < 0 })
			for range 3 { // disturb a little
				if len(fs) > 1 {
					i, j := rng.IntN(len(fs)), rng.IntN(len(fs))
					fs[i], fs[j] = fs[j], fs[i]
				}
			}
		}
		want := append([]Finding(nil), fs...)
		sort.SliceStable(want, func(i, j int) bool { return CompareFindings(want[i], want[j]) < 0 })
		SortFindings(fs)
		if !slices.Equal(fs, want) {
			t.Fatalf("round %d: SortFindings differs from a stable sort\n got %v\nwant %v", round, fs, want)
		}
	}
}
