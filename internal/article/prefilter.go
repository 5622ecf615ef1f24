package article

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A prefilter skips a rule's regular expression on texts that cannot match
// it: every match of the rule contains, for each of the prefilter's groups,
// one of the group's literals. The detector runs every rule on every
// segment, and most segments match few rules, so this spares most of the
// regexp work. It never skips a text the expression would match: literals
// and text are compared after case folding to one representative of each
// Unicode simple-fold orbit, which is exactly what (?i) matching equates.
type prefilter struct {
	// all lists groups of folded literals, the most selective first; a
	// text may match only if it holds a literal of every group. Nil means
	// the rule has none to require (the expression always runs).
	all [][]string
}

// newPrefilter derives the literals from pattern (already known to compile
// with the detector's flags).
func newPrefilter(pattern string) prefilter {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return prefilter{}
	}
	var all [][]string
	for _, g := range required(re.Simplify()) {
		// A group with a one-letter or white-space literal is met by
		// nearly every text: it would cost a search and skip nothing.
		if !slices.ContainsFunc(g, weak) {
			slices.Sort(g)
			all = append(all, slices.Compact(g))
		}
	}
	// The most selective first: the longest shortest literal, then the
	// fewest literals. Past keptGroups, a group skips little more.
	slices.SortStableFunc(all, func(a, b []string) int {
		if d := shortest(b) - shortest(a); d != 0 {
			return d
		}
		return len(a) - len(b)
	})
	if len(all) > keptGroups {
		all = all[:keptGroups]
	}
	return prefilter{all: all}
}

// keptGroups is how many groups a prefilter tests at most.
const keptGroups = 2

// required returns groups of literals such that every match of re
// contains a literal of each group; none when nothing is required.
func required(re *syntax.Regexp) [][]string {
	switch re.Op {
	case syntax.OpLiteral:
		if s := foldString(string(re.Rune)); s != "" {
			return [][]string{{s}}
		}
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpCharClass:
		// A small class (\d, [.,]) requires one of its runes.
		var any []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if len(any)+int(re.Rune[i+1]-re.Rune[i]) >= maxClassLiterals {
				return nil
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				any = append(any, foldString(string(r)))
			}
		}
		if any != nil {
			return [][]string{any}
		}
	case syntax.OpConcat:
		// A match of a concatenation holds a match of every part.
		var all [][]string
		for _, sub := range re.Sub {
			all = append(all, required(sub)...)
		}
		return all
	case syntax.OpAlternate:
		// A match holds a match of one alternative, and so a literal of
		// each of its groups: a group that takes one group of every
		// alternative is met. Every such choice is a group; past
		// maxChoices, each alternative gives only its most selective.
		choices := [][]string{nil}
		for _, sub := range re.Sub {
			groups := required(sub)
			if len(groups) == 0 {
				return nil
			}
			if len(choices)*len(groups) > maxChoices {
				groups = [][]string{mostSelective(groups)}
			}
			var next [][]string
			for _, c := range choices {
				for _, g := range groups {
					next = append(next, append(slices.Clip(c), g...))
				}
			}
			choices = next
		}
		return choices
	}
	return nil
}

// maxChoices bounds the groups an alternation gives.
const maxChoices = 8

// maxClassLiterals bounds the runes a character class may turn into:
// a larger class is no filter.
const maxClassLiterals = 16

// weak reports whether lit is a single letter or white-space rune.
func weak(lit string) bool {
	r, n := utf8.DecodeRuneInString(lit)
	return n == len(lit) && (unicode.IsLetter(r) || unicode.IsSpace(r))
}

// mostSelective is the group whose shortest literal is longest (nil if
// there are none).
func mostSelective(groups [][]string) []string {
	var best []string
	for _, g := range groups {
		if best == nil || shortest(g) > shortest(best) {
			best = g
		}
	}
	return best
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
	for _, g := range p.all {
		if !containsAny(folded, g) {
			return false
		}
	}
	return true
}

func containsAny(s string, lits []string) bool {
	for _, l := range lits {
		if strings.Contains(s, l) {
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
