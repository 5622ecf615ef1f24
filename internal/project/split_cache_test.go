package project

import (
	"reflect"
	"testing"
)

func sampleUnchanged() *unchangedUnit {
	return &unchangedUnit{Slug: "dose", Path: "content/dose.md", Articles: 1, Messages: 12, Safety: 3,
		Changes: []FileChange{
			{Path: "locales/de/dose.de.toml", Locale: "de", Stale: []string{"p-never-take", "title"}},
			{Path: "locales/fr/dose.fr.toml", Locale: "fr", Added: []string{"p-new"}, Orphans: []string{"old", "ünïcode \u202e"}, Pruned: true},
		}}
}

// TestUnchangedRoundTrip: what split keeps of a settled article comes back
// as it was, and a value cut short is damage.
func TestUnchangedRoundTrip(t *testing.T) {
	for _, u := range []*unchangedUnit{sampleUnchanged(), {}, {Slug: "ui"}} {
		b := encodeUnchanged(u)
		got, err := decodeUnchanged(b)
		if err != nil || !reflect.DeepEqual(&got, u) {
			t.Errorf("decode(encode(%+v)) = %+v, %v", u, got, err)
		}
		for n := range len(b) {
			if _, err := decodeUnchanged(b[:n]); err == nil {
				t.Errorf("%+v cut to %d of %d bytes was accepted", u, n, len(b))
			}
		}
	}
}

// FuzzDecodeUnchanged: damaged values are an error, never a panic, and a
// value accepted survives another round trip.
func FuzzDecodeUnchanged(f *testing.F) {
	f.Add(encodeUnchanged(sampleUnchanged()))
	f.Add(encodeUnchanged(&unchangedUnit{}))
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := decodeUnchanged(b)
		if err != nil {
			return
		}
		again, err := decodeUnchanged(encodeUnchanged(&u))
		if err != nil || !reflect.DeepEqual(again, u) {
			t.Fatalf("an accepted value does not survive a round trip: %v", err)
		}
	})
}
