package export

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestManifestWriteToIsEncoderOutput: writing the manifest one locale at a
// time gives the bytes json.Encoder with a two-space indent gives.
func TestManifestWriteToIsEncoderOutput(t *testing.T) {
	full := &Manifest{Tool: "healthi18n", Source: "en", Policy: ManifestPolicy{Safety: "strict", Missing: "fallback", MinComplete: 80.5},
		Locales: []LocaleManifest{
			{Locale: "ar", Status: StatusRefused, Dir: "rtl", Completeness: 12.25, Reasons: []string{"1 safety message(s) <not> & \u2028 translated"},
				Refusals: []Refusal{{Article: "dose", MessageID: "p-x", Source: "Never \"take\" it", Reason: "empty"}}},
			{Locale: "de", Status: StatusPartial, Dir: "ltr", Completeness: 100,
				Articles: []ArticleManifest{{Slug: "dose", Files: []string{"de/dose.md"}, Messages: []string{"title", "p-x"}, Translated: 1, Fallback: 1,
					Fallbacks: []Fallback{{MessageID: "p-x", Safety: true, Reason: "stale: …"}}}, {Slug: "empty"}}},
			{Locale: "es"},
		}}
	for name, m := range map[string]*Manifest{
		"empty":         {},
		"no locales":    {Tool: "healthi18n", Source: "en"},
		"empty locales": {Tool: "healthi18n", Locales: []LocaleManifest{}},
		"full":          full,
	} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(m); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := m.writeTo(&got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: writeTo differs from json.Encoder:\n--- got\n%s\n--- want\n%s", name, got.String(), want.String())
		}
	}
}

// TestReadManifestKeepsOtherLocales: reading an earlier manifest keeps the
// locales outside the run, drops those in it, and starts afresh from a
// damaged file.
func TestReadManifestKeepsOtherLocales(t *testing.T) {
	dir := t.TempDir()
	m := &Manifest{Tool: "healthi18n", Source: "en", Policy: ManifestPolicy{Safety: "strict"},
		Locales: []LocaleManifest{{Locale: "ar", Status: StatusRefused, Reasons: []string{"r"}}, {Locale: "de", Status: StatusComplete,
			Articles: []ArticleManifest{{Slug: "dose", Messages: []string{"title"}}}}}}
	path := filepath.Join(dir, "manifest.json")
	if err := m.write(path); err != nil {
		t.Fatal(err)
	}
	got := readManifest(dir, map[string]bool{"ar": true})
	if got.Source != "en" || got.Policy.Safety != "strict" || len(got.Locales) != 1 || got.Locales[0].Locale != "de" ||
		len(got.Locales[0].Articles) != 1 || got.Locales[0].Articles[0].Messages[0] != "title" {
		t.Errorf("readManifest = %+v", got)
	}
	// Edited by hand: "locale" is not the first key.
	os.WriteFile(path, []byte(`{"locales": [{"status": "complete", "locale": "ar"}, {"status": "refused", "locale": "de"}]}`), 0o644)
	if got := readManifest(dir, map[string]bool{"ar": true}); len(got.Locales) != 1 || got.Locales[0].Locale != "de" {
		t.Errorf("readManifest of a hand-edited manifest = %+v, want de only", got)
	}
	m.write(path)
	if got := readManifest(dir, nil); !reflect.DeepEqual(got, m) {
		t.Errorf("readManifest without skip = %+v, want %+v", got, m)
	}
	for _, bad := range []string{"", "{", `{"locales": [{"locale": 1}]}`, `{"locales": {}}`, `[]`, `{"source": "en"} trailing`} {
		os.WriteFile(path, []byte(bad), 0o644)
		if got := readManifest(dir, nil); got.Source != "" || len(got.Locales) != 0 || got.Tool != "healthi18n" {
			t.Errorf("damaged %q: readManifest = %+v, want a fresh manifest", bad, got)
		}
	}
}

// FuzzReadManifest: no manifest.json makes readManifest panic, and what it
// keeps, once written, reads back and writes to the same bytes.
func FuzzReadManifest(f *testing.F) {
	f.Add([]byte(`{"tool": "healthi18n", "source": "en", "locales": [{"locale": "de", "articles": [{"slug": "a"}]}]}`))
	f.Add([]byte(`{"locales": null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "manifest.json")
		os.WriteFile(path, data, 0o644)
		var first, second bytes.Buffer
		if err := readManifest(dir, map[string]bool{"fr": true}).writeTo(&first); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(path, first.Bytes(), 0o644)
		if err := readManifest(dir, nil).writeTo(&second); err != nil {
			t.Fatal(err)
		}
		if first.String() != second.String() {
			t.Fatalf("a written manifest reads back differently:\n%s\n%s", first.String(), second.String())
		}
	})
}
