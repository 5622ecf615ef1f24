package article

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/healthi18n/healthi18n/internal/inputerr"
)

// frontMatter is the YAML block at the top of a Markdown article.
type frontMatter struct {
	path        string
	Title       string
	ID          string
	Description string
	Reviewed    string
	Safety      []string // message IDs the author marks as safety

	titleLine, titleCol int
	descLine, descCol   int
	idLine, idCol       int
	safetyPos           []int // line of each Safety entry
}

var frontMatterKeys = []string{"description", "id", "reviewed", "safety", "title"}

// yamlKeyRE matches a line that starts a YAML mapping entry.
var yamlKeyRE = regexp.MustCompile(`^["']?[A-Za-z_][\w -]*["']?\s*:(?:\s|$)`)

// looksLikeYAML reports whether the first non-blank line after the opening
// "---" is a YAML key.
func looksLikeYAML(rest []byte) bool {
	for _, line := range strings.Split(string(rest), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		return yamlKeyRE.MatchString(line)
	}
	return false
}

// editDistance is the Levenshtein distance between two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

var yamlLineRE = regexp.MustCompile(`(?:yaml: )?line (\d+): (.*)`)

// splitFrontMatterAt finds a front matter block opened by "---" on the first
// line and closed by "---" or "...". It returns the parsed front matter (nil
// if there is none) and the source with the block blanked out (newlines
// kept), so that byte offsets and line numbers in the body still match the
// file, and the offset where the body starts.
func splitFrontMatterAt(path string, src []byte) (*frontMatter, []byte, int, error) {
	if !bytes.HasPrefix(src, []byte("---\n")) {
		return nil, src, 0, nil
	}
	// Find the closing line.
	off := 4
	end := -1
	closeEnd := -1
	for off <= len(src) {
		nl := bytes.IndexByte(src[off:], '\n')
		lineEnd := len(src)
		if nl >= 0 {
			lineEnd = off + nl
		}
		l := strings.TrimRight(string(src[off:lineEnd]), " \t")
		if l == "---" || l == "..." {
			end = off
			closeEnd = lineEnd
			break
		}
		if nl < 0 {
			break
		}
		off = lineEnd + 1
	}
	if !looksLikeYAML(src[4:]) {
		// "---" followed by prose is a thematic break, not front matter.
		return nil, src, 0, nil
	}
	if end < 0 {
		return nil, nil, 0, inputerr.New(path, 1, 1, "unclosed front matter: no closing '---' line")
	}
	fm := &frontMatter{path: path}
	if err := fm.parse(src[4:end]); err != nil {
		return nil, nil, 0, err
	}
	body := append([]byte(nil), src...)
	for i := 0; i < closeEnd; i++ {
		if body[i] != '\n' {
			body[i] = ' '
		}
	}
	bodyStart := closeEnd + 1
	if bodyStart > len(src) {
		bodyStart = len(src)
	}
	return fm, body, bodyStart, nil
}

// errorAt builds an error at a line/column of the front matter text, which
// starts on line 2 of the file.
func (fm *frontMatter) errorAt(line, col int, format string, args ...any) error {
	return inputerr.New(fm.path, line+1, col, format, args...)
}

func (fm *frontMatter) parse(y []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(y, &doc); err != nil {
		msg := err.Error()
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			return fm.errorAt(n, 1, "front matter: %s", m[2])
		}
		return fm.errorAt(1, 1, "front matter: %s", strings.TrimPrefix(msg, "yaml: "))
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil // empty front matter
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fm.errorAt(root.Line, root.Column, "front matter must be a mapping of keys (title:, description:…)")
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind == yaml.AliasNode || v.Kind == yaml.AliasNode || v.Anchor != "" || k.Anchor != "" {
			return fm.errorAt(k.Line, k.Column, "front matter: YAML anchors and aliases are not allowed")
		}
		if seen[k.Value] {
			return fm.errorAt(k.Line, k.Column, "front matter: key %q appears twice", k.Value)
		}
		seen[k.Value] = true
		switch k.Value {
		case "title", "id", "description", "reviewed":
			if v.Kind != yaml.ScalarNode {
				return fm.errorAt(v.Line, v.Column, "front matter: %s must be a single line of text", k.Value)
			}
			val := strings.TrimSpace(v.Value)
			switch k.Value {
			case "title":
				fm.Title, fm.titleLine, fm.titleCol = val, v.Line+1, v.Column
			case "id":
				fm.ID, fm.idLine, fm.idCol = val, v.Line, v.Column
			case "description":
				fm.Description, fm.descLine, fm.descCol = val, v.Line+1, v.Column
			case "reviewed":
				// Readers see this date; it must be a real one.
				if _, err := time.Parse("2006-01-02", val); err != nil {
					return fm.errorAt(v.Line, v.Column, "front matter: reviewed %q is not a date written YYYY-MM-DD", val)
				}
				fm.Reviewed = val
			}
		case "safety":
			if v.Kind != yaml.SequenceNode {
				return fm.errorAt(v.Line, v.Column, "front matter: safety must be a list of message IDs")
			}
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					return fm.errorAt(item.Line, item.Column, "front matter: safety entries must be message IDs")
				}
				fm.Safety = append(fm.Safety, item.Value)
				fm.safetyPos = append(fm.safetyPos, item.Line)
			}
		default:
			// Other keys (author, tags…) belong to the site and are kept
			// out of translation; a near-miss of ours is a typo that would
			// silently drop a title or a safety marker.
			for _, known := range frontMatterKeys {
				if d := editDistance(strings.ToLower(k.Value), known); d > 0 && d <= 2 {
					return fm.errorAt(k.Line, k.Column, "front matter: unknown key %q; did you mean %q?", k.Value, known)
				}
			}
		}
	}
	return nil
}

// applySafetyIDs marks the segments listed under safety:. An ID that names
// no segment is an error: a typo must not silently drop a warning.
func (fm *frontMatter) applySafetyIDs(a *Article) error {
	byID := map[string]int{}
	for i, s := range a.Segments {
		byID[s.ID] = i
	}
	for i, id := range fm.Safety {
		j, ok := byID[id]
		if !ok {
			return fm.errorAt(fm.safetyPos[i], 1, "front matter: safety lists %q, which is no message of this article", id)
		}
		s := &a.Segments[j]
		s.Why = append(s.Why, Reason{Source: "front-matter", Rule: "safety: " + id, Level: Warning})
		s.Level = levelOf(s.Why)
	}
	return nil
}
