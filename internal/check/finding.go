// Package check owns the rules that judge each locale: completeness
// (missing, empty, stale, orphan, same-as-source), the safety gate, and
// translation QA. It turns bundles into Findings and per-locale counts.
//
// It reads no configuration and writes nothing; rendering findings is the
// report package's job.
package check

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Severity is how bad a finding is.
type Severity string

// Severities, most severe first.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Note    Severity = "note"
)

// Rank orders severities: error 3, warning 2, note 1.
func (s Severity) Rank() int {
	switch s {
	case Error:
		return 3
	case Warning:
		return 2
	case Note:
		return 1
	}
	return 0
}

// Finding is one problem in one locale file.
type Finding struct {
	// Rule is the rule ID (see Rules).
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Locale   string   `json:"locale"`
	// File is the translator file (relative to the project), and Line/Col
	// the translation's position in it (the message header when there is
	// no translation; 0 when the file or message is absent).
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"column"`
	// Article is the unit the message belongs to (a slug, or "ui").
	Article   string `json:"article"`
	MessageID string `json:"message_id,omitempty"`
	// Safety is true when the message is a safety message.
	Safety  bool   `json:"safety"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// String formats a finding as "file:line:col: severity: [rule] message".
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: [%s] %s", f.File, f.Line, f.Col, f.Severity, f.Rule, f.Message)
}

// RuleInfo describes a rule for reports (SARIF rule metadata, docs).
type RuleInfo struct {
	ID          string
	Name        string
	Description string
	// Default is the severity for normal messages; on a safety message
	// every rule is an error (the safety gate).
	Default Severity
}

// Rules is the catalogue of every rule check can report, sorted by ID.
var Rules = []RuleInfo{
	{"empty", "EmptyTranslation", "The message has an entry in the locale file but no translated text.", Warning},
	{"min-complete", "BelowMinimumCompleteness", "The locale's share of current translations is below policy.min_complete.", Error},
	{"missing", "MissingTranslation", "The message has no entry in the locale file (or the file does not exist): run healthi18n split.", Warning},
	{"orphan", "OrphanMessage", "The locale file has a message that is no longer in the source.", Warning},
	{"orphan-file", "OrphanFile", "A locale file belongs to no source article.", Warning},
	{"plural-forms", "IncompletePluralForms", "A plural message lacks a CLDR plural form the locale needs.", Error},
	{"qa-bidi", "BidiControl", "The translation contains bidirectional control characters, which can reorder what readers see.", Error},
	{"qa-bom", "ByteOrderMark", "The translation contains a byte order mark.", Error},
	{"qa-emphasis", "UnbalancedEmphasis", "Markdown emphasis markers (* _ ** __ ~~) are unbalanced.", Warning},
	{"qa-inline-code", "InlineCodeChanged", "Inline code spans differ from the source; code is not translatable.", Error},
	{"qa-link", "LinkChanged", "Markdown link or URL targets differ from the source; URLs are not translatable.", Error},
	{"qa-negation", "NegationLost", "The source of a safety message has a negation and the translation has none.", Error},
	{"qa-number", "NumberChanged", "Numbers (with units) differ from the source.", Error},
	{"qa-placeholder", "PlaceholderChanged", "Placeholders or template actions ({{.X}}) differ from the source.", Error},
	{"qa-utf8", "InvalidUTF8", "The translation is not valid UTF-8.", Error},
	{"qa-zero-width", "ZeroWidthCharacter", "The translation has a zero-width character inside a word.", Error},
	{"same-as-source", "SameAsSource", "The translation is identical to the source text (untranslated).", Warning},
	{"source-out-of-date", "SourceBundleOutOfDate", "The source bundle does not match the content: run healthi18n split.", Warning},
	{"stale", "StaleTranslation", "The source changed after the message was translated: update it, then healthi18n accept.", Warning},
}

// RuleByID returns the catalogue entry for id.
func RuleByID(id string) (RuleInfo, bool) {
	i := sort.Search(len(Rules), func(i int) bool { return Rules[i].ID >= id })
	if i < len(Rules) && Rules[i].ID == id {
		return Rules[i], true
	}
	return RuleInfo{}, false
}

// SortFindings orders findings by locale, file, line, column, rule and
// message ID, so that reports are deterministic; equal findings keep their
// order.
func SortFindings(fs []Finding) {
	if slices.IsSortedFunc(fs, CompareFindings) {
		return
	}
	copy(fs, sortedByLocale([][]Finding{fs}, nil))
}

// sortedByLocale returns the findings of runs and then extra in
// SortFindings order, as a stable sort of their concatenation would leave
// them, in a new slice. Check's findings come unit by unit, each unit's
// run already in order and covering every locale, and units come in the
// order of their files: so each finding is put straight into its locale's
// part, a part is sorted only when it turns out to be out of order, and
// the few extra findings (about the whole tree) are merged in. Hundreds of
// thousands of findings then cost two passes, not a sort.
func sortedByLocale(runs [][]Finding, extra []Finding) []Finding {
	type part struct {
		start, main, next int // main: how many come from runs
	}
	parts := map[string]*part{}
	var locales []string
	count := func(fs []Finding, main bool) {
		var p *part
		for i := range fs {
			if p == nil || fs[i].Locale != fs[i-1].Locale {
				if p = parts[fs[i].Locale]; p == nil {
					p = &part{}
					parts[fs[i].Locale] = p
					locales = append(locales, fs[i].Locale)
				}
			}
			if main {
				p.main++
			}
			p.next++ // the size, for now
		}
	}
	for _, run := range runs {
		count(run, true)
	}
	count(extra, false)
	sort.Strings(locales)
	n := 0
	for _, l := range locales {
		p := parts[l]
		p.start, n = n, n+p.next
		p.next = p.start
	}
	out := make([]Finding, n)
	place := func(fs []Finding) {
		var p *part
		for i := range fs {
			if p == nil || fs[i].Locale != fs[i-1].Locale {
				p = parts[fs[i].Locale]
			}
			out[p.next] = fs[i]
			p.next++
		}
	}
	for _, run := range runs {
		place(run)
	}
	place(extra)
	for _, l := range locales {
		p := parts[l]
		seg := out[p.start:p.next]
		main, more := seg[:p.main], seg[p.main:]
		if !slices.IsSortedFunc(main, CompareFindings) {
			sortStable(seg)
			continue
		}
		if len(more) == 0 {
			continue
		}
		// Merge from the back; on a tie the extra finding, which came
		// later, stays after.
		more = slices.Clone(more)
		slices.SortStableFunc(more, CompareFindings)
		i, j := len(main)-1, len(more)-1
		for k := len(seg) - 1; j >= 0; k-- {
			if i >= 0 && CompareFindings(main[i], more[j]) > 0 {
				seg[k] = main[i]
				i--
			} else {
				seg[k] = more[j]
				j--
			}
		}
	}
	return out
}

