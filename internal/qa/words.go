package qa

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Number words. A source digit may be written as a word in the translation
// ("5 days" → "cinco días", "пять дней", "خمسة أيام", "五天"); these tables
// let the number rule accept that. They cover 0–20, the tens, hundred,
// thousand and the first ordinals ("1st" → "primer"); compounds are
// assembled by combineWords ("treinta y cinco", "двадцать пять",
// "خمسة وعشرون", "vingt-cinq") and Chinese/Japanese numerals are parsed
// (二十五, 一百零五).
//
// Indefinite articles that double as "one" (un, une, ein, um) count as 1:
// "1 dose" is commonly "una dosis". That makes a source "1" easy to match
// in those languages, a known leniency.

// wordNum is the value (and unit, for Arabic duals such as يومين "two
// days") of a number word.
type wordNum struct {
	val  float64
	unit unitClass
}

// wordTable is the compiled number-word data of one language.
type wordTable struct {
	words map[string]wordNum
	// prefixes are the keys written with a trailing "*", without it;
	// maxPrefix is the byte length of the longest.
	prefixes  map[string]wordNum
	maxPrefix int
	// arabic: normalise letters and strip proclitics before lookup.
	arabic bool
	// han: parse Chinese/Japanese numerals instead of words.
	han bool
	// hyphenSum: hyphenated words are compounds to add up (French).
	hyphenSum bool
}

