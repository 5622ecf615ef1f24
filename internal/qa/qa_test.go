package qa

import (
	"slices"
	"strings"
	"testing"

	"github.com/healthi18n/healthi18n/internal/locale"
)

// ruleCase is one row of a rule's table: a translation that must fail the
// rule (fail: true) or pass it. Every rule has at least one of each, the
// passing ones chosen as near misses of the failing ones.
type ruleCase struct {
	name   string
	lang   string // locale name; "es" when empty
	src    string
	tr     string
	fail   bool
	safety bool
	// msg, when set, must be a substring of the first problem's message.
	msg string
}

var testChecker = New(nil)

// runRule checks each case and looks only at the problems of rule.
func runRule(t *testing.T, rule string, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lang := tc.lang
			if lang == "" {
				lang = "es"
			}
			ps := testChecker.Check(tc.src, tc.tr, locale.MustParse(lang), tc.safety)
			var got []Problem
			for _, p := range ps {
				if p.Rule == rule {
					got = append(got, p)
				}
				if p.Offset < -1 || p.Offset > len(tc.tr) {
					t.Errorf("problem %+v: offset outside the translation", p)
				}
				if p.Message == "" || p.Hint == "" {
					t.Errorf("problem %+v: empty message or hint", p)
				}
			}
			switch {
			case tc.fail && len(got) == 0:
				t.Errorf("%s: no %s problem for\n  src: %q\n  tr:  %q\n  all: %+v", tc.name, rule, tc.src, tc.tr, ps)
			case !tc.fail && len(got) > 0:
				t.Errorf("%s: unexpected %s problems %+v for\n  src: %q\n  tr:  %q", tc.name, rule, got, tc.src, tc.tr)
			case tc.msg != "" && len(got) > 0 && !strings.Contains(got[0].Message, tc.msg):
				t.Errorf("%s: message %q, want it to contain %q", tc.name, got[0].Message, tc.msg)
			}
		})
	}
}

var placeholderCases = []ruleCase{
	{name: "missing action", src: "You have {{.Count}} new messages", tr: "Tienes mensajes nuevos", fail: true,
		msg: `placeholder "{{.Count}}" of the source is missing`},
	{name: "renamed action", src: "Hello {{.Name}}", tr: "Hola {{.Nombre}}", fail: true},
	{name: "added action", src: "Hello", tr: "Hola {{.Name}}", fail: true},
	{name: "one of two equal actions dropped", src: "{{.N}} of {{.N}}", tr: "{{.N}} de", fail: true},
	{name: "missing end", src: "{{if .Safe}}ok{{end}}", tr: "{{if .Safe}}bien", fail: true},
	{name: "inner whitespace differs", src: "Hello {{.Name}}", tr: "Hola {{ .Name }}"},
	{name: "trim markers", src: "Hello {{.Name}}", tr: "Hola {{- .Name -}}"},
	{name: "reordered actions", src: "{{.A}} and {{.B}}", tr: "{{.B}} y {{.A}}"},
	{name: "template call kept", src: `{{template "warning" .}} Read this.`, tr: `{{template "warning" .}} Lea esto.`},
	{name: "quoted string keeps its spaces", src: `{{printf "%d  mg" .Dose}}`, tr: `{{printf "%d mg" .Dose}}`, fail: true},
	{name: "printf verb missing", src: "Take %d tablets", tr: "Tome tabletas", fail: true, msg: `format verb "%d"`},
	{name: "printf verb changed", src: "Hello %s", tr: "Hola %d", fail: true},
	{name: "printf indexed verbs kept", src: "%[1]s takes %[2]d mg", tr: "%[1]s toma %[2]d mg"},
	{name: "escaped percent is not a verb", src: "Take %d%% of it", tr: "Tome el %d%% de ello"},
	{name: "prose percent in translation", src: "Half the dose", tr: "El 50% de la dosis"},
	{name: "percent after digit is prose", src: "down 77%.The end %s", tr: "baja 77%.El fin %s"},
}

func TestPlaceholder(t *testing.T) { runRule(t, RulePlaceholder, placeholderCases) }

