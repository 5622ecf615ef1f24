package splice

import (
	"bytes"
	"path/filepath"
	"slices"
	"testing"

	"github.com/healthi18n/healthi18n/internal/cache"
	"github.com/healthi18n/healthi18n/internal/check"
	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/corpus"
	"github.com/healthi18n/healthi18n/internal/qa"
	"github.com/healthi18n/healthi18n/internal/replay"
	"github.com/healthi18n/healthi18n/internal/report"
)

// TestSplicedIsTheReport: whatever was edited since the kept report was
// written (articles, translations, configuration, the caches, the kept
// report itself), the report Write gives is, byte for byte, the report
// of an uncached check; and the steps that change a few articles reuse
// the lines of the others.
func TestSplicedIsTheReport(t *testing.T) {
	corpus.EachStatMode(t, func(t *testing.T) { splicedIsTheReport(t, 5+int64(len(t.Name()))) })
}

func splicedIsTheReport(t *testing.T, seed int64) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{Articles: 12, Locales: 3, Translated: 0.8, Stale: 0.2, Broken: 0.1, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	cachePath := filepath.Join(dir, ".healthi18n-cache", "check")
	record := filepath.Join(dir, ".healthi18n-cache", "check-report.text")
	editor := corpus.NewEditor(dir, seed, cachePath, record)
	partial, whole := 0, 0
	defaultLimit := renderLimit
	t.Cleanup(func() { renderLimit = defaultLimit })
	for step := range 80 {
		edit := "none"
		if step > 0 {
			edit = editor.Step()
		}
		color := step%7 == 3
		failOn := []check.Severity{check.Error, check.Warning}[step/10%2]
		want, wantErr := uncached(t, dir, color, failOn)
		got, done, gotErr := spliced(t, dir, cachePath, record, color, failOn)
		if wantErr != gotErr {
			t.Fatalf("step %d (%s): error without cache %q, spliced %q", step, edit, wantErr, gotErr)
		}
		if !bytes.Equal(want, got) {
			t.Fatalf("step %d (%s): the spliced report differs:\n%s", step, edit, firstDifference(want, got))
		}
		// Rendered afresh (check --no-cache), its lines moved to files
		// every few bytes on some steps.
		renderLimit = defaultLimit
		if step%3 == 0 {
			renderLimit = 1 + step%200
		}
		if got, gotErr := fresh(t, dir, color, failOn); gotErr != wantErr || !bytes.Equal(want, got) {
			t.Fatalf("step %d (%s): the report rendered afresh differs (error %q, want %q):\n%s", step, edit, gotErr, wantErr, firstDifference(want, got))
		}
		// The next run, with nothing changed, copies the record whole.
		again, doneAgain, _ := spliced(t, dir, cachePath, record, color, failOn)
		if wantErr == "" && (!bytes.Equal(want, again) || doneAgain.Reused+doneAgain.Rendered != 0) {
			t.Fatalf("step %d (%s): the run after it did not copy the same report whole (%d reused, %d rendered)",
				step, edit, doneAgain.Reused, doneAgain.Rendered)
		}
		if done.Reused > 0 && done.Rendered > 0 {
			partial++
		}
		if wantErr == "" && done.Reused+done.Rendered == 0 {
			whole++
		}
	}
	if partial == 0 || whole == 0 {
		t.Fatalf("%d steps reused some units, %d copied a whole report: the test proves nothing", partial, whole)
	}
	t.Logf("%d steps reused some units' lines; %d copied a whole report", partial, whole)
}

// uncached is the text report of a check without any cache, or the input
// error.
func uncached(t *testing.T, dir string, color bool, failOn check.Severity) ([]byte, string) {
	t.Helper()
	cfg, tr, err := corpus.Open(dir)
	if err != nil {
		return nil, err.Error()
	}
	r, err := check.RunTree(tr, check.TreeOptions{Options: options(cfg, failOn)})
	if err != nil {
		return nil, err.Error()
	}
	var b bytes.Buffer
	if err := report.Write(&b, "text", r, report.Options{Color: color}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), ""
}

// fresh is the text report WriteFresh gives, as check --no-cache runs it.
func fresh(t *testing.T, dir string, color bool, failOn check.Severity) ([]byte, string) {
	t.Helper()
	cfg, tr, err := corpus.Open(dir)
	if err != nil {
		return nil, err.Error()
	}
	outs, err := check.Collect(tr, check.TreeOptions{Options: options(cfg, failOn), Summarize: check.SummarizeAlways})
	if err != nil {
		return nil, err.Error()
	}
	defer outs.Close()
	var b bytes.Buffer
	failed, err := WriteFresh(&b, outs, report.Options{Color: color})
	if err != nil {
		return nil, err.Error()
	}
	r, _ := check.RunTree(tr, check.TreeOptions{Options: options(cfg, failOn)})
	if failed != r.Failed() {
		t.Errorf("WriteFresh says failed %v, the result %v", failed, r.Failed())
	}
	return b.Bytes(), ""
}

