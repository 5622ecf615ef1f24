package export

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"

	"github.com/healthi18n/healthi18n/internal/project"
)

// Locale statuses in the manifest.
const (
	StatusComplete = "complete" // every message translated and clean
	StatusPartial  = "partial"  // exported with fallbacks or omissions
	StatusRefused  = "refused"  // not exported: see reasons and refusals
)

// Manifest is dist/manifest.json: what each locale's export contains and why.
type Manifest struct {
	Tool    string           `json:"tool"`
	Source  string           `json:"source"`
	Policy  ManifestPolicy   `json:"policy"`
	Locales []LocaleManifest `json:"locales"`
}

// ManifestPolicy records the policy the export ran under.
type ManifestPolicy struct {
	Safety      string  `json:"safety"`
	Missing     string  `json:"missing"`
	MinComplete float64 `json:"min_complete"`
}

// LocaleManifest is one locale's outcome.
type LocaleManifest struct {
	Locale string `json:"locale"`
	// Status is complete, partial or refused.
	Status string `json:"status"`
	// Dir is the writing direction (ltr or rtl).
	Dir string `json:"dir"`
	// Completeness is the percentage of messages exported translated.
	Completeness float64   `json:"completeness"`
	Reasons      []string  `json:"reasons,omitempty"`
	Refusals     []Refusal `json:"refusals,omitempty"`
	// Articles are the exported articles' entries, when the manifest is
	// read from a file. An export run's result leaves them out for the
	// locales it exported (they are in dist/manifest.json): it keeps them
	// out of memory while it runs.
	Articles []ArticleManifest `json:"articles,omitempty"`

	// stored holds the entries in place of Articles while a run writes
	// and compares the manifest.
	stored *entries
	// storedFallbacks is Fallbacks of the entries stored.
	storedFallbacks int
}

// Fallbacks is the number of messages shown in the source language or
// omitted, over the locale's articles.
func (lm *LocaleManifest) Fallbacks() int {
	n := lm.storedFallbacks
	for _, a := range lm.Articles {
		n += a.Fallback + a.Omitted
	}
	return n
}

// articleCount is the number of the locale's article entries.
func (lm *LocaleManifest) articleCount() int {
	if lm.stored != nil {
		return lm.stored.count()
	}
	return len(lm.Articles)
}

// eachArticle calls f with each article entry in order, stopping at its
// first error; f must not keep the entry.
func (lm *LocaleManifest) eachArticle(f func(a *ArticleManifest) error) error {
	if lm.stored != nil {
		return lm.stored.each(func(_ int, am *ArticleManifest) error { return f(am) })
	}
	for j := range lm.Articles {
		if err := f(&lm.Articles[j]); err != nil {
			return err
		}
	}
	return nil
}

// Refusal names a safety message that kept a locale from being exported.
type Refusal struct {
	Article   string `json:"article"`
	MessageID string `json:"message_id"`
	Source    string `json:"source"`
	Reason    string `json:"reason"`
}

// ArticleManifest is one exported article.
type ArticleManifest struct {
	Slug string `json:"slug"`
	// Files are relative to dist/.
	Files []string `json:"files"`
	// Messages lists the message IDs in reading order (for apps that read
	// the JSON bundle).
	Messages   []string   `json:"messages"`
	Translated int        `json:"translated"`
	Fallback   int        `json:"fallback"`
	Omitted    int        `json:"omitted"`
	Fallbacks  []Fallback `json:"fallbacks,omitempty"`
}

// Fallback is a message shown in the source language (or omitted).
type Fallback struct {
	MessageID string `json:"message_id"`
	Safety    bool   `json:"safety"`
	Omitted   bool   `json:"omitted,omitempty"`
	Reason    string `json:"reason"`
}

// readManifest loads an earlier manifest so that a run limited to some
// locales keeps the others' entries; a missing or unreadable one starts
// fresh. The entries of the locales in this run (skip) are replaced anyway,
// so they are not decoded: with every article of every locale listed, they
// are most of a large manifest.
func readManifest(dist string, skip map[string]bool) *Manifest {
	fresh := &Manifest{Tool: "healthi18n"}
	f, err := os.Open(filepath.Join(dist, "manifest.json"))
	if err != nil {
		return fresh
	}
	defer f.Close()
	// Streamed, one locale at a time: the file is not held whole.
	dec := json.NewDecoder(bufio.NewReaderSize(f, 64<<10))
	m := &Manifest{Tool: "healthi18n"}
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fresh
	}
	for dec.More() {
		t, err := dec.Token()
		key, ok := t.(string)
		if err != nil || !ok {
			return fresh
		}
		switch key {
		case "source":
			err = dec.Decode(&m.Source)
		case "policy":
			err = dec.Decode(&m.Policy)
		case "locales":
			err = readLocales(dec, m, skip)
		default:
			var skipped json.RawMessage
			err = dec.Decode(&skipped)
		}
		if err != nil {
			return fresh
		}
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return fresh
	}
	if _, err := dec.Token(); err != io.EOF { // nothing after the object
		return fresh
	}
	return m
}

