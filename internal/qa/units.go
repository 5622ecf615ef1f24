package qa

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Spellings of units and scale words. The translation table merges all
// languages: a unit is preserved when the translation's number is followed
// by the source unit or any known equivalent, and translators sometimes
// keep the English unit. A form ending in "*" matches any word it starts
// (Arabic and Russian endings vary with number and case).

// srcUnits are the English units the source may write after a number.
var srcUnits = map[unitClass][]string{
	unitMg:     {"mg", "milligram", "milligrams"},
	unitG:      {"g", "gm", "gram", "grams", "gramme", "grammes"},
	unitMcg:    {"mcg", "µg", "μg", "ug", "microgram", "micrograms"},
	unitKg:     {"kg", "kilogram", "kilograms", "kilo", "kilos"},
	unitMl:     {"ml", "milliliter", "milliliters", "millilitre", "millilitres"},
	unitL:      {"l", "liter", "liters", "litre", "litres"},
	unitIU:     {"IU", "international units", "international unit"},
	unitPct:    {"%", "percent", "per cent"},
	unitHour:   {"h", "hr", "hrs", "hour", "hours"},
	unitMinute: {"min", "mins", "minute", "minutes"},
	unitDay:    {"day", "days"},
	unitWeek:   {"week", "weeks", "wk", "wks"},
	unitMonth:  {"month", "months"},
	unitYear:   {"year", "years", "yr", "yrs"},
}

// trUnits are the spellings a translation may use, in any language.
var trUnits = map[unitClass][]string{
	unitMg: {"mg", "milligram*", "miligram*", "milligramme*", "мг", "миллиграмм*",
		"ملغ", "مغ", "ملجم", "ملغم", "مليغرام*", "ملليغرام*", "ملليجرام*", "میلی\u200cگرم", "میلیگرم", "میلی گرم",
		"毫克", "ミリグラム"},
	unitG: {"g", "gr", "gm", "gramo", "gramos", "gramme", "grammes", "gram", "grams", "grama", "gramas",
		"gramm", "г", "грамм*", "غ", "غرام*", "جرام*", "جم", "گرم", "克", "公克", "グラム"},
	unitMcg: {"mcg", "µg", "μg", "ug", "microgramo*", "microgramme*", "micrograma*", "mikrogramm*",
		"мкг", "микрограмм*", "مكغ", "ميكروغرام*", "ميكروجرام*", "微克", "マイクログラム"},
	unitKg: {"kg", "kilo", "kilos", "quilo", "quilos", "kilogramo*", "kilogramme*", "quilograma*", "kilogramm*",
		"кг", "килограмм*", "كغ", "كجم", "كلغ", "كيلوغرام*", "كيلوجرام*", "كيلو", "千克", "公斤", "キログラム", "キロ"},
	unitMl: {"ml", "mililitro*", "millilitre*", "milliliter*", "мл", "миллилитр*",
		"مل", "ملليلتر*", "ميليلتر*", "مليلتر*", "میلی\u200cلیتر", "میلیلیتر", "毫升", "ミリリットル"},
	unitL: {"l", "litro", "litros", "litre", "litres", "liter", "л", "литр*", "لتر*", "ليتر*", "升", "公升", "リットル"},
	unitIU: {"IU", "UI", "IE", "I.E.", "ME", "МЕ", "unidades internacionales", "unités internationales",
		"unidades internacionais", "internationale einheiten", "международных единиц", "وحدة دولية",
		"وحدات دولية", "国际单位", "國際單位", "国際単位"},
	unitPct: {"%", "\u066A", "％", "percent", "per cent", "por ciento", "pour cent", "pourcent", "por cento", "porcento",
		"prozent", "процент*", "проц", "بالمئة", "بالمائة", "في المئة", "في المائة", "بالمية"},
	unitHour: {"h", "hr", "hrs", "hour", "hours", "hora", "horas", "heure", "heures", "stunde", "stunden", "std",
		"час", "часа", "часов*", "ч", "суточн*", "ساع*", "小时", "小時", "个小时", "個小時", "钟头", "時間"},
	unitMinute: {"min", "mins", "minute", "minutes", "minuto", "minutos", "minuten", "мин", "минут*",
		"دقيق*", "دقائق", "分钟", "分鐘", "分間", "分"},
	unitDay: {"day", "days", "d", "día", "días", "dia", "dias", "jour", "jours", "j", "tag", "tage", "tagen",
		"день", "дня", "дней", "дням", "днями", "дневн*", "сут*", "روز*", "يوم*", "أيام", "ايام", "天", "日間", "日"},
	unitWeek: {"week", "weeks", "semana", "semanas", "semaine", "semaines", "woche", "wochen", "недел*", "недельн*",
		"أسبوع*", "اسبوع*", "أسابيع", "اسابيع", "周", "週間", "週", "星期", "个星期", "個星期"},
	unitMonth: {"month", "months", "mes", "meses", "mois", "monat", "monate", "monaten", "месяц*", "мес", "месячн*",
		"شهر*", "أشهر", "اشهر", "شهور", "个月", "個月", "か月", "ヶ月", "カ月", "ヵ月", "月"},
	unitYear: {"year", "years", "yr", "yrs", "año", "años", "ano", "anos", "an", "ans", "année", "années",
		"jahr", "jahre", "jahren", "лет", "летн*", "год*", "سنة", "سنوات", "سنين", "عام*", "أعوام", "اعوام",
		"岁", "歲", "年", "歳"},
}

