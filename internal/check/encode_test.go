package check

import (
	"reflect"
	"testing"
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

// TestBrief: the brief is the outcome without its findings, and its head
// is the slug and content path; an outcome whose groups are not those of
// its findings is damage (its brief alone cannot tell).
func TestBrief(t *testing.T) {
	o := sampleOutcome()
	b, err := decodeBrief(encodeOutcome(o))
	want := *o
	want.Findings = nil
	if err != nil || !reflect.DeepEqual(*b, want) {
		t.Errorf("brief %+v, %v; want %+v", b, err, want)
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
		if brief, err := decodeBrief(b); err == nil && brief != nil && brief.Findings != nil {
			t.Fatal("a brief with findings")
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
