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
			got.Findings, got.Units = nil, nil
		}
		if !reflect.DeepEqual(got, o) {
			t.Errorf("%s: decode(encode(o)) = %+v, want %+v", name, got, o)
		}
	}
}

// FuzzDecodeOutcome: damaged cache values are rejected, never a panic, and
// whatever is accepted survives another round trip unchanged.
func FuzzDecodeOutcome(f *testing.F) {
	f.Add(encodeOutcome(sampleOutcome()))
	f.Add(encodeOutcome(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
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
