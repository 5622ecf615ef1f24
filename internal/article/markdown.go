package article

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// markdown is the CommonMark + GFM parser. Linkify is left out on purpose:
// bare URLs stay plain text inside the message, as the author wrote them.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList))

// alertRE matches the first line of a GFM alert: "[!WARNING]".
var alertRE = regexp.MustCompile(`^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*$`)

// alertLevels maps the GFM alerts that mark safety to their level. NOTE and
// TIP are not safety markers (the detector still reads their text).
var alertLevels = map[string]Level{"IMPORTANT": Caution, "WARNING": Warning, "CAUTION": Danger}

// mdBuilder walks a goldmark AST and collects segments.
type mdBuilder struct {
	a        *Article
	src      []byte
	section  []string
	levels   []int   // heading level of each section entry
	safeSecs []Level // safety level from {.safety} per section entry ("" if none)
	paras    int
	lists    int
	tables   int
	err      error
	titled   bool // a title segment exists

	lineStarts []int
}

func parseMarkdown(a *Article) (*frontMatter, error) {
	fm, body, bodyStart, err := splitFrontMatterAt(a.Path, a.Source)
	if err != nil {
		return nil, err
	}
	a.BodyStart = bodyStart
	b := &mdBuilder{a: a, src: body}
	if fm != nil && fm.Title != "" {
		b.titled = true
		a.Segments = append(a.Segments, Segment{Kind: KindTitle, Text: fm.Title, Place: "title", Line: fm.titleLine, Col: fm.titleCol, Start: -1, End: -1, AttrEnd: -1})
	}
	if fm != nil && fm.Description != "" {
		a.Segments = append(a.Segments, Segment{Kind: KindDescription, Text: fm.Description, Place: "description", Line: fm.descLine, Col: fm.descCol, Start: -1, End: -1, AttrEnd: -1})
	}
	if fm != nil {
		a.Reviewed = fm.Reviewed
		if fm.ID != "" {
			if !slugRE.MatchString(fm.ID) {
				return nil, fm.errorAt(fm.idLine, fm.idCol, "front matter id %q must be letters, digits, '-' and '_'", fm.ID)
			}
			a.Slug = fm.ID
		}
	}
	doc := markdown.Parser().Parse(text.NewReader(body))
	b.walk(doc)
	if b.err != nil {
		return nil, b.err
	}
	return fm, nil
}

func (b *mdBuilder) walk(n ast.Node) {
	for c := n.FirstChild(); c != nil && b.err == nil; c = c.NextSibling() {
		b.block(c)
	}
}

// block handles one top-level block node.
func (b *mdBuilder) block(c ast.Node) {
	switch node := c.(type) {
	case *ast.Heading:
		b.heading(node)
	case *ast.Paragraph, *ast.TextBlock:
		b.paragraph(c)
	case *ast.List:
		b.lists++
		b.list(node, b.lists, 1)
	case *ast.Blockquote:
		b.blockquote(node)
	case *extast.Table:
		b.table(node)
	default:
		// Code blocks, HTML blocks and thematic breaks are not
		// translatable; they are kept as they are on export.
	}
}

func (b *mdBuilder) heading(h *ast.Heading) {
	for len(b.levels) > 0 && b.levels[len(b.levels)-1] >= h.Level {
		b.levels = b.levels[:len(b.levels)-1]
		b.section = b.section[:len(b.section)-1]
		b.safeSecs = b.safeSecs[:len(b.safeSecs)-1]
	}
	seg, at, ok := b.segment(h.Lines(), KindHeading)
	if !ok {
		return
	}
	seg.HeadingLevel = h.Level
	seg.Place = fmt.Sprintf("heading (level %d)", h.Level)
	var secLevel Level
	if at.safety {
		secLevel = Warning
		seg.Why = append(seg.Why, Reason{Source: "section", Rule: "{.safety}", Level: Warning})
	}
	if h.Level == 1 && !b.titled {
		seg.Kind = KindTitle
		seg.Place = "title"
		b.titled = true
		b.add(seg)
		return
	}
	b.add(seg)
	b.section = append(b.section, seg.Text)
	b.levels = append(b.levels, h.Level)
	b.safeSecs = append(b.safeSecs, secLevel)
}

// paragraph handles a top-level paragraph; an image-only paragraph yields
// one alt-text segment per image instead.
func (b *mdBuilder) paragraph(p ast.Node) {
	if b.imagesOnly(p) {
		return
	}
	seg, _, ok := b.segment(p.Lines(), KindParagraph)
	if !ok {
		return
	}
	b.paras++
	seg.Place = fmt.Sprintf("paragraph %d", b.paras)
	b.add(seg)
}

// imagesOnly emits alt-text segments when p holds nothing but images.
func (b *mdBuilder) imagesOnly(p ast.Node) bool {
	var imgs []*ast.Image
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		switch n := c.(type) {
		case *ast.Image:
			imgs = append(imgs, n)
		case *ast.Text:
			if strings.TrimSpace(string(n.Segment.Value(b.src))) != "" {
				return false
			}
		default:
			return false
		}
	}
	if len(imgs) == 0 {
		return false
	}
	for i, img := range imgs {
		var lo, hi = -1, -1
		for c := img.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				if lo < 0 {
					lo = t.Segment.Start
				}
				hi = t.Segment.Stop
			}
		}
		if lo < 0 {
			continue // no alt text to translate
		}
		alt := string(b.src[lo:hi])
		line, col := b.lineCol(lo)
		b.add(Segment{Kind: KindAlt, Text: alt, Place: fmt.Sprintf("image %d alt text", i+1), Line: line, Col: col, Start: lo, End: hi, AttrEnd: hi, ImageURL: string(img.Destination)})
	}
	return true
}

