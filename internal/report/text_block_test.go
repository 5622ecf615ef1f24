package report

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/healthi18n/healthi18n/internal/check"
)

// manyFindings is a result with n findings over a few locales and files,
// so that locale and file changes fall at every place a block can start.
func manyFindings(n int, seed uint64) *check.Result {
	rng := rand.New(rand.NewPCG(seed, 1))
	r := &check.Result{FailOn: check.Error}
	for range n {
		loc := []string{"ar", "de", "fr"}[rng.IntN(3)]
		r.Findings = append(r.Findings, check.Finding{
			Rule: "stale", Severity: []check.Severity{check.Error, check.Warning}[rng.IntN(2)], Locale: loc,
			File: fmt.Sprintf("locales/%s/a%d.%s.toml", loc, rng.IntN(4), loc), Line: rng.IntN(9), Col: rng.IntN(3),
			MessageID: fmt.Sprint("m", rng.IntN(50)), Message: "changed", Hint: "update it", Safety: rng.IntN(2) == 0,
		})
	}
	return r
}

// TestTextBlocksAreInvisible: the text report is the same whatever the
// block size and the number of CPUs, blocks of one finding included.
func TestTextBlocksAreInvisible(t *testing.T) {
	defer func(b int) { textBlock = b }(textBlock)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for seed := range uint64(20) {
		r := manyFindings(int(seed)*7, seed)
		textBlock = 1 << 30
		runtime.GOMAXPROCS(1)
		want := render(t, "text", r, Options{Color: seed%2 == 0})
		for _, procs := range []int{2, 3, 8} {
			runtime.GOMAXPROCS(procs)
			for _, block := range []int{1, 2, 3, 5, 64} {
				textBlock = block
				if got := render(t, "text", r, Options{Color: seed%2 == 0}); !bytes.Equal(got, want) {
					t.Fatalf("seed %d, %d CPUs, blocks of %d: the report differs from one rendered whole", seed, procs, block)
				}
			}
		}
	}
}

// TestInOrderStopsAtAWriteError: the first write error is returned, no
// block is written after it, and every worker ends.
func TestInOrderStopsAtAWriteError(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	before := runtime.NumGoroutine()
	w := &failAfter{n: 3}
	err := inOrder(w, 1000, func(k int, buf *bytes.Buffer) error { fmt.Fprintf(buf, "%d\n", k); return nil })
	if err == nil || w.writes != 4 {
		t.Errorf("err %v after %d writes; want an error at the 4th", err, w.writes)
	}
	if got := w.b.String(); got != "0\n1\n2\n" {
		t.Errorf("wrote %q, want blocks 0 to 2 in order", got)
	}
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		runtime.Gosched()
	}
	t.Errorf("%d goroutines left running", runtime.NumGoroutine()-before)
}

type failAfter struct {
	n, writes int
	b         bytes.Buffer
}

func (w *failAfter) Write(p []byte) (int, error) {
	w.writes++
	if w.writes > w.n {
		return 0, errors.New("disk full")
	}
	return w.b.Write(p)
}
