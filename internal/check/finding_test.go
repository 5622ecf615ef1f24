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

// TestSortedByLocaleIsAStableSort: laying out runs of findings (each in
// order, as check makes them, or not) and extra findings gives what a
// stable sort of their concatenation gives.
func TestSortedByLocaleIsAStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	random := func(n int) []Finding {
		fs := make([]Finding, n)
		for i := range fs {
			fs[i] = Finding{Locale: pick("de", "fr", "ar", "en", ""), File: pick("a", "b", "c"), Line: rng.IntN(3), Col: rng.IntN(2),
				Rule: pick("empty", "stale"), MessageID: pick("x", "y"), Message: fmt.Sprint(rng.IntN(1000))}
		}
		return fs
	}
	for round := range 500 {
		runs := make([][]Finding, rng.IntN(6))
		for i := range runs {
			runs[i] = random(rng.IntN(20))
			if round%3 != 0 {
				slices.SortStableFunc(runs[i], CompareFindings)
			}
		}
		if round%3 == 1 && len(runs) > 0 {
			// Runs in file order, as units come: each a later file.
			for i := range runs {
				for j := range runs[i] {
					runs[i][j].File = fmt.Sprint(i)
				}
				slices.SortStableFunc(runs[i], CompareFindings)
			}
		}
		extra := random(rng.IntN(4))
		var want []Finding
		for _, r := range runs {
			want = append(want, r...)
		}
		want = append(want, extra...)
		sort.SliceStable(want, func(i, j int) bool { return CompareFindings(want[i], want[j]) < 0 })
		if got := sortedByLocale(runs, extra); !slices.Equal(got, want) && (len(got) > 0 || len(want) > 0) {
			t.Fatalf("round %d: sortedByLocale differs from a stable sort\n got %v\nwant %v", round, got, want)
		}
	}
}
