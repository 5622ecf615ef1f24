package qa

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/healthi18n/healthi18n/internal/locale"
)

// englishNegations are the words that make an English source negative
// (the brief's list, and the forms of "avoid"). Besides them, every "n't"
// contraction counts (isn't, wasn't, couldn't, can't, won't). They are
// found by a word scan rather than a regular expression: this runs on every
// safety message and the scan is several times faster.
var englishNegations = map[string]bool{
	"not": true, "never": true, "no": true, "none": true, "nor": true, "nothing": true,
	"neither": true, "nobody": true, "nowhere": true, "without": true, "cannot": true,
	"avoid": true, "avoids": true, "avoided": true, "avoiding": true, "avoidance": true,
}

// findEnglishNegations appends the [start, end) spans of the negations of s
// to out.
func findEnglishNegations(s string, out [][2]int) [][2]int {
	var buf [32]byte
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		start := i
		for i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
			// An apostrophe inside a word belongs to it: "don't".
			if r == '\'' || r == '’' {
				if r2, _ := utf8.DecodeRuneInString(s[i+size:]); !unicode.IsLetter(r2) {
					break
				}
			} else if !unicode.IsLetter(r) {
				break
			}
			i += size
		}
		w := s[start:i]
		if len(w) > len(buf) {
			continue
		}
		lw := lowerInto(buf[:0], w)
		if lw == nil {
			continue
		}
		if englishNegations[string(lw)] || bytes.HasSuffix(lw, []byte("n't")) || bytes.HasSuffix(lw, []byte("n’t")) {
			out = append(out, [2]int{start, i})
		}
	}
	return out
}

// negationIdioms are English idioms whose negation a faithful translation
// does not repeat: "not only … but also" ("乃至" is fine), "including but
// not limited to", "last but not least", "whether or not", "don't
// hesitate to" (= please do), "goes without saying". A negation inside one
// does not count.
var negationIdioms = []string{
	"not only", "but not limited to", "last but not least", "whether or not",
	"do not hesitate", "don't hesitate", "don’t hesitate", "without saying",
}

