// Package bundle owns the go-i18n v2 TOML message files: the generated
// source bundle of each article (locales/<source>/<slug>.<source>.toml) and
// the translator files (locales/<lang>/<slug>.<lang>.toml, ui.<lang>.toml).
// It reads them with positions, syncs translator files append-only, marks
// stale messages, and writes atomically.
//
// It knows articles but not checks, policy or output formats, and it never
// changes a translation or a translator's comment.
package bundle

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/healthi18n/healthi18n/internal/inputerr"
	"github.com/healthi18n/healthi18n/internal/textfile"
)

// PluralForms are the keys of a go-i18n message that hold translated text.
var PluralForms = []string{"zero", "one", "two", "few", "many", "other"}

func isForm(k string) bool {
	for _, f := range PluralForms {
		if k == f {
			return true
		}
	}
	return false
}

// Generated comment prefixes. Lines starting with these belong to healthi18n
// and are rewritten on every sync; any other comment is the translator's.
const (
	genPrefix   = "#."
	stalePrefix = "#|"
)

// Value is one string value of a message with its position.
type Value struct {
	Text      string
	Line, Col int
}

// Entry is one message table of a file.
type Entry struct {
	ID          string
	Line, Col   int // of the table header
	Description string
	Hash        string
	// Forms holds the translated text per plural form ("other" for
	// articles).
	Forms Forms
	// Body holds the translator-owned lines of the table (forms,
	// delimiters and the translator's own comments, up to the next table)
	// exactly as written.
	Body []string
	// Previous is the source text the translation was made from, as
	// recorded in a "#| was:" line, if any.
	Previous string
	// StaleTranslation is the hash of the translation as it was when its
	// source changed ("#| translation:"), so that accept can tell whether
	// the translator has updated it.
	StaleTranslation string
	// Lead holds the translator's comment lines written just above the
	// table header (below the generated lines).
	Lead []string

	seen []string // keys met while parsing, to catch duplicates
}

// Forms are an entry's translations, one per plural form it has, in the
// order of the file. An article's message has one, so a short list costs
// far less than a map per message.
type Forms []Form

// Form is the translation in one plural form.
type Form struct {
	Name string // zero, one, two, few, many or other
	Value
}

// Get returns the form named name, if the entry has it.
func (fs Forms) Get(name string) (Value, bool) {
	for _, f := range fs {
		if f.Name == name {
			return f.Value, true
		}
	}
	return Value{}, false
}

// Text is the text of the form named name ("" if the entry has none).
func (fs Forms) Text(name string) string {
	v, _ := fs.Get(name)
	return v.Text
}

// Translated reports whether any form has text.
func (e *Entry) Translated() bool {
	for _, v := range e.Forms {
		if strings.TrimSpace(v.Text) != "" {
			return true
		}
	}
	return false
}

// Texts returns the text of each form.
func (e *Entry) Texts() map[string]string {
	out := make(map[string]string, len(e.Forms))
	for _, f := range e.Forms {
		out[f.Name] = f.Text
	}
	return out
}

// File is a parsed message file.
type File struct {
	Path string
	// Lead holds the translator's comment lines before the first message.
	Lead    []string
	Entries []*Entry
	byID    map[string]*Entry
}

// Entry returns the entry with the given ID, or nil.
func (f *File) Entry(id string) *Entry {
	if f == nil {
		return nil
	}
	return f.byID[id]
}

// Hash is the go-i18n-style hash of a source text ("sha1-<hex>").
func Hash(text string) string {
	sum := sha1.Sum([]byte(text))
	return "sha1-" + hex.EncodeToString(sum[:])
}

// ReadFile reads and parses a message file. A missing file returns
// (nil, nil). Errors are *inputerr.Error with a position.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, inputerr.Wrap(path, 0, 0, err)
	}
	return Parse(path, data)
}

