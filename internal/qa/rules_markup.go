package qa

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// checkPlaceholders is rule qa-placeholder: the template actions of the
// translation must be the source's, as a multiset ({{.Count}} twice in the
// source must be there twice); printf verbs likewise when the source has
// any (a "%" in prose of a source without verbs is not compared).
//
// Limitation: verbs are compared literally, so reordering "%s … %d" into
// "%[2]d … %[1]s" is reported; translators should reorder with explicit
// indexes in both texts.
func checkPlaceholders(ps []Problem, src, tr analysis) []Problem {
	ps = compareTokens(ps, RulePlaceholder, src.actions, tr.actions, "placeholder %q",
		"copy the placeholder from the source exactly; translate the words around it, never inside {{ }}",
		"use only the placeholders of the source, spelled exactly as there")
	if len(src.verbs) == 0 {
		return ps
	}
	return compareTokens(ps, RulePlaceholder, src.verbs, tr.verbs, "format verb %q",
		"keep every %-verb of the source, exactly as written",
		"keep every %-verb of the source, exactly as written; write a literal percent sign as %%")
}

// checkLinks is rule qa-link: link text is translatable, the URL is not, so
// the multiset of URLs (link and image destinations, reference
// definitions, autolinks, bare URLs) must be identical.
func checkLinks(ps []Problem, src, tr analysis) []Problem {
	return compareTokens(ps, RuleLink, src.urls, tr.urls, "URL %q",
		"keep every link of the source with its URL unchanged; translate only the link text",
		"use the source's URLs unchanged; ask the author if a localised page should be linked")
}

// checkInlineCode is rule qa-inline-code: code spans are not translatable,
// so the multiset of spans must be identical, backticks included.
func checkInlineCode(ps []Problem, src, tr analysis) []Problem {
	const hint = "copy inline code between backticks exactly as in the source; it is not translated"
	return compareTokens(ps, RuleInlineCode, src.code, tr.code, "inline code %s", hint, hint)
}

// compareTokens reports the tokens of the source missing from the
// translation (no offset: an absence) and the tokens the translation adds
// (at their offset); what names a token, e.g. "URL %q".
func compareTokens(ps []Problem, rule string, src, tr []token, what, hintMissing, hintAdded string) []Problem {
	missing, added := diffTokens(src, tr)
	for _, m := range missing {
		ps = append(ps, Problem{rule, fmt.Sprintf(what, m.s) + " of the source is missing", hintMissing, -1})
	}
	for _, a := range added {
		ps = append(ps, Problem{rule, fmt.Sprintf(what, a.s) + " is not in the source", hintAdded, a.off})
	}
	return ps
}

// emphasisKinds are the delimiter characters the emphasis rule balances.
var emphasisKinds = [...]byte{'*', '_', '~'}

// checkEmphasis is rule qa-emphasis: for each delimiter (*, _, ~~) that is
// balanced in the source, it must be balanced in the translation, or the
// rendered text turns bold or struck through up to the next marker.
func checkEmphasis(ps []Problem, src, tr analysis) []Problem {
	for _, k := range emphasisKinds {
		sn, _ := emphasisCount(src.plain, k)
		if sn%2 != 0 {
			continue // already unbalanced in the source: not the translator's doing
		}
		tn, last := emphasisCount(tr.plain, k)
		if tn%2 != 0 {
			marker := string(k)
			if k == '~' {
				marker = "~~"
			}
			ps = append(ps, Problem{RuleEmphasis,
				fmt.Sprintf("emphasis marker %q is unbalanced in the translation", marker),
				"open and close each emphasis as in the source (**bold**, *italic*, ~~strike~~)", last})
		}
	}
	return ps
}

// emphasisCount counts the delimiter characters of kind k in s that can
// open or close emphasis, and returns the offset of the last such run (the
// likeliest unclosed one), or -1. It is a simplification of CommonMark's
// flanking rules, tuned to ignore the non-emphasis uses of the characters:
//   - a run with white space (or text edge) on both sides is not emphasis:
//     a "* " list bullet, "2 * 3";
//   - "_" with a letter or digit on both sides is inside a word (snake_case);
//   - "~" counts only in runs of two ("~~strike~~"); "~5 mg" is prose;
//   - a backslash-escaped character is literal.
//
// Code spans, URLs and template actions are already masked in s.
func emphasisCount(s string, k byte) (n, last int) {
	last = -1
	for i := 0; i < len(s); {
		if s[i] != k {
			i++
			continue
		}
		start := i
		for i < len(s) && s[i] == k {
			i++
		}
		run := i - start
		if start > 0 && s[start-1] == '\\' && !escaped(s, start-1) {
			run-- // the escaped first character is literal
			start++
			if run == 0 {
				continue
			}
		}
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[i:])
		if start == 0 {
			before = ' '
		}
		if i == len(s) {
			after = ' '
		}
		bs, as := unicode.IsSpace(before), unicode.IsSpace(after)
		switch {
		case bs && as:
			continue
		case k == '_' && isAlnum(before) && isAlnum(after):
			continue
		case k == '~':
			if run != 2 {
				continue
			}
			run = 1 // count "~~" as one delimiter
		}
		n += run
		last = start
	}
	return n, last
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
