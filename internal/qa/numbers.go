package qa

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/healthi18n/healthi18n/internal/locale"
)

// unitClass is what a number counts. Equivalent spellings in any language
// ("mg", "мг", "ملغ", "毫克") map to one class.
type unitClass uint8

const (
	unitNone unitClass = iota
	unitMg
	unitG
	unitMcg
	unitKg
	unitMl
	unitL
	unitIU
	unitPct
	// Time units, after the dose units: see strict.
	unitHour
	unitMinute
	unitDay
	unitWeek
	unitMonth
	unitYear
	unitCount // number of classes
)

var unitNames = [unitCount]string{"", "mg", "g", "mcg", "kg", "ml", "l", "IU", "%",
	"hours", "minutes", "days", "weeks", "months", "years"}

// strict reports whether a number of this unit must keep its unit in the
// translation. Doses and percentages must ("500 mg" → "500" is a slip).
// Time units are looser: translations legitimately move them away from
// the number ("65 years and older" → "mayores de 65 años"), so a time unit
// only needs to be somewhere in the translation; a different unit at the
// number still fails ("5 days" → "5 horas").
func (u unitClass) strict() bool { return u != unitNone && u <= unitPct }

// number is one number found in a text.
type number struct {
	vals  [4]float64 // the values the text may mean (see interpret)
	nvals int
	unit  unitClass
	scale float64 // the scale word's factor ("million"), 0 for none
	start int     // byte offset of the number
	end   int     // end of the number and of its unit, if any
	// asSet: the number ends a name such as COVID-19 or SARS-CoV-2, or is
	// a year; these are compared as a set, not a multiset (a translation
	// may name COVID-19 or 2020 once where the source did twice).
	asSet bool
}

func (n *number) add(v float64) {
	for i := 0; i < n.nvals; i++ {
		if sameValue(n.vals[i], v) {
			return
		}
	}
	if n.nvals < len(n.vals) {
		n.vals[n.nvals] = v
		n.nvals++
	}
}

func (n *number) matches(o *number) bool {
	for i := 0; i < n.nvals; i++ {
		for j := 0; j < o.nvals; j++ {
			if sameValue(n.vals[i], o.vals[j]) {
				return true
			}
		}
	}
	return false
}

func sameValue(a, b float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// digitZeros are the code points of digit zero in the decimal digit
// systems the rule reads; each is followed by the digits one to nine.
var digitZeros = []rune{
	'0', 0x0660 /* Arabic-Indic */, 0x06F0 /* Persian */, 0x07C0, 0x0966 /* Devanagari */, 0x09E6,
	0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0E50 /* Thai */, 0x0ED0,
	0x0F20, 0x1040, 0x17E0, 0x1810, 0xFF10, /* full-width */
}

// digitVal returns the value of a decimal digit of any listed script, or -1.
func digitVal(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	if r < 0x0660 {
		return -1
	}
	for _, z := range digitZeros[1:] {
		if r >= z && r <= z+9 {
			return int(r - z)
		}
	}
	return -1
}

// Separator classes between digit groups.
func isThousandsSep(r rune) bool {
	switch r {
	case ',', '.', '\'', ' ', '\u00A0', '\u202F', '\u2009', '\u066C', '\u2019':
		return true
	}
	return false
}

func isDecimalSep(r rune) bool {
	return r == '.' || r == ',' || r == '\u066B' || r == '\uFF0E'
}

func isSpaceSep(r rune) bool {
	return r == ' ' || r == '\u00A0' || r == '\u202F' || r == '\u2009'
}

// digitGroups is a run of digit groups joined by single separators, such
// as "1.234,5" or "1 000".
type digitGroups struct {
	n      int        // number of groups
	from   [8]int     // byte offset of each group
	to     [8]int     // end of each group
	digits [8]int     // digit count of each group
	sep    [8]rune    // sep[i] precedes group i (i ≥ 1)
	val    [8]float64 // integer value of each group
	lead0  bool       // the first group starts with a zero
}

// scanDigits reads the digit groups starting at i, where s has a digit.
// A white-space separator joins only a following group of exactly three
// digits ("10 000"), so "in 2020 100 people" stays two numbers after
// interpretation.
func scanDigits(s string, i int) digitGroups {
	var g digitGroups
	for g.n < len(g.from) {
		k := g.n
		g.from[k] = i
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			d := digitVal(r)
			if d < 0 {
				break
			}
			if g.digits[k] == 0 && k == 0 && d == 0 {
				g.lead0 = true
			}
			g.val[k] = g.val[k]*10 + float64(d)
			g.digits[k]++
			i += size
		}
		g.to[k] = i
		g.n++
		// A separator followed by a digit continues the run, up to eight
		// groups; a longer run goes on as the next number.
		r, size := utf8.DecodeRuneInString(s[i:])
		if g.n == len(g.from) || i >= len(s) || !(isThousandsSep(r) || isDecimalSep(r)) {
			break
		}
		r2, _ := utf8.DecodeRuneInString(s[i+size:])
		if digitVal(r2) < 0 {
			break
		}
		if isSpaceSep(r) && digitsAt(s, i+size) != 3 {
			break
		}
		g.sep[g.n] = r
		i += size
	}
	return g
}