// srcScales and trScales are scale words after a number ("2.5 million",
// "250万"): the number may mean the scaled value.
var srcScales = map[string]float64{
	"thousand": 1e3, "thousands": 1e3, "million": 1e6, "millions": 1e6,
	"billion": 1e9, "billions": 1e9, "trillion": 1e12,
	// A kilobase is a thousand bases: "26 kilobases" is "2.6 万个碱基".
	"kilobases": 1e3, "kilobase": 1e3, "kb": 1e3,
}

var trScales = map[string]float64{
	"thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9,
	"mil millones": 1e9, "millones": 1e6, "millón": 1e6, "mil": 1e3,
	"milliards": 1e9, "milliard": 1e9, "mille": 1e3,
	"bilhões": 1e9, "bilhão": 1e9, "milhões": 1e6, "milhão": 1e6,
	"milliarden": 1e9, "milliarde": 1e9, "millionen": 1e6, "tausend": 1e3,
	"млрд": 1e9, "миллиард*": 1e9, "млн": 1e6, "миллион*": 1e6, "тыс": 1e3, "тысяч*": 1e3,
	"مليار*": 1e9, "مليون": 1e6, "ملايين": 1e6, "ألف": 1e3, "آلاف": 1e3, "الف": 1e3, "الاف": 1e3,
	"百万": 1e6, "千万": 1e7, "万": 1e4, "多万": 1e4, "余万": 1e4, "多亿": 1e8, "余亿": 1e8, "萬": 1e4, "亿": 1e8, "億": 1e8, "千": 1e3,
}

// formSet is a list of forms indexed by their lower-cased first rune, so
// that matching at a position tries only the few forms that can match.
type formSet struct {
	byFirst map[rune][]unitForm
}

func newFormSet(forms []unitForm) *formSet {
	fs := &formSet{byFirst: map[rune][]unitForm{}}
	for _, f := range forms {
		r, _ := utf8.DecodeRuneInString(f.form)
		r = unicode.ToLower(r)
		fs.byFirst[r] = append(fs.byFirst[r], f)
	}
	for _, b := range fs.byFirst {
		sortForms(b)
	}
	return fs
}

// unitTables are the compiled unit and scale tables.
type unitTables struct {
	srcUnits, trUnits, srcScales, trScales *formSet
	// byUnit holds the translation forms of each unit class.
	byUnit [unitCount]*formSet
}

// tables builds the unit tables on first use: a run whose checks all come
// from the cache reads no number, and need not build them.
var tables = sync.OnceValue(func() *unitTables {
	t := &unitTables{
		srcUnits:  buildUnitForms(srcUnits),
		trUnits:   buildUnitForms(trUnits, srcUnits),
		srcScales: buildScaleForms(srcScales),
		trScales:  buildScaleForms(trScales, srcScales),
	}
	var lists [unitCount][]unitForm
	for _, fs := range t.trUnits.byFirst {
		for _, f := range fs {
			lists[f.unit] = append(lists[f.unit], f)
		}
	}
	for u := range t.byUnit {
		t.byUnit[u] = newFormSet(lists[u])
	}
	return t
})

// buildUnitForms compiles unit tables. The translation's table includes
// the source's: a translation that keeps "mg" must read it as the source
// does.
func buildUnitForms(ms ...map[unitClass][]string) *formSet {
	var out []unitForm
	seen := map[string]bool{}
	for _, m := range ms {
		for u, forms := range m {
			for _, f := range forms {
				if !seen[strings.ToLower(f)] {
					seen[strings.ToLower(f)] = true
					out = append(out, newForm(f, u, 0))
				}
			}
		}
	}
	return newFormSet(out)
}

func buildScaleForms(ms ...map[string]float64) *formSet {
	var out []unitForm
	seen := map[string]bool{}
	for _, m := range ms {
		for f, v := range m {
			if !seen[f] {
				seen[f] = true
				out = append(out, newForm(f, unitNone, v))
			}
		}
	}
	return newFormSet(out)
}

func newForm(f string, u unitClass, scale float64) unitForm {
	uf := unitForm{form: f, unit: u, scale: scale}
	if strings.HasSuffix(f, "*") {
		uf.form = strings.TrimSuffix(f, "*")
		uf.prefix = true
	}
	return uf
}

// sortForms puts longer forms first, so that "mg" wins over "m…" and
// "个小时" over "小时"; ties are broken by text for a stable order.
func sortForms(fs []unitForm) {
	sort.Slice(fs, func(i, j int) bool {
		if len(fs[i].form) != len(fs[j].form) {
			return len(fs[i].form) > len(fs[j].form)
		}
		return fs[i].form < fs[j].form
	})
}