var linkCases = []ruleCase{
	{name: "url changed", src: "See [the leaflet](https://who.int/a).", tr: "Vea [el prospecto](https://who.int/b).", fail: true,
		msg: `URL "https://who.int/a" of the source is missing`},
	{name: "link dropped", src: "See [the leaflet](https://who.int/a).", tr: "Vea el prospecto.", fail: true},
	{name: "autolink dropped", src: "Write to <help@example.org>.", tr: "Escriba a help@example.org.", fail: true},
	{name: "image url dropped", src: "![Pill](img/pill.png)", tr: "![Píldora]()", fail: true},
	{name: "bare url changed", src: "Visit https://nhs.uk/paracetamol now", tr: "Visite https://nhs.uk/paracetamol-es ahora", fail: true},
	{name: "link text and title translated", src: `See [the leaflet](https://who.int/a "Leaflet").`, tr: `Vea [el prospecto](https://who.int/a "Prospecto").`},
	{name: "url with parentheses", src: "[Fever](https://en.wikipedia.org/wiki/Fever_(disambiguation))", tr: "[Fiebre](https://en.wikipedia.org/wiki/Fever_(disambiguation))"},
	{name: "bare url then CJK punctuation", lang: "zh-Hans", src: "Visit https://who.int.", tr: "请访问https://who.int。"},
	{name: "autolink kept", src: "Write to <https://who.int/contact>.", tr: "Escriba a <https://who.int/contact>."},
	{name: "reference definition kept", src: "[who]: https://who.int", tr: "[who]: https://who.int"},
	{name: "url in code is code", src: "Run `curl http://x/a`", tr: "Ejecute `curl http://x/a`"},
}

func TestLink(t *testing.T) { runRule(t, RuleLink, linkCases) }

var codeCases = []ruleCase{
	{name: "code translated", src: "Search for `ibuprofen`.", tr: "Busque `ibuprofeno`.", fail: true,
		msg: "inline code `ibuprofen` of the source is missing"},
	{name: "backticks lost", src: "Type `stop`.", tr: "Escriba stop.", fail: true},
	{name: "code added", src: "Type stop.", tr: "Escriba `stop`.", fail: true},
	{name: "code kept", src: "Type `stop` to end.", tr: "Escriba `stop` para terminar."},
	{name: "double backtick span kept", src: "Use ``a`b`` here", tr: "Use ``a`b`` aquí"},
	{name: "unclosed backtick is text", src: "It's 5` long", tr: "Mide 5` de largo"},
}

func TestInlineCode(t *testing.T) { runRule(t, RuleInlineCode, codeCases) }

var emphasisCases = []ruleCase{
	{name: "bold not closed", src: "**Never** exceed the dose.", tr: "**Nunca* exceda la dosis.", fail: true,
		msg: `emphasis marker "*" is unbalanced`},
	{name: "italic underscore lost", src: "_Always_ read the label.", tr: "_Siempre lea la etiqueta.", fail: true},
	{name: "strike not closed", src: "~~old dose~~ new dose", tr: "~~dosis antigua nueva dosis", fail: true},
	{name: "bold kept", src: "**Never** exceed the dose.", tr: "**Nunca** exceda la dosis."},
	{name: "snake_case is not emphasis", src: "Set `x` and **dose_max**.", tr: "Ajuste `x`, **dose_max** y dose_min."},
	{name: "list bullet and multiplication", src: "Dose: 2 * 3 tablets", tr: "* Dosis: 2 * 3 tabletas"},
	{name: "approximately tilde", src: "About 5 mg", tr: "Unos ~5 mg"},
	{name: "star inside code", src: "Run `a*b`", tr: "Ejecute `a*b` *ahora*"},
	{name: "source already unbalanced", src: "**Never exceed", tr: "**Nunca exceda"},
	{name: "escaped star", src: "Rated 5 stars", tr: `Calificado 5\*`},
}

func TestEmphasis(t *testing.T) { runRule(t, RuleEmphasis, emphasisCases) }

