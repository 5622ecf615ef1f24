package article

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// itemRE matches the start of a plain-text list item: "1. ", "2) ", "- ", "• ".
var itemRE = regexp.MustCompile(`^([ \t]*)(?:(\d{1,9})[.)]|[-*•])[ \t]+`)

// textLine is one line of a plain-text article with its byte offset.
type textLine struct {
	text   string
	offset int
	no     int // 1-based line number
}

// parsePlainText splits a plain-text article as articles arrive from a CMS:
// the first line is the title; blank lines separate paragraphs; "N." lines
// start list items; an indented paragraph right after an item belongs to it.
// Nothing here is read as Markdown, so an indented paragraph is never a code
// block.
func parsePlainText(a *Article) error {
	var lines []textLine
	off := 0
	for i, l := range strings.SplitAfter(string(a.Source), "\n") {
		if l == "" {
			continue
		}
		lines = append(lines, textLine{text: strings.TrimRight(l, "\n"), offset: off, no: i + 1})
		off += len(l)
	}
	// Group non-blank lines into blocks.
	var blocks [][]textLine
	var cur []textLine
	for _, l := range lines {
		if strings.TrimSpace(l.text) == "" {
			if cur != nil {
				blocks = append(blocks, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if cur != nil {
		blocks = append(blocks, cur)
	}
	if len(blocks) == 0 {
		return nil
	}

	p := &plainBuilder{a: a}
	first := blocks[0]
	p.add(KindTitle, first[:1], Segment{Place: "title"})
	if len(first) > 1 {
		p.paragraph(first[1:])
	}
	for _, b := range blocks[1:] {
		p.block(b)
	}
	return nil
}

type plainBuilder struct {
	a         *Article
	paras     int
	lists     int
	inList    bool // the previous block was (part of) a list item
	lastItem  int  // index of the last item segment
	itemIndex int  // index of items in an unordered list
}

// block handles one blank-line-separated block, which may hold several
// list items written without blank lines between them.
func (p *plainBuilder) block(b []textLine) {
	indented := len(b[0].text) > len(strings.TrimLeft(b[0].text, " \t"))
	if itemRE.MatchString(b[0].text) {
		start := 0
		for i := 1; i <= len(b); i++ {
			if i == len(b) || itemRE.MatchString(b[i].text) {
				p.item(b[start:i])
				start = i
			}
		}
		return
	}
	if indented && p.inList {
		last := p.a.Segments[p.lastItem]
		seg := Segment{
			ListDepth: 1, ListID: last.ListID, Ordered: last.Ordered, Number: last.Number,
			ItemPara: last.ItemPara + 1,
		}
		seg.Place = fmt.Sprintf("list item %d, paragraph %d", seg.Number, seg.ItemPara)
		p.lastItem = p.add(KindItem, b, seg)
		return
	}
	p.paragraph(b)
}

func (p *plainBuilder) paragraph(b []textLine) {
	p.inList = false
	p.paras++
	p.add(KindParagraph, b, Segment{Place: fmt.Sprintf("paragraph %d", p.paras)})
}

func (p *plainBuilder) item(b []textLine) {
	m := itemRE.FindStringSubmatch(b[0].text)
	if !p.inList {
		p.lists++
		p.itemIndex = 0
	}
	p.inList = true
	p.itemIndex++
	seg := Segment{ListDepth: 1, ListID: p.lists, ItemPara: 1, Number: p.itemIndex}
	if m[2] != "" {
		seg.Ordered = true
		seg.Number, _ = strconv.Atoi(m[2])
	}
	seg.Place = fmt.Sprintf("list item %d", seg.Number)
	// Drop the marker from the first line.
	first := b[0]
	cut := len(m[0])
	b = append([]textLine{{text: first.text[cut:], offset: first.offset + cut, no: first.no}}, b[1:]...)
	p.lastItem = p.add(KindItem, b, seg)
}

// add joins a block's lines into one segment (soft line breaks become
// spaces), strips a trailing {#id .not-safety} attribute, records position
// and byte range, and returns the new segment's index.
func (p *plainBuilder) add(kind Kind, b []textLine, seg Segment) int {
	parts := make([]string, 0, len(b))
	for _, l := range b {
		parts = append(parts, strings.TrimSpace(l.text))
	}
	text := strings.Join(parts, " ")
	text, at, cut := splitAttrs(text)
	lead := len(b[0].text) - len(strings.TrimLeft(b[0].text, " \t"))
	seg.Kind = kind
	seg.Text = text
	seg.PinnedID = at.id
	seg.NotSafety = at.notSafety
	seg.Line = b[0].no
	seg.Col = lead + 1
	if kind == KindItem && seg.ItemPara == 1 {
		// the marker was cut; the column is that of the text.
		seg.Col = b[0].offset - lineStart(p.a.Source, b[0].offset) + lead + 1
	}
	seg.Start = b[0].offset + lead
	last := b[len(b)-1]
	seg.AttrEnd = last.offset + len(strings.TrimRight(last.text, " \t"))
	seg.End = seg.AttrEnd - cut
	if at.safety {
		seg.Why = append(seg.Why, Reason{Source: "marker", Rule: "{.safety}", Level: Warning})
	}
	p.a.Segments = append(p.a.Segments, seg)
	return len(p.a.Segments) - 1
}

func lineStart(src []byte, off int) int {
	for off > 0 && src[off-1] != '\n' {
		off--
	}
	return off
}
