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
// order. Findings arrive unit by unit, each unit covering every locale, and
// usually already in order within a locale, so they are grouped by locale
// first and a group is sorted only when it is out of order. Large reports
// (hundreds of thousands of findings) then cost one pass, not a sort.
func SortFindings(fs []Finding) {
	if slices.IsSortedFunc(fs, CompareFindings) {
		return
	}
	groups := map[string][]int{}
	var locales []string
	for i := range fs {
		l := fs[i].Locale
		if _, ok := groups[l]; !ok {
			locales = append(locales, l)
		}
		groups[l] = append(groups[l], i)
	}
	sort.Strings(locales)
	order := make([]int, 0, len(fs))
	for _, l := range locales {
		g := groups[l]
		if !slices.IsSortedFunc(g, func(a, b int) int { return CompareFindings(fs[a], fs[b]) }) {
			// Indices, not 150-byte findings, are moved; the index breaks
			// ties so the order of equal findings is kept.
			slices.SortFunc(g, func(a, b int) int {
				if c := CompareFindings(fs[a], fs[b]); c != 0 {
					return c
				}
				return cmp.Compare(a, b)
			})
		}
		order = append(order, g...)
	}
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