// numberWordData is "word=value" lists per language; a value may carry a
// unit suffix ("يومين=2d" is two days).
var numberWordData = map[string]string{
	"es": `cero=0 un=1 uno=1 una=1 dos=2 tres=3 cuatro=4 cinco=5 seis=6 siete=7 ocho=8 nueve=9 diez=10
		once=11 doce=12 trece=13 catorce=14 quince=15 dieciséis=16 dieciseis=16 diecisiete=17 dieciocho=18
		diecinueve=19 veinte=20 veintiún=21 veintiuno=21 veintiuna=21 veintidós=22 veintitrés=23
		veinticuatro=24 veinticinco=25 veintiséis=26 veintisiete=27 veintiocho=28 veintinueve=29
		treinta=30 cuarenta=40 cincuenta=50 sesenta=60 setenta=70 ochenta=80 noventa=90 cien=100
		ciento=100 doscientos=200 trescientos=300 quinientos=500 mil=1000 millón=1000000
		primer=1 primero=1 primera=1 primeros=1 primeras=1 segundo=2 segunda=2 tercer=3 tercero=3
		tercera=3 cuarto=4 cuarta=4 quinto=5 quinta=5 sexto=6 sexta=6 séptimo=7 octavo=8 noveno=9
		décimo=10 docena=12`,
	"pt": `zero=0 um=1 uma=1 dois=2 duas=2 três=3 quatro=4 cinco=5 seis=6 sete=7 oito=8 nove=9 dez=10
		onze=11 doze=12 treze=13 catorze=14 quatorze=14 quinze=15 dezesseis=16 dezasseis=16 dezessete=17
		dezassete=17 dezoito=18 dezenove=19 dezanove=19 vinte=20 trinta=30 quarenta=40 cinquenta=50
		sessenta=60 setenta=70 oitenta=80 noventa=90 cem=100 cento=100 duzentos=200 trezentos=300
		quinhentos=500 mil=1000 milhão=1000000 primeiro=1 primeira=1 primeiros=1 primeiras=1 segundo=2
		segunda=2 terceiro=3 terceira=3 quarto=4 quarta=4 quinto=5 quinta=5 sexto=6 sétimo=7 oitavo=8
		nono=9 décimo=10 dúzia=12`,
	"fr": `zéro=0 un=1 une=1 deux=2 trois=3 quatre=4 cinq=5 six=6 sept=7 huit=8 neuf=9 dix=10 onze=11
		douze=12 treize=13 quatorze=14 quinze=15 seize=16 vingt=20 vingts=20 trente=30 quarante=40
		cinquante=50 soixante=60 septante=70 huitante=80 octante=80 nonante=90 cent=100 cents=100
		mille=1000 million=1000000 premier=1 première=1 premiers=1 premières=1 deuxième=2 second=2
		seconde=2 troisième=3 quatrième=4 cinquième=5 sixième=6 septième=7 huitième=8 neuvième=9
		dixième=10 douzaine=12`,
	"de": `null=0 ein=1 eine=1 einen=1 einem=1 einer=1 eines=1 eins=1 zwei=2 drei=3 vier=4 fünf=5
		sechs=6 sieben=7 acht=8 neun=9 zehn=10 elf=11 zwölf=12 dreizehn=13 vierzehn=14 fünfzehn=15
		sechzehn=16 siebzehn=17 achtzehn=18 neunzehn=19 zwanzig=20 dreißig=30 vierzig=40 fünfzig=50
		sechzig=60 siebzig=70 achtzig=80 neunzig=90 hundert=100 tausend=1000 erste=1 ersten=1
		erster=1 erstes=1 zweite=2 zweiten=2 zweiter=2 dritte=3 dritten=3 dritter=3 vierte=4
		vierten=4 fünfte=5 fünften=5 zweimal=2 dreimal=3`,
	"it": `zero=0 un=1 uno=1 una=1 due=2 tre=3 quattro=4 cinque=5 sei=6 sette=7 otto=8 nove=9 dieci=10
		undici=11 dodici=12 tredici=13 quattordici=14 quindici=15 sedici=16 diciassette=17 diciotto=18
		diciannove=19 venti=20 trenta=30 quaranta=40 cinquanta=50 sessanta=60 settanta=70 ottanta=80
		novanta=90 cento=100 mille=1000 primo=1 prima=1 secondo=2 seconda=2 terzo=3 terza=3`,
	"ru": `ноль=0 нуль=0 один=1 одна=1 одно=1 одного=1 одной=1 одному=1 одним=1 одну=1 одном=1
		два=2 две=2 двух=2 двум=2 двумя=2 двое=2 двоих=2 оба=2 обе=2 обоих=2
		три=3 трёх=3 трех=3 трём=3 трем=3 тремя=3 трое=3 троих=3
		четыре=4 четырёх=4 четырех=4 четырём=4 четырем=4 четырьмя=4 четверо=4
		пять=5 пяти=5 пятью=5 пятеро=5 шесть=6 шести=6 шестью=6 шестеро=6 семь=7 семи=7 семью=7
		восемь=8 восьми=8 восемью=8 восьмью=8 девять=9 девяти=9 девятью=9 десять=10 десяти=10 десятью=10
		одиннадцат*=11 двенадцат*=12 тринадцат*=13 четырнадцат*=14 пятнадцат*=15 шестнадцат*=16
		семнадцат*=17 восемнадцат*=18 девятнадцат*=19 двадцат*=20 тридцат*=30 сорок=40 сорока=40
		пятьдесят=50 пятидесяти=50 шестьдесят=60 шестидесяти=60 семьдесят=70 семидесяти=70
		восемьдесят=80 восьмидесяти=80 девяносто=90 девяноста=90 сто=100 ста=100 тысяча=1000
		тысячи=1000 тысяч=1000 тысячу=1000 полтора=1.5 полторы=1.5 полутора=1.5 сутки=24h суток=24h
		перв*=1 второй=2 второго=2 второму=2 вторым=2 втором=2 вторая=2 вторую=2 второе=2 вторые=2
		вторых=2 третий=3 третьего=3 третьему=3 третьим=3 третьем=3 третья=3 третьей=3 третью=3
		третье=3 третьи=3 третьих=3 четвёрт*=4 четверт*=4 пят*=5`,
	"ar": `صفر=0 واحد=1 واحدة=1 أحد=1 إحدى=1 اثنان=2 اثنين=2 اثنتان=2 اثنتين=2 اثنا=2 اثني=2
		اثنتا=2 اثنتي=2 ثلاثة=3 ثلاث=3 أربعة=4 أربع=4 خمسة=5 خمس=5 ستة=6 ست=6 سبعة=7 سبع=7 ثمانية=8
		ثماني=8 ثمان=8 تسعة=9 تسع=9 عشرة=10 عشر=10 عشرون=20 عشرين=20 ثلاثون=30 ثلاثين=30 أربعون=40
		أربعين=40 خمسون=50 خمسين=50 ستون=60 ستين=60 سبعون=70 سبعين=70 ثمانون=80 ثمانين=80 تسعون=90
		تسعين=90 مائة=100 مئة=100 مائتين=200 مئتين=200 مائتان=200 ألف=1000 مليون=1000000
		أول=1 أولى=1 ثاني=2 ثانية=2 ثالث=3 ثالثة=3 رابع=4 رابعة=4 خامس=5 خامسة=5 سادس=6 سادسة=6
		سابع=7 سابعة=7 ثامن=8 ثامنة=8 تاسع=9 تاسعة=9 عاشر=10 عاشرة=10
		يومين=2d يومان=2d ساعتين=2h ساعتان=2h دقيقتين=2m دقيقتان=2m أسبوعين=2w أسبوعان=2w
		شهرين=2M شهران=2M سنتين=2y سنتان=2y عامين=2y عامان=2y مرتين=2 مرتان=2 ضعفين=2
		مترين=2 متران=2 عشرينيات=20 ثلاثينيات=30 أربعينيات=40 خمسينيات=50 ستينيات=60
		سبعينيات=70 ثمانينيات=80 تسعينيات=90`,
}