var numberCases = []ruleCase{
	// Changed numbers and units must fail.
	{name: "dose changed", src: "Take 500 mg.", tr: "Tome 50 mg.", fail: true,
		msg: `number "500 mg" of the source is missing; found "50 mg"`},
	{name: "interval changed", src: "Take 2 tablets every 4 hours.", tr: "Tome 2 tabletas cada 6 horas.", fail: true},
	{name: "unit changed", src: "Do not take more than 4 g a day.", tr: "No tome más de 4 mg al día.", fail: true,
		msg: `number "4 g" of the source is in mg`},
	{name: "dose unit dropped", src: "Take 500 mg.", tr: "Tome 500.", fail: true, msg: "has no unit"},
	{name: "duration unit changed", src: "Rest for 5 days.", tr: "Descanse 5 horas.", fail: true},
	{name: "one of two equal numbers changed", src: "Take 4 g, at most 4 times.", tr: "Tome 4 g, como máximo 6 veces.", fail: true},
	{name: "decimal comma read as thousands", lang: "fr", src: "Take 15 mg.", tr: "Prenez 1,5 mg.", fail: true},
	{name: "thousands in German is not one", lang: "de", src: "Take 1 mg.", tr: "Nehmen Sie 1.000 mg.", fail: true},
	{name: "century changed", src: "In the 19th century.", tr: "En el siglo XX.", fail: true},
	{name: "age unit lost", src: "Patients aged < 19 years.", tr: "Pacientes <19.", fail: true},
	{name: "percent lost", src: "It fell 2.8 percent.", tr: "Bajó un 2,8.", fail: true},
	{name: "Arabic digits changed", lang: "ar", src: "Take 500 mg.", tr: "تناول ٥٠ ملغ.", fail: true},
	{name: "scale changed", src: "US$50 billion", tr: "50 000 USD", fail: true},
	{name: "number word wrong", lang: "ru", src: "Wait 5 days.", tr: "Подождите шесть дней.", fail: true},
	// The same values, written the locale's way, must pass.
	{name: "same dose", src: "Take 4 g.", tr: "Tome 4 g."},
	{name: "brief example", src: "Do not take more than 4 g in 24 hours.", tr: "No exceda 4 g en 24 horas."},
	{name: "decimal comma", lang: "de", src: "Take 1.5 mg.", tr: "Nehmen Sie 1,5 mg."},
	{name: "thousands dot", lang: "de", src: "Up to 1,000 mg.", tr: "Bis zu 1.000 mg."},
	{name: "thousands space", lang: "fr", src: "Up to 1,000 mg.", tr: "Jusqu’à 1 000 mg."},
	{name: "thousands narrow nbsp", lang: "fr", src: "Up to 1,000 mg.", tr: "Jusqu’à 1\u202f000\u00a0mg."},
	{name: "Latin American thousands comma", lang: "es-419", src: "Up to 1,000 mg.", tr: "Hasta 1,000 mg."},
	{name: "full-width digits", lang: "zh-Hans", src: "Take 4 g.", tr: "服用４克。"},
	{name: "Arabic-Indic digits and unit", lang: "ar", src: "Take 500 mg.", tr: "تناول ٥٠٠ ملغ."},
	{name: "Arabic decimal separator", lang: "ar", src: "Take 1.5 mg.", tr: "تناول ١٫٥ مغ."},
	{name: "Persian digits", lang: "fa", src: "Take 500 mg.", tr: "۵۰۰ میلی\u200cگرم مصرف کنید."},
	{name: "Russian unit", lang: "ru", src: "Take 500 mg.", tr: "Примите 500 мг."},
	{name: "Chinese unit", lang: "zh-Hans", src: "Take 500 mg.", tr: "服用500毫克。"},
	{name: "Japanese unit", lang: "ja", src: "Take 500 mg.", tr: "500ミリグラムを服用してください。"},
	{name: "Spanish word", src: "Rest for 5 days.", tr: "Descanse cinco días."},
	{name: "French word", lang: "fr", src: "Rest for 5 days.", tr: "Reposez-vous cinq jours."},
	{name: "French compound word", lang: "fr", src: "For 17 days.", tr: "Pendant dix-sept jours."},
	{name: "German word", lang: "de", src: "Rest for 5 days.", tr: "Ruhen Sie fünf Tage."},
	{name: "Portuguese word", lang: "pt-BR", src: "Rest for 5 days.", tr: "Descanse cinco dias."},
	{name: "Russian word", lang: "ru", src: "Rest for 5 days.", tr: "Отдыхайте пять дней."},
	{name: "Russian compound word", lang: "ru", src: "For 25 days.", tr: "В течение двадцати пяти дней."},
	{name: "Arabic word", lang: "ar", src: "Rest for 5 days.", tr: "استرح خمسة أيام."},
	{name: "Arabic dual", lang: "ar", src: "Rest for 2 days.", tr: "استرح يومين."},
	{name: "Chinese numeral", lang: "zh-Hans", src: "Rest for 5 days.", tr: "休息五天。"},
	{name: "Chinese compound numeral", lang: "zh-Hans", src: "For 14 days.", tr: "十四天内。"},
	{name: "Japanese numeral", lang: "ja", src: "Rest for 5 days.", tr: "五日間休んでください。"},
	{name: "date in Chinese", lang: "zh-Hans", src: "On 11 February.", tr: "2月11日。"},
	{name: "date in Spanish", src: "On March 15, 2020.", tr: "El 15 de marzo de 2020."},
	{name: "extra numbers allowed", lang: "zh-Hans", src: "Since 2020.", tr: "自2020年1月起。"},
	{name: "scale words", lang: "zh-Hans", src: "2.5 million people", tr: "250万人"},
	{name: "best pairing, not first", lang: "zh-Hans", src: "On 26 March, 1.7 billion, then 2.6 billion.", tr: "3 月 26 日，17 亿，然后 26 亿。"},
	{name: "range shares its unit", src: "A drop of 20 to 30%.", tr: "Una caída del 20 al 30 %."},
	{name: "percent words", src: "Over 10%.", tr: "Más del 10 por ciento."},
	{name: "decade", lang: "fr", src: "In the 1960s.", tr: "Dans les années 60."},
	{name: "century in Roman numerals", src: "In the 19th century.", tr: "En el siglo XIX."},
	{name: "year range abbreviated", src: "In 2010–11.", tr: "En 2010-2011."},
	{name: "age unit moved away", src: "Adults 65 years and older.", tr: "Adultos mayores de 65 años."},
	{name: "clock", lang: "pt-BR", src: "Between 10 p.m. and 4 a.m.", tr: "Das 22h às 4h."},
	{name: "name said once", src: "COVID-19 and COVID-19-related deaths", tr: "muertes por COVID-19"},
	{name: "no digits in source", src: "Take one tablet.", tr: "Tome 1 tableta."},
}

