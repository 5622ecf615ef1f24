package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
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
			{Locale: "fr", Articles: []ArticleManifest{}},
			{Locale: "it", Status: StatusComplete, Articles: []ArticleManifest{{Slug: "a<b>&c", Files: []string{}, Messages: nil}}},
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
		path := filepath.Join(t.TempDir(), "manifest.json")
		sum, err := m.write(path)
		if written, _ := os.ReadFile(path); err != nil || string(written) != want.String() || sum != sha256.Sum256(written) {
			t.Errorf("%s: write wrote %q (sum %x, err %v), want %q", name, written, sum, err, want.String())
		}
	}
}

// TestDigestSeesEveryField: changing any value anywhere in a manifest
// (found by reflection, so a field added later is covered), or turning an
// empty list into null, changes its digest, as it changes what writeTo
// writes.
func TestDigestSeesEveryField(t *testing.T) {
	full := func() *Manifest {
		return &Manifest{Tool: "healthi18n", Source: "en", Policy: ManifestPolicy{Safety: "strict", Missing: "fallback", MinComplete: 80.5},
			Locales: []LocaleManifest{{Locale: "ar", Status: StatusRefused, Dir: "rtl", Completeness: 12.25, Reasons: []string{"r"},
				Refusals: []Refusal{{Article: "dose", MessageID: "p-x", Source: "Never", Reason: "empty"}},
				Articles: []ArticleManifest{{Slug: "dose", Files: []string{"ar/dose.md"}, Messages: []string{"title"}, Translated: 1, Fallback: 2, Omitted: 3,
					Fallbacks: []Fallback{{MessageID: "p-x", Safety: true, Omitted: true, Reason: "stale"}}}}}}}
	}
	base, ok := full().digest()
	if !ok {
		t.Fatal("digest does not know a field of the manifest")
	}
	if again, _ := full().digest(); again != base {
		t.Fatal("the same manifest gave two digests")
	}
	// Visit every leaf of a fresh copy by its path, change it, and compare.
	var leaves []string
	var walk func(v reflect.Value, path string, visit func(reflect.Value, string))
	walk = func(v reflect.Value, path string, visit func(reflect.Value, string)) {
		switch v.Kind() {
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() { // the others are not in the JSON
					walk(v.Field(i), path+"."+v.Type().Field(i).Name, visit)
				}
			}
		case reflect.Slice:
			visit(v, path+"[]") // the list itself: null instead
			for i := range v.Len() {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i), visit)
			}
		default:
			visit(v, path)
		}
	}
	walk(reflect.ValueOf(full()).Elem(), "", func(_ reflect.Value, p string) { leaves = append(leaves, p) })
	if len(leaves) < 30 {
		t.Fatalf("only %d leaves found: %v", len(leaves), leaves)
	}
	for _, leaf := range leaves {
		m := full()
		walk(reflect.ValueOf(m).Elem(), "", func(v reflect.Value, p string) {
			if p != leaf {
				return
			}
			switch v.Kind() {
			case reflect.String:
				v.SetString(v.String() + "x")
			case reflect.Bool:
				v.SetBool(!v.Bool())
			case reflect.Int:
				v.SetInt(v.Int() + 1)
			case reflect.Float64:
				v.SetFloat(v.Float() + 0.5)
			case reflect.Slice:
				v.Set(reflect.Zero(v.Type()))
			default:
				t.Fatalf("%s: a %s this test cannot change", p, v.Kind())
			}
		})
		if d, _ := m.digest(); d == base {
			t.Errorf("changing %s left the digest as it was", leaf)
		}
	}
	// An empty list is not null.
	m := full()
	m.Locales[0].Articles[0].Files = []string{}
	empty, _ := m.digest()
	m.Locales[0].Articles[0].Files = nil
	if null, _ := m.digest(); null == empty {
		t.Error("an empty list and null gave the same digest")
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
	if _, err := m.write(path); err != nil {
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
	if _, err := m.write(path); err != nil {
		t.Fatal(err)
	}
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

// TestStoredEntriesAreArticles: a locale whose article entries an export
// run keeps in its log (in memory, or moved to a file) renders and digests
// exactly as the same entries held in Articles, and counts the same
// fallbacks.
func TestStoredEntriesAreArticles(t *testing.T) {
	articles := make([]ArticleManifest, 300)
	for i := range articles {
		slug := fmt.Sprintf("article-%03d", i)
		articles[i] = ArticleManifest{Slug: slug, Files: articleFiles("fr", slug), Messages: []string{"title", fmt.Sprintf("p-%d", i), "<&>"},
			Translated: i % 5, Fallback: i % 3, Omitted: i % 2}
		if i%4 == 0 {
			articles[i].Fallbacks = []Fallback{{MessageID: "title", Safety: i%8 == 0, Omitted: i%2 == 1, Reason: "stale \"quoted\""}}
		}
		if i == 7 {
			articles[i].Messages = []string{}
		}
	}
	for _, limit := range []int{64, 1 << 20} { // moved to a file, or not
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			defer func(was int) { entriesLimit = was }(entriesLimit)
			entriesLimit = limit
			for _, n := range []int{0, 1, len(articles)} {
				held := &Manifest{Tool: "healthi18n", Source: "en", Locales: []LocaleManifest{
					{Locale: "fr", Status: StatusPartial, Dir: "ltr", Completeness: 50}}}
				if n > 0 {
					held.Locales[0].Articles = articles[:n]
				}
				stored := &Manifest{Tool: "healthi18n", Source: "en", Locales: []LocaleManifest{
					{Locale: "fr", Status: StatusPartial, Dir: "ltr", Completeness: 50}}}
				e := newEntries(t.TempDir(), n+2) // two articles without an entry
				defer e.close()
				for i := range n {
					e.put(i+1, &articles[i])
				}
				stored.Locales[0].stored, stored.Locales[0].storedFallbacks = e, int(e.fallbacks.Load())
				hd, hok := held.digest()
				sd, sok := stored.digest()
				if !hok || !sok || hd != sd {
					t.Errorf("%d articles: digest %x (%v) stored, %x (%v) held", n, sd, sok, hd, hok)
				}
				var hb, sb bytes.Buffer
				if err := held.writeTo(&hb); err != nil {
					t.Fatal(err)
				}
				if err := stored.writeTo(&sb); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(hb.Bytes(), sb.Bytes()) {
					t.Errorf("%d articles: stored entries render otherwise:\n%s\nheld:\n%s", n, sb.String(), hb.String())
				}
				if h, s := held.Locales[0].Fallbacks(), stored.Locales[0].Fallbacks(); h != s {
					t.Errorf("%d articles: %d fallbacks stored, %d held", n, s, h)
				}
				if got := stored.unstored().Locales[0]; got.stored != nil || got.Fallbacks() != held.Locales[0].Fallbacks() {
					t.Errorf("%d articles: unstored keeps %v, counts %d fallbacks", n, got.stored, got.Fallbacks())
				}
			}
		})
	}
}