// Parse parses a go-i18n v2 TOML message file strictly: every table is one
// message, every value a string, no key twice. It records positions and the
// raw lines a translator owns, so that a rewrite can keep them byte for byte.
func Parse(path string, data []byte) (*File, error) {
	data, err := textfile.Decode(path, data)
	if err != nil {
		return nil, err
	}

	// One string copy of the file: its lines and most values are
	// substrings of it.
	whole := string(data)
	lines := splitLines(whole)
	starts := make([]int, len(lines)+1)
	for i, l := range lines {
		starts[i+1] = starts[i] + len(l) + 1
	}
	lineOf := func(off int) int { // 0-based line index
		lo, hi := 0, len(lines)-1
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if starts[mid] <= off {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		return lo
	}
	pos := func(off int) (int, int) {
		l := lineOf(off)
		return l + 1, off - starts[l] + 1
	}

	f := &File{Path: path, byID: map[string]*Entry{}}
	var cur *Entry
	var stale, lead []string
	afterGen := false   // a generated line came since the last key: comments now lead the next table
	headerBlock := true // still in the file's first block of comments (no blank line yet)
	prevLine := -1

	p := parsers.Get().(*unstable.Parser)
	defer parsers.Put(p) // nothing kept refers to the parser's memory
	p.Reset(data)
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Comment:
			off := int(e.Raw.Offset)
			li := lineOf(off)
			line := lines[li]
			if strings.TrimSpace(line) != string(bytes.TrimSpace(e.Data)) { // no copy: compared only
				continue // a comment after a value on the same line: part of that line
			}
			text := strings.TrimLeft(line, " \t")
			if li > prevLine+1 && prevLine >= 0 {
				headerBlock = false // a blank line ends the file's header block
			}
			prevLine = li
			switch {
			case strings.HasPrefix(text, stalePrefix):
				stale = append(stale, text)
				afterGen = true
			case strings.HasPrefix(text, genPrefix):
				afterGen = true
			default:
				if headerBlock && cur == nil {
					f.Lead = append(f.Lead, line)
				} else if afterGen {
					lead = append(lead, line)
				} else if cur != nil {
					cur.Body = append(cur.Body, line)
				} else {
					f.Lead = append(f.Lead, line)
				}
			}
		case unstable.Table, unstable.ArrayTable:
			parts, keyOff := keyParts(e)
			l, c := pos(keyOff)
			if e.Kind == unstable.ArrayTable {
				return nil, inputerr.New(path, l, c-2, "array of tables [[...]] is not a message; each message is a [message-id] table")
			}
			if len(parts) != 1 {
				return nil, inputerr.New(path, l, c-1, "dotted table name [%s]: message IDs contain no dots", strings.Join(parts, "."))
			}
			id := parts[0]
			if prev, dup := f.byID[id]; dup {
				return nil, inputerr.New(path, l, c-1, "message %q is defined twice (first at line %d)", id, prev.Line)
			}
			headerBlock, prevLine = false, l-1
			cur = &Entry{ID: id, Line: l, Col: c - 1, Lead: lead}
			cur.Previous, cur.StaleTranslation = parseStale(stale)
			stale, lead, afterGen = nil, nil, false
			f.Entries = append(f.Entries, cur)
			f.byID[id] = cur
		case unstable.KeyValue:
			parts, keyOff := keyParts(e)
			l, c := pos(keyOff)
			key := strings.Join(parts, ".")
			if cur == nil {
				return nil, inputerr.New(path, l, c, "key %q is outside any [message-id] table", key)
			}
			if len(parts) != 1 {
				return nil, inputerr.New(path, l, c, "dotted key %q: message keys are description, hash, leftdelim, rightdelim and the plural forms zero, one, two, few, many, other", key)
			}
			v := e.Value()
			vl, vc := pos(int(v.Raw.Offset))
			if v.Kind != unstable.String {
				return nil, inputerr.New(path, vl, vc, "value of %q in message %q must be a string, not %s (go-i18n accepts only strings)", key, cur.ID, strings.ToLower(v.Kind.String()))
			}
			if cur.has(key) {
				return nil, inputerr.New(path, l, c, "key %q appears twice in message %q", key, cur.ID)
			}
			cur.seen = append(cur.seen, key)
			first := lineOf(int(e.Raw.Offset))
			last := lineOf(int(e.Raw.Offset) + int(e.Raw.Length) - 1)
			text := substringOf(whole, data, v.Data)
			afterGen = false
			headerBlock, prevLine = false, last
			switch {
			case key == "description":
				cur.Description = text
				cur.Body = append(cur.Body, descriptionMark)
			case key == "hash":
				cur.Hash = text
				cur.Body = append(cur.Body, hashMark)
			case isForm(key):
				cur.Forms = append(cur.Forms, Form{Name: key, Value: Value{Text: text, Line: vl, Col: vc}})
				cur.Body = append(cur.Body, lines[first:last+1]...)
			case key == "leftdelim" || key == "rightdelim" || key == "id":
				cur.Body = append(cur.Body, lines[first:last+1]...)
			default:
				return nil, inputerr.New(path, l, c, "unknown key %q in message %q (go-i18n rejects it; use a # comment for notes)", key, cur.ID)
			}
		}
	}
	if len(lead) > 0 { // comments after the last generated lines, with no table below
		if cur != nil {
			cur.Body = append(cur.Body, lead...)
		} else {
			f.Lead = append(f.Lead, lead...)
		}
	}
	if err := p.Error(); err != nil {
		var perr *unstable.ParserError
		if errors.As(err, &perr) {
			off := len(data)
			if cap(perr.Highlight) > 0 {
				off = cap(data) - cap(perr.Highlight)
			}
			l, c := pos(off)
			return nil, inputerr.New(path, l, c, "TOML syntax: %s", perr.Message)
		}
		return nil, inputerr.Wrap(path, 0, 0, err)
	}
	return f, nil
}

