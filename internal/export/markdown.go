package export

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/healthi18n/healthi18n/internal/article"
)

// span records where a message's text landed in generated Markdown.
type span struct {
	start, end int
	piece      *Piece
}

// mdDoc is an article rendered as Markdown in one locale.
type mdDoc struct {
	// File is the complete .md file (with front matter for Markdown
	// sources that had it).
	File []byte
	// HTMLSource is the Markdown the HTML page is rendered from: the body,
	// with the title (and description) as leading blocks; spans index it.
	HTMLSource []byte
	spans      []span
	// inserted holds, per safety message ID, the exact text written to the
	// .md file, for verification.
	inserted map[string]string
}

// notices are the localized strings the exporter adds.
type notices struct {
	safetyLabel, fallback, untranslated, withheld string
}

// forPiece is the notice shown with a piece in the source language.
func (n notices) forPiece(p *Piece) string {
	switch {
	case p.Withheld && n.withheld != "":
		return n.withheld
	case p.Safety():
		return n.fallback
	}
	return n.untranslated
}

// renderMarkdown writes one article in one locale. Translations are placed
// where their source text was (Markdown sources) or into a Markdown
// rebuilding of the plain text (text sources). Every piece of text is
// sanitised so that it stays inside its block and carries no raw HTML.
func renderMarkdown(a *article.Article, pieces []Piece, n notices, lang string) *mdDoc {
	if a.Format == "txt" {
		return renderPlainText(pieces, n)
	}
	d := &mdDoc{inserted: map[string]string{}}
	var b, h strings.Builder // b: the .md file; h: the HTML source
	fm := &yaml.Node{Kind: yaml.MappingNode}
	addKV := func(k, v string) {
		fm.Content = append(fm.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, &yaml.Node{Kind: yaml.ScalarNode, Value: v, Style: yaml.DoubleQuotedStyle})
	}
	hasFM := a.BodyStart > 0
	order := make([]int, 0, len(pieces))
	for i := range pieces {
		order = append(order, i)
	}
	segs := a.Segments
	for i := range pieces {
		p := &pieces[i]
		s := &segs[i]
		if s.Start >= 0 {
			continue
		}
		// Title and description from front matter.
		text := plainText(p, n)
		switch s.Kind {
		case article.KindTitle:
			addKV("title", text)
			d.add(&h, "# ", p, mdInline(text, false), "\n\n")
		case article.KindDescription:
			addKV("description", text)
			d.add(&h, "", p, mdInline(text, false), "\n\n")
		}
		if p.Safety() {
			d.inserted[p.Msg.ID] = text
		}
	}
	if hasFM {
		if a.Reviewed != "" {
			addKV("reviewed", a.Reviewed)
		}
		addKV("lang", lang)
		out, err := yaml.Marshal(fm)
		if err != nil {
			panic(err) // marshalling plain string nodes cannot fail
		}
		b.WriteString("---\n")
		b.Write(out)
		b.WriteString("---\n")
	}
	sort.SliceStable(order, func(x, y int) bool { return segs[order[x]].Start < segs[order[y]].Start })
	body := a.Source[a.BodyStart:]
	prev := 0
	for _, i := range order {
		s := &segs[i]
		if s.Start < 0 {
			continue
		}
		start := s.Start - a.BodyStart
		b.Write(body[prev:start])
		h.Write(body[prev:start])
		text := inlineText(&pieces[i], s, n)
		d.spans = append(d.spans, span{start: h.Len(), end: h.Len() + len(text), piece: &pieces[i]})
		b.WriteString(text)
		h.WriteString(text)
		if pieces[i].Safety() {
			d.inserted[pieces[i].Msg.ID] = text
		}
		prev = s.AttrEnd - a.BodyStart // drop the {#id .class} block
	}
	b.Write(body[prev:])
	h.Write(body[prev:])
	d.File = []byte(b.String())
	d.HTMLSource = []byte(h.String())
	return d
}

// add appends a block to the HTML source and records its span.
func (d *mdDoc) add(h *strings.Builder, prefix string, p *Piece, text, suffix string) {
	h.WriteString(prefix)
	d.spans = append(d.spans, span{start: h.Len(), end: h.Len() + len(text), piece: p})
	h.WriteString(text)
	h.WriteString(suffix)
}

// plainText is a piece's text for places that hold plain text (front
// matter, alt text): the translation or the source with the notice.
func plainText(p *Piece, n notices) string {
	t := strings.Join(strings.Fields(p.Text), " ")
	if p.Fallback {
		t += " (" + n.forPiece(p) + ")"
	}
	return t
}