// digitsAt counts the digits at s[i:], and returns 4 for "more than 3".
func digitsAt(s string, i int) int {
	n := 0
	for i < len(s) && n < 4 {
		r, size := utf8.DecodeRuneInString(s[i:])
		if digitVal(r) < 0 {
			break
		}
		n++
		i += size
	}
	return n
}

// thousandsOK reports whether groups 0..k are one integer with thousands
// separators: one separator character throughout, a first group of one to
// three digits not starting with 0, and three digits in every later group.
func (g *digitGroups) thousandsOK(k int) bool {
	if g.digits[0] > 3 || (g.lead0 && k > 0) {
		return false
	}
	for i := 1; i <= k; i++ {
		if g.digits[i] != 3 || !isThousandsSep(g.sep[i]) || g.sep[i] != g.sep[1] {
			return false
		}
	}
	return true
}

// intValue is the integer formed by groups 0..k.
func (g *digitGroups) intValue(k int) float64 {
	v := g.val[0]
	for i := 1; i <= k; i++ {
		v = v*math.Pow10(g.digits[i]) + g.val[i]
	}
	return v
}

// numberStyle says how the separators of a text are read.
type numberStyle struct {
	// english marks the source text: it adds the English-only readings
	// (ordinals "21st", decades "1960s", "3 p.m.", year ranges "2010–11").
	// Separators are read as in every other text, with "." as the
	// decimal point of ambiguous tokens, so that a text read as source and
	// read as translation always yields numbers that match.
	english bool
	// decimal lists the separators the locale uses as decimal point; it
	// decides ambiguous tokens like "1.000" or "1,500" (thousands, or a
	// decimal with three places?): where the locale may mean either, both
	// values are kept.
	decimal string
}

// styleFor returns the number style of a translation locale.
func styleFor(lang locale.Locale) numberStyle {
	switch langKey(lang) {
	case "en", "zh", "ja", "ko", "he", "th", "hi":
		return numberStyle{decimal: "."}
	case "es", "ar", "fa", "ur", "":
		// Spanish: Spain writes 1,5 and Mexico 1.5; Arabic texts use ٫ or
		// either Latin separator.
		return numberStyle{decimal: ".,\u066B"}
	}
	return numberStyle{decimal: ",\u066B"}
}

