package article

import (
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A prefilter skips a rule's regular expression on texts that cannot match
// it: every match of the rule contains one of its literals. The detector
// runs every rule on every segment, and most segments match few rules, so
// this spares most of the regexp work. It never skips a text the
// expression would match: literals and text are compared after case
// folding to one representative of each Unicode simple-fold orbit, which
// is exactly what (?i) matching equates.
type prefilter struct {
	// any lists folded literals; nil means the rule has none to require
	// (the expression always runs).
	any []string
}

// newPrefilter derives the literals from pattern (already known to compile
// with the detector's flags).
func newPrefilter(pattern string) prefilter {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return prefilter{}
	}
	lits, ok := required(re.Simplify())
	if !ok {
		return prefilter{}
	}
	return prefilter{any: lits}
}

// required returns literals one of which every match of re contains, or
// ok=false when there is no such set (or it would not help).
func required(re *syntax.Regexp) (lits []string, ok bool) {
	switch re.Op {
	case syntax.OpLiteral:
		s := foldString(string(re.Rune))
		return []string{s}, s != ""
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		// The most selective part: the one whose shortest literal is longest.
		best, bestLen := []string(nil), 0
		for _, sub := range re.Sub {
			l, ok := required(sub)
			if !ok {
				continue
			}
			if m := shortest(l); m > bestLen {
				best, bestLen = l, m
			}
		}
		return best, best != nil
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			l, ok := required(sub)
			if !ok {
				return nil, false
			}
			all = append(all, l...)
		}
		return all, len(all) > 0
	}
	return nil, false
}

func shortest(lits []string) int {
	m := -1
	for _, l := range lits {
		if m < 0 || len(l) < m {
			m = len(l)
		}
	}
	return m
}

// mayMatch reports whether folded (a text after foldString) could match.
func (p prefilter) mayMatch(folded string) bool {
	if p.any == nil {
		return true
	}
	for _, l := range p.any {
		if strings.Contains(folded, l) {
			return true
		}
	}
	return false
}

// foldRune maps r to the smallest rune of its simple-fold orbit (K, k and
// the Kelvin sign all become K), so equal-under-(?i) runes compare equal.
func foldRune(r rune) rune {
	min := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < min {
			min = f
		}
	}
	return min
}

// foldString folds every rune of s with foldRune. Invalid UTF-8 bytes stay
// as they are (regexp matches them as U+FFFD, which no literal here holds).
func foldString(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			// ASCII fast path: the orbit representative of a letter is its
			// upper case, except k and s, whose orbits hold the Kelvin sign
			// and the long s (both above ASCII, so K and S are still the
			// smallest).
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteByte(s[i])
		} else {
			b.WriteRune(foldRune(r))
		}
		i += n
	}
	return b.String()
}
