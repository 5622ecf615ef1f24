// Package article owns source articles: reading Markdown (.md) and plain-text
// (.txt) files, splitting them into translatable segments, giving each
// segment a stable ID, and classifying each as normal or safety, with the
// reason why.
//
// It imports nothing of this project but inputerr, writes no files, and knows
// nothing of locale files, policy or output formats.
package article

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/healthi18n/healthi18n/internal/inputerr"
	"github.com/healthi18n/healthi18n/internal/textfile"
)

// Kind says what kind of block a segment comes from.
type Kind string

// The kinds of translatable block.
const (
	KindTitle       Kind = "title"
	KindDescription Kind = "description"
	KindHeading     Kind = "heading"
	KindParagraph   Kind = "paragraph"
	KindItem        Kind = "item"
	KindCell        Kind = "cell"
	KindAlt         Kind = "alt"
	KindQuote       Kind = "quote"
)

// Level is a segment's safety level. Normal is not safety; the others are,
// in increasing severity.
type Level string

// Safety levels.
const (
	Normal  Level = "normal"
	Caution Level = "caution"
	Warning Level = "warning"
	Danger  Level = "danger"
)

var levelRank = map[Level]int{Normal: 0, Caution: 1, Warning: 2, Danger: 3}

// ParseLevel parses a level name.
func ParseLevel(s string) (Level, bool) {
	l := Level(s)
	_, ok := levelRank[l]
	return l, ok
}

// Max returns the more severe of two levels.
func Max(a, b Level) Level {
	if levelRank[b] > levelRank[a] {
		return b
	}
	return a
}

// IsSafety reports whether the level is any safety level.
func (l Level) IsSafety() bool { return levelRank[l] > 0 }

// Reason records why a segment is a safety message.
type Reason struct {
	// Source is "marker" (a GFM alert), "section" (a {.safety} heading),
	// "front-matter" (listed under safety:), "rule" (the detector) or
	// "lead-in" (an item of a list introduced by a safety paragraph).
	Source string
	// Rule names the marker, rule ID or lead-in segment ID.
	Rule string
	// Match is the text that matched, for rules.
	Match string
	// Level is the level this reason implies.
	Level Level
}

// String renders a reason for people: `rule never: "never"`.
func (r Reason) String() string {
	if r.Match != "" {
		return fmt.Sprintf("%s %s: %q", r.Source, r.Rule, r.Match)
	}
	return fmt.Sprintf("%s %s", r.Source, r.Rule)
}

// Segment is one translatable message of an article.
type Segment struct {
	// ID is the stable message ID (see AssignIDs).
	ID string
	// PinnedID is the ID the author pinned with {#id}, if any.
	PinnedID string
	Kind     Kind
	// Text is the source text; inline Markdown stays inside it.
	Text string
	// Section is the path of headings above the segment.
	Section []string
	// Place says where the segment sits, for translators: "paragraph 3",
	// "list item 4, paragraph 2".
	Place string
	Level Level
	Why   []Reason
	// NotSafety is set when the author overruled the detector.
	NotSafety bool
	// Line and Col locate the segment's text in the source file.
	Line, Col int
	// Start and End are the byte range of Text's source in the file (for
	// Markdown, where export replaces it in place); End-Start may differ
	// from len(Text) when lines were joined.
	Start, End int
	// AttrEnd is where a trailing attribute block ({#id .not-safety})
	// after the text ends; it equals End when there is none. Exporters drop
	// the block: it is authoring markup, not text.
	AttrEnd int

	// Layout, for exporters that rebuild the document.
	HeadingLevel int    // headings: 1–6
	ListDepth    int    // items: 1 for a top-level list
	ListID       int    // items: 1-based ordinal of the list in the article
	Ordered      bool   // items: numbered list
	Number       int    // items: the item's number (ordered) or index
	ItemPara     int    // items: 1 for the first paragraph of the item
	Row, Column  int    // cells: 0-based row (0 = header) and column
	Alert        string // paragraphs in a GFM alert: WARNING, CAUTION…
	ImageURL     string // alt text: the image's destination
}

