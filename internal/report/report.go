// Package report renders a check.Result for people and for CI: a readable
// text report with a per-locale summary, a stable JSON document, SARIF 2.1.0
// for code-scanning tools, JUnit XML for test dashboards, and GitHub Actions
// workflow commands (annotations).
//
// It knows no file formats of the project's inputs, reads no files and
// decides no exit codes: the caller chooses the format and the options
// (colour, tool version, project root) and maps the result to an exit code.
//
// Every renderer is deterministic: findings are ordered with
// check.SortFindings, units by locale and article, locales by tag, and the
// caller's Result is never modified.
package report

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/healthi18n/healthi18n/internal/check"
)

// Options configure the renderers.
type Options struct {
	Color   bool   // ANSI colours (caller decides: TTY and no NO_COLOR)
	Tool    string // "healthi18n"
	Version string // tool version for SARIF driver
	// SourceRoot is the absolute project directory, for SARIF originalUriBaseIds (may be empty).
	SourceRoot string
}

// Formats lists the format names: text, json, sarif, junit, github.
var Formats = []string{"text", "json", "sarif", "junit", "github"}

// defaultTool names the tool when Options.Tool is empty.
const defaultTool = "healthi18n"

// informationURI is the tool's home page (SARIF driver informationUri).
const informationURI = "https://github.com/healthi18n/healthi18n"