// inlineText is a piece's text for its place in a Markdown body.
func inlineText(p *Piece, s *article.Segment, n notices) string {
	if p.Omitted {
		return ""
	}
	if s.Kind == article.KindAlt {
		return escapeAlt(plainText(p, n))
	}
	t := mdInline(p.Text, s.Kind == article.KindCell)
	if p.Fallback {
		t += " *(" + mdPlain(n.forPiece(p)) + ")*"
	}
	return t
}

// renderPlainText rebuilds a plain-text article as Markdown: the title as a
// heading, paragraphs, numbered items with their continuation paragraphs
// indented under them. Text is escaped: a plain-text article holds no markup.
func renderPlainText(pieces []Piece, n notices) *mdDoc {
	d := &mdDoc{inserted: map[string]string{}}
	var b strings.Builder
	for i := range pieces {
		p := &pieces[i]
		m := p.Msg
		if p.Omitted {
			continue
		}
		text := mdPlain(p.Text)
		if p.Fallback {
			text += " *(" + mdPlain(n.forPiece(p)) + ")*"
		}
		prefix := ""
		switch m.Kind {
		case article.KindTitle:
			prefix = "# "
		case article.KindItem:
			num, para := itemPlace(m.Place)
			marker := fmt.Sprintf("%d. ", num)
			if para > 1 {
				prefix = strings.Repeat(" ", len(marker))
			} else {
				prefix = marker
			}
		}
		b.WriteString(prefix)
		d.spans = append(d.spans, span{start: b.Len(), end: b.Len() + len(text), piece: p})
		b.WriteString(text)
		b.WriteString("\n\n")
		if p.Safety() {
			d.inserted[m.ID] = text
		}
	}
	d.File = []byte(strings.TrimRight(b.String(), "\n") + "\n")
	d.HTMLSource = d.File
	return d
}

var itemPlaceRE = regexp.MustCompile(`^list item (\d+)(?:, paragraph (\d+))?$`)

// itemPlace reads an item's number and paragraph from its place.
func itemPlace(place string) (num, para int) {
	m := itemPlaceRE.FindStringSubmatch(place)
	if m == nil {
		return 1, 1
	}
	fmt.Sscan(m[1], &num)
	para = 1
	if m[2] != "" {
		fmt.Sscan(m[2], &para)
	}
	return num, para
}

var (
	// blockStartRE matches text that would start a new block if placed at
	// the beginning of a line: headings, quotes, list markers, fences,
	// tables, thematic breaks, setext underlines.
	blockStartRE = regexp.MustCompile(`^(?:#{1,6}(?:\s|$)|>|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|` + "```" + `|~~~|\||={2,}|-{3,}|\*{3,}|_{3,})`)
	// autolinkRE matches a CommonMark autolink that is safe to keep.
	autolinkRE = regexp.MustCompile(`^<(?:https?|mailto|ftp):[^<>\s]*>`)
)

// mdInline sanitises Markdown text for a place inside one block: line
// breaks become spaces, a leading block marker is escaped, raw HTML is
// escaped (autolinks stay), and in table cells an unescaped '|' is escaped.
func mdInline(text string, cell bool) string {
	t := strings.Join(strings.Fields(text), " ")
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c == '\\' && i+1 < len(t):
			b.WriteByte(c)
			b.WriteByte(t[i+1])
			i++
			continue
		case c == '<':
			if m := autolinkRE.FindString(t[i:]); m != "" {
				b.WriteString(m)
				i += len(m) - 1
				continue
			}
			b.WriteString(`\<`)
			continue
		case c == '|' && cell:
			b.WriteString(`\|`)
			continue
		}
		b.WriteByte(c)
	}
	out := b.String()
	if blockStartRE.MatchString(out) {
		out = `\` + out
	}
	return out
}

// mdPlain escapes plain text so that Markdown shows it as it is.
func mdPlain(text string) string {
	t := strings.Join(strings.Fields(text), " ")
	var b strings.Builder
	for _, r := range t {
		if strings.ContainsRune("\\`*_[]<>#!|&~{}", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if blockStartRE.MatchString(out) {
		out = `\` + out
	}
	return out
}

// escapeAlt escapes text for the inside of ![...].
func escapeAlt(t string) string {
	r := strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `<`, `\<`)
	return r.Replace(t)
}
