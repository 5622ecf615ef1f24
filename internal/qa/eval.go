package qa

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/healthi18n/healthi18n/internal/locale"
)

// This file measures the rules' false-alarm rates on real, correct human
// translations (the TICO-19 corpus in shared/corpora/tico19). It is the only
// part of the package that reads files; the product never calls it — the
// tests and cmd/qaeval do.

// EvalResult counts what the rules report on one corpus file.
type EvalResult struct {
	// File is the corpus file's base name, Lang the locale it was read as.
	File string
	Lang locale.Locale
	// Pairs is the number of source/translation pairs read.
	Pairs int
	// WithDigit and WithNegation count the pairs whose source has a digit
	// (the number rule has work to do) or an English negation (the
	// negation rule has work to do).
	WithDigit    int
	WithNegation int
	// Flagged counts, per rule ID, the pairs with at least one problem of
	// that rule. Every pair is checked as a safety message.
	Flagged map[string]int
	// Known counts, per rule, the flagged pairs that are listed real slips
	// of the human translation (see knownSlips); they are included in
	// Flagged.
	Known map[string]int
	// Examples holds up to MaxExamples flagged pair IDs per rule, with the
	// first problem's message.
	Examples map[string][]string
}

// MaxExamples is how many flagged pairs EvalResult keeps per rule.
const MaxExamples = 8

// Rate returns the share of the file's pairs that rule flagged.
func (r EvalResult) Rate(rule string) float64 {
	if r.Pairs == 0 {
		return 0
	}
	return float64(r.Flagged[rule]) / float64(r.Pairs)
}

// Applicable returns how many pairs give rule something to check: pairs
// with a digit for the number rule, with a negation for the negation rule,
// all pairs otherwise.
func (r EvalResult) Applicable(rule string) int {
	switch rule {
	case RuleNumber:
		return r.WithDigit
	case RuleNegation:
		return r.WithNegation
	}
	return r.Pairs
}

// knownSlips are pairs of the corpus that the rules flag because the human
// translation really is wrong or incomplete. They stay in the rates (the
// rules never look at pair IDs) and are listed so that nobody "fixes" a
// rule to accept them; EvalResult.Known counts them.
//
// The other flagged pairs are false alarms, mostly of two kinds: source
// artifacts the translators rightly cleaned up (es-LA PubMed_10:906, :908,
// :921, :965, :967 "Figures 2-​-44" for "2–4"; pt-BR PubMed_7:201 and
// PubMed_8:686, citation numbers glued to the sentence) and rephrasings
// (zh PubMed_7:196 "number 1" → "头号", ru/zh Wikinews_4:1140 "24/7" →
// "round the clock", fr wiki_9:3010 "in their 50s" → "cinquantenaires",
// es-LA Wikipedia_handpicked_1:1324 "2/3" → "dos terceras partes", and
// negations turned into positive wording such as "not the same" → "other").
var knownSlips = []struct{ lang, id, rule, why string }{
	{"es-LA", "PubMed_9:820", RuleNumber, `"aged < 19 years" → "<19": the unit "years" is lost`},
	{"ar", "PubMed_9:819", RuleNumber, `"aged < 19 years" → "البالغين <19": the unit "years" is lost`},
	{"ru", "PubMed_9:819", RuleNumber, `"aged < 19 years" → "младше 19": the unit "years" is lost`},
	{"es-LA", "wiki_11:2646", RuleNumber, `"within 24 hours" → "dentro de las 24": "horas" is lost`},
	{"es-LA", "wiki_9:3011", RuleNumber, `"2.8 percent … 1.7 percent" → "del 2,8 … del 1,7": "percent" is lost`},
	{"es-LA", "Wikinews_5:1149", RuleNumber, `"US$50 billion" → "50 000 USD": fifty thousand instead of fifty billion`},
	{"es-LA", "Wikipedia_handpicked_4:1847", RuleNumber, `"mid 19th century" → "siglo XX": the 20th century`},
	{"es-LA", "wiki_13:2548", RuleNumber, `target is "{NS}": no translation was supplied`},
	{"es-LA", "wiki_13:2548", RuleNegation, `target is "{NS}": no translation was supplied`},
	{"es-LA", "wiki_10:2601", RuleNumber, `target is "{NS}": no translation was supplied`},
	{"ru", "Wikipedia_handpicked_5:1862", RuleNumber, `"1.716 billion" → "1716 миллиардов": 1716 billion`},
	{"ru", "wiki_5:2814", RuleNumber, `"2,240,191" → "2240 191": broken digit grouping`},
	{"ar", "PubMed_11:1063", RuleLink, `"http://www.nhc.gov.cn/" → "/http://www.nhc.gov.cn": the slash moved (right-to-left editing)`},
	{"fr", "PubMed_9:800", RuleNegation, `"than are persons without these conditions" is left out`},
	{"fr", "PubMed_9:852", RuleNegation, `"than persons without these conditions" is left out`},
	{"fr", "PubMed_7:384", RuleNegation, `"than those who did not" is left out`},
	{"ru", "PubMed_11:1068", RuleNegation, `the last clause "or … if without clear epidemiological history" is left out`},
}

