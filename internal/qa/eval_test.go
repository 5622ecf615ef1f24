package qa

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/healthi18n/healthi18n/internal/locale"
)

// corpusDir is the TICO-19 folder seen from this package's directory: the
// shared corpora sit beside the repository root (../shared/corpora).
var corpusDir = filepath.Join("..", "..", "..", "shared", "corpora", "tico19")

// TestTICO19FalseAlarmRates runs the number and negation rules on correct
// human translations and fails if either flags more than 5% of the pairs of
// any language: a rule that cries wolf that often would be ignored.
func TestTICO19FalseAlarmRates(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("TICO-19 corpus not found at %s (it lives in ../shared/corpora beside the repository root; CI has it): %v", corpusDir, err)
	}
	results, err := EvalDir(corpusDir, New(nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("false alarms on TICO-19 (rate = flagged / pairs):\n%s", MarkdownTable(results))
	for _, res := range results {
		if res.Pairs == 0 {
			t.Errorf("%s: no pairs read", res.File)
		}
		for _, rule := range EvalRules {
			if rate := res.Rate(rule); rate > MaxFalseAlarmRate {
				t.Errorf("%s flags %.1f%% of the %s pairs (limit %.0f%%); examples:\n  %s", rule, 100*rate,
					res.Lang.Name, 100*MaxFalseAlarmRate, strings.Join(res.Examples[rule], "\n  "))
			}
		}
	}
}

// TestKnownSlipsAreFlagged keeps the knownSlips list honest: each listed
// pair must still be flagged by its rule, or the rule lost its teeth (or
// the list is stale).
func TestKnownSlipsAreFlagged(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("TICO-19 corpus not found at %s: %v", corpusDir, err)
	}
	results, err := EvalDir(corpusDir, New(nil))
	if err != nil {
		t.Fatal(err)
	}
	known := 0
	for _, res := range results {
		for _, n := range res.Known {
			known += n
		}
	}
	if known != len(knownSlips) {
		t.Errorf("%d known slips flagged, want all %d listed in knownSlips", known, len(knownSlips))
	}
}

func TestEvalTSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "en-es-LA.neg-num.tsv")
	data := "id\tsource\ttarget\n" +
		"a\tDo not take more than 4 g.\tNo tome más de 4 g.\n" +
		"b\tDo not take more than 4 g.\tTome más de 40 g.\n" +
		"c\tRest well.\tDescanse bien.\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := EvalTSV(path, locale.MustParse("es-419"), New(nil))
	if err != nil {
		t.Fatal(err)
	}
	if res.Pairs != 3 || res.WithDigit != 2 || res.WithNegation != 2 {
		t.Errorf("counts = %d pairs, %d with digit, %d with negation; want 3, 2, 2", res.Pairs, res.WithDigit, res.WithNegation)
	}
	if res.Flagged[RuleNumber] != 1 || res.Flagged[RuleNegation] != 1 {
		t.Errorf("flagged = %v, want one number and one negation", res.Flagged)
	}
	if len(res.Examples[RuleNumber]) != 1 || !strings.HasPrefix(res.Examples[RuleNumber][0], "b: ") {
		t.Errorf("examples = %v", res.Examples)
	}
	if got := res.Rate(RuleNumber); got < 0.33 || got > 0.34 {
		t.Errorf("rate = %v, want 1/3", got)
	}

	bad := filepath.Join(dir, "bad.tsv")
	os.WriteFile(bad, []byte("id\tsrc\n"), 0o644)
	if _, err := EvalTSV(bad, locale.MustParse("es"), New(nil)); err == nil || !strings.Contains(err.Error(), "header") {
		t.Errorf("bad header: err = %v", err)
	}
	os.WriteFile(bad, []byte("id\tsource\ttarget\nx\tonly two\n"), 0o644)
	if _, err := EvalTSV(bad, locale.MustParse("es"), New(nil)); err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("short row: err = %v", err)
	}
	if _, err := EvalTSV(filepath.Join(dir, "missing.tsv"), locale.MustParse("es"), New(nil)); err == nil {
		t.Error("missing file: no error")
	}
}
