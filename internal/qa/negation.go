package qa

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/healthi18n/healthi18n/internal/locale"
)

// reEnglishNegation finds a negation in the (English) source: the words
// of the brief, "n't" contractions of any verb (isn't, wasn't, couldn't),
// and "avoid" in all its forms.
var reEnglishNegation = regexp.MustCompile(`(?i)\b(?:not|never|no|none|nor|nothing|neither|nobody|nowhere|without|cannot|avoid(?:s|ed|ing|ance)?)\b|\b[a-z]+n['’]t\b|\bcan['’]t\b|\bwon['’]t\b`)

// negationWords are the words that carry a negation in each language, by
// base language. They are data, extendable per locale through New's
// extraNegation. A word ending in "*" matches every word it starts (kein*
// = kein, keine, keinen…). For Chinese and Japanese, which are written
// without spaces, entries are matched as substrings. In Arabic, words are
// also matched after stripping the proclitics و ف ب ل ك ("ولا", "بدون"),
// except ما, which only counts alone ("كما" is "as").
var negationWords = map[string][]string{
	"es": {"no", "nunca", "jamás", "ni", "sin", "tampoco", "ningún", "ninguna", "ninguno", "ningunos",
		"ningunas", "nada", "nadie", "evite", "evitar", "evit*"},
	"pt": {"não", "nunca", "jamais", "sem", "nem", "nenhum", "nenhuma", "nenhuns", "nenhumas", "nada",
		"ninguém", "evite", "evitar", "evit*"},
	"fr": {"ne", "n'", "pas", "jamais", "sans", "aucun", "aucune", "aucuns", "aucunes", "ni", "rien",
		"non", "éviter", "évitez", "évit*"},
	"de": {"nicht", "nie", "niemals", "kein*", "ohne", "weder", "nichts", "niemand",
		"vermeiden", "vermeid*"},
	"it": {"non", "mai", "senza", "né", "nessun*", "niente", "nulla", "evitare", "evit*"},
	"ru": {"не", "нет", "никогда", "нельзя", "без", "ни", "избегайте", "избег*", "ничего", "ничто",
		"никто", "никого", "никакой", "никаких", "никак*", "невозможно"},
	"ja": {"ない", "ないで", "禁止", "ません", "ず", "無", "せず", "避け", "なく", "不", "未", "非"},
	"zh": {"不", "勿", "禁止", "别", "別", "没", "沒", "无", "無", "未", "非", "避免", "切勿", "莫", "毋", "否"},
	"ar": {"لا", "لن", "ليس", "ليست", "لست", "ليسوا", "لم", "ممنوع", "غير", "بدون", "دون", "عدم",
		"تجنب", "تجنّب", "يتجنب", "تجنبوا", "ما", "بلا"},
}

// negSet is the compiled negation data of one language or locale.
type negSet struct {
	list     []string // as given, for Negations
	words    map[string]bool
	prefixes []string
	substr   bool // match entries as substrings (languages without spaces)
	arabic   bool
}

func newNegSet(lang string, words []string) *negSet {
	s := &negSet{words: map[string]bool{}, substr: lang == "zh" || lang == "ja", arabic: lang == "ar"}
	s.add(words)
	return s
}

func (s *negSet) add(words []string) {
	for _, w := range words {
		w = strings.TrimSpace(w)
		if w == "" {
			continue
		}
		s.list = append(s.list, w)
		w = strings.ReplaceAll(strings.ToLower(w), "’", "'")
		if s.arabic {
			w = arabicNormalize(w)
		}
		if p, ok := strings.CutSuffix(w, "*"); ok && !s.substr {
			s.prefixes = append(s.prefixes, p)
			continue
		}
		s.words[w] = true
	}
}

// find returns the byte offset of the first negation of the set in s, or -1.
func (s *negSet) find(text string) int {
	if s.substr {
		best := -1
		for w := range s.words {
			if i := strings.Index(text, w); i >= 0 && (best < 0 || i < best) {
				best = i
			}
		}
		return best
	}
	var buf [64]byte
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		start := i
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(r) && !unicode.IsMark(r) {
				break
			}
			i += size
		}
		w := lowerInto(buf[:0], text[start:i])
		if w == nil {
			continue
		}
		// French elision: "n'" before a vowel ("n'est", "n’a").
		if r == '\'' || r == '’' {
			if s.words[string(append(w, '\''))] {
				return start
			}
		}
		if s.match(w) {
			return start
		}
	}
	return -1
}

func (s *negSet) match(w []byte) bool {
	if s.words[string(w)] {
		return true
	}
	for _, p := range s.prefixes {
		if len(w) >= len(p) && string(w[:len(p)]) == p {
			return true
		}
	}
	if s.arabic {
		a := arabicNormalize(string(w))
		if a != "ما" && s.words[a] {
			return true
		}
		// Strip up to two proclitics: و/ف then ب/ل/ك.
		for k := 0; k < 2; k++ {
			r, size := utf8.DecodeRuneInString(a)
			if !strings.ContainsRune("وفبلك", r) || len(a) <= size+2 {
				break
			}
			a = a[size:]
			if a != "ما" && s.words[a] {
				return true
			}
		}
	}
	return false
}

// Negations returns the negation words and patterns the negation rule
// accepts for a locale: those of its language and any added for the
// locale's name through New. Unknown languages get nil.
func (c *Checker) Negations(lang locale.Locale) []string {
	var out []string
	key := langKey(lang)
	if s := c.neg[key]; s != nil {
		out = append(out, s.list...)
	}
	if lang.Name != key {
		if s := c.neg[lang.Name]; s != nil {
			out = append(out, s.list...)
		}
	}
	return out
}

// checkNegation is rule qa-negation, run on safety messages only: when the
// source says "not", "never", "without", "avoid"…, the translation must
// have a negation of its language, or a "do not exceed 4 g" may have
// become "exceed 4 g". It checks presence, not meaning or count: a
// translation may legitimately express two English negations with one.
//
// A language with no negation data passes: the rule cannot judge it and
// must not block it (add words with extraNegation to enable it).
func (c *Checker) checkNegation(ps []Problem, src, tr string, lang locale.Locale) []Problem {
	loc := reEnglishNegation.FindStringIndex(src)
	if loc == nil {
		return ps
	}
	key := langKey(lang)
	base, own := c.neg[key], c.neg[lang.Name]
	if lang.Name == key {
		own = nil
	}
	if base == nil && own == nil {
		return ps
	}
	if (base != nil && base.find(tr) >= 0) || (own != nil && own.find(tr) >= 0) {
		return ps
	}
	return append(ps, Problem{RuleNegation,
		fmt.Sprintf("the source says %q but the translation has no negation", src[loc[0]:loc[1]]),
		"a safety message must keep its negation (" + strings.Join(c.Negations(lang)[:min(4, len(c.Negations(lang)))], ", ") + "…); never soften or invert a warning", -1})
}

// hasEnglishNegation reports whether the source text has a negation.
func hasEnglishNegation(s string) bool { return reEnglishNegation.MatchString(s) }