func (b *mdBuilder) list(l *ast.List, id, depth int) {
	number := l.Start
	if !l.IsOrdered() {
		number = 1
	}
	for item := l.FirstChild(); item != nil && b.err == nil; item = item.NextSibling() {
		para := 0
		for c := item.FirstChild(); c != nil && b.err == nil; c = c.NextSibling() {
			switch node := c.(type) {
			case *ast.Paragraph, *ast.TextBlock:
				seg, _, ok := b.segment(c.Lines(), KindItem)
				if !ok {
					continue
				}
				para++
				seg.ListDepth, seg.ListID, seg.Ordered, seg.Number, seg.ItemPara = depth, id, l.IsOrdered(), number, para
				seg.Place = fmt.Sprintf("list item %d", number)
				if depth > 1 {
					seg.Place = fmt.Sprintf("nested list (level %d) item %d", depth, number)
				}
				if para > 1 {
					seg.Place += fmt.Sprintf(", paragraph %d", para)
				}
				b.add(seg)
			case *ast.List:
				b.lists++
				b.list(node, b.lists, depth+1)
			case *ast.Blockquote:
				b.blockquote(node)
			case *extast.Table:
				b.table(node)
			}
		}
		number++
	}
}

func (b *mdBuilder) blockquote(q *ast.Blockquote) {
	alert := ""
	para := 0
	for c := q.FirstChild(); c != nil && b.err == nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			lines := c.Lines()
			if para == 0 && alert == "" && lines.Len() > 0 {
				first := lines.At(0)
				if m := alertRE.FindStringSubmatch(strings.TrimSpace(string(first.Value(b.src)))); m != nil {
					alert = m[1]
					rest := text.NewSegments()
					for i := 1; i < lines.Len(); i++ {
						rest.Append(lines.At(i))
					}
					lines = rest
				}
			}
			seg, _, ok := b.segment(lines, KindQuote)
			if !ok {
				continue
			}
			para++
			seg.Place = fmt.Sprintf("blockquote paragraph %d", para)
			if alert != "" {
				seg.Alert = alert
				seg.Place = fmt.Sprintf("%s alert, paragraph %d", strings.ToLower(alert), para)
				if lvl, ok := alertLevels[alert]; ok {
					seg.Why = append(seg.Why, Reason{Source: "marker", Rule: "[!" + alert + "]", Level: lvl})
				}
			}
			b.add(seg)
		default:
			b.block(c)
		}
	}
}

func (b *mdBuilder) table(t *extast.Table) {
	b.tables++
	row := 0
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		col := 0
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			seg, _, ok := b.segment(c.Lines(), KindCell)
			if ok {
				seg.Row, seg.Column = row, col
				if row == 0 {
					seg.Place = fmt.Sprintf("table %d header, column %d", b.tables, col+1)
				} else {
					seg.Place = fmt.Sprintf("table %d row %d, column %d", b.tables, row, col+1)
				}
				b.add(seg)
			}
			col++
		}
		row++
	}
}

// segment turns a block's lines into a segment: soft line breaks become
// spaces, a trailing attribute block is removed, and position and byte
// range are recorded. ok is false for a block with no text.
func (b *mdBuilder) segment(lines *text.Segments, kind Kind) (Segment, attrs, bool) {
	if lines.Len() == 0 {
		return Segment{}, attrs{}, false
	}
	var parts []string
	start, end := -1, -1
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		raw := string(seg.Value(b.src))
		line := strings.TrimRight(raw, "\n")
		hard := strings.HasSuffix(line, "  ") || strings.HasSuffix(line, "\\")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			continue
		}
		if start < 0 {
			start = seg.Start + strings.Index(raw, trimmed)
		}
		end = seg.Start + strings.Index(raw, trimmed) + len(trimmed)
		if hard && i < lines.Len()-1 {
			trimmed = strings.TrimSuffix(trimmed, "\\") + "\\\n"
		} else if i < lines.Len()-1 {
			trimmed += " "
		}
		parts = append(parts, trimmed)
	}
	txt := strings.TrimSpace(strings.Join(parts, ""))
	txt, at, cut := splitAttrs(txt)
	if strings.TrimSpace(txt) == "" {
		return Segment{}, at, false
	}
	attrEnd := end
	end -= cut
	line, col := b.lineCol(start)
	s := Segment{Kind: kind, Text: txt, PinnedID: at.id, NotSafety: at.notSafety, Line: line, Col: col, Start: start, End: end, AttrEnd: attrEnd}
	return s, at, true
}

// add records a segment with its section path and the section's safety.
func (b *mdBuilder) add(s Segment) {
	s.Section = append([]string(nil), b.section...)
	for i, lvl := range b.safeSecs {
		if lvl != "" && s.Kind != KindHeading {
			s.Why = append(s.Why, Reason{Source: "section", Rule: "{.safety} " + b.section[i], Level: lvl})
			break
		}
	}
	b.a.Segments = append(b.a.Segments, s)
}

// lineCol converts a byte offset to a 1-based line and column.
func (b *mdBuilder) lineCol(off int) (int, int) {
	if b.lineStarts == nil {
		b.lineStarts = lineStarts(b.src)
	}
	return lineColAt(b.lineStarts, off)
}

// lineStarts returns the offset at which each line of src begins.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineColAt finds the line holding off by binary search.
func lineColAt(starts []int, off int) (int, int) {
	i := sort.SearchInts(starts, off+1) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, off - starts[i] + 1
}
