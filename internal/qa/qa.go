// Package qa owns the QA rules that compare one translation with its source
// text: placeholders and template actions, links, inline code, emphasis,
// numbers and units, negation in safety messages, and the character-level
// rules (bidi controls, zero-width characters, byte order mark, UTF-8).
//
// The rules are pure functions over two strings and a locale: the package
// does no I/O, and knows nothing of files, bundles or policy. Deciding what
// a problem means (error or warning, safety gate) is the caller's job. The
// one exception is eval.go, which reads evaluation corpora for the tests and
// cmd/qaeval; nothing in the product calls it.
//
// The source text is assumed to be English, the project's source locale:
// the negation rule looks for English negations and source numbers are read
// with English separators (1,000.5).
package qa

import (
	"strings"

	"github.com/healthi18n/healthi18n/internal/locale"
)

// Rule IDs, as reported in Problem.Rule.
const (
	RulePlaceholder = "qa-placeholder"
	RuleLink        = "qa-link"
	RuleInlineCode  = "qa-inline-code"
	RuleEmphasis    = "qa-emphasis"
	RuleNumber      = "qa-number"
	RuleNegation    = "qa-negation"
	RuleBidi        = "qa-bidi"
	RuleZeroWidth   = "qa-zero-width"
	RuleBOM         = "qa-bom"
	RuleUTF8        = "qa-utf8"
)

// Rules lists every rule ID in the order Check runs them.
var Rules = []string{
	RuleUTF8, RuleBOM, RuleBidi, RuleZeroWidth,
	RulePlaceholder, RuleLink, RuleInlineCode, RuleEmphasis,
	RuleNumber, RuleNegation,
}

// Problem is one QA finding in one translation.
type Problem struct {
	// Rule is one of the Rule* IDs.
	Rule string
	// Message says what is wrong, quoting the text concerned, e.g.
	// `number "500 mg" of the source is missing; found "50 mg"`.
	Message string
	// Hint says how to fix it.
	Hint string
	// Offset is the byte offset in the translation where the problem is,
	// or -1 when the problem is an absence with no place to point at.
	Offset int
}

// Checker runs the QA rules. It holds only compiled, read-only data, so
// one Checker may be shared by many goroutines.
type Checker struct {
	// neg maps a language key (a base language such as "es", or a full
	// locale name such as "pt-BR" for words added only for that locale) to
	// its compiled negation words.
	neg map[string]*negSet
}

// New builds a checker. extraNegation adds negation words per locale name
// (e.g. "es": {"tampoco"}), as read from configuration; a key may be a base
// language ("pt") or a full locale name ("pt-BR"). A word ending in "*"
// matches any word that starts with it.
func New(extraNegation map[string][]string) *Checker {
	c := &Checker{neg: make(map[string]*negSet, len(negationWords)+len(extraNegation))}
	for lang, words := range negationWords {
		c.neg[lang] = newNegSet(lang, words)
	}
	for name, words := range extraNegation {
		if len(words) == 0 {
			continue
		}
		if s, ok := c.neg[name]; ok {
			s.add(words)
			continue
		}
		c.neg[name] = newNegSet(baseOfName(name), words)
	}
	return c
}

// Check runs every rule on one translation of source into lang and returns
// the problems found, nil when there are none. safety says the message is a
// safety message: the negation rule only runs then.
//
// Invalid UTF-8 is reported alone: the other rules would only add noise
// about a text that cannot be read reliably.
func (c *Checker) Check(source, translation string, lang locale.Locale, safety bool) []Problem {
	if p, ok := checkUTF8(translation); !ok {
		return []Problem{p}
	}
	var ps []Problem
	ps = checkChars(ps, source, translation, lang)

	src := analyze(source)
	tr := analyze(translation)
	ps = checkPlaceholders(ps, src, tr)
	ps = checkLinks(ps, src, tr)
	ps = checkInlineCode(ps, src, tr)
	ps = checkEmphasis(ps, src, tr)
	ps = checkNumbers(ps, src, tr, lang)
	if safety {
		ps = c.checkNegation(ps, src.plain, tr.plain, lang)
	}
	return ps
}

// baseOfName returns the language subtag of a locale name ("pt-BR" → "pt").
func baseOfName(name string) string {
	if i := strings.IndexAny(name, "-_"); i >= 0 {
		name = name[:i]
	}
	return strings.ToLower(name)
}

// langKey returns the base language of a locale ("es" for "es-419").
func langKey(lang locale.Locale) string {
	if lang.Name == "" {
		return ""
	}
	b, _ := lang.Tag.Base()
	return b.String()
}