// isKnownSlip reports whether a flagged pair is a listed slip.
func isKnownSlip(file, id, rule string) bool {
	for _, k := range knownSlips {
		if k.id == id && k.rule == rule && file == "en-"+k.lang+".neg-num.tsv" {
			return true
		}
	}
	return false
}

// CorpusLanguages maps the language codes of the TICO-19 file names to the
// locales they are checked as.
var CorpusLanguages = map[string]string{
	"es-LA": "es-419", // Latin American Spanish
	"fr":    "fr",
	"ar":    "ar",
	"ru":    "ru",
	"zh":    "zh-Hans", // the corpus is in simplified characters
	"pt-BR": "pt-BR",
}

// EvalTSV checks every pair of a corpus file (header "id<TAB>source<TAB>
// target") with c, as safety messages translated into lang.
func EvalTSV(path string, lang locale.Locale, c *Checker) (EvalResult, error) {
	res := EvalResult{File: filepath.Base(path), Lang: lang,
		Flagged: map[string]int{}, Known: map[string]int{}, Examples: map[string][]string{}}
	f, err := os.Open(path)
	if err != nil {
		return res, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if line == 1 {
			if text != "id\tsource\ttarget" {
				return res, fmt.Errorf("%s:1: header is %q, want \"id<TAB>source<TAB>target\"", path, text)
			}
			continue
		}
		if text == "" {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) != 3 {
			return res, fmt.Errorf("%s:%d: %d fields, want 3", path, line, len(fields))
		}
		id, src, tgt := fields[0], fields[1], fields[2]
		res.Pairs++
		if hasDigit(src) {
			res.WithDigit++
		}
		if hasEnglishNegation(src) {
			res.WithNegation++
		}
		seen := map[string]bool{}
		for _, p := range c.Check(src, tgt, lang, true) {
			if seen[p.Rule] {
				continue
			}
			seen[p.Rule] = true
			res.Flagged[p.Rule]++
			if isKnownSlip(res.File, id, p.Rule) {
				res.Known[p.Rule]++
			}
			if len(res.Examples[p.Rule]) < MaxExamples {
				res.Examples[p.Rule] = append(res.Examples[p.Rule], id+": "+p.Message)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return res, fmt.Errorf("%s: %v", path, err)
	}
	return res, nil
}

// EvalDir evaluates every en-<lang>.neg-num.tsv file of a TICO-19 folder
// whose language is in CorpusLanguages, in a stable order.
func EvalDir(dir string, c *Checker) ([]EvalResult, error) {
	codes := make([]string, 0, len(CorpusLanguages))
	for code := range CorpusLanguages {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	var out []EvalResult
	for _, code := range codes {
		lang, err := locale.Parse(CorpusLanguages[code])
		if err != nil {
			return nil, err
		}
		r, err := EvalTSV(filepath.Join(dir, "en-"+code+".neg-num.tsv"), lang, c)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// EvalRules are the rules whose false-alarm rate is the acceptance
// criterion; MaxFalseAlarmRate is that criterion.
var EvalRules = []string{RuleNumber, RuleNegation}

// MaxFalseAlarmRate is the highest share of correct pairs a rule may flag.
const MaxFalseAlarmRate = 0.05

// MarkdownTable renders results as a Markdown table: one row per rule and
// language, with the pairs checked, the pairs the rule applies to (a digit
// or a negation in the source), the pairs flagged, how many of those are
// known slips of the translation, and the rate (flagged / pairs), which is
// what MaxFalseAlarmRate bounds. Rules outside EvalRules get a row only
// when they flagged something.
func MarkdownTable(results []EvalResult) string {
	var b strings.Builder
	b.WriteString("| rule | language | pairs | applicable | flagged | known slips | rate |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|\n")
	rules := append([]string(nil), EvalRules...)
	for _, r := range Rules {
		if r == RuleNumber || r == RuleNegation {
			continue
		}
		for _, res := range results {
			if res.Flagged[r] > 0 {
				rules = append(rules, r)
				break
			}
		}
	}
	for _, rule := range rules {
		for _, res := range results {
			fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %.1f%% |\n", rule, res.Lang.Name,
				res.Pairs, res.Applicable(rule), res.Flagged[rule], res.Known[rule], 100*res.Rate(rule))
		}
	}
	return b.String()
}