func TestNumber(t *testing.T) { runRule(t, RuleNumber, numberCases) }

var negationCases = []ruleCase{
	{name: "Spanish negation dropped", src: "Do not take more than 4 g.", tr: "Tome más de 4 g.", fail: true, safety: true,
		msg: `the source says "not"`},
	{name: "Spanish no inside a word", src: "Do not drive.", tr: "Lea la nota.", fail: true, safety: true},
	{name: "contraction", src: "You shouldn't drive.", tr: "Conduzca.", fail: true, safety: true},
	{name: "French", lang: "fr", src: "Never drive.", tr: "Conduisez.", fail: true, safety: true},
	{name: "German", lang: "de", src: "Do not drive.", tr: "Fahren Sie Auto.", fail: true, safety: true},
	{name: "Portuguese", lang: "pt-BR", src: "Do not drive.", tr: "Dirija.", fail: true, safety: true},
	{name: "Russian", lang: "ru", src: "Do not drive.", tr: "Водите машину.", fail: true, safety: true},
	{name: "Russian necessary is not a negation", lang: "ru", src: "Do not drive.", tr: "Необходимо водить.", fail: true, safety: true},
	{name: "Chinese", lang: "zh-Hans", src: "Do not drive.", tr: "请开车。", fail: true, safety: true},
	{name: "Japanese", lang: "ja", src: "Do not drive.", tr: "運転してください。", fail: true, safety: true},
	{name: "Arabic", lang: "ar", src: "Do not drive.", tr: "قد السيارة.", fail: true, safety: true},
	{name: "Arabic kama is not ma", lang: "ar", src: "Do not drive.", tr: "كما قد السيارة.", fail: true, safety: true},
	{name: "Spanish kept", src: "Do not take more than 4 g.", tr: "No tome más de 4 g.", safety: true},
	{name: "Spanish capital", src: "Never exceed the dose.", tr: "NUNCA exceda la dosis.", safety: true},
	{name: "avoid", src: "Avoid alcohol.", tr: "Evite el alcohol.", safety: true},
	{name: "French ne pas", lang: "fr", src: "Do not drive.", tr: "Ne conduisez pas.", safety: true},
	{name: "French elision", lang: "fr", src: "Do not use it.", tr: "N’utilisez jamais cela.", safety: true},
	{name: "French elision only", lang: "fr", src: "It is not safe.", tr: "Ce n'est sûr.", safety: true},
	{name: "German kein", lang: "de", src: "Take no aspirin.", tr: "Nehmen Sie keinen Aspirin.", safety: true},
	{name: "Portuguese", lang: "pt-BR", src: "Do not drive.", tr: "Não dirija.", safety: true},
	{name: "Russian", lang: "ru", src: "Do not drive.", tr: "Не водите машину.", safety: true},
	{name: "Chinese", lang: "zh-Hans", src: "Do not drive.", tr: "请勿开车。", safety: true},
	{name: "Japanese", lang: "ja", src: "Do not drive.", tr: "運転しないでください。", safety: true},
	{name: "Arabic with conjunction", lang: "ar", src: "And do not drive.", tr: "ولا تقد السيارة.", safety: true},
	{name: "not a safety message", src: "Do not drive.", tr: "Conduzca."},
	{name: "source without negation", src: "Drive carefully.", tr: "Conduzca con cuidado.", safety: true},
	{name: "idiom", src: "Don't hesitate to call us.", tr: "Llámenos.", safety: true},
	{name: "unknown language passes", lang: "sw", src: "Do not drive.", tr: "Endesha gari.", safety: true},
}

