package qa

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/healthi18n/healthi18n/internal/locale"
)

// checkUTF8 is rule qa-utf8: the translation must be valid UTF-8. It reports
// the offset of the first bad byte.
func checkUTF8(s string) (Problem, bool) {
	if utf8.ValidString(s) {
		return Problem{}, true
	}
	off := 0
	for off < len(s) {
		r, size := utf8.DecodeRuneInString(s[off:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		off += size
	}
	return Problem{RuleUTF8,
		fmt.Sprintf("the translation is not valid UTF-8 (byte 0x%02X at offset %d)", s[off], off),
		"save the file as UTF-8; the other QA rules were skipped", off}, false
}

// Character classes of the character-level rules.
func isBidiControl(r rune) bool {
	// LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI: embeddings, overrides
	// and isolates can reorder what a reader sees ("Trojan Source").
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

func isBidiMark(r rune) bool {
	// LRM, RLM and ALM are invisible but legitimate in right-to-left text.
	return r == 0x200E || r == 0x200F || r == 0x061C
}

func isZeroWidth(r rune) bool {
	return r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF
}

// joinerScripts need ZWNJ/ZWJ inside words: Persian writes "می‌خواهم" with a
// ZWNJ, Indic scripts use ZWJ/ZWNJ to choose conjunct or half forms.
var joinerScripts = []*unicode.RangeTable{
	unicode.Arabic, unicode.Syriac, unicode.Nko, unicode.Devanagari, unicode.Bengali,
	unicode.Gurmukhi, unicode.Gujarati, unicode.Oriya, unicode.Tamil, unicode.Telugu,
	unicode.Kannada, unicode.Malayalam, unicode.Sinhala, unicode.Mongolian,
}

// breakScripts are written without spaces; ZWSP legitimately marks word
// boundaries (line-break opportunities) in them.
var breakScripts = []*unicode.RangeTable{
	unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan,
}

// checkChars runs the rules that look at single characters of the
// translation, in one pass: qa-bom, qa-bidi and qa-zero-width.
//
// qa-bidi: embedding, override and isolate controls are always errors: a
// translation is data, and these reorder what a reader sees. The invisible
// marks LRM/RLM/ALM are errors only when the source has none and the locale
// is written left to right: right-to-left text needs them around Latin
// numbers and names, and a mark copied from the source is not smuggled in.
//
// qa-zero-width: ZWSP, ZWNJ, ZWJ, WORD JOINER and BOM between two letters
// hide a word from search, spell-checking and our own rules (a "no" with a
// ZWSP inside is no longer the word "no"). Exceptions, decided by the
// letters on both sides rather than by the locale so that a Persian name in
// a French text is fine: ZWNJ/ZWJ between letters of scripts that need them
// (Arabic, Persian, Indic…) and ZWSP between letters of scripts written
// without spaces (Thai, Lao, Khmer, Myanmar, Tibetan).
func checkChars(ps []Problem, source, tr string, lang locale.Locale) []Problem {
	// Fast path: all the characters concerned are outside ASCII and Latin-1.
	if !hasHighRune(tr) {
		return ps
	}
	marksOK := lang.Direction() == "rtl" || strings.ContainsAny(source, "\u200E\u200F\u061C")
	var prev rune = -1 // last rune that is not a zero-width character
	for i, r := range tr {
		switch {
		case r == 0xFEFF && i == 0:
			ps = append(ps, Problem{RuleBOM,
				"the translation starts with a byte order mark (U+FEFF)",
				"remove the invisible U+FEFF at the start; save the file as UTF-8 without BOM", 0})
			continue
		case isBidiControl(r):
			ps = append(ps, Problem{RuleBidi,
				fmt.Sprintf("invisible bidirectional control U+%04X at offset %d", r, i),
				"delete the control character; the renderer sets the direction from the locale", i})
		case isBidiMark(r) && !marksOK:
			ps = append(ps, Problem{RuleBidi,
				fmt.Sprintf("invisible direction mark U+%04X in left-to-right text", r),
				"delete the mark; left-to-right text does not need it", i})
		case isZeroWidth(r):
			next := nextNonZeroWidth(tr[i+utf8.RuneLen(r):])
			if isWordRune(prev) && isWordRune(next) && !zeroWidthAllowed(r, prev, next) {
				ps = append(ps, Problem{RuleZeroWidth,
					fmt.Sprintf("invisible zero-width character U+%04X inside a word", r),
					"delete the invisible character; it splits the word for readers' search and for QA", i})
			}
			continue
		}
		prev = r
	}
	return ps
}

func hasHighRune(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xE0 || s[i] == 0xD8 { // lead bytes of U+0600 and U+0800..
			return true
		}
	}
	return false
}

func nextNonZeroWidth(s string) rune {
	for _, r := range s {
		if !isZeroWidth(r) {
			return r
		}
	}
	return -1
}

func isWordRune(r rune) bool {
	return r >= 0 && (unicode.IsLetter(r) || unicode.IsMark(r))
}

func zeroWidthAllowed(r, prev, next rune) bool {
	switch r {
	case 0x200C, 0x200D:
		// One side is enough: an Indic virama before a ZWJ is a mark of the
		// script, and a Persian ZWNJ may precede a non-joining letter.
		return unicode.IsOneOf(joinerScripts, prev) || unicode.IsOneOf(joinerScripts, next)
	case 0x200B:
		return unicode.IsOneOf(breakScripts, prev) && unicode.IsOneOf(breakScripts, next)
	}
	return false
}
