package report

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/healthi18n/healthi18n/internal/check"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testOpts are the options of every golden file.
var testOpts = Options{Tool: "healthi18n", Version: "1.2.3", SourceRoot: "/home/ci/project"}

// nasty is a message with everything a renderer must escape: markup,
// quotes, an ampersand, percent, colon, comma, a newline and text in
// Cyrillic and Arabic script.
const nasty = `negation lost: source "Never use undue force" has "never"; translation "<script>alert("x")</script> & 100% safe: yes, no` + "\n" + `не لا" has none`

// mixedResult is the main fixture: "de" passes with warnings only, "ar"
// fails with safety errors; one finding has no position (absent file) and
// one belongs to no unit (min-complete). Findings and units are
// deliberately out of order.
func mixedResult() *check.Result {
	return &check.Result{
		FailOn: check.Error,
		Findings: []check.Finding{
			{
				Rule: "stale", Severity: check.Warning, Locale: "de",
				File: "locales/de/prostate-milking.de.toml", Line: 18, Col: 1,
				Article: "prostate-milking", MessageID: "p-technique-2",
				Message: "the source changed after this message was translated",
				Hint:    "update the translation, then run healthi18n accept",
			},
			{
				Rule: "qa-negation", Severity: check.Error, Locale: "ar",
				File: "locales/ar/prostate-milking.ar.toml", Line: 42, Col: 13,
				Article: "prostate-milking", MessageID: "warn-force", Safety: true,
				Message: nasty,
				Hint:    `keep the negation (e.g. "لا")`,
			},
			{
				Rule: "min-complete", Severity: check.Error, Locale: "ar",
				Message: "40.0% complete, below policy.min_complete (80%)",
			},
			{
				Rule: "missing", Severity: check.Warning, Locale: "ar",
				File: "locales/ar/ui.ar.toml", Article: "ui", MessageID: "safety_label",
				Message: "no translation: the locale file does not exist",
				Hint:    "run healthi18n split",
			},
			{
				Rule: "stale", Severity: check.Error, Locale: "ar",
				File: "locales/ar/prostate-milking.ar.toml", Line: 30, Col: 1,
				Article: "prostate-milking", MessageID: "contraindication", Safety: true,
				Message: "the source changed after this message was translated",
			},
			{
				Rule: "same-as-source", Severity: check.Warning, Locale: "ar",
				File: "locales/ar/prostate-milking.ar.toml", Line: 12, Col: 9,
				Article: "prostate-milking", MessageID: "title",
				Message: "the translation is identical to the source text",
			},
		},
		Units: []check.UnitResult{
			{Article: "ui", Locale: "de", File: "locales/de/ui.de.toml",
				Counts: check.Counts{Messages: 1, Translated: 1}, Pass: true},
			{Article: "prostate-milking", Locale: "ar", File: "locales/ar/prostate-milking.ar.toml",
				Counts: check.Counts{Messages: 4, Translated: 2, Stale: 1, Missing: 1, Safety: 3, SafetyOK: 1, Errors: 2, Warnings: 1}},
			{Article: "ui", Locale: "ar", File: "locales/ar/ui.ar.toml",
				Counts: check.Counts{Messages: 1, Missing: 1, Warnings: 1}, Pass: true},
			{Article: "prostate-milking", Locale: "de", File: "locales/de/prostate-milking.de.toml",
				Counts: check.Counts{Messages: 5, Translated: 4, Stale: 1, Safety: 3, SafetyOK: 3, Warnings: 1}, Pass: true},
		},
		Locales: []check.LocaleResult{
			{Locale: "de", Counts: check.Counts{Messages: 6, Translated: 5, Stale: 1, Safety: 3, SafetyOK: 3, Warnings: 1},
				Percent: 100 * 5.0 / 6, Pass: true},
			{Locale: "ar", Counts: check.Counts{Messages: 5, Translated: 2, Stale: 1, Missing: 2, Safety: 3, SafetyOK: 1, Errors: 3, Warnings: 2},
				Percent: 40},
		},
	}
}

// emptyResult is a clean run over one complete locale.
func emptyResult() *check.Result {
	return &check.Result{
		FailOn: check.Error,
		Units: []check.UnitResult{{Article: "prostate-milking", Locale: "es", File: "locales/es/prostate-milking.es.toml",
			Counts: check.Counts{Messages: 3, Translated: 3, Safety: 1, SafetyOK: 1}, Pass: true}},
		Locales: []check.LocaleResult{{Locale: "es",
			Counts: check.Counts{Messages: 3, Translated: 3, Safety: 1, SafetyOK: 1}, Percent: 100, Pass: true}},
	}
}