// interpret appends the numbers a digit run stands for to out. A run that
// is one number (with thousands separators and/or a decimal separator)
// gives one number with its possible values; a run that cannot be one
// number ("15.03.2020", "1,2,3") gives one number per group.
func interpret(g *digitGroups, st numberStyle, out []number) []number {
	n := g.n - 1 // index of the last group
	num := number{start: g.from[0], end: g.to[n]}
	if n == 0 {
		num.add(g.val[0])
		return append(out, num)
	}
	last := g.sep[n]
	thousands := g.thousandsOK(n)
	decimal := isDecimalSep(last) && (n == 1 || (g.thousandsOK(n-1) && g.sep[1] != last))
	if thousands && decimal && n == 1 && !strings.ContainsRune(st.decimal, last) {
		decimal = false // "1.000" in French is a thousand
	}
	if thousands {
		num.add(g.intValue(n))
	}
	if decimal {
		num.add(g.intValue(n-1) + g.val[n]/math.Pow10(g.digits[n]))
	}
	if num.nvals > 0 {
		return append(out, num)
	}
	for i := 0; i <= n; i++ {
		out = append(out, number{start: g.from[i], end: g.to[i], vals: [4]float64{g.val[i]}, nvals: 1})
	}
	return out
}

// extractNumbers returns the numbers of s (a masked plain text). For a
// translation, words gives the language's number words (nil for none) and
// st its separators; for the English source, st.english is set.
func extractNumbers(s string, st numberStyle, words *wordTable, out []number) []number {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if digitVal(r) < 0 {
			i += size
			continue
		}
		if st.english && strings.HasPrefix(s[i:], "24/7") && (i == 0 || digitVal(rune(s[i-1])) < 0) {
			i += len("24/7") // the idiom "around the clock"
			continue
		}
		g := scanDigits(s, i)
		end := g.to[g.n-1]
		if skipDigits(s, i, end, st.english) {
			i = end
			continue
		}
		first := len(out)
		out = interpret(&g, st, out)
		i = end
		// The unit and scale belong to the last number of the run.
		last := &out[len(out)-1]
		ordinal := false
		// Decades are read in every text, so that a translation that keeps
		// "1960s" reads the unit after it as the source does.
		i = readDecade(s, last, i)
		if st.english {
			j := skipOrdinalSuffix(s, i)
			ordinal, i = j > i, j
			if i == end && g.n == 1 && leadingPoint(s, g.from[0], true) {
				last.nvals = 0 // ".08%" is 0.08
				last.add(g.val[0] / math.Pow10(g.digits[0]))
			}
		} else if g.n == 1 && leadingPoint(s, g.from[0], false) {
			// A translation may mean 0.08 by ".08" as the source did.
			last.add(g.val[0] / math.Pow10(g.digits[0]))
		}
		if !ordinal { // "the 19th day" is a date, not a duration
			i = readUnit(s, last, i, st.english)
		}
		if st.english {
			readClock(s, last, i)
		}
		if last.unit == unitNone && first == len(out)-1 && !unitAfter(s, i) {
			last.unit = unitBefore(s, g.from[0]) // the digits' start in every text
		}
		out[first].asSet = isNameNumber(s, out[first].start) || isYear(&g)
	}
	digitsEnd := len(out)
	joinRanges(s, out, st.english)
	if !st.english {
		out = extractWords(s, words, out)
		joinRanges(s, out[digitsEnd:], false)
	}
	return out
}

// skipDigits reports digit runs that are not quantities: digits glued to
// a Latin letter (R0, B0AT1, H1N1, CD4: names, whose letters a
// translation may expand into words) and zero minutes in a time ("8:00"
// is "8h" in French).
func skipDigits(s string, start, end int, english bool) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		if english && gluedToLatin(r) {
			return true
		}
		if r == ':' && start > 1 && digitVal(rune(s[start-2])) >= 0 && strings.Trim(s[start:end], "0") == "" {
			return true
		}
	}
	return false
}

func gluedToLatin(r rune) bool { return r < 0x250 && unicode.IsLetter(r) }

// isNameNumber reports a number that ends a name: "COVID-19",
// "SARS-CoV-2", "كوفيد-19" (letter, hyphen, digits), and in a translation
// digits glued to a Latin letter ("IL6"; the source skips those).
func isNameNumber(s string, start int) bool {
	if start > 0 {
		if r, _ := utf8.DecodeLastRuneInString(s[:start]); gluedToLatin(r) {
			return true
		}
	}
	if start < 2 || s[start-1] != '-' {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:start-1])
	return unicode.IsLetter(r)
}

