package export

import (
	"reflect"
	"testing"
)

func sampleRecords() map[string]articleRecord {
	am := &ArticleManifest{Slug: "dose", Files: []string{"de/dose.de.json", "de/dose.html", "de/dose.md"}, Messages: []string{"title", "p-x"},
		Translated: 1, Fallback: 1, Fallbacks: []Fallback{{MessageID: "p-x", Safety: true, Reason: "empty: not translated"}}}
	return map[string]articleRecord{
		"de": {Manifest: am},
		"fr": {Manifest: &ArticleManifest{Slug: "dose", Messages: []string{}}},
		"ar": {Refusals: []Refusal{{Article: "dose", MessageID: "p-x", Source: "Never", Reason: "empty"}}},
		"es": {Verify: &VerifyError{File: "dose.md", MessageID: "p-x", Problem: "is missing"}},
	}
}

func TestRecordsRoundTrip(t *testing.T) {
	for name, recs := range map[string]map[string]articleRecord{"empty": {}, "sample": sampleRecords()} {
		got, err := decodeRecords(encodeRecords(recs))
		if err != nil || !reflect.DeepEqual(got, recs) {
			t.Errorf("%s: decode(encode(r)) = %+v, %v; want %+v", name, got, err, recs)
		}
	}
}

// FuzzDecodeRecords: damaged cache values are an error, never a panic, and
// accepted ones survive another round trip.
func FuzzDecodeRecords(f *testing.F) {
	f.Add(encodeRecords(sampleRecords()))
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, err := decodeRecords(b)
		if err != nil {
			return
		}
		again, err := decodeRecords(encodeRecords(recs))
		if err != nil || !reflect.DeepEqual(again, recs) {
			t.Fatalf("accepted records do not survive a round trip: %v", err)
		}
	})
}

// TestSharedStrings: an article's message list decoded for several
// locales is held once when the lists are equal, and a list that differs
// (or nil, shown as null) is kept as it is.
func TestSharedStrings(t *testing.T) {
	ids := []string{"title", "p-x"}
	recs := map[string]articleRecord{
		"de": {Manifest: &ArticleManifest{Slug: "dose", Messages: ids}},
		"es": {Manifest: &ArticleManifest{Slug: "dose", Messages: ids}},
		"fr": {Manifest: &ArticleManifest{Slug: "dose", Messages: []string{"title"}}},
		"it": {Manifest: &ArticleManifest{Slug: "dose", Messages: nil}},
		"pl": {Manifest: &ArticleManifest{Slug: "dose", Messages: []string{}}},
	}
	got, err := decodeRecords(encodeRecords(recs))
	if err != nil || !reflect.DeepEqual(got, recs) {
		t.Fatalf("decode(encode(r)) = %+v, %v; want %+v", got, err, recs)
	}
	if &got["de"].Manifest.Messages[0] != &got["es"].Manifest.Messages[0] {
		t.Error("equal lists of two locales are held twice")
	}
	if got["it"].Manifest.Messages != nil || got["pl"].Manifest.Messages == nil {
		t.Error("null and empty lists are no longer told apart")
	}
}
