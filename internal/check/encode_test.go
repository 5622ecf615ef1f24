package check

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/healthi18n/healthi18n/internal/wire"
)

func sampleOutcome() *outcome {
	o := &outcome{Slug: "ibuprofen", Content: "content/ibuprofen.md"}
	for i, lang := range []string{"de", "fr", "ar"} {
		file := "locales/" + lang + "/ibuprofen." + lang + ".toml"
		o.Findings = append(o.Findings,
			Finding{Rule: "empty", Severity: Warning, Locale: lang, File: file, Line: 19 + i, Col: 9, Article: "ibuprofen",
				MessageID: "description", Message: `not translated: "How to use"`, Hint: "fill in its translation in " + file},
			Finding{Rule: "qa-negation", Severity: Error, Locale: lang, File: file, Line: -1, Article: "ibuprofen",
				MessageID: "p-do-not", Safety: true, Message: "ünïcode \u202e and \x00"})
		o.Units = append(o.Units, UnitResult{Article: "ibuprofen", Locale: lang, File: file,
			Counts: Counts{Messages: 30, Translated: 28, Stale: 1, Missing: 1, Safety: 4, SafetyOK: 3, Errors: 1, Warnings: 1 << 40}})
	}
	o.Groups = GroupsOf(o.Findings)
	return o
}

func TestOutcomeRoundTrip(t *testing.T) {
	for name, o := range map[string]*outcome{"nil": nil, "empty": {}, "sample": sampleOutcome()} {
		got, err := decodeOutcome(encodeOutcome(o))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name == "empty" {
			// Empty slices come back empty, not nil.
			got.Findings, got.Units, got.Groups = nil, nil, nil
		}
		if !reflect.DeepEqual(got, o) {
			t.Errorf("%s: decode(encode(o)) = %+v, want %+v", name, got, o)
		}
	}
}

// TestBrief: the brief is the outcome without its findings, its tally
// the brief's counts and groups, and its head the slug and content path;
// an outcome whose groups are not those of its findings is damage (its
// brief alone cannot tell).
func TestBrief(t *testing.T) {
	o := sampleOutcome()
	b, _, err := decodeBriefOf(encodeOutcome(o))
	want := *o
	want.Findings = nil
	if err != nil || !reflect.DeepEqual(*b, want) {
		t.Errorf("brief %+v, %v; want %+v", b, err, want)
	}
	var d wire.Decoder
	counts := make([]Counts, len(o.Units))
	groups, err := decodeTally(encodeOutcome(o), &d, counts, nil)
	if err != nil || !reflect.DeepEqual(groups, o.Groups) {
		t.Errorf("tally's groups %+v, %v; want %+v", groups, err, o.Groups)
	}
	for i, u := range o.Units {
		if counts[i] != u.Counts {
			t.Errorf("tally's counts of %s: %+v, want %+v", u.Locale, counts[i], u.Counts)
		}
	}
	// With the locales' names, a group's locale is the very string named.
	var names []string
	for _, u := range o.Units {
		names = append(names, strings.Clone(u.Locale))
	}
	groups, err = decodeTally(encodeOutcome(o), &d, counts, names)
	if err != nil || !reflect.DeepEqual(groups, o.Groups) || len(groups) == 0 {
		t.Fatalf("tally's groups with the locales' names %+v, %v; want %+v", groups, err, o.Groups)
	}
	for _, g := range groups {
		if i := slices.Index(names, g.Locale); i < 0 || unsafe.StringData(names[i]) != unsafe.StringData(g.Locale) {
			t.Errorf("group locale %q is a copy, not the name given", g.Locale)
		}
	}
	if _, err := decodeTally(encodeOutcome(o), &d, counts[1:], nil); err == nil {
		t.Error("a tally for fewer locales than the outcome's was accepted")
	}
	if _, err := decodeTally(encodeOutcome(nil), &d, counts, nil); err == nil {
		t.Error("a tally of a nil outcome was accepted")
	}
	if h, err := decodeHead(encodeOutcome(o)); err != nil || h != (head{slug: o.Slug, content: o.Content}) {
		t.Errorf("head %+v, %v", h, err)
	}
	if h, err := decodeHead(encodeOutcome(nil)); err != nil || !h.none {
		t.Errorf("head of nil %+v, %v", h, err)
	}
	for name, groups := range map[string][]Group{
		"a count off":  append([]Group{{o.Groups[0].Locale, o.Groups[0].File, o.Groups[0].Errors + 1, o.Groups[0].Warnings, 0}}, o.Groups[1:]...),
		"one missing":  o.Groups[1:],
		"another file": append([]Group{{o.Groups[0].Locale, "x.toml", o.Groups[0].Errors, o.Groups[0].Warnings, 0}}, o.Groups[1:]...),
	} {
		bad := *o
		bad.Groups = groups
		if _, err := decodeOutcome(encodeOutcome(&bad)); err == nil {
			t.Errorf("%s: groups that are not the findings' were accepted", name)
		}
	}
	if _, err := decodeOutcome(encodeOutcome(nil)[:1]); err == nil {
		t.Error("a value cut short was accepted")
	}
}

// FuzzDecodeOutcome: damaged cache values are rejected, never a panic, and
// whatever is accepted survives another round trip unchanged.
func FuzzDecodeOutcome(f *testing.F) {
	f.Add(encodeOutcome(sampleOutcome()))
	f.Add(encodeOutcome(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeHead(b)
		brief, _, err := decodeBriefOf(b)
		if err == nil && brief != nil && brief.Findings != nil {
			t.Fatal("a brief with findings")
		}
		// The tally reads what the brief reads, whatever the bytes.
		if err == nil && brief != nil {
			var d wire.Decoder
			counts := make([]Counts, len(brief.Units))
			groups, err := decodeTally(b, &d, counts, nil)
			if err != nil || !slices.Equal(groups, brief.Groups) {
				t.Fatalf("tally %+v, %v; brief's groups %+v", groups, err, brief.Groups)
			}
			for i, u := range brief.Units {
				if counts[i] != u.Counts {
					t.Fatalf("tally's counts %+v, brief's %+v", counts[i], u.Counts)
				}
			}
		}
		o, err := decodeOutcome(b)
		if err != nil {
			return
		}
		again, err := decodeOutcome(encodeOutcome(o))
		if err != nil || !reflect.DeepEqual(again, o) {
			t.Fatalf("round trip of an accepted value: %v", err)
		}
	})
}