func TestNegation(t *testing.T) { runRule(t, RuleNegation, negationCases) }

func TestNegationExtraWords(t *testing.T) {
	ko := locale.MustParse("ko")
	c := New(map[string][]string{"ko": {"않*", "마세요"}, "pt-BR": {"jamé"}})
	if ps := c.Check("Do not drive.", "운전하지 마세요.", ko, true); len(ps) != 0 {
		t.Errorf("extra Korean word not accepted: %+v", ps)
	}
	if ps := c.Check("Do not drive.", "운전하세요.", ko, true); len(ps) != 1 || ps[0].Rule != RuleNegation {
		t.Errorf("Korean without negation: %+v, want one %s problem", ps, RuleNegation)
	}
	if got := c.Negations(ko); !slices.Equal(got, []string{"않*", "마세요"}) {
		t.Errorf("Negations(ko) = %q", got)
	}
	pt := locale.MustParse("pt-BR")
	if got := c.Negations(pt); !slices.Contains(got, "não") || !slices.Contains(got, "jamé") {
		t.Errorf("Negations(pt-BR) = %q, want the pt words and the pt-BR extra", got)
	}
	if ps := c.Check("Do not drive.", "Jamé dirija.", pt, true); len(ps) != 0 {
		t.Errorf("locale-specific extra word not accepted: %+v", ps)
	}
	if ps := testChecker.Check("Do not drive.", "Jamé dirija.", pt, true); len(ps) != 1 {
		t.Errorf("extra word leaked into another checker: %+v", ps)
	}
}

func TestNegationsListed(t *testing.T) {
	for _, lang := range []string{"es", "de", "fr", "pt-BR", "ru", "ja", "zh-Hans", "ar", "es-419"} {
		if len(testChecker.Negations(locale.MustParse(lang))) == 0 {
			t.Errorf("no negations for %s", lang)
		}
	}
	if got := testChecker.Negations(locale.MustParse("sw")); got != nil {
		t.Errorf("Negations(sw) = %q, want nil", got)
	}
}

var bidiCases = []ruleCase{
	{name: "override", src: "Take 1 tablet.", tr: "Tome 1 \u202Etableta.", fail: true, msg: "U+202E at offset 7"},
	{name: "isolate", src: "Take 1 tablet.", tr: "Tome \u20661\u2069 tableta.", fail: true},
	{name: "mark in ltr text", src: "Take 1 tablet.", tr: "Tome\u200F 1 tableta.", fail: true},
	{name: "mark in rtl text", lang: "ar", src: "Take 1 tablet.", tr: "تناول\u200F 1 قرص."},
	{name: "mark copied from source", src: "Take\u200E 1 tablet.", tr: "Tome\u200E 1 tableta."},
	{name: "clean", src: "Take 1 tablet.", tr: "Tome 1 tableta."},
}

func TestBidi(t *testing.T) { runRule(t, RuleBidi, bidiCases) }

var zeroWidthCases = []ruleCase{
	{name: "zwsp splits a word", src: "Do not drive.", tr: "N\u200Bo conduzca.", fail: true},
	{name: "zwj in Latin", src: "Take the dose.", tr: "Tome la do\u200Dsis.", fail: true},
	{name: "word joiner", src: "Take the dose.", tr: "Tome la do\u2060sis.", fail: true},
	{name: "bom inside a word", src: "Take the dose.", tr: "Tome la do\uFEFFsis.", fail: true},
	{name: "Persian zwnj", lang: "fa", src: "I want.", tr: "می\u200Cخواهم."},
	{name: "Devanagari zwj", lang: "hi", src: "Test.", tr: "क्\u200Dष"},
	{name: "Thai zwsp between words", lang: "th", src: "Test.", tr: "ยา\u200Bเม็ด"},
	{name: "zwsp between words", src: "Take the dose.", tr: "Tome \u200B la dosis."},
}