// keyParts returns the parts of a table header's or key's (dotted) name
// and the byte offset where it starts.
func keyParts(e *unstable.Node) ([]string, int) {
	it := e.Key()
	var parts []string
	off := -1
	for it.Next() {
		n := it.Node()
		if off < 0 {
			off = int(n.Raw.Offset)
		}
		parts = append(parts, string(n.Data)) // a copy: IDs outlive the file
	}
	return parts, off
}

func (e *Entry) has(key string) bool {
	for _, k := range e.seen {
		if k == key {
			return true
		}
	}
	return false
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return []string{""}
	}
	return strings.Split(s, "\n")
}

// parsers keeps TOML parsers for reuse: a reset parser keeps its storage,
// which saves an allocation per node of every file.
var parsers = sync.Pool{New: func() any { return &unstable.Parser{KeepComments: true} }}

// substringOf returns b as a string: the same bytes of s when b is a piece
// of data (s's bytes, as the parser hands out a string value with no
// escapes), so nothing is copied, else a copy of b.
func substringOf(s string, data, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	// A slice of data shares its backing array, so its offset is what
	// capacity it lacks; the address check rules out another array.
	if off := cap(data) - cap(b); off >= 0 && off+len(b) <= len(data) && &data[off] == &b[0] {
		return s[off : off+len(b)]
	}
	return string(b)
}

// Marks in Entry.Body where the generated description and hash lines go,
// so that a rewrite keeps every line of the table where it was.
const (
	descriptionMark = "\x00description"
	hashMark        = "\x00hash"
)

// parseStale reads the "#| was: "…"" and "#| translation: sha1-…" lines
// written for a stale message.
func parseStale(lines []string) (previous, translation string) {
	for _, l := range lines {
		if rest, ok := strings.CutPrefix(l, stalePrefix+" was: "); ok {
			if s, err := strconv.Unquote(strings.TrimSpace(rest)); err == nil {
				previous = s
			}
		}
		if rest, ok := strings.CutPrefix(l, stalePrefix+" translation when the source changed: "); ok {
			translation = strings.TrimSpace(rest)
		}
	}
	return previous, translation
}

// TranslationHash identifies the translated text of an entry (every form).
func (e *Entry) TranslationHash() string {
	var b strings.Builder
	for _, f := range PluralForms {
		if v, ok := e.Forms.Get(f); ok {
			fmt.Fprintf(&b, "%s=%s\x00", f, v.Text)
		}
	}
	return Hash(b.String())
}
