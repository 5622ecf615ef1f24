package export

import (
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/healthi18n/healthi18n/internal/wire"
)

// articleRecord is what the cache keeps of one article in one locale: its
// manifest entry (its files are the cache entry's other dependencies), its
// refusals under strict safety, or a failed verification.
type articleRecord struct {
	Manifest *ArticleManifest
	Refusals []Refusal
	Verify   *VerifyError
}

// wellFormed reports whether a record decoded from the cache says one thing
// (a manifest entry, refusals or a failed verification) and names only
// files in the locale's own directory, the ones export writes for the
// article (articleFiles); anything else is treated as a miss.
func (r articleRecord) wellFormed(lang string) bool {
	n := 0
	if r.Manifest != nil {
		n++
		if !slices.Equal(r.Manifest.Files, articleFiles(lang, r.Manifest.Slug)) {
			return false
		}
		for _, f := range r.Manifest.Files {
			dir, base := path.Split(f)
			if dir != lang+"/" || base == "" || base == "." || base == ".." || strings.ContainsAny(base, "/\\") {
				return false
			}
		}
	}
	if len(r.Refusals) > 0 {
		n++
	}
	if r.Verify != nil {
		n++
	}
	return n == 1
}

// encodeRecords writes an article's records, by locale, in the cache's
// compact form (package wire): the locales repeat the same message IDs
// and reasons, and each string is written once.
func encodeRecords(recs map[string]articleRecord) []byte {
	var e wire.Encoder
	langs := make([]string, 0, len(recs))
	for l := range recs {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	e.Int(len(langs))
	for _, l := range langs {
		r := recs[l]
		e.String(l)
		e.Bool(r.Manifest != nil)
		if am := r.Manifest; am != nil {
			putManifest(&e, am)
		}
		e.Int(len(r.Refusals))
		for _, f := range r.Refusals {
			e.String(f.Article)
			e.String(f.MessageID)
			e.String(f.Source)
			e.String(f.Reason)
		}
		e.Bool(r.Verify != nil)
		if v := r.Verify; v != nil {
			e.String(v.File)
			e.String(v.MessageID)
			e.String(v.Problem)
		}
	}
	return e.Bytes()
}

// decodeRecords reads what encodeRecords wrote; any damage is an error.
func decodeRecords(b []byte) (map[string]articleRecord, error) {
	d := wire.NewDecoder(b)
	n := d.Count()
	recs := make(map[string]articleRecord, n)
	var messages []string // the last locale's
	for range n {
		l := d.String()
		var r articleRecord
		if d.Bool() {
			r.Manifest = getManifest(d)
			r.Manifest.Messages = sharedStrings(r.Manifest.Messages, &messages)
		}
		if k := d.Count(); k > 0 {
			r.Refusals = make([]Refusal, k)
			for i := range r.Refusals {
				r.Refusals[i] = Refusal{Article: d.String(), MessageID: d.String(), Source: d.String(), Reason: d.String()}
			}
		}
		if d.Bool() {
			r.Verify = &VerifyError{File: d.String(), MessageID: d.String(), Problem: d.String()}
		}
		recs[l] = r
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return recs, nil
}

// putManifest writes a manifest entry.
func putManifest(e *wire.Encoder, am *ArticleManifest) {
	e.String(am.Slug)
	putStrings(e, am.Files)
	putStrings(e, am.Messages)
	e.Int(am.Translated)
	e.Int(am.Fallback)
	e.Int(am.Omitted)
	e.Int(len(am.Fallbacks))
	for _, f := range am.Fallbacks {
		e.String(f.MessageID)
		e.Bool(f.Safety)
		e.Bool(f.Omitted)
		e.String(f.Reason)
	}
}

// getManifest reads what putManifest wrote (damage is d's error).
func getManifest(d *wire.Decoder) *ArticleManifest {
	am := &ArticleManifest{Slug: d.String(), Files: getStrings(d), Messages: getStrings(d),
		Translated: d.Int(), Fallback: d.Int(), Omitted: d.Int()}
	if k := d.Count(); k > 0 {
		am.Fallbacks = make([]Fallback, k)
		for i := range am.Fallbacks {
			am.Fallbacks[i] = Fallback{MessageID: d.String(), Safety: d.Bool(), Omitted: d.Bool(), Reason: d.String()}
		}
	}
	return am
}

// sharedStrings is ss, or *last if that is equal to it (an article lists
// the same messages in most locales: a large export holds them once per
// article rather than once per locale), and makes it the last. Lists in
// a manifest are not changed once made, so sharing them is safe.
func sharedStrings(ss []string, last *[]string) []string {
	if ss != nil && *last != nil && slices.Equal(ss, *last) {
		return *last
	}
	*last = ss
	return ss
}

// putStrings writes a list, telling nil from empty: the manifest shows
// one as null and the other as [].
func putStrings(e *wire.Encoder, ss []string) {
	e.Bool(ss != nil)
	e.Int(len(ss))
	for _, s := range ss {
		e.String(s)
	}
}

func getStrings(d *wire.Decoder) []string {
	isNil := !d.Bool()
	n := d.Count()
	if isNil {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.String()
	}
	return ss
}