// readLocales reads the "locales" array of a manifest, keeping the entries
// of the locales not in skip.
func readLocales(dec *json.Decoder, m *Manifest, skip map[string]bool) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if t == nil { // "locales": null
		return nil
	}
	if t != json.Delim('[') {
		return errors.New("locales is not an array")
	}
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if skip[localeOf(raw)] {
			continue
		}
		var lm LocaleManifest
		if err := json.Unmarshal(raw, &lm); err != nil {
			return err
		}
		if !skip[lm.Locale] { // written by hand, "locale" not first
			m.Locales = append(m.Locales, lm)
		}
	}
	_, err = dec.Token() // ]
	return err
}

// localeOf is the "locale" of a manifest's locale entry. writeTo puts it
// first, so it is read from the start of the entry rather than by decoding
// all of it (most of a large manifest); "" if it is not first or not a
// string.
func localeOf(raw json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return ""
	}
	if t, err := dec.Token(); err != nil || t != "locale" {
		return ""
	}
	name, _ := dec.Token()
	s, _ := name.(string)
	return s
}

// set replaces or adds a locale's entry.
func (m *Manifest) set(lm LocaleManifest) {
	for i := range m.Locales {
		if m.Locales[i].Locale == lm.Locale {
			m.Locales[i] = lm
			return
		}
	}
	m.Locales = append(m.Locales, lm)
	sort.Slice(m.Locales, func(i, j int) bool { return m.Locales[i].Locale < m.Locales[j].Locale })
}

// unstored is m with its locales' stored entries let go of (they are in
// the manifest written): what an export run returns.
func (m *Manifest) unstored() *Manifest {
	for i := range m.Locales {
		m.Locales[i].stored = nil
	}
	return m
}

// Locale returns a locale's entry, or nil.
func (m *Manifest) Locale(name string) *LocaleManifest {
	for i := range m.Locales {
		if m.Locales[i].Locale == name {
			return &m.Locales[i]
		}
	}
	return nil
}

