// Package locale owns everything the pipeline knows about languages: parsing
// and canonicalising BCP 47 tags with golang.org/x/text/language, the CLDR
// plural categories a locale needs, and its writing direction.
//
// It imports nothing of this project and reads no files.
package locale

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Locale is a parsed, canonical locale tag.
type Locale struct {
	// Tag is the parsed tag.
	Tag language.Tag
	// Name is the canonical BCP 47 string, used for directory and file names.
	Name string
}

// String returns the canonical name.
func (l Locale) String() string { return l.Name }

// ErrNotCanonical is wrapped by Parse when a tag is valid but not written in
// its canonical form; the error text carries a "did you mean" hint.
var ErrNotCanonical = errors.New("locale tag is not in canonical form")

// Parse parses s strictly: it must be a well-formed, known BCP 47 tag written
// exactly in canonical form, with no extensions or private-use parts, because
// the name becomes a directory name and a silent rewrite (pt_BR → pt-BR) would
// split one language across two folders. Errors carry a hint where one exists.
func Parse(s string) (Locale, error) {
	if s == "" {
		return Locale{}, errors.New("empty locale tag")
	}
	if strings.ContainsAny(s, "/\\ \t\n.") {
		return Locale{}, fmt.Errorf("locale tag %q contains characters not allowed in a BCP 47 tag", s)
	}
	t, err := language.Parse(s)
	if err != nil {
		return Locale{}, fmt.Errorf("invalid locale tag %q: %v", s, err)
	}
	if strings.HasPrefix(strings.ToLower(s), "x-") {
		return Locale{}, fmt.Errorf("locale tag %q is private use; use a registered language tag", s)
	}
	if t == language.Und {
		return Locale{}, fmt.Errorf("locale tag %q names no language", s)
	}
	// Drop extensions and private-use parts: they do not name a language.
	base, script, region := t.Raw()
	plain, err := language.Compose(base, script, region, t.Variants())
	if err != nil {
		return Locale{}, fmt.Errorf("invalid locale tag %q: %v", s, err)
	}
	canon := plain.String()
	if len(t.Extensions()) > 0 {
		return Locale{}, fmt.Errorf("locale tag %q has extensions or private-use subtags, which do not name a language; did you mean %q?", s, canon)
	}
	if s != canon {
		hint := ""
		if strings.Contains(s, "_") {
			hint = " (BCP 47 separates subtags with '-', not '_')"
		}
		return Locale{}, fmt.Errorf("locale tag %q: %w%s; did you mean %q?", s, ErrNotCanonical, hint, canon)
	}
	return Locale{Tag: plain, Name: canon}, nil
}

// MustParse is Parse for tags known at compile time; it panics on error.
func MustParse(s string) Locale {
	l, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return l
}

// rtlScripts are the ISO 15924 scripts written right to left.
var rtlScripts = map[string]bool{
	"Arab": true, "Hebr": true, "Syrc": true, "Thaa": true, "Nkoo": true,
	"Adlm": true, "Rohg": true, "Mand": true, "Samr": true, "Mend": true,
}

// Direction returns "rtl" or "ltr" from the locale's (likely) script.
func (l Locale) Direction() string {
	if rtlScripts[l.Script()] {
		return "rtl"
	}
	return "ltr"
}

// Script returns the ISO 15924 code of the locale's likely script.
func (l Locale) Script() string {
	s, _ := l.Tag.Script()
	return s.String()
}

// pluralOrder is CLDR's canonical order of plural categories.
var pluralOrder = []string{"zero", "one", "two", "few", "many", "other"}

var formNames = map[plural.Form]string{
	plural.Zero: "zero", plural.One: "one", plural.Two: "two",
	plural.Few: "few", plural.Many: "many", plural.Other: "other",
}

// PluralCategories returns the CLDR cardinal plural categories the locale
// uses, in CLDR order (zero, one, two, few, many, other). It samples
// integers and one-decimal numbers, which reach every category CLDR defines.
func (l Locale) PluralCategories() []string {
	seen := map[string]bool{}
	for i := 0; i <= 1000; i++ {
		seen[formNames[plural.Cardinal.MatchPlural(l.Tag, i, 0, 0, 0, 0)]] = true
		seen[formNames[plural.Cardinal.MatchPlural(l.Tag, 1000000*i, 0, 0, 0, 0)]] = true
	}
	for i := 0; i < 30; i++ {
		for f := 0; f < 10; f++ {
			seen[formNames[plural.Cardinal.MatchPlural(l.Tag, i, 1, 1, f, f)]] = true
		}
	}
	var out []string
	for _, c := range pluralOrder {
		if seen[c] {
			out = append(out, c)
		}
	}
	return out
}