var unitSuffix = map[byte]unitClass{'h': unitHour, 'm': unitMinute, 'd': unitDay, 'w': unitWeek, 'M': unitMonth, 'y': unitYear}

// noWords is the table of languages without number words.
var noWords wordTable

// roman returns the value of an upper-case Roman numeral of I, V and X
// (1–39: centuries, phases, chapters), with an optional ordinal ending
// ("XIXe", "XXIº"). C, D, L and M are left out: "vitamina C" is no 100.
func roman(w string) (float64, bool) {
	end := 0
	for end < len(w) && (w[end] == 'I' || w[end] == 'V' || w[end] == 'X') {
		end++
	}
	if end == 0 {
		return 0, false
	}
	switch w[end:] {
	case "", "e", "er", "re", "ème", "eme", "º", "ª", "o", "a":
	default:
		return 0, false
	}
	v, i := 0, 0
	num := w[:end]
	for i < len(num) && num[i] == 'X' {
		v += 10
		i++
	}
	switch {
	case strings.HasPrefix(num[i:], "IX"):
		v, i = v+9, i+2
	case strings.HasPrefix(num[i:], "IV"):
		v, i = v+4, i+2
	default:
		if i < len(num) && num[i] == 'V' {
			v, i = v+5, i+1
		}
		for k := 0; k < 3 && i < len(num) && num[i] == 'I'; k++ {
			v, i = v+1, i+1
		}
	}
	if i != len(num) || v == 0 || v > 39 {
		return 0, false
	}
	return float64(v), true
}

// wordTables are the compiled tables, by base language.
var wordTables = buildWordTables()

func buildWordTables() map[string]*wordTable {
	out := map[string]*wordTable{}
	for lang, data := range numberWordData {
		t := &wordTable{words: map[string]wordNum{}, arabic: lang == "ar", hyphenSum: lang == "fr"}
		for _, f := range strings.Fields(data) {
			w, v, ok := strings.Cut(f, "=")
			if !ok {
				panic("qa: bad number word " + f)
			}
			var wn wordNum
			if u, ok := unitSuffix[v[len(v)-1]]; ok {
				wn.unit = u
				v = v[:len(v)-1]
			}
			val, err := strconv.ParseFloat(v, 64)
			if err != nil {
				panic("qa: bad number word " + f)
			}
			wn.val = val
			w = strings.ToLower(w)
			if t.arabic {
				w = arabicNormalize(w)
			}
			if p, ok := strings.CutSuffix(w, "*"); ok {
				if t.prefixes == nil {
					t.prefixes = map[string]wordNum{}
				}
				t.prefixes[p] = wn
				t.maxPrefix = max(t.maxPrefix, len(p))
				continue
			}
			t.words[w] = wn
		}
		out[lang] = t
	}
	out["zh"] = &wordTable{han: true}
	out["ja"] = &wordTable{han: true}
	return out
}

// lookup returns the number word w (already lower-cased) stands for: an
// exact word, else the longest prefix key ("двадцат*" covers двадцать,
// двадцати, двадцатый…).
func (t *wordTable) lookup(w string) (wordNum, bool) {
	if n, ok := t.words[w]; ok {
		return n, true
	}
	for i := min(len(w), t.maxPrefix); i > 0; i-- {
		if i < len(w) && !utf8.RuneStart(w[i]) {
			continue
		}
		if n, ok := t.prefixes[w[:i]]; ok {
			return n, true
		}
	}
	return wordNum{}, false
}

