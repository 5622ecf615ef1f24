package bundle

import (
	"fmt"
	"strings"

	"github.com/healthi18n/healthi18n/internal/article"
	"github.com/healthi18n/healthi18n/internal/locale"
)

// Message is a source message as a translator file presents it.
type Message struct {
	ID string
	// Forms holds the source text: "other" for article messages, the
	// plural forms for UI strings.
	Forms   map[string]string
	Level   article.Level
	Why     []article.Reason
	Kind    article.Kind
	Place   string
	Section []string
	// Line and Col locate the message in its source file.
	Line, Col int
	// Description is the author's own description (UI strings), if any.
	Description string
}

// Text returns the "other" form, the whole text of an article message.
func (m *Message) Text() string { return m.Forms["other"] }

// Plural reports whether the message has plural forms besides "other".
func (m *Message) Plural() bool { return len(m.Forms) > 1 }

// Hash identifies the source text; for plural messages it covers every form.
func (m *Message) Hash() string {
	if !m.Plural() {
		return Hash(m.Text())
	}
	var b strings.Builder
	for _, f := range PluralForms {
		if t, ok := m.Forms[f]; ok {
			fmt.Fprintf(&b, "%s=%s\x00", f, t)
		}
	}
	return Hash(b.String())
}

// Source is the set of source messages behind one family of files: an
// article (Name is its slug) or the UI strings (Name is "ui").
type Source struct {
	Name  string
	Title string
	// Path is the file the messages come from (content/x.md or the UI
	// source bundle).
	Path     string
	Locale   locale.Locale
	Messages []Message
	byID     map[string]int
}

// Message returns the message with the given ID, or nil. It only reads,
// so a Source may be shared by goroutines.
func (s *Source) Message(id string) *Message {
	if s.byID == nil { // built without a constructor: search
		for i := range s.Messages {
			if s.Messages[i].ID == id {
				return &s.Messages[i]
			}
		}
		return nil
	}
	i, ok := s.byID[id]
	if !ok {
		return nil
	}
	return &s.Messages[i]
}

// index builds the ID index; constructors call it once.
func (s *Source) index() *Source {
	s.byID = make(map[string]int, len(s.Messages))
	for i, m := range s.Messages {
		s.byID[m.ID] = i
	}
	return s
}

// FromArticle turns a parsed article into a Source.
func FromArticle(a *article.Article, src locale.Locale) *Source {
	s := &Source{Name: a.Slug, Title: a.Title(), Path: a.Path, Locale: src}
	for _, seg := range a.Segments {
		s.Messages = append(s.Messages, Message{
			ID: seg.ID, Forms: map[string]string{"other": seg.Text},
			Level: seg.Level, Why: seg.Why, Kind: seg.Kind, Place: seg.Place, Section: seg.Section,
			Line: seg.Line, Col: seg.Col,
		})
	}
	return s.index()
}

// FromUIFile turns the hand-written UI source bundle (ui.<source>.toml)
// into a Source. UI strings are normal messages; a "safety" marker makes
// no sense for labels.
func FromUIFile(f *File, src locale.Locale) *Source {
	s := &Source{Name: "ui", Title: "healthi18n reader-facing strings", Path: f.Path, Locale: src}
	for _, e := range f.Entries {
		s.Messages = append(s.Messages, Message{
			ID: e.ID, Forms: e.Texts(), Level: article.Normal, Kind: "ui", Place: "UI string",
			Line: e.Line, Col: e.Col, Description: e.Description,
		})
	}
	return s.index()
}

// Previous lists the messages of a source bundle as ID memory for
// article.AssignIDs.
func Previous(f *File) []article.Previous {
	if f == nil {
		return nil
	}
	out := make([]article.Previous, 0, len(f.Entries))
	for _, e := range f.Entries {
		out = append(out, article.Previous{ID: e.ID, Text: e.Forms.Text("other")})
	}
	return out
}

// PreviousTexts maps each ID of a source bundle to its text, so that sync
// can show a translator the text their stale translation was made from.
func PreviousTexts(f *File) map[string]string {
	m := map[string]string{}
	if f == nil {
		return m
	}
	for _, e := range f.Entries {
		m[e.ID] = e.Forms.Text("other")
	}
	return m
}

// safetyInstruction is the plain instruction on every safety message.
const safetyInstruction = "SAFETY MESSAGE: translate it completely and faithfully. Never soften, shorten or omit it; keep every number, unit and negation."

// describe is the go-i18n description of a message: where it is and, for
// safety messages, the instruction.
func describe(s *Source, m *Message) string {
	if m.Description != "" {
		return m.Description
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Article %q, %s", s.Title, m.Place)
	if len(m.Section) > 0 {
		fmt.Fprintf(&b, ", section %q", strings.Join(m.Section, " › "))
	}
	b.WriteString(".")
	if m.Level.IsSafety() {
		fmt.Fprintf(&b, " %s (level: %s).", safetyInstruction, m.Level)
	}
	return b.String()
}

// reasons renders a message's safety reasons on one line.
func reasons(m *Message) string {
	parts := make([]string, len(m.Why))
	for i, r := range m.Why {
		parts[i] = r.String()
	}
	return strings.Join(parts, "; ")
}

// RenderSource writes the source bundle of an article: every message with
// its text as "other", its hash and its description. It is generated and
// must not be edited.
func RenderSource(s *Source, bundlePath string) []byte {
	var b strings.Builder
	comment(&b, genPrefix, "healthi18n source bundle of %s (%s): generated by \"healthi18n split\"; do not edit.", s.Path, s.Locale)
	comment(&b, genPrefix, "Edit the article instead; translators work in locales/<lang>/%s.<lang>.toml.", s.Name)
	for i := range s.Messages {
		m := &s.Messages[i]
		b.WriteString("\n")
		comment(&b, genPrefix, "%d/%d · %s · %s:%d:%d", i+1, len(s.Messages), m.Place, s.Path, m.Line, m.Col)
		if m.Level.IsSafety() {
			comment(&b, genPrefix, "SAFETY (%s) because %s", m.Level, reasons(m))
		}
		fmt.Fprintf(&b, "[%s]\n", tomlKey(m.ID))
		fmt.Fprintf(&b, "description = %s\n", tomlString(describe(s, m)))
		fmt.Fprintf(&b, "hash = %s\n", tomlString(m.Hash()))
		for _, f := range formsOf(m) {
			fmt.Fprintf(&b, "%s = %s\n", f, tomlString(m.Forms[f]))
		}
	}
	return []byte(b.String())
}

// formsOf lists a message's forms in CLDR order.
func formsOf(m *Message) []string {
	var out []string
	for _, f := range PluralForms {
		if _, ok := m.Forms[f]; ok {
			out = append(out, f)
		}
	}
	return out
}

// tomlKey writes a table key bare when it can be, quoted otherwise.
func tomlKey(k string) string {
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return tomlString(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}

// tomlString writes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// comment writes one generated comment line. TOML comments may not hold
// control characters, so any in the text (a source text can have them) are
// written escaped, as \x08; a line break becomes \n.
func comment(b *strings.Builder, prefix, format string, args ...any) {
	b.WriteString(prefix)
	b.WriteByte(' ')
	for _, r := range fmt.Sprintf(format, args...) {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\n')
}