var fixtures = []struct {
	name   string
	result func() *check.Result
}{
	{"mixed", mixedResult},
	{"empty", emptyResult},
}

func render(t *testing.T, format string, r *check.Result, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, r, opts); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	type golden struct {
		file   string
		format string
		result func() *check.Result
		opts   Options
	}
	var cases []golden
	for _, fx := range fixtures {
		for _, format := range Formats {
			cases = append(cases, golden{fx.name + "." + format, format, fx.result, testOpts})
		}
	}
	colour := testOpts
	colour.Color = true
	cases = append(cases, golden{"mixed-color.text", "text", mixedResult, colour})

	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			in := tc.result()
			got := render(t, tc.format, in, tc.opts)
			if !reflect.DeepEqual(in, tc.result()) {
				t.Errorf("Write modified its input")
			}
			if again := render(t, tc.format, tc.result(), tc.opts); !bytes.Equal(got, again) {
				t.Errorf("output is not deterministic:\n%s", lineDiff(string(got), string(again)))
			}
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file (- want, + got; go test -update rewrites it):\n%s",
					path, lineDiff(string(want), string(got)))
			}
		})
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, "yaml", mixedResult(), testOpts)
	if err == nil || !strings.Contains(err.Error(), `"yaml"`) {
		t.Fatalf("Write(yaml) = %v, want an unknown-format error", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Write(yaml) wrote %q", buf.String())
	}
}

func TestWriteNilResult(t *testing.T) {
	for _, format := range Formats {
		out := render(t, format, nil, Options{})
		if format == "github" {
			if len(out) != 0 { // nothing to annotate
				t.Errorf("github: %q for a nil result", out)
			}
			continue
		}
		if len(out) == 0 {
			t.Errorf("%s: empty output for a nil result", format)
		}
	}
}

func TestTextColor(t *testing.T) {
	tests := []struct {
		name  string
		color bool
		r     *check.Result
		want  bool // an escape byte in the output
	}{
		{"plain", false, mixedResult(), false},
		{"colour", true, mixedResult(), true},
		{"plain, clean run", false, emptyResult(), false},
		{"colour, clean run", true, emptyResult(), true},
		// A translation that carries its own escape codes must not
		// reach the terminal, with or without colour.
		{"plain, injected escape", false, &check.Result{FailOn: check.Error, Findings: []check.Finding{{
			Rule: "same-as-source", Severity: check.Warning, Locale: "de", File: "x.toml", Line: 1, Col: 1,
			Message: "text \x1b[2J\x1b[31mcleared", Hint: "\x1b]0;title\x07",
		}}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, "text", tc.r, Options{Color: tc.color})
			if got := bytes.IndexByte(out, 0x1b) >= 0; got != tc.want {
				t.Errorf("escape byte present = %v, want %v:\n%q", got, tc.want, out)
			}
		})
	}
}

func TestTextLines(t *testing.T) {
	out := string(render(t, "text", mixedResult(), testOpts))
	for _, want := range []string{
		"locales/ar/prostate-milking.ar.toml:42:13: error [qa-negation] SAFETY negation lost:",
		`safe: yes, no\nне لا" has none (id: warn-force)`,
		"locales/ar/ui.ar.toml: warning [missing] no translation",
		"ar: error [min-complete] 40.0% complete",
		"    hint: run healthi18n split\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	if !strings.HasSuffix(out, "\n3 errors, 3 warnings in 2 locales: FAIL\n") {
		t.Errorf("text report does not end with the totals line:\n%s", out)
	}
	// ar comes before de, and within ar the file order holds.
	if strings.Index(out, "locale ar:") > strings.Index(out, "locale de:") {
		t.Errorf("locales out of order:\n%s", out)
	}
}