// inIdiom reports whether the negation s[start:end] is part of an idiom.
func inIdiom(s string, start, end int) bool {
	word := s[start:end]
	for _, id := range negationIdioms {
		k := indexFoldWord(id, word)
		if k < 0 {
			continue
		}
		from, to := start-k, start-k+len(id)
		if from < 0 || to > len(s) || !strings.EqualFold(s[from:to], id) {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(s[:from])
		after, _ := utf8.DecodeRuneInString(s[to:])
		if (from == 0 || !unicode.IsLetter(before)) && (to == len(s) || !unicode.IsLetter(after)) {
			return true
		}
	}
	return false
}

// indexFoldWord returns the byte offset of word as a whole word of phrase,
// ignoring case, or -1.
func indexFoldWord(phrase, word string) int {
	for k := 0; k+len(word) <= len(phrase); k++ {
		if (k == 0 || phrase[k-1] == ' ') && (k+len(word) == len(phrase) || phrase[k+len(word)] == ' ') &&
			strings.EqualFold(phrase[k:k+len(word)], word) {
			return k
		}
	}
	return -1
}

// englishNegation returns the span of the first negation of the source
// outside the idioms, or nil.
func englishNegation(s string) []int {
	var buf [4][2]int
	for _, l := range findEnglishNegations(s, buf[:0]) {
		if !inIdiom(s, l[0], l[1]) {
			return []int{l[0], l[1]}
		}
	}
	return nil
}

// negationWords are the words that carry a negation in each language, by
// base language. They are data, extendable per locale through New's
// extraNegation. A word ending in "*" matches every word it starts (kein*
// = kein, keine, keinen…). For Chinese and Japanese, which are written
// without spaces, entries are matched as substrings. In Arabic, words are
// also matched after stripping the proclitics و ف ب ل ك ("ولا", "بدون"),
// except ما, which only counts alone ("كما" is "as").
var negationWords = map[string][]string{
	// Besides the particles, each list has the words whose meaning holds
	// the negation: "unknown" (desconocido), "impossible", "absence",
	// "prohibited", "asymptomatic", "avoid"… Good translations use them for
	// "not known", "not possible", "without", "not allowed", "no
	// symptoms", and they are no less negative for being one word.
	"es": {"no", "nunca", "jamás", "ni", "sin", "tampoco", "ningún", "ninguna", "ninguno", "ningunos",
		"ningunas", "nada", "nadie", "evite", "evitar", "evit*", "desconoc*", "imposib*", "ausencia",
		"ausente*", "prohib*", "asintomátic*", "insostenible*", "ineficaz*", "inexist*", "insuficient*"},
	"pt": {"não", "nunca", "jamais", "sem", "nem", "nenhum", "nenhuma", "nenhuns", "nenhumas", "nada",
		"ninguém", "evite", "evitar", "evit*", "desconhec*", "impossí*", "impossibilit*", "ausência",
		"ausente*", "proib*", "assintomátic*", "ineficaz*", "inexist*", "insuficient*", "descartad*",
		"desproporciona*", "senão"},
	"fr": {"ne", "n'", "pas", "jamais", "sans", "aucun", "aucune", "aucuns", "aucunes", "ni", "rien",
		"non", "éviter", "évitez", "évit*", "inconnu*", "impossib*", "absence", "absent*", "interdi*",
		"asymptomatique*", "inefficace*", "inexist*", "insuffisan*", "sinon", "écart*", "omett*",
		"ignor*", "disproportionn*"},
	"de": {"nicht", "nie", "niemals", "kein*", "ohne", "weder", "nichts", "niemand",
		"vermeiden", "vermeid*", "unbekannt*", "unmöglich*", "verboten*", "fehlen*"},
	"it": {"non", "mai", "senza", "né", "nessun*", "niente", "nulla", "evitare", "evit*"},
	"ru": {"не", "нет", "никогда", "нельзя", "без", "ни", "избегайте", "избег*", "избеж*", "ничего",
		"ничто", "никто", "никого", "никакой", "никаких", "никак*", "невозмож*", "неизвест*",
		"недостаточ*", "недоступ*", "неудивит*", "неэффектив*", "небезопас*", "бесполез*", "бессимптом*",
		"отсутств*", "запрещ*", "запрет*", "предотвра*"},
	"ja": {"ない", "ないで", "禁止", "ません", "ず", "無", "せず", "避け", "なく", "不", "未", "非"},
	"zh": {"不", "勿", "禁止", "禁", "别", "別", "没", "沒", "无", "無", "未", "非", "避免", "切勿", "莫", "毋", "否"},
	// Arabic verb forms take person prefixes (تجنب، يتجنب، تتجنب), hence
	// the prefix entries. ألا ("that … not") reads like إلا ("except") once
	// hamza is normalised away, a small known leniency.
	"ar": {"لا", "لن", "ليس", "ليست", "لست", "لسنا", "لستم", "ليسوا", "ليسا", "لم", "ألا", "ممنوع",
		"غير", "بدون", "دون*", "عدم", "بلا", "ما", "تجنب*", "يتجنب*", "تتجنب*", "نتجنب*", "تجنّب*",
		"تفاد*", "يتفاد*", "تتفاد*", "عجز*", "تعذر*", "يتعذر*", "خال", "خالي", "خالية"},
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
		p, isPrefix := strings.CutSuffix(w, "*")
		switch {
		case p == "":
		case s.substr:
			s.words[p] = true // a substring is a prefix already
		case isPrefix:
			s.prefixes = append(s.prefixes, p)
		default:
			s.words[w] = true
		}
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
	if s.arabic {
		return s.matchArabic(arabicNormalize(string(w)))
	}
	return s.matchWord(string(w))
}

func (s *negSet) matchWord(w string) bool {
	if s.words[w] {
		return true
	}
	for _, p := range s.prefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// matchArabic matches a normalised Arabic word as written, then without up
// to two proclitics (و/ف "and", then ب/ل/ك prepositions: "ولا", "بدون")
// and without the article ال ("الخالي"). ما only counts alone: "كما" is
// "as", "لما" is "when".
func (s *negSet) matchArabic(a string) bool {
	if s.matchWord(a) {
		return true
	}
	for k := 0; k < 2; k++ {
		r, size := utf8.DecodeRuneInString(a)
		if !strings.ContainsRune("وفبلك", r) || len(a) <= size+2 {
			break
		}
		a = a[size:]
		if a != "ما" && s.matchWord(a) {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(a, "ال"); ok && len(rest) > 2 {
		return s.matchWord(rest)
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
	loc := englishNegation(src)
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
	words := c.Negations(lang)
	return append(ps, Problem{RuleNegation,
		fmt.Sprintf("the source says %q but the translation has no negation", src[loc[0]:loc[1]]),
		fmt.Sprintf("a safety message must keep its negation (%s…); never soften or invert a warning",
			strings.Join(words[:min(4, len(words))], ", ")), -1})
}

// hasEnglishNegation reports whether the source text has a negation.
func hasEnglishNegation(s string) bool { return englishNegation(s) != nil }