// isYear reports a plain four-digit number from 1900 to 2099. Years are
// compared as a set, like names: "18 January 2020 and 22 January 2020"
// is rightly "18 and 22 January 2020".
func isYear(g *digitGroups) bool {
	return g.n == 1 && g.digits[0] == 4 && g.val[0] >= 1900 && g.val[0] < 2100
}

// leadingPoint reports a decimal written without its zero: ".08". In the
// source the point must follow a space or bracket; a translation is read
// more loosely ("و.08" in Arabic), which only adds a possible value.
func leadingPoint(s string, start int, strict bool) bool {
	if start == 0 || s[start-1] != '.' {
		return false
	}
	if start == 1 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:start-1])
	if !strict {
		return digitVal(r) < 0
	}
	return unicode.IsSpace(r) || r == '(' || r == '~'
}

// readClock adds the 24-hour reading of "3 p.m." (15h, 15 h, 15:00).
func readClock(s string, n *number, i int) {
	j := skipUnitSpace(s, i)
	for _, pm := range [...]string{"p.m.", "pm", "p.m"} {
		if k, ok := hasPrefixFold(s[j:], pm); ok && n.nvals == 1 && n.vals[0] >= 1 && n.vals[0] < 12 {
			if r, _ := utf8.DecodeRuneInString(s[j+k:]); j+k == len(s) || !unicode.IsLetter(r) {
				n.add(n.vals[0] + 12)
				return
			}
		}
	}
}

// readDecade reads the "s" of a decade ("the 1960s"): translations often
// write the decade alone ("années 60", "20 世纪 60 年代"), so 60 is a
// meaning too.
func readDecade(s string, n *number, i int) int {
	if i < len(s) && s[i] == 's' && n.nvals == 1 {
		v := n.vals[0]
		if r, _ := utf8.DecodeRuneInString(s[i+1:]); (i+1 == len(s) || !unicode.IsLetter(r)) && v >= 1000 && v < 3000 && math.Mod(v, 10) == 0 {
			n.add(math.Mod(v, 100))
			return i + 1
		}
	}
	return i
}

// rangeWords may join the two ends of a range ("20 to 30%", "del 20 al
// 30 %", "от 0,1 до 0,39%", "14 至 22 万", "2 و4").
var rangeWords = map[string]bool{
	"-": true, "–": true, "—": true, "~": true, "～": true, "/": true, "to": true, "and": true, "or": true,
	"a": true, "al": true, "y": true, "e": true, "o": true, "ou": true, "à": true, "et": true,
	"y el": true, "y la": true, "e o": true, "e a": true, "et le": true, "et la": true, "à la": true,
	"до": true, "и": true, "или": true, "по": true, "و": true, "إلى": true, "الى": true, "أو": true,
	"至": true, "到": true, "或": true, "和": true, "与": true,
}

// joinRanges lets the first end of a range take the unit and scale of the
// second ("20 to 30%" is 20% to 30%, "14 and 22 million" is 14 million to
// 22 million), and, in the English source, expands an abbreviated year
// range ("2010–11", "2019-20") so that "2010–2011" matches.
func joinRanges(s string, ns []number, english bool) {
	for k := 0; k+1 < len(ns); k++ {
		a, b := &ns[k], &ns[k+1]
		if a.end > b.start {
			continue
		}
		gap := strings.Trim(s[a.end:b.start], " \u00a0\u202f\u2009")
		if !rangeWords[gap] {
			continue
		}
		if a.unit == unitNone {
			a.unit = b.unit
		}
		if a.scale == 0 && b.scale != 0 {
			for i, m := 0, a.nvals; i < m; i++ {
				a.add(a.vals[i] * b.scale)
			}
			a.scale = b.scale
		}
		if english && (gap == "-" || gap == "–" || gap == "—" || gap == "/") && b.end-b.start == 2 && a.nvals == 1 && b.nvals == 1 {
			y, yy := a.vals[0], b.vals[0]
			if y >= 1000 && y < 3000 && y == math.Trunc(y) {
				full := y - math.Mod(y, 100) + yy
				if full < y {
					full += 100
				}
				b.add(full)
			}
		}
	}
}

