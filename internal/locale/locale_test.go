package locale

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, want, errHas string
	}{
		{in: "en", want: "en"},
		{in: "zh-Hans", want: "zh-Hans"},
		{in: "pt-BR", want: "pt-BR"},
		{in: "pt_BR", errHas: `did you mean "pt-BR"`},
		{in: "zh_TW", errHas: `did you mean "zh-TW"`},
		{in: "pt-br", errHas: `did you mean "pt-BR"`},
		{in: "i-klingon", errHas: `did you mean "tlh"`},
		{in: "en-US-u-ca-buddhist", errHas: `did you mean "en-US"`},
		{in: "x-pseudo", errHas: "private use"},
		{in: "zz", errHas: "invalid locale tag"},
		{in: "", errHas: "empty"},
		{in: "../etc", errHas: "not allowed"},
		{in: "und", errHas: "names no language"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if tt.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("Parse(%q) error = %v, want it to contain %q", tt.in, err, tt.errHas)
			}
			continue
		}
		if err != nil || got.Name != tt.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tt.in, got.Name, err, tt.want)
		}
	}
}

func TestPluralCategories(t *testing.T) {
	tests := map[string][]string{
		"en":      {"one", "other"},
		"ru":      {"one", "few", "many", "other"},
		"ar":      {"zero", "one", "two", "few", "many", "other"},
		"ja":      {"other"},
		"zh-Hans": {"other"},
	}
	for name, want := range tests {
		if got := MustParse(name).PluralCategories(); !reflect.DeepEqual(got, want) {
			t.Errorf("PluralCategories(%s) = %v, want %v", name, got, want)
		}
	}
}

func TestDirection(t *testing.T) {
	for name, want := range map[string]string{"ar": "rtl", "he": "rtl", "fa": "rtl", "en": "ltr", "ja": "ltr", "zh-Hans": "ltr", "ru": "ltr"} {
		if got := MustParse(name).Direction(); got != want {
			t.Errorf("Direction(%s) = %s, want %s", name, got, want)
		}
	}
}