// writeTo writes the manifest as JSON indented by two spaces (what
// json.Encoder with SetIndent("", "  ") writes), one locale at a time, so
// that a large manifest (every article of every locale) is never held
// whole in memory.
func (m *Manifest) writeTo(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	field := func(name string, v any, last bool) error {
		data, err := json.MarshalIndent(v, "  ", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintf(bw, "  %q: %s", name, data)
		if !last {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		return nil
	}
	bw.WriteString("{\n")
	for _, f := range []struct {
		name string
		v    any
	}{{"tool", m.Tool}, {"source", m.Source}, {"policy", m.Policy}} {
		if err := field(f.name, f.v, false); err != nil {
			return err
		}
	}
	if len(m.Locales) == 0 {
		if err := field("locales", m.Locales, true); err != nil {
			return err
		}
	} else {
		bw.WriteString("  \"locales\": [\n")
		for i := range m.Locales {
			bw.WriteString("    ")
			if err := writeLocale(bw, &m.Locales[i]); err != nil {
				return err
			}
			if i < len(m.Locales)-1 {
				bw.WriteByte(',')
			}
			bw.WriteByte('\n')
		}
		bw.WriteString("  ]\n")
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// writeLocale writes a locale's entry as json.MarshalIndent(lm, "    ",
// "  ") does, one article at a time: a locale of a large export lists tens
// of thousands, and rendering them at once took hundreds of megabytes.
func writeLocale(w *bufio.Writer, lm *LocaleManifest) error {
	head := *lm
	head.Articles = nil // omitted: the last field, written below
	data, err := json.MarshalIndent(&head, "    ", "  ")
	n := lm.articleCount()
	if err != nil || n == 0 {
		w.Write(data)
		return err
	}
	const end = "\n    }"
	if !bytes.HasSuffix(data, []byte(end)) {
		return fmt.Errorf("manifest: unexpected JSON for locale %s", lm.Locale)
	}
	w.Write(data[:len(data)-len(end)])
	w.WriteString(",\n      \"articles\": [\n")
	j := 0
	err = lm.eachArticle(func(am *ArticleManifest) error {
		a, err := json.MarshalIndent(am, "        ", "  ")
		if err != nil {
			return err
		}
		w.WriteString("        ")
		w.Write(a)
		if j++; j < n {
			w.WriteByte(',')
		}
		w.WriteByte('\n')
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteString("      ]" + end)
	return nil
}

// sum is the SHA-256 of what writeTo writes.
func (m *Manifest) sum() ([sha256.Size]byte, error) {
	h := sha256.New()
	err := m.writeTo(h)
	return [sha256.Size]byte(h.Sum(nil)), err
}

// write writes the manifest to path and returns the SHA-256 of what it
// wrote.
func (m *Manifest) write(path string) ([sha256.Size]byte, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	h := sha256.New()
	err = m.writeTo(io.MultiWriter(f, h))
	if err == nil {
		err = f.Chmod(0o644) // whatever the umask, as writePlain
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return [sha256.Size]byte(h.Sum(nil)), err
}

// digest is a hash of the manifest's content, and so of what writeTo
// writes, made without rendering JSON: export remembers the digest of the
// manifest.json it leaves in dist/, so that a later run can tell the file
// needs no change without reading or rendering it (most of a warm run's
// time on a large corpus). It walks every exported field by reflection, so
// a field added later is covered (the unexported ones are not in the JSON;
// a locale's stored entries are digested as the Articles they stand for);
// ok is false for a kind of value it does not know, or entries that cannot
// be read back, and the caller then compares the files.
//
// A locale's articles, most of a large manifest, are digested on their
// own, the locales side by side, and the manifest's digest takes each
// locale's in their place.
func (m *Manifest) digest() (sum [sha256.Size]byte, ok bool) {
	articles := make(map[*LocaleManifest]*[sha256.Size]byte, len(m.Locales))
	sums := make([][sha256.Size]byte, len(m.Locales))
	known := make([]bool, len(m.Locales))
	project.ForEach(len(m.Locales), func(k int) {
		sums[k], known[k] = articlesDigest(&m.Locales[k])
	})
	for k := range m.Locales {
		if !known[k] {
			return sum, false
		}
		articles[&m.Locales[k]] = &sums[k]
	}
	d := digester{h: sha256.New(), articles: articles}
	if !d.value(reflect.ValueOf(m).Elem()) {
		return sum, false
	}
	d.h.Write(d.buf)
	return [sha256.Size]byte(d.h.Sum(nil)), true
}

type digester struct {
	h   hash.Hash
	buf []byte
	// articles are the digests of the locales' articles (articlesDigest).
	articles map[*LocaleManifest]*[sha256.Size]byte
}

func (d *digester) uint(n uint64) {
	d.buf = binary.LittleEndian.AppendUint64(d.buf, n)
	if len(d.buf) >= 32<<10 {
		d.h.Write(d.buf)
		d.buf = d.buf[:0]
	}
}

func (d *digester) value(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		d.uint(uint64(v.Len()))
		d.buf = append(d.buf, v.String()...)
	case reflect.Bool:
		if v.Bool() {
			d.uint(1)
		} else {
			d.uint(0)
		}
	case reflect.Int, reflect.Int64:
		d.uint(uint64(v.Int()))
	case reflect.Float64:
		d.uint(math.Float64bits(v.Float()))
	case reflect.Slice, reflect.Pointer:
		if v.IsNil() { // null, unlike an empty list
			d.uint(math.MaxUint64)
			return true
		}
		if v.Kind() == reflect.Pointer {
			d.uint(1)
			return d.value(v.Elem())
		}
		d.uint(uint64(v.Len()))
		for i := range v.Len() {
			if !d.value(v.Index(i)) {
				return false
			}
		}
	case reflect.Struct:
		var articles *[sha256.Size]byte // of a locale, digested apart
		if v.Type() == reflect.TypeFor[LocaleManifest]() && v.CanAddr() {
			if articles = d.articles[v.Addr().Interface().(*LocaleManifest)]; articles == nil {
				return false
			}
		}
		for i := range v.NumField() {
			field := v.Type().Field(i)
			switch {
			case !field.IsExported():
				// Not in the JSON.
			case articles != nil && field.Name == "Articles":
				d.buf = append(d.buf, articles[:]...)
			case !d.value(v.Field(i)):
				return false
			}
		}
	default:
		return false
	}
	return true
}

// articlesDigest is the digest of a locale's articles, held in Articles
// or stored: the same for the same entries either way, and telling no
// articles (null) from an empty list.
func articlesDigest(lm *LocaleManifest) (sum [sha256.Size]byte, ok bool) {
	d := digester{h: sha256.New()}
	switch n := lm.articleCount(); {
	case n == 0 && (lm.stored != nil || lm.Articles == nil):
		d.uint(math.MaxUint64) // null: no stored entry is written as none
	default:
		d.uint(uint64(n))
		if lm.eachArticle(func(am *ArticleManifest) error {
			if !d.value(reflect.ValueOf(am).Elem()) {
				return errors.New("manifest: a field the digest does not know")
			}
			return nil
		}) != nil {
			return sum, false
		}
	}
	d.h.Write(d.buf)
	return [sha256.Size]byte(d.h.Sum(nil)), true
}

// fileSum is the SHA-256 of the file at path, read as a stream.
func fileSum(path string) ([sha256.Size]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return [sha256.Size]byte{}, err
	}
	return [sha256.Size]byte(h.Sum(nil)), nil
}