func TestZeroWidth(t *testing.T) { runRule(t, RuleZeroWidth, zeroWidthCases) }

var bomCases = []ruleCase{
	{name: "bom at start", src: "Hello", tr: "\uFEFFHola", fail: true},
	{name: "bom at end", src: "Hello", tr: "Hola\uFEFF"},
	{name: "no bom", src: "Hello", tr: "Hola"},
}

func TestBOM(t *testing.T) { runRule(t, RuleBOM, bomCases) }

var utf8Cases = []ruleCase{
	{name: "invalid byte", src: "Hello", tr: "Hola \xff", fail: true, msg: "offset 5"},
	{name: "truncated rune", src: "Hello", tr: "Hol\xc3", fail: true},
	{name: "valid", src: "Hello", tr: "Hola ñandú"},
}

func TestUTF8(t *testing.T) { runRule(t, RuleUTF8, utf8Cases) }

func TestUTF8SkipsOtherRules(t *testing.T) {
	ps := testChecker.Check("Take 500 mg [x](http://a).", "Tome 50 mg \xff", locale.MustParse("es"), true)
	if len(ps) != 1 || ps[0].Rule != RuleUTF8 || ps[0].Offset != len("Tome 50 mg ") {
		t.Errorf("Check = %+v, want only %s at offset %d", ps, RuleUTF8, len("Tome 50 mg "))
	}
}

func TestOffsets(t *testing.T) {
	tr := "Tome 50 mg y vea https://b."
	ps := testChecker.Check("Take 500 mg and see https://a.", tr, locale.MustParse("es"), false)
	want := map[string]int{RuleNumber: strings.Index(tr, "50 mg"), RuleLink: strings.Index(tr, "https://b")}
	seen := map[string]bool{}
	for _, p := range ps {
		if w, ok := want[p.Rule]; ok && p.Offset != w && p.Offset != -1 {
			t.Errorf("%s offset = %d, want %d or -1", p.Rule, p.Offset, w)
		}
		seen[p.Rule] = true
	}
	for r := range want {
		if !seen[r] {
			t.Errorf("no %s problem in %+v", r, ps)
		}
	}
}

func TestCleanTranslationHasNoProblems(t *testing.T) {
	src := "**Warning:** do not take more than 4 g of [paracetamol](https://nhs.uk/p) in 24 hours; see `dose`."
	tr := "**Advertencia:** no tome más de 4 g de [paracetamol](https://nhs.uk/p) en 24 horas; vea `dose`."
	if ps := testChecker.Check(src, tr, locale.MustParse("es"), true); ps != nil {
		t.Errorf("Check = %+v, want nil", ps)
	}
}

// allCases is every table's rows, the fuzz target's seeds.
func allCases() []ruleCase {
	var all []ruleCase
	for _, cs := range [][]ruleCase{placeholderCases, linkCases, codeCases, emphasisCases, numberCases,
		negationCases, bidiCases, zeroWidthCases, bomCases, utf8Cases} {
		all = append(all, cs...)
	}
	return all
}

// fuzzLangs are the locales the fuzz target picks from.
var fuzzLangs = []locale.Locale{
	locale.MustParse("en"), locale.MustParse("es"), locale.MustParse("fr"), locale.MustParse("de"),
	locale.MustParse("ru"), locale.MustParse("ar"), locale.MustParse("zh-Hans"), locale.MustParse("ja"),
	locale.MustParse("pt-BR"), locale.MustParse("fa"), locale.MustParse("sw"),
}

// identityRules must pass a translation that is the source itself.
var identityRules = []string{RulePlaceholder, RuleLink, RuleInlineCode, RuleEmphasis, RuleNumber}

