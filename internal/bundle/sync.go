package bundle

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/healthi18n/healthi18n/internal/locale"
)

// SyncResult is what Sync made of one translator file.
type SyncResult struct {
	// Data is the file's new content.
	Data []byte
	// Added lists messages new to the file.
	Added []string
	// Stale lists translated messages whose source changed since.
	Stale []string
	// Orphans lists entries whose message left the source; Pruned says
	// whether they were removed.
	Orphans []string
	Pruned  bool
}

// SyncOptions tunes Sync.
type SyncOptions struct {
	// PrevTexts maps IDs to the source texts of the previous source
	// bundle, to show translators what their stale translation was made from.
	PrevTexts map[string]string
	// Prune removes orphaned entries.
	Prune bool
	// Accept lists IDs whose translations the translator declares current:
	// their hash is moved to the current source.
	Accept map[string]bool
}

// Sync renders the translator file of one source for one locale, keeping
// every translation and translator comment of old byte for byte: new
// messages are added empty, generated context is refreshed, translated
// messages whose source changed are marked stale with the old text and a
// word diff, and orphans are kept (marked) unless opts.Prune is set.
func Sync(src *Source, lang locale.Locale, old *File, opts SyncOptions) SyncResult {
	var res SyncResult
	var b strings.Builder
	comment(&b, genPrefix, "healthi18n translator file: %s translation of %q (%s).", lang, src.Title, src.Path)
	comment(&b, genPrefix, "Fill in the empty translations (the \"other\" values; plural strings also have one, few…). Lines starting")
	comment(&b, genPrefix, "with \"#.\" or \"#|\" are written by healthi18n and")
	comment(&b, genPrefix, "refreshed on every split; your translations and your own \"# ...\" comments are never changed.")
	comment(&b, genPrefix, "Messages marked SAFETY must be translated completely and faithfully: never soften, shorten or omit them.")
	if old != nil {
		for _, l := range old.Lead {
			b.WriteString(l + "\n")
		}
	}
	inSource := map[string]bool{}
	for i := range src.Messages {
		m := &src.Messages[i]
		inSource[m.ID] = true
		cur := m.Hash()
		e := old.Entry(m.ID)
		hash := cur
		var body, lead []string
		previous, staleTranslation := "", ""
		stale := false
		if e == nil {
			res.Added = append(res.Added, m.ID)
			for _, f := range newForms(m, lang) {
				body = append(body, f+` = ""`)
			}
		} else {
			body, lead = e.Body, e.Lead
			// A translation whose hash is not the current source's is stale;
			// one with no hash at all was made from an unknown text, and is
			// stale too rather than silently current.
			if e.Translated() && e.Hash != cur && !opts.Accept[m.ID] {
				stale = true
				hash = e.Hash
				res.Stale = append(res.Stale, m.ID)
				if t, ok := opts.PrevTexts[m.ID]; ok && e.Hash != "" && Hash(t) == e.Hash {
					previous = t
				} else if e.Previous != "" && Hash(e.Previous) == e.Hash {
					previous = e.Previous
				}
				staleTranslation = e.StaleTranslation
				if staleTranslation == "" {
					staleTranslation = e.TranslationHash()
				}
			}
		}
		b.WriteString("\n")
		writeContext(&b, src, m, i, lang)
		if stale {
			comment(&b, stalePrefix, "STALE: the source changed after this was translated. Update the translation, then run: healthi18n accept %s %s:%s", lang, src.Name, m.ID)
			switch {
			case previous != "":
				comment(&b, stalePrefix, "was: %s", strconv.Quote(previous))
				comment(&b, stalePrefix, "now: %s", strconv.Quote(m.Text()))
				comment(&b, stalePrefix, "diff: %s", WordDiff(previous, m.Text()))
			case hash == "":
				comment(&b, stalePrefix, "(this translation has no hash: the source text it was made from is unknown; compare with the source above)")
			default:
				comment(&b, stalePrefix, "(the earlier source text is no longer known; compare with the source above)")
			}
			comment(&b, stalePrefix, "translation when the source changed: %s", staleTranslation)
		}
		for _, l := range lead {
			b.WriteString(l + "\n")
		}
		writeTable(&b, m.ID, describe(src, m), hash, body)
	}
	if old != nil {
		for _, e := range old.Entries {
			if inSource[e.ID] {
				continue
			}
			res.Orphans = append(res.Orphans, e.ID)
			if opts.Prune {
				continue
			}
			b.WriteString("\n")
			comment(&b, stalePrefix, "ORPHAN: this message is no longer in the source. \"healthi18n split --prune\" removes it.")
			for _, l := range e.Lead {
				b.WriteString(l + "\n")
			}
			writeTable(&b, e.ID, e.Description, e.Hash, e.Body)
		}
		res.Pruned = opts.Prune && len(res.Orphans) > 0
	}
	res.Data = []byte(b.String())
	return res
}