// Article is a parsed source article.
type Article struct {
	// Path is the file the article was read from.
	Path string
	// Slug names the article's bundles: locales/<lang>/<slug>.<lang>.toml.
	Slug string
	// Format is "md" or "txt".
	Format string
	// Source is the file content after BOM removal and CRLF normalisation.
	Source []byte
	// Reviewed is the front matter's reviewed date, if any.
	Reviewed string
	// BodyStart is the byte offset in Source where the body begins, after
	// any front matter (0 when there is none).
	BodyStart int
	// Segments are the translatable messages in document order.
	Segments []Segment
}

// Title returns the text of the title segment, or the slug for a Markdown
// article with neither a front matter title nor a heading.
func (a *Article) Title() string {
	for _, s := range a.Segments {
		if s.Kind == KindTitle {
			return s.Text
		}
	}
	return a.Slug
}

// Options controls parsing.
type Options struct {
	// Detector classifies segments; nil means DefaultDetector().
	Detector *Detector
	// Previous are the messages of the article's existing source bundle, in
	// order, used to keep IDs stable (see AssignIDs).
	Previous []Previous
	// MaxBytes limits the size of an article; 0 means no limit.
	MaxBytes int
}

var slugRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// SlugFromPath returns the slug for a content file: its base name without
// extension. It must be letters, digits, '-' and '_' so it can never name a
// path outside the locale directory.
func SlugFromPath(path string) (string, error) {
	base := filepath.Base(path)
	slug := strings.TrimSuffix(base, filepath.Ext(base))
	if !slugRE.MatchString(slug) {
		return "", fmt.Errorf("article file name %q must be letters, digits, '-' and '_' (it names the locale files)", base)
	}
	return slug, nil
}

// Parse reads one article from its bytes. The format follows the file
// extension (.md or .txt). Errors are *inputerr.Error with a position.
func Parse(path string, data []byte, opts Options) (*Article, error) {
	if opts.MaxBytes > 0 && len(data) > opts.MaxBytes {
		return nil, inputerr.New(path, 0, 0, "file is %d bytes, over the limit of %d (limits.max_file_bytes)", len(data), opts.MaxBytes)
	}
	src, err := textfile.Decode(path, data)
	if err != nil {
		return nil, err
	}
	slug, err := SlugFromPath(path)
	if err != nil {
		return nil, inputerr.Wrap(path, 0, 0, err)
	}
	a := &Article{Path: path, Slug: slug, Source: src}
	var fm *frontMatter
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md", ".markdown":
		a.Format = "md"
		fm, err = parseMarkdown(a)
	case ".txt":
		a.Format = "txt"
		err = parsePlainText(a)
	default:
		return nil, inputerr.New(path, 0, 0, "unsupported article type %q (want .md or .txt)", filepath.Ext(path))
	}
	if err != nil {
		return nil, err
	}
	if len(a.Segments) == 0 {
		return nil, inputerr.New(path, 1, 1, "article has no text to translate")
	}
	det := opts.Detector
	if det == nil {
		det = DefaultDetector()
	}
	det.Classify(a.Segments)
	if err := AssignIDs(a, opts.Previous); err != nil {
		return nil, err
	}
	if fm != nil {
		if err := fm.applySafetyIDs(a); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// attrRE matches a trailing attribute block such as "{#my-id .not-safety}".
var attrRE = regexp.MustCompile(`\s*\{\s*((?:[#.][A-Za-z0-9_-]+\s*)+)\}\s*$`)

// attrs is what a trailing attribute block says.
type attrs struct {
	id        string
	safety    bool
	notSafety bool
}

// splitAttrs removes a trailing attribute block from text and returns the
// rest, the attributes, and the number of bytes removed from the end.
func splitAttrs(text string) (string, attrs, int) {
	m := attrRE.FindStringSubmatchIndex(text)
	if m == nil {
		return text, attrs{}, 0
	}
	var a attrs
	for _, tok := range strings.Fields(text[m[2]:m[3]]) {
		switch {
		case tok == ".safety":
			a.safety = true
		case tok == ".not-safety":
			a.notSafety = true
		case strings.HasPrefix(tok, "#"):
			a.id = tok[1:]
		}
	}
	return text[:m[0]], a, len(text) - m[0]
}