// sortStable sorts fs in SortFindings order, moving indices rather than
// 150-byte findings; the index breaks ties so that equal findings keep
// their order.
func sortStable(fs []Finding) {
	order := make([]int, len(fs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := CompareFindings(fs[a], fs[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	sorted := make([]Finding, len(fs))
	for i, j := range order {
		sorted[i] = fs[j]
	}
	copy(fs, sorted)
}

// CompareFindings is the order of SortFindings, as a cmp-style function.
func CompareFindings(a, b Finding) int {
	if c := strings.Compare(a.Locale, b.Locale); c != 0 {
		return c
	}
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Line, b.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Col, b.Col); c != 0 {
		return c
	}
	if c := strings.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	return strings.Compare(a.MessageID, b.MessageID)
}

// Counts are the completeness figures of a locale or of one article in it.
type Counts struct {
	Messages   int `json:"messages"`
	Translated int `json:"translated"` // current, non-empty translations
	Stale      int `json:"stale"`
	Missing    int `json:"missing"` // missing or empty
	Orphans    int `json:"orphans"`
	Safety     int `json:"safety"`    // safety messages
	SafetyOK   int `json:"safety_ok"` // safety messages translated, current and clean
	Errors     int `json:"errors"`
	Warnings   int `json:"warnings"`
}

// Percent is the share of current translations, 0–100 (100 when there are
// no messages).
func (c Counts) Percent() float64 {
	if c.Messages == 0 {
		return 100
	}
	return 100 * float64(c.Translated) / float64(c.Messages)
}

func (c *Counts) add(o Counts) {
	c.Messages += o.Messages
	c.Translated += o.Translated
	c.Stale += o.Stale
	c.Missing += o.Missing
	c.Orphans += o.Orphans
	c.Safety += o.Safety
	c.SafetyOK += o.SafetyOK
	c.Errors += o.Errors
	c.Warnings += o.Warnings
}

// UnitResult is the outcome for one article (or the UI strings) in one
// locale: a test case in JUnit terms.
type UnitResult struct {
	Article string `json:"article"`
	Locale  string `json:"locale"`
	File    string `json:"file"`
	Counts
	Pass bool `json:"pass"`
}

// LocaleResult sums a locale's units.
type LocaleResult struct {
	Locale string `json:"locale"`
	Counts
	Percent float64 `json:"percent"`
	Pass    bool    `json:"pass"`
}

// Group is a run of findings on one file in one locale, as a report
// shows them together (findings sorted with SortFindings fall into one
// group per file). Its counts let a caller sum a locale, or tell whether
// it fails, without the findings themselves.
type Group struct {
	Locale, File string
	// Errors and Warnings count the findings of that severity; Notes
	// counts the rest, as the text report's tallies do.
	Errors, Warnings, Notes int
}

// Size is the number of findings in the group.
func (g Group) Size() int { return g.Errors + g.Warnings + g.Notes }

// Fails reports whether a finding of the group reaches failOn.
func (g Group) Fails(failOn Severity) bool {
	r := failOn.Rank()
	return g.Errors > 0 && r <= 3 || g.Warnings > 0 && r <= 2 || g.Notes > 0 && r <= 1
}

// GroupsOf cuts findings (in report order, as SortFindings leaves them)
// into their groups.
func GroupsOf(fs []Finding) []Group {
	var gs []Group
	for i, f := range fs {
		if i == 0 || f.Locale != fs[i-1].Locale || f.File != fs[i-1].File {
			gs = append(gs, Group{Locale: f.Locale, File: f.File})
		}
		g := &gs[len(gs)-1]
		switch f.Severity {
		case Error:
			g.Errors++
		case Warning:
			g.Warnings++
		default:
			g.Notes++
		}
	}
	return gs
}

// Result is everything a check run found.
type Result struct {
	Findings []Finding      `json:"findings"`
	Units    []UnitResult   `json:"units"`
	Locales  []LocaleResult `json:"locales"`
	// FailOn is the severity at which the run fails.
	FailOn Severity `json:"fail_on"`
	// CacheHits counts the units RunTree took from its cache; it is not
	// part of any report, because the cache never changes a result.
	CacheHits int `json:"-"`
	// Slugs maps each article's unit key (project.Tree.UnitKey) to its
	// slug, as check read it (RunTree only): export names its cache
	// entries by the findings check made of exactly that article.
	Slugs map[string]string `json:"-"`
}

// Failed reports whether any finding reaches the fail-on severity.
func (r *Result) Failed() bool {
	for _, f := range r.Findings {
		if f.Severity.Rank() >= r.FailOn.Rank() {
			return true
		}
	}
	return false
}