// extractWords appends the number words of s to out: those of t (nil
// for a language without a table) and Roman numerals ("siglo XIX",
// "phase II"), which every Latin-script language uses.
func extractWords(s string, t *wordTable, out []number) []number {
	if t != nil && t.han {
		return extractHan(s, out)
	}
	if t == nil {
		t = &noWords
	}
	first := len(out)
	var buf [64]byte
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		start := i
		for i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
			if unicode.IsLetter(r) || unicode.IsMark(r) {
				i += size
				continue
			}
			// French compounds: "dix-sept", "vingt-et-un".
			if t.hyphenSum && r == '-' && i+1 < len(s) {
				if r2, _ := utf8.DecodeRuneInString(s[i+1:]); unicode.IsLetter(r2) {
					i += size
					continue
				}
			}
			break
		}
		if v, ok := roman(s[start:i]); ok {
			num := number{start: start, end: i}
			num.add(v)
			out = append(out, num)
			continue
		}
		if len(t.words) == 0 {
			continue
		}
		w := lowerInto(buf[:0], s[start:i])
		if w == nil {
			continue
		}
		n, ok := t.word(w)
		if !ok {
			continue
		}
		num := number{start: start, end: i, unit: n.unit}
		num.add(n.val)
		end := readUnit(s, &num, i, false)
		if num.unit == unitNone {
			num.unit = n.unit
		}
		num.end = max(num.end, end)
		out = append(out, num)
	}
	return combineWords(s, out, first)
}

// word looks a lower-cased word up, handling Arabic proclitics and French
// hyphenated compounds.
//
// It takes bytes so that the common case, a word that is no number, costs
// map look-ups and no allocation.
func (t *wordTable) word(w []byte) (wordNum, bool) {
	if t.arabic {
		return t.arabicWord(string(w))
	}
	if n, ok := t.lookupBytes(w); ok {
		return n, true
	}
	if t.hyphenSum && bytes.IndexByte(w, '-') > 0 {
		return t.frenchCompound(string(w))
	}
	return wordNum{}, false
}

// lookupBytes is lookup without converting w to a string.
func (t *wordTable) lookupBytes(w []byte) (wordNum, bool) {
	if n, ok := t.words[string(w)]; ok {
		return n, true
	}
	for i := min(len(w), t.maxPrefix); i > 0; i-- {
		if i < len(w) && !utf8.RuneStart(w[i]) {
			continue
		}
		if n, ok := t.prefixes[string(w[:i])]; ok {
			return n, true
		}
	}
	return wordNum{}, false
}

// frenchCompound adds up "dix-sept" (17), "vingt-et-un" (21),
// "quatre-vingt-dix" (90): every part must be a number word or "et".
func (t *wordTable) frenchCompound(w string) (wordNum, bool) {
	parts := strings.Split(w, "-")
	var sum float64
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		if p == "et" {
			continue
		}
		if p == "quatre" && i+1 < len(parts) && strings.HasPrefix(parts[i+1], "vingt") {
			sum += 80
			i++
			continue
		}
		n, ok := t.lookup(p)
		if !ok {
			return wordNum{}, false
		}
		sum += n.val
	}
	return wordNum{val: sum}, true
}

// arabicWord looks an Arabic word up as written, then without the
// proclitics و/ف (and), ب/ل/ك (prepositions) and ال (the).
func (t *wordTable) arabicWord(w string) (wordNum, bool) {
	w = arabicNormalize(w)
	for step := 0; step < 4; step++ {
		if n, ok := t.words[w]; ok {
			return n, true
		}
		switch {
		case step == 0 && (strings.HasPrefix(w, "و") || strings.HasPrefix(w, "ف")) && len(w) > 4:
			w = w[2:]
		case step == 1 && (strings.HasPrefix(w, "ب") || strings.HasPrefix(w, "ل") || strings.HasPrefix(w, "ك")) && len(w) > 4:
			w = w[2:]
		case step == 2 && strings.HasPrefix(w, "ال") && len(w) > 6:
			w = w[4:]
		case step == 2 && strings.HasPrefix(w, "ل") && len(w) > 4: // لل = ل + ال
			w = w[2:]
		}
	}
	return wordNum{}, false
}

// arabicNormalize removes Arabic diacritics and tatweel and unifies the
// letter variants that spelling varies on (أ إ آ → ا, ى → ي, ة → ه).
func arabicNormalize(w string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0x064B && r <= 0x0652, r == 0x0670, r == 0x0640:
			return -1
		case r == 'أ', r == 'إ', r == 'آ':
			return 'ا'
		case r == 'ى':
			return 'ي'
		case r == 'ة':
			return 'ه'
		}
		return r
	}, w)
}