// skipOrdinalSuffix skips "st", "nd", "rd", "th" after a number ("21st").
func skipOrdinalSuffix(s string, i int) int {
	if i+2 <= len(s) {
		suf := strings.ToLower(s[i : i+2])
		if suf == "st" || suf == "nd" || suf == "rd" || suf == "th" {
			if r, _ := utf8.DecodeRuneInString(s[i+2:]); i+2 == len(s) || !unicode.IsLetter(r) {
				return i + 2
			}
		}
	}
	return i
}

// readUnit reads an optional scale word ("million", "万") and unit after a
// number ending at i, sets them on n and returns the new end.
func readUnit(s string, n *number, i int, english bool) int {
	j := skipUnitSpace(s, i)
	t := tables()
	forms, scales := t.trUnits, t.trScales
	if english {
		forms, scales = t.srcUnits, t.srcScales
	}
	if f, end := matchForm(s, j, scales); f != nil {
		if english && n.nvals == 2 {
			// "1.716 billion" is a decimal: drop the reading as 1716.
			n.vals[0], n.nvals = n.vals[1], 1
		}
		for k, m := 0, n.nvals; k < m; k++ {
			n.add(n.vals[k] * f.scale)
		}
		n.scale = f.scale
		i = end
		n.end = end
		j = skipUnitSpace(s, i)
	}
	if f, end := matchForm(s, j, forms); f != nil {
		n.unit = f.unit
		n.end = end
		return end
	}
	if !english {
		// Arabic may say "2 من الأسابيع" ("2 of the weeks").
		if k, ok := strings.CutPrefix(s[j:], "من "); ok {
			k = strings.TrimPrefix(k, "ال")
			at := len(s) - len(k)
			if f, end := matchForm(s, at, forms); f != nil && f.unit >= unitHour {
				n.unit = f.unit
				n.end = end
				return end
			}
		}
	}
	return i
}

// unitAfter reports whether any unit spelling, in any language, follows
// position i. The source then takes no unit from before the number: the
// same text read as a translation would take the one after it.
func unitAfter(s string, i int) bool {
	var n number
	readUnit(s, &n, i, false)
	return n.unit != unitNone
}

// unitBefore recognises a unit written before the number: "百分之" (zh),
// and "%" before the digits as some Arabic texts store it.
func unitBefore(s string, start int) unitClass {
	before := strings.TrimRight(s[:start], " \u00A0\u202F")
	for _, p := range [...]string{"百分之", "%", "\u066A", "％"} {
		if strings.HasSuffix(before, p) {
			return unitPct
		}
	}
	return unitNone
}

// skipUnitSpace skips the spaces and the hyphen that may stand between a
// number and its unit ("500 mg", "500-mg", "5 个小时" has a classifier that
// the unit forms include).
func skipUnitSpace(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !(isSpaceSep(r) || r == '-' || r == '\u2011' || r == '+') {
			break
		}
		i += size
	}
	return i
}

// unitForm is one spelling of a unit or scale word.
type unitForm struct {
	form   string
	unit   unitClass
	scale  float64
	prefix bool // the form may be followed by more letters ("ساع" of ساعة, ساعات)
}

