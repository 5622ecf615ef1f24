package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"sort"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/healthi18n/healthi18n/internal/locale"
)

// markdown renders HTML without raw HTML (goldmark's default: raw HTML is
// omitted and dangerous link schemes such as javascript: are dropped), so
// that no translated string can become markup or script.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList))

// pageCSS is the page's only style; its hash goes into the CSP.
const pageCSS = `body{font-family:system-ui,"Noto Sans","Noto Sans CJK SC","Noto Sans CJK JP","Noto Naskh Arabic",sans-serif;max-width:46em;margin:2em auto;padding:0 1em;line-height:1.55;color:#1b1b1b}
.hi18n-safety{border-inline-start:6px solid #b3261e;background:#fdecea;padding:.4em .8em;margin:.6em 0;list-style-position:inside}
.hi18n-safety.hi18n-caution{border-color:#b26a00;background:#fff4e0}
li.hi18n-safety{padding:.2em .6em}
.hi18n-label{color:#b3261e;margin-inline-end:.3em}
.hi18n-notice{color:#5f5f5f;font-size:.9em}
.hi18n-count{font-weight:600}
table{border-collapse:collapse}td,th{border:1px solid #aaa;padding:.3em .6em}
footer{margin-top:2em;color:#555;font-size:.9em}`

var cspStyleHash = func() string {
	sum := sha256.Sum256([]byte(pageCSS))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' https: data:; style-src {{.StyleHash}}; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="healthi18n">
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<article>
{{if .SafetyCount}}<p class="hi18n-count" role="note">{{.SafetyCount}}</p>
{{end}}{{.Body}}
{{if or .FallbackCount .Reviewed}}<footer>
{{if .FallbackCount}}<p>{{.FallbackCount}}</p>
{{end}}{{if .Reviewed}}<p>{{.Reviewed}}</p>
{{end}}</footer>
{{end}}</article>
</body>
</html>
`))

// page is the data of one HTML page.
type page struct {
	Lang, Dir, Title string
	StyleHash        template.HTMLAttr
	CSS              template.CSS
	Body             template.HTML
	SafetyCount      string
	FallbackCount    string
	Reviewed         string
}

// renderHTML turns an article's HTML source into a standalone page. Blocks
// that hold a safety message get the warning class, the localized label
// and data-hi18n-msg; fallback text is marked with the source language and
// followed by the localized notice.
func renderHTML(d *mdDoc, pg page, n notices, srcLang string) ([]byte, error) {
	srcDir := "ltr"
	if l, err := locale.Parse(srcLang); err == nil {
		srcDir = l.Direction()
	}
	src := d.HTMLSource
	doc := markdown.Parser().Parse(text.NewReader(src))
	spans := append([]span(nil), d.spans...)
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	find := func(off int) *span {
		i := sort.Search(len(spans), func(i int) bool { return spans[i].end >= off })
		if i < len(spans) && spans[i].start <= off && off <= spans[i].end && spans[i].end > spans[i].start {
			return &spans[i]
		}
		return nil
	}
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch node.Kind() {
		case ast.KindParagraph, ast.KindTextBlock, ast.KindHeading:
		default:
			if node.Kind().String() != "TableCell" {
				return ast.WalkContinue, nil
			}
		}
		lines := node.Lines()
		for i := 0; i < lines.Len(); i++ {
			if sp := find(lines.At(i).Start); sp != nil {
				if i > 0 {
					dropLines(node, src, lines.At(i).Start) // a GFM alert's "[!WARNING]" line
				}
				mark(node, sp.piece, n, srcLang, srcDir, pg.Lang, pg.Dir)
				break
			}
		}
		return ast.WalkContinue, nil
	})
	var body bytes.Buffer
	if err := markdown.Renderer().Render(&body, src, doc); err != nil {
		return nil, err
	}
	pg.Body = template.HTML(body.String()) // goldmark output: raw HTML omitted, text escaped
	pg.CSS = template.CSS(pageCSS)
	pg.StyleHash = template.HTMLAttr(cspStyleHash)
	var out bytes.Buffer
	if err := pageTemplate.Execute(&out, pg); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// dropLines removes the inline content of a block that comes before off:
// the "[!WARNING]" line of a GFM alert, which the warning block replaces.
func dropLines(node ast.Node, src []byte, off int) {
	for c := node.FirstChild(); c != nil; {
		next := c.NextSibling()
		if t, ok := c.(*ast.Text); ok && t.Segment.Start < off {
			node.RemoveChild(node, c)
		} else if ok {
			break
		}
		c = next
	}
}

// mark decorates the block that holds a message.
func mark(node ast.Node, p *Piece, n notices, srcLang, srcDir, lang, dir string) {
	target := node
	if node.Kind() == ast.KindTextBlock && node.Parent() != nil {
		target = node.Parent() // a tight list item: the <li> carries the attributes
	}
	target.SetAttributeString("data-hi18n-msg", []byte(p.Msg.ID))
	if p.Safety() {
		target.SetAttributeString("class", []byte("hi18n-safety hi18n-"+string(p.Msg.Level)))
		target.SetAttributeString("role", []byte("note"))
		if node.Kind() != ast.KindHeading {
			label := ast.NewEmphasis(2)
			label.SetAttributeString("class", []byte("hi18n-label"))
			if p.Fallback {
				// The block is in the source language; the label is not.
				label.SetAttributeString("lang", []byte(lang))
				label.SetAttributeString("dir", []byte(dir))
			}
			label.AppendChild(label, ast.NewString([]byte(n.safetyLabel+":")))
			node.InsertBefore(node, node.FirstChild(), label)
			node.InsertAfter(node, label, ast.NewString([]byte(" ")))
		}
	}
	if p.Fallback {
		// The fallback text is in the source language; the notice that the
		// Markdown already carries is marked back as the page's language.
		// dir keeps "500 mg" and full stops in place on a right-to-left page.
		target.SetAttributeString("lang", []byte(srcLang))
		target.SetAttributeString("dir", []byte(srcDir))
		if last := node.LastChild(); last != nil && last.Kind() == ast.KindEmphasis {
			last.SetAttributeString("class", []byte("hi18n-notice"))
			last.SetAttributeString("lang", []byte(lang))
			last.SetAttributeString("dir", []byte(dir))
		}
	}
}
