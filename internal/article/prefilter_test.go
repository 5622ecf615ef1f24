package article

import (
	"math/rand"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// matchAll is Match without prefilters: the reference.
func (d *Detector) matchAll(text string) []Reason {
	var out []Reason
	for _, r := range d.rules {
		if m := r.re.FindString(text); m != "" {
			out = append(out, Reason{Source: "rule", Rule: r.ID, Match: m, Level: r.Level})
		}
	}
	return out
}

func TestPrefiltersAreSelective(t *testing.T) {
	d := DefaultDetector()
	with := 0
	for _, r := range d.rules {
		if r.pre.all != nil {
			with++
		}
	}
	// Every default rule has required literals; if the extraction breaks,
	// the prefilter silently stops helping.
	if with != len(d.rules) {
		for _, r := range d.rules {
			t.Logf("%s: %q", r.ID, r.pre.all)
		}
		t.Errorf("%d of %d default rules have a prefilter", with, len(d.rules))
	}
	// Each text below holds a literal of some of its rule's groups but not
	// of all of them, or (dosage) no digit.
	for _, c := range []struct{ rule, text string }{
		{"never", "Take it with water."},
		{"see-doctor", "See the chart and ask for the leaflet."},
		{"see-doctor", "Your doctor knows."},
		{"dose-interval", "Take it every morning."},
		{"dosage", "Take two tablets."},
		{"children-under", "Keep it under the sink."},
	} {
		for _, r := range d.rules {
			if r.ID == c.rule && r.pre.mayMatch(foldString(c.text)) {
				t.Errorf("%s prefilter %q passes %q", r.ID, r.pre.all, c.text)
			}
		}
	}
}

// TestPrefilterNeverHidesAMatch: with and without prefilters, every rule
// matches the same texts, including texts that differ only by case and by
// Unicode case folds the regexp treats as equal (Kelvin sign, long s).
func TestPrefilterNeverHidesAMatch(t *testing.T) {
	d := DefaultDetector()
	custom, err := NewDetector([]Rule{
		{ID: "x", Pattern: `(?-i:Keep) (?:cold|co+l)`, Level: Caution},
		{ID: "y", Pattern: `paṣ{2,}`, Level: Warning},
		{ID: "z", Pattern: `\d+ ?ſt`, Level: Warning},
		{ID: "w", Pattern: `[0-9]+[.,][0-9] ?[kK]g\b|[ṣs]{2}`, Level: Caution},
	})
	if err != nil {
		t.Fatal(err)
	}
	base := []string{
		"Never use undue force.", "Do not take more than 4 g in 24 hours.", "Consult your doctor if it persists.",
		"Seek immediate medical help.", "This can quickly lead to septicaemia.", "Children under 12 should not take it.",
		"Take 500 mg every 6 hours, no more than 4 doses.", "It is contraindicated in acute prostatitis.",
		"Avoid the central area.", "Stop taking it immediately.", "Call 911 or an ambulance.", "Keep cold", "Keep coool",
		"paṣṣ", "12 ſt", "1,5 kg", "2.5 Kg", "ass", "Allergic reactions (anaphylaxis) are rare.", "Breastfeeding and pregnancy.",
	}
	rng := rand.New(rand.NewSource(1))
	swaps := map[rune][]rune{'k': {'K', '\u212a'}, 's': {'S', 'ſ'}, 'e': {'E'}, 'n': {'N'}, 'a': {'A'}, 'ṣ': {'Ṣ'}}
	for i := 0; i < 20000; i++ {
		s := []rune(base[rng.Intn(len(base))])
		for j := range s {
			lower := unicode.ToLower(s[j])
			if alts, ok := swaps[lower]; ok && rng.Intn(3) == 0 {
				s[j] = alts[rng.Intn(len(alts))]
			}
		}
		if rng.Intn(4) == 0 {
			k := rng.Intn(len(s) + 1)
			s = append(s[:k], append([]rune(base[rng.Intn(len(base))]), s[k:]...)...)
		}
		text := string(s)
		for _, det := range []*Detector{d, custom} {
			if got, want := det.Match(text), det.matchAll(text); !slices.Equal(got, want) {
				t.Fatalf("%q: with prefilter %v, without %v", text, got, want)
			}
		}
	}
}

func FuzzPrefilter(f *testing.F) {
	for _, s := range []string{"Never", "NEVER", "ne\u212aver", "do not exceed 4 g", "ſee your doctor", "Ķ"} {
		f.Add(s)
	}
	d := DefaultDetector()
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := d.Match(text), d.matchAll(text); !slices.Equal(got, want) {
			t.Fatalf("%q: with prefilter %v, without %v", text, got, want)
		}
		if strings.ToUpper(text) != text {
			up := strings.ToUpper(text)
			if got, want := d.Match(up), d.matchAll(up); !slices.Equal(got, want) {
				t.Fatalf("%q: with prefilter %v, without %v", up, got, want)
			}
		}
	})
}