// writeTable writes a message table: the regenerated description and
// hash where the file had them (at the top for a new entry), and every
// other line of the body exactly as it was.
func writeTable(b *strings.Builder, id, desc, hash string, body []string) {
	fmt.Fprintf(b, "[%s]\n", tomlKey(id))
	descLine := "description = " + tomlString(desc)
	hashLine := "hash = " + tomlString(hash)
	hasDesc, hasHash := false, false
	for _, l := range body {
		hasDesc = hasDesc || l == descriptionMark
		hasHash = hasHash || l == hashMark
	}
	if !hasDesc {
		b.WriteString(descLine + "\n")
	}
	if !hasHash {
		b.WriteString(hashLine + "\n")
	}
	for _, l := range body {
		switch l {
		case descriptionMark:
			l = descLine
		case hashMark:
			l = hashLine
		}
		b.WriteString(l + "\n")
	}
}

// writeContext writes the generated comment lines above a message: its
// place, level and reasons, the safety instruction and the source text.
func writeContext(b *strings.Builder, src *Source, m *Message, i int, lang locale.Locale) {
	level := "normal"
	if m.Level.IsSafety() {
		level = "SAFETY (" + string(m.Level) + ")"
	}
	comment(b, genPrefix, "── %d/%d · %s · %s ──", i+1, len(src.Messages), m.Place, level)
	if len(m.Section) > 0 {
		comment(b, genPrefix, "section: %s", strings.Join(m.Section, " › "))
	}
	if m.Level.IsSafety() {
		comment(b, genPrefix, "%s", safetyInstruction)
		comment(b, genPrefix, "why: %s", reasons(m))
	}
	for _, f := range formsOf(m) {
		label := "source"
		if m.Plural() {
			label = "source (" + f + ")"
		}
		for j, line := range strings.Split(m.Forms[f], "\n") {
			if j == 0 {
				comment(b, genPrefix, "%s: %s", label, line)
			} else {
				comment(b, genPrefix, "  %s", line)
			}
		}
	}
	if m.Plural() {
		comment(b, genPrefix, "%s needs the plural forms: %s", lang, strings.Join(lang.PluralCategories(), ", "))
	}
}

// newForms lists the keys a new entry gets: "other" for an article
// message, every plural category of the locale for a plural UI string.
func newForms(m *Message, lang locale.Locale) []string {
	if !m.Plural() {
		return []string{"other"}
	}
	return lang.PluralCategories()
}

// WordDiff shows how new differs from old, word by word:
// "take [-two-]{+three+} tablets".
func WordDiff(old, new string) string {
	dmp := diffmatchpatch.New()
	a, b, vocab := wordsToRunes(old, new)
	diffs := dmp.DiffMain(a, b, false)
	var out strings.Builder
	for _, d := range diffs {
		var text strings.Builder
		for _, r := range d.Text {
			text.WriteString(vocab[r-vocabBase])
		}
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			out.WriteString(text.String())
		case diffmatchpatch.DiffDelete:
			out.WriteString("[-" + text.String() + "-]")
		case diffmatchpatch.DiffInsert:
			out.WriteString("{+" + text.String() + "+}")
		}
	}
	return out.String()
}

// wordsToRunes maps each word or run of spaces of both texts to one rune,
// so that a character diff of the rune strings is a word diff.
func wordsToRunes(a, b string) (string, string, []string) {
	vocab := []string{""}
	index := map[string]rune{}
	enc := func(s string) string {
		var out []rune
		for _, tok := range tokens(s) {
			r, ok := index[tok]
			if !ok {
				r = rune(len(vocab)) + vocabBase
				index[tok] = r
				vocab = append(vocab, tok)
			}
			out = append(out, r)
		}
		return string(out)
	}
	return enc(a), enc(b), vocab
}

// vocabBase is the first rune used for words: the private use area, so no
// rune means anything else here.
const vocabBase = 0xE000

func tokens(s string) []string {
	var out []string
	var cur []rune
	space := false
	for i, r := range s {
		sp := unicode.IsSpace(r)
		if i > 0 && sp != space {
			out = append(out, string(cur))
			cur = cur[:0]
		}
		space = sp
		cur = append(cur, r)
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}