// matchForm returns the longest form of the set found at s[i:], and the
// end of the match. A form ending in a letter
// must end a word unless it is a prefix form or a CJK form; an apostrophe
// continues the word ("d'années" is not "d", days).
func matchForm(s string, i int, set *formSet) (*unitForm, int) {
	if i >= len(s) {
		return nil, i
	}
	rest := s[i:]
	first, _ := utf8.DecodeRuneInString(rest)
	forms := set.byFirst[unicode.ToLower(first)]
	for k := range forms {
		f := &forms[k]
		n, ok := hasPrefixFold(rest, f.form)
		if !ok {
			continue
		}
		end := i + n
		if !f.prefix && needsBoundary(f.form) && end < len(s) {
			r, _ := utf8.DecodeRuneInString(s[end:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' {
				continue
			}
		}
		if f.prefix {
			// Take the rest of the word, so the number's end covers it.
			for end < len(s) {
				r, size := utf8.DecodeRuneInString(s[end:])
				if !unicode.IsLetter(r) && !unicode.IsMark(r) {
					break
				}
				end += size
			}
		}
		return f, end
	}
	return nil, i
}

// hasPrefixFold reports whether s starts with form, ignoring case (units
// are written "MG", "Mg" too, so the tables hold lower-case spellings) and
// letting a space of the form match any space ("pour cent" with a
// no-break space). It returns the length of the match in s.
func hasPrefixFold(s, form string) (int, bool) {
	i := 0
	for _, fr := range form {
		if i >= len(s) {
			return 0, false
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == fr:
		case fr == ' ' && isSpaceSep(r):
		case unicode.SimpleFold(r) != r && equalFoldRune(r, fr):
		default:
			return 0, false
		}
		i += size
	}
	return i, true
}

func equalFoldRune(a, b rune) bool {
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}

// needsBoundary reports whether a form must end a word: forms ending in a
// Han, kana or symbol character are followed directly by more text ("5天内").
func needsBoundary(form string) bool {
	r, _ := utf8.DecodeLastRuneInString(form)
	return unicode.IsLetter(r) && !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// numberText quotes a number as written, with its unit.
func numberText(s string, n *number) string {
	return strings.TrimSpace(s[n.start:n.end])
}

// hasDigit reports whether s has a decimal digit of any listed script.
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	for _, r := range s {
		if r >= 0x0660 && digitVal(r) >= 0 {
			return true
		}
	}
	return false
}

// checkNumbers is rule qa-number: every number of the source must appear in
// the translation with the same value, and a dose or percentage with its
// unit. Values, not spellings, are compared: the translation may use its
// locale's separators (1,5 = 1.5; 1.000 = 1 000 = 1,000), other digits
// (４, ٥٠٠), number words ("cinco días", "五天", "XIX"), and scale words
// ("2.5 million" = "250万"). Numbers are matched as a multiset, so a source
// with "4" twice needs two; extra numbers in the translation are allowed
// (zh writes "11 February" as "2月11日").
func checkNumbers(ps []Problem, src, tr analysis, lang locale.Locale) []Problem {
	if !hasDigit(src.plain) {
		return ps
	}
	var sbuf, tbuf [16]number
	sn := extractNumbers(src.plain, numberStyle{english: true, decimal: "."}, nil, sbuf[:0])
	if len(sn) == 0 {
		return ps
	}
	tn := extractNumbers(tr.plain, styleFor(lang), wordTables[langKey(lang)], tbuf[:0])
	var mbuf [16]int
	matchS := mbuf[:0]
	for range sn {
		matchS = append(matchS, -1)
	}
	matchNumbers(sn, tn, matchS)
	for i := range sn {
		s := &sn[i]
		j := matchS[i]
		if j < 0 && s.asSet {
			// A name such as COVID-19 may be said once for twice.
			j = findAsSet(s, tn)
		}
		if j >= 0 {
			t := &tn[j]
			if s.unit == unitNone || t.unit == s.unit {
				continue
			}
			// A time unit may move away from its number ("65 years and
			// older" → "mayores de 65 años") but must still be there: "aged
			// < 19 years" → "<19" lost it.
			if t.unit == unitNone && !s.unit.strict() && containsUnit(tr.plain, s.unit) {
				continue
			}
			what := "has no unit"
			if t.unit != unitNone {
				what = "is in " + unitNames[t.unit]
			}
			ps = append(ps, Problem{RuleNumber,
				fmt.Sprintf("number %q of the source %s in the translation (%q)", numberText(src.plain, s), what, numberText(tr.plain, t)),
				fmt.Sprintf("keep the unit %s with the number; a translated or transliterated unit is fine", unitNames[s.unit]), t.start})
			continue
		}
		msg := fmt.Sprintf("number %q of the source is missing", numberText(src.plain, s))
		off := -1
		if k := nearMiss(s, tn, matchS); k >= 0 {
			msg += fmt.Sprintf("; found %q", numberText(tr.plain, &tn[k]))
			off = tn[k].start
		}
		ps = append(ps, Problem{RuleNumber, msg,
			"write the same number as the source (digits or words); doses, limits and durations must never change", off})
	}
	return ps
}

// maxAugment bounds the work of matchNumbers: beyond this many
// source × translation pairs (a table pasted into one message, or fuzz
// input) it matches greedily instead of searching for the best matching.
const maxAugment = 64 * 64

// matchNumbers pairs source numbers with translation numbers of equal
// value, each translation number used once, and returns for each source
// number the index of its partner or -1. It finds a maximum matching
// (Kuhn's augmenting paths), so that "26 March … 2.6 billion" → "3月26日 …
// 26亿" pairs 26 with 26日 and 2.6 billion with 26亿 whatever the order, and
// it first pairs numbers with the same unit, so "4 g … 4 hours" pairs each
// 4 with its own unit.
func matchNumbers(sn, tn []number, matchS []int) {
	var tbuf [32]int
	var vbuf [32]bool
	m := matcher{sn: sn, tn: tn, matchS: matchS, matchT: tbuf[:0], visited: vbuf[:0],
		augment: len(sn)*len(tn) <= maxAugment}
	for range tn {
		m.matchT = append(m.matchT, -1)
		m.visited = append(m.visited, false)
	}
	for i := range matchS {
		matchS[i] = -1
	}
	// Phase 1 pairs numbers with the same unit; phase 2 lets the rest pair
	// across units, for the unit check to judge.
	for _, same := range [...]bool{true, false} {
		m.sameUnitOnly = same
		for i := range sn {
			if matchS[i] < 0 {
				clear(m.visited)
				m.try(i)
			}
		}
	}
}

// matcher is the state of matchNumbers' search.
type matcher struct {
	sn, tn         []number
	matchS, matchT []int
	visited        []bool
	augment        bool
	sameUnitOnly   bool
}

// try finds a partner for source number i, moving earlier pairs along an
// augmenting path if that frees one.
func (m *matcher) try(i int) bool {
	// A number with a unit, paired with that unit, is only ever moved to
	// another partner with that unit: phase 2 must not trade a good pair
	// for a unit mismatch. A number without a unit may go anywhere.
	sameUnit := m.sameUnitOnly || (m.matchS[i] >= 0 && m.sn[i].unit != unitNone && m.tn[m.matchS[i]].unit == m.sn[i].unit)
	for j := range m.tn {
		if m.visited[j] || (sameUnit && m.tn[j].unit != m.sn[i].unit) || !m.sn[i].matches(&m.tn[j]) {
			continue
		}
		m.visited[j] = true
		if m.matchT[j] < 0 || (m.augment && m.try(m.matchT[j])) {
			m.matchT[j] = i
			m.matchS[i] = j
			return true
		}
	}
	return false
}

// containsUnit reports whether s has a spelling of unit u anywhere, at the
// start of a word.
func containsUnit(s string, u unitClass) bool {
	forms := tables().byUnit[u]
	prev := ' '
	for i, r := range s {
		if !unicode.IsLetter(prev) || unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana) {
			if f, _ := matchForm(s, i, forms); f != nil {
				return true
			}
		}
		prev = r
	}
	return false
}

// findAsSet finds a name number (COVID-19) of the translation with the
// value of s, whether or not it is already matched.
func findAsSet(s *number, tn []number) int {
	for j := range tn {
		if tn[j].asSet && s.matches(&tn[j]) {
			return j
		}
	}
	return -1
}

// nearMiss picks the unmatched translation number most likely to be the
// source number changed: one with the same unit, else none.
func nearMiss(s *number, tn []number, matchS []int) int {
	if s.unit == unitNone {
		return -1
	}
	used := func(j int) bool {
		for _, m := range matchS {
			if m == j {
				return true
			}
		}
		return false
	}
	for j := range tn {
		if tn[j].unit == s.unit && !used(j) {
			return j
		}
	}
	return -1
}