// spliced is the text report Write gives through the cache and the kept
// record, as check's command runs it.
func spliced(t *testing.T, dir, cachePath, record string, color bool, failOn check.Severity) ([]byte, Written, string) {
	t.Helper()
	cfg, tr, err := corpus.Open(dir)
	if err != nil {
		return nil, Written{}, err.Error()
	}
	opts := options(cfg, failOn)
	key := check.CacheKey([]byte("test program"), tr, opts)
	c := cache.Open(cachePath, key)
	outs, err := check.Collect(tr, check.TreeOptions{Options: opts, Cache: c, Summarize: check.SummarizeAfterMiss})
	if err != nil {
		return nil, Written{}, err.Error()
	}
	family := replay.NewKey([]byte("test report"), key, []byte{boolByte(color)})
	digest := outs.Digest()
	var b bytes.Buffer
	done, err := Write(&b, outs, record, replay.NewKey(family[:], digest[:]), family, report.Options{Color: color})
	if err != nil {
		return nil, Written{}, err.Error()
	}
	if done.Commit != nil {
		if err := done.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), done, ""
}

// options are check's options for the configuration, as the command
// makes them.
func options(cfg *config.Config, failOn check.Severity) check.Options {
	return check.Options{FailOn: failOn, SafetyFallback: cfg.Policy.Safety == "fallback", MinComplete: cfg.Policy.MinComplete,
		QA: qa.New(cfg.Negation), SameAsSourceAllow: cfg.SameAsSourceAllow}
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// firstDifference shows the lines around the first byte where a and b
// differ.
func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, bytes.LastIndexByte(a[:i], '\n'))
	end := func(x []byte) []byte { return x[from:min(len(x), i+200)] }
	return "-want " + string(end(a)) + "\n+got  " + string(end(b))
}

// FuzzDecodeIndex: a damaged index is an error, never a panic, and an
// index that is accepted has every span inside the report, and finds each
// of its units by key.
func FuzzDecodeIndex(f *testing.F) {
	p := &Plan{units: []*check.UnitSummary{{Key: "article:a.md", Groups: make([]check.Group, 2)}}, owner: []owned{{0, 1}, {-1, 0}, {0, 0}}}
	f.Add(indexOf(p, []report.Span{{Offset: 10, Length: 5}, {Offset: 0, Length: 3}, {Offset: 3, Length: 4}}), int64(20))
	f.Add([]byte(indexMagic), int64(0))
	f.Fuzz(func(t *testing.T, b []byte, size int64) {
		x, err := decodeIndex(b, size)
		if err != nil {
			return
		}
		for k, u := range x.units {
			if x.find(u.key) != k {
				t.Fatalf("%q is not found at its place %d", u.key, k)
			}
			_ = x.sum(k)
			for _, s := range x.spans(k, nil) {
				if s.Offset < 0 || s.Length < 0 || s.Offset+s.Length > size {
					t.Fatalf("%s: span %+v outside a report of %d bytes", u.key, s, size)
				}
			}
		}
	})
}

// TestIndexRoundTrip: the index gives each unit's spans back under its
// key and sum; the groups about the whole tree are not in it.
func TestIndexRoundTrip(t *testing.T) {
	p := &Plan{units: []*check.UnitSummary{
		{Key: "article:a.md", Sum: cache.Sum{1}, Groups: make([]check.Group, 2)},
		{Key: "ui", Sum: cache.Sum{2}, Groups: make([]check.Group, 1)},
	}, owner: []owned{{0, 1}, {-1, 0}, {1, 0}, {0, 0}}}
	spans := []report.Span{{Offset: 10, Length: 5}, {Offset: 16, Length: 3}, {Offset: 20, Length: 4}, {Offset: 0, Length: 9}}
	x, err := decodeIndex(indexOf(p, spans), 24)
	if err != nil {
		t.Fatal(err)
	}
	a, ui := x.find("article:a.md"), x.find("ui")
	if len(x.units) != 2 || a < 0 || ui < 0 || x.find("article:b.md") >= 0 || x.sum(a) != (cache.Sum{1}) || x.sum(ui) != (cache.Sum{2}) ||
		!slices.Equal(x.spans(a, nil), []report.Span{spans[3], spans[0]}) || !slices.Equal(x.spans(ui, nil), spans[2:3]) {
		t.Errorf("decoded %+v", x)
	}
	if _, err := decodeIndex(indexOf(p, spans), 23); err == nil {
		t.Error("a span past the report's end was accepted")
	}
	// Units out of key order are found all the same; a key twice is
	// damage.
	p.units[0], p.units[1] = p.units[1], p.units[0]
	p.owner = []owned{{1, 1}, {-1, 0}, {0, 0}, {1, 0}}
	x, err = decodeIndex(indexOf(p, spans), 24)
	if err != nil || !slices.Equal(x.spans(x.find("article:a.md"), nil), []report.Span{spans[3], spans[0]}) || !slices.Equal(x.spans(x.find("ui"), nil), spans[2:3]) {
		t.Errorf("units out of order: %+v, %v", x, err)
	}
	p.units[1] = p.units[0]
	p.owner = []owned{{1, 0}, {0, 0}}
	if _, err := decodeIndex(indexOf(p, spans[:2]), 24); err == nil {
		t.Error("an index with a key twice was accepted")
	}
}

// indexOf is the index p writes for spans.
func indexOf(p *Plan, spans []report.Span) []byte {
	var b bytes.Buffer
	if err := p.WriteIndex(&b, spans); err != nil {
		panic(err)
	}
	return b.Bytes()
}