// Write renders r in the named format to w; unknown format is an error.
// The document formats (json, sarif, junit) are rendered whole before
// anything is written, so a failing renderer writes nothing. The line
// formats (text, github) cannot fail but by writing, and stream through a
// buffer, so that a large report is not held in memory twice. A nil r
// renders as an empty result.
func Write(w io.Writer, format string, r *check.Result, opts Options) error {
	var render func(output, *view, Options) error
	stream := false
	switch format {
	case "text":
		render, stream = writeText, true
	case "json":
		render = writeJSON
	case "sarif":
		render = writeSARIF
	case "junit":
		render = writeJUnit
	case "github":
		render, stream = writeGitHub, true
	default:
		return fmt.Errorf("report: unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	if opts.Tool == "" {
		opts.Tool = defaultTool
	}
	if stream {
		bw := bufio.NewWriterSize(w, 256<<10)
		if err := render(bw, newView(r), opts); err != nil {
			return fmt.Errorf("report: %s: %w", format, err)
		}
		return bw.Flush()
	}
	var buf bytes.Buffer
	if err := render(&buf, newView(r), opts); err != nil {
		return fmt.Errorf("report: %s: %w", format, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// output is what a renderer writes to.
type output interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
}

// view is a sorted copy of a Result; renderers read only this.
type view struct {
	findings []check.Finding
	units    []check.UnitResult
	locales  []check.LocaleResult
	failOn   check.Severity // never empty: an unset FailOn means error
	failed   bool           // some finding reaches failOn
}

func newView(r *check.Result) *view {
	if r == nil {
		r = &check.Result{FailOn: check.Error}
	}
	findings := r.Findings
	// A sorted result (what check returns) is used as it is, without a
	// copy: renderers only read it.
	if !slices.IsSortedFunc(findings, check.CompareFindings) {
		findings = append([]check.Finding(nil), findings...)
		check.SortFindings(findings)
	}
	v := &view{
		findings: findings,
		units:    append([]check.UnitResult(nil), r.Units...),
		locales:  append([]check.LocaleResult(nil), r.Locales...),
		failOn:   r.FailOn,
	}
	if v.failOn.Rank() == 0 {
		v.failOn = check.Error // as check does when FailOn is unset
	}
	for _, f := range v.findings {
		if f.Severity.Rank() >= v.failOn.Rank() {
			v.failed = true
		}
	}
	sort.SliceStable(v.units, func(i, j int) bool {
		a, b := v.units[i], v.units[j]
		if a.Locale != b.Locale {
			return a.Locale < b.Locale
		}
		if a.Article != b.Article {
			return a.Article < b.Article
		}
		return a.File < b.File
	})
	sort.SliceStable(v.locales, func(i, j int) bool { return v.locales[i].Locale < v.locales[j].Locale })
	return v
}

// localeNames is the sorted union of the locales that have a summary, a
// unit or a finding.
func (v *view) localeNames() []string {
	seen := map[string]bool{}
	var names []string
	add := func(l string) {
		if !seen[l] {
			seen[l] = true
			names = append(names, l)
		}
	}
	for _, l := range v.locales {
		add(l.Locale)
	}
	for _, u := range v.units {
		add(u.Locale)
	}
	for _, f := range v.findings {
		add(f.Locale)
	}
	sort.Strings(names)
	return names
}

// tally counts findings by severity.
type tally struct{ errors, warnings, notes int }

func (t *tally) add(s check.Severity) {
	switch s {
	case check.Error:
		t.errors++
	case check.Warning:
		t.warnings++
	default:
		t.notes++
	}
}

// addGroup counts a group's findings.
func (t *tally) addGroup(g check.Group) {
	t.errors += g.Errors
	t.warnings += g.Warnings
	t.notes += g.Notes
}

// String renders "N errors, M warnings" (and notes when there are any).
func (t tally) String() string {
	s := plural(t.errors, "error") + ", " + plural(t.warnings, "warning")
	if t.notes > 0 {
		s += ", " + plural(t.notes, "note")
	}
	return s
}

// plural renders "1 error", "2 errors".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// failRank is the rank at which a finding fails the run.
func (v *view) failRank() int { return v.failOn.Rank() }

// percentHundredths is the share of current translations in hundredths of
// a percent, rounded down so that an incomplete locale never shows 100%.
// It is computed from integers, so it is the same on every platform.
func percentHundredths(c check.Counts) int {
	if c.Messages <= 0 {
		return 100_00
	}
	return c.Translated * 100_00 / c.Messages
}

// percentString renders a percentage with one decimal, rounded down: "83.3%".
func percentString(c check.Counts) string {
	p := percentHundredths(c) / 10
	return fmt.Sprintf("%d.%d%%", p/10, p%10)
}

// percentValue is the percentage with two decimals, rounded down, for JSON.
func percentValue(c check.Counts) float64 {
	return float64(percentHundredths(c)) / 100
}

// visible makes s safe to show on a terminal or in an annotation: control
// characters (including ESC, so no translated string can inject colour or
// cursor codes), format characters (bidi controls, zero-width characters,
// BOM) and invalid UTF-8 are shown as escapes such as \n, \u202E, \xFF.
// When keepNewlines is set, \n and \r are kept as they are (the caller
// escapes them its own way).
func visible(s string, keepNewlines bool) string {
	// Most of a report is printable ASCII (checked eight bytes at a time);
	// past it, runes are decoded only where a byte is not.
	for i := printablePrefix(s); i < len(s); {
		if c := s[i]; 0x20 <= c && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return escapeRunes(s, keepNewlines)
		}
		i += size
	}
	return s
}

// escapeRunes is visible's escaping, rune by rune, of a string that needs
// some.
func escapeRunes(s string, keepNewlines bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02X`, s[i])
		case (r == '\n' || r == '\r') && keepNewlines:
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// printablePrefix is the length of the printable ASCII start of s: all
// of s in the common case, which visible passes through without decoding
// runes.
func printablePrefix(s string) int {
	// Eight bytes at a time: none has its high bit set, none is below
	// 0x20, and none is 0x7F (DEL). Reports are tens of megabytes.
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := binary.LittleEndian.Uint64([]byte(s[i : i+8]))
		del := x ^ (0x7F * ones)
		if x&highs != 0 || (x-0x20*ones)&^x&highs != 0 || (del-ones)&^del&highs != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return i
		}
	}
	return i
}