// lowerInto lower-cases s into buf, or returns nil when it does not fit:
// number words are short, and the buffer keeps the lookup free of
// allocations.
func lowerInto(buf []byte, s string) []byte {
	if len(s) > cap(buf) {
		return nil
	}
	for _, r := range s {
		r = unicode.ToLower(r)
		if len(buf)+utf8.RuneLen(r) > cap(buf) {
			return nil
		}
		buf = utf8.AppendRune(buf, r)
	}
	return buf
}

// connectors may stand between the tens and the units of a compound.
var connectors = map[string]bool{"y": true, "e": true, "et": true, "und": true, "и": true, "and": true}

// combineWords joins compound number words among out[first:] in place:
// tens followed by units ("treinta y cinco", "двадцать пять" = 35, 25),
// and the Arabic order units + و-tens ("خمسة وعشرون" = 25) and units +
// عشر ("ثلاثة عشر" = 13).
func combineWords(s string, out []number, first int) []number {
	w := first
	for r := first; r < len(out); r++ {
		if w > first {
			a, b := &out[w-1], &out[r]
			if sum, ok := compound(s, a, b); ok {
				a.nvals = 0
				a.add(sum)
				a.end = b.end
				a.unit = b.unit
				continue
			}
		}
		out[w] = out[r]
		w++
	}
	return out[:w]
}

func compound(s string, a, b *number) (float64, bool) {
	if a.nvals == 0 || b.nvals == 0 || a.end > b.start {
		return 0, false
	}
	x, y := a.vals[0], b.vals[0]
	gap := strings.TrimSpace(s[a.end:b.start])
	isUnit := func(v float64) bool { return v >= 1 && v <= 9 && v == math.Trunc(v) }
	isTens := func(v float64) bool { return v >= 20 && v <= 90 && math.Mod(v, 10) == 0 }
	switch {
	case isTens(x) && isUnit(y) && (gap == "" || connectors[strings.ToLower(gap)]):
		return x + y, true
	case gap == "" && isUnit(x) && isTens(y) && strings.HasPrefix(s[b.start:], "و"):
		return x + y, true
	case gap == "" && (isUnit(x) || x == 2) && y == 10 && strings.Contains(s[b.start:b.end], "عشر"):
		return x + 10, true
	}
	return 0, false
}

// Chinese and Japanese numerals.
var hanDigits = map[rune]float64{
	'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '兩': 2, '三': 3, '四': 4, '五': 5,
	'六': 6, '七': 7, '八': 8, '九': 9,
}
var hanUnits = map[rune]float64{'十': 10, '百': 100, '千': 1000}
var hanBig = map[rune]float64{'万': 1e4, '萬': 1e4, '亿': 1e8, '億': 1e8}

func isHanNumeral(r rune) bool {
	if _, ok := hanDigits[r]; ok {
		return true
	}
	_, ok1 := hanUnits[r]
	_, ok2 := hanBig[r]
	return ok1 || ok2
}

// extractHan appends the Chinese/Japanese numerals of s: 五 (5), 十四 (14),
// 二十五 (25), 一百零五 (105), 二〇二〇 (2020), 三万 (30000).
func extractHan(s string, out []number) []number {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isHanNumeral(r) {
			i += size
			continue
		}
		start := i
		var total, section, digit, seq float64
		digits, units := 0, 0
		seenDigit := false
		for i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
			if d, ok := hanDigits[r]; ok {
				digit, seenDigit = d, true
				seq = seq*10 + d
				digits++
			} else if u, ok := hanUnits[r]; ok {
				if !seenDigit {
					digit = 1
				}
				section += digit * u
				digit, seenDigit = 0, false
				units++
			} else if b, ok := hanBig[r]; ok {
				if section+digit == 0 {
					break // a lone 万 is not a number here
				}
				total += (section + digit) * b
				section, digit, seenDigit = 0, 0, false
				units++
			} else {
				break
			}
			i += size
		}
		if i == start {
			i += size // lone 万/亿
			continue
		}
		v := total + section + digit
		if units == 0 && digits > 1 {
			v = seq // 二〇二〇
		}
		num := number{start: start, end: i}
		num.add(v)
		i = readUnit(s, &num, i, false)
		out = append(out, num)
	}
	return out
}