func TestVisible(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain не لا 50%", "plain не لا 50%"},
		{"a\nb\r\tc", `a\nb\r\tc`},
		{"esc \x1b[31m", `esc \u001B[31m`},
		{"bidi \u202Eevil\u202C", `bidi \u202Eevil\u202C`},
		{"zero\u200Bwidth\uFEFF", `zero\u200Bwidth\uFEFF`},
		{"bad \xff utf8", `bad \xFF utf8`},
		{"real \uFFFD stays", "real \uFFFD stays"},
	}
	for _, tc := range tests {
		if got := visible(tc.in, false); got != tc.want {
			t.Errorf("visible(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := visible("a\r\nb\x1b", true); got != "a\r\nb\\u001B" {
		t.Errorf("visible(keepNewlines) = %q", got)
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		c    check.Counts
		text string
		val  float64
	}{
		{check.Counts{}, "100.0%", 100},
		{check.Counts{Messages: 6, Translated: 5}, "83.3%", 83.33},
		{check.Counts{Messages: 3, Translated: 2}, "66.6%", 66.66},
		{check.Counts{Messages: 10000, Translated: 9999}, "99.9%", 99.99},
		{check.Counts{Messages: 100000, Translated: 99999}, "99.9%", 99.99}, // never 100% when incomplete
		{check.Counts{Messages: 4, Translated: 0}, "0.0%", 0},
	}
	for _, tc := range tests {
		if got := percentString(tc.c); got != tc.text {
			t.Errorf("percentString(%+v) = %q, want %q", tc.c, got, tc.text)
		}
		if got := percentValue(tc.c); got != tc.val {
			t.Errorf("percentValue(%+v) = %v, want %v", tc.c, got, tc.val)
		}
	}
}

// lineDiff is a small line diff (longest common subsequence) for test
// failures: "-" lines only in a, "+" lines only in b, two lines of context.
func lineDiff(a, b string) string {
	x, y := strings.SplitAfter(a, "\n"), strings.SplitAfter(b, "\n")
	n, m := len(x), len(y)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
	}
	var ops []line
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, line{' ', x[i]})
			i++
			j++
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, line{'-', x[i]})
			i++
		default:
			ops = append(ops, line{'+', y[j]})
			j++
		}
	}
	const context = 2
	var out strings.Builder
	last := -1
	for k, op := range ops {
		near := false
		for d := -context; d <= context; d++ {
			if k+d >= 0 && k+d < len(ops) && ops[k+d].op != ' ' {
				near = true
				break
			}
		}
		if !near {
			continue
		}
		if last >= 0 && k > last+1 {
			out.WriteString("@@\n")
		}
		last = k
		text := strings.TrimSuffix(op.text, "\n")
		fmt.Fprintf(&out, "%c %q\n", op.op, text)
	}
	return out.String()
}

// TestPrintablePrefix holds the eight-bytes-at-a-time scan to the plain
// byte loop, with every byte value at every place in strings of 0 to 20
// bytes.
func TestPrintablePrefix(t *testing.T) {
	naive := func(s string) int {
		for i := 0; i < len(s); i++ {
			if s[i] < 0x20 || s[i] > 0x7e {
				return i
			}
		}
		return len(s)
	}
	for n := range 21 {
		base := []byte(strings.Repeat("a~ Z", 6)[:n])
		if got := printablePrefix(string(base)); got != n {
			t.Fatalf("printablePrefix(%q) = %d: it is all printable ASCII", base, got)
		}
		for i := range n {
			for c := range 256 {
				s := bytes.Clone(base)
				s[i] = byte(c)
				if got, want := printablePrefix(string(s)), naive(string(s)); got != want {
					t.Fatalf("printablePrefix(%q) = %d, want %d", s, got, want)
				}
			}
		}
	}
}

// TestVisibleIsTheRuneLoop: visible, with its ASCII fast paths and its
// test for a string that needs no escaping, gives what escaping rune by
// rune gives, for random mixes of printable ASCII, other scripts,
// controls, format characters and invalid bytes at every offset.
func TestVisibleIsTheRuneLoop(t *testing.T) {
	pieces := []string{"a", "Take 2 tablets ", "~", " ", "…", "не", "لا", "日本", "\uFFFD", "\n", "\r", "\t",
		"\x1b", "\x7f", "\u0085", "\u200B", "\u202E", "\uFEFF", "\U000E0001", "\xff", "\xe2\x80", "\xc3"}
	rng := rand.New(rand.NewSource(7))
	for range 20000 {
		var b strings.Builder
		for range rng.Intn(12) {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		s := b.String()
		for _, keep := range []bool{false, true} {
			if got, want := visible(s, keep), escapeRunes(s, keep); got != want {
				t.Fatalf("visible(%q, %v) = %q, want %q", s, keep, got, want)
			}
		}
	}
}