func FuzzCheck(f *testing.F) {
	for i, tc := range allCases() {
		f.Add(tc.src, tc.tr, uint8(i), tc.safety)
	}
	f.Fuzz(func(t *testing.T, src, tr string, li uint8, safety bool) {
		lang := fuzzLangs[int(li)%len(fuzzLangs)]
		for _, p := range testChecker.Check(src, tr, lang, safety) {
			if p.Offset < -1 || p.Offset > len(tr) {
				t.Fatalf("offset %d outside [-1, %d]: %+v", p.Offset, len(tr), p)
			}
			if p.Rule == "" || p.Message == "" {
				t.Fatalf("incomplete problem %+v", p)
			}
		}
		if !identityApplies(src) {
			return
		}
		// In the source's own language, the identical text passes every rule.
		if ps := testChecker.Check(src, src, fuzzLangs[0], true); len(ps) != 0 {
			t.Fatalf("Check(src, src, en) = %+v for %q", ps, src)
		}
		// In any language, it passes the rules that compare markup and numbers.
		for _, p := range testChecker.Check(src, src, lang, true) {
			if slices.Contains(identityRules, p.Rule) {
				t.Fatalf("Check(src, src, %s) = %+v for %q", lang, p, src)
			}
		}
	})
}

// identityApplies reports whether a text can be its own clean translation:
// valid UTF-8 with no bidi control or zero-width character.
func identityApplies(s string) bool {
	if _, ok := checkUTF8(s); !ok {
		return false
	}
	for _, r := range s {
		if isBidiControl(r) || isBidiMark(r) || isZeroWidth(r) {
			return false
		}
	}
	return true
}

func TestIdentityOnSeeds(t *testing.T) {
	for _, tc := range allCases() {
		for _, s := range []string{tc.src, tc.tr} {
			if !identityApplies(s) {
				continue
			}
			if ps := testChecker.Check(s, s, locale.MustParse("en"), true); len(ps) != 0 {
				t.Errorf("Check(s, s, en) = %+v for %q", ps, s)
			}
		}
	}
}

// benchPairs are typical messages: a plain safety sentence, one with
// Markdown, numbers and a link, and a CJK translation.
var benchPairs = []struct{ src, tr, lang string }{
	{"Do not take more than 4 g of paracetamol in 24 hours, and never with alcohol.",
		"No tome más de 4 g de paracetamol en 24 horas, y nunca con alcohol.", "es"},
	{"**Warning:** if symptoms last more than 3 days, see [your doctor](https://nhs.uk/gp) and stop `ibuprofen` (400 mg).",
		"**Avertissement :** si les symptômes durent plus de 3 jours, consultez [votre médecin](https://nhs.uk/gp) et arrêtez `ibuprofen` (400 mg).", "fr"},
	{"Children under 12 years should not take 500 mg tablets.",
		"12 岁以下儿童不应服用 500 毫克的片剂。", "zh-Hans"},
	{"Massage gently for 10 minutes, avoiding the central area.",
		"Массируйте осторожно в течение 10 минут, избегая центральной области.", "ru"},
}

func BenchmarkCheck(b *testing.B) {
	c := New(nil)
	langs := make([]locale.Locale, len(benchPairs))
	for i, p := range benchPairs {
		langs[i] = locale.MustParse(p.lang)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, p := range benchPairs {
			if ps := c.Check(p.src, p.tr, langs[i], true); ps != nil {
				b.Fatalf("unexpected problems %+v", ps)
			}
		}
	}
}

func TestZeroValueLocaleAndEmptyTexts(t *testing.T) {
	var zero locale.Locale
	for _, pair := range [][2]string{{"", ""}, {"Do not take 5 mg.", ""}, {"", "No tome 5 mg."}} {
		for _, lang := range []locale.Locale{zero, locale.MustParse("es")} {
			for _, p := range testChecker.Check(pair[0], pair[1], lang, true) {
				if p.Offset < -1 || p.Offset > len(pair[1]) {
					t.Errorf("offset out of range: %+v", p)
				}
			}
		}
	}
	if got := testChecker.Negations(zero); got != nil {
		t.Errorf("Negations(zero locale) = %q, want nil", got)
	}
}

func TestLongDigitRun(t *testing.T) {
	long := "1.2.3.4.5.6.7.8.9.10.11 mg"
	if ps := testChecker.Check(long, long, locale.MustParse("en"), true); len(ps) != 0 {
		t.Errorf("Check(long, long) = %+v", ps)
	}
	if ps := testChecker.Check(long, "1.2.3.4.5.6.7.8.9.10.12 mg", locale.MustParse("en"), true); len(ps) == 0 {
		t.Error("changed last number of a long run not reported")
	}
}
