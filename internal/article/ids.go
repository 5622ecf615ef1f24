package article

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/healthi18n/healthi18n/internal/inputerr"
)

// Previous is a message of the article's existing source bundle: the memory
// that keeps IDs stable when paragraphs are inserted, moved or edited.
type Previous struct {
	ID   string
	Text string
}

// idRE is what a message ID may contain: it becomes a TOML table key and
// appears in reports, so it stays plain (no dots, which go-i18n reads as
// nesting, and nothing that could name a path).
var idRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$`)

// ValidID reports whether id is a well-formed message ID.
func ValidID(id string) bool { return idRE.MatchString(id) }

// similarityThreshold is the word-overlap (Dice) score above which an
// unmatched new segment is taken to be an edit of an unmatched old one.
const similarityThreshold = 0.5

// AssignIDs gives every segment an ID that does not depend on its position:
//  1. an ID the author pinned with {#id};
//  2. "title" and "description" for those segments;
//  3. the ID of a previous message with exactly the same text (in order);
//  4. the ID of the most similar remaining previous message, when enough of
//     their words agree: the paragraph was edited, so its translations become
//     stale rather than missing;
//  5. otherwise a new ID made from the text's first words and a hash of it.
//
// With no previous messages the result depends only on the text, and the
// same inputs always give the same IDs.
func AssignIDs(a *Article, prev []Previous) error {
	used := map[string]bool{}
	pinnedAt := map[string]int{}
	for i := range a.Segments {
		s := &a.Segments[i]
		s.ID = ""
		switch {
		case s.PinnedID != "":
			if !ValidID(s.PinnedID) {
				return inputerr.New(a.Path, s.Line, s.Col, "pinned ID %q must be letters, digits, '-' and '_' (at most 80)", s.PinnedID)
			}
			if j, dup := pinnedAt[s.PinnedID]; dup {
				return inputerr.New(a.Path, s.Line, s.Col, "pinned ID %q is already used at line %d", s.PinnedID, a.Segments[j].Line)
			}
			pinnedAt[s.PinnedID] = i
			s.ID = s.PinnedID
		case s.Kind == KindTitle:
			s.ID = "title"
		case s.Kind == KindDescription:
			s.ID = "description"
		}
		if s.ID != "" {
			used[s.ID] = true
		}
	}
	// Exact text matches, in document order.
	byText := map[string][]int{}
	for j, p := range prev {
		if used[p.ID] {
			continue
		}
		byText[p.Text] = append(byText[p.Text], j)
	}
	taken := make([]bool, len(prev))
	for j, p := range prev {
		if used[p.ID] {
			taken[j] = true
		}
	}
	for i := range a.Segments {
		s := &a.Segments[i]
		if s.ID != "" {
			continue
		}
		for len(byText[s.Text]) > 0 {
			j := byText[s.Text][0]
			byText[s.Text] = byText[s.Text][1:]
			if !taken[j] && !used[prev[j].ID] {
				taken[j] = true
				s.ID = prev[j].ID
				used[s.ID] = true
				break
			}
		}
	}
	// Edited segments: best similar pairs first.
	type pair struct {
		score float64
		i, j  int
	}
	var pairs []pair
	var open []int
	for i := range a.Segments {
		if a.Segments[i].ID == "" {
			open = append(open, i)
		}
	}
	if len(open) > 0 {
		prevWords := make([]map[string]int, len(prev))
		for j := range prev {
			if !taken[j] {
				prevWords[j] = words(prev[j].Text)
			}
		}
		for _, i := range open {
			w := words(a.Segments[i].Text)
			for j := range prev {
				if taken[j] || used[prev[j].ID] {
					continue
				}
				if sc := dice(w, prevWords[j]); sc >= similarityThreshold {
					pairs = append(pairs, pair{sc, i, j})
				}
			}
		}
		sort.SliceStable(pairs, func(x, y int) bool {
			if pairs[x].score != pairs[y].score {
				return pairs[x].score > pairs[y].score
			}
			if pairs[x].i != pairs[y].i {
				return pairs[x].i < pairs[y].i
			}
			return pairs[x].j < pairs[y].j
		})
		for _, p := range pairs {
			s := &a.Segments[p.i]
			if s.ID != "" || taken[p.j] || used[prev[p.j].ID] {
				continue
			}
			taken[p.j] = true
			s.ID = prev[p.j].ID
			used[s.ID] = true
		}
	}
	// New IDs. A previous ID not reused stays reserved, so that a new
	// paragraph never inherits an orphaned message's translations.
	for j := range prev {
		used[prev[j].ID] = true
	}
	next := map[string]int{} // last suffix used per base ID
	for i := range a.Segments {
		s := &a.Segments[i]
		if s.ID != "" {
			continue
		}
		base := autoID(s.Kind, s.Text)
		id := base
		for used[id] {
			next[base]++
			id = fmt.Sprintf("%s-%d", base, next[base]+1)
		}
		s.ID = id
		used[id] = true
	}
	return nil
}

var kindPrefix = map[Kind]string{
	KindHeading: "h", KindParagraph: "p", KindItem: "li", KindCell: "td",
	KindAlt: "alt", KindQuote: "q", KindTitle: "title", KindDescription: "desc",
}

// autoID builds a readable ID: kind prefix, up to four words of the text
// folded to ASCII, and six hex digits of the text's SHA-1.
func autoID(k Kind, text string) string {
	sum := sha1.Sum([]byte(text))
	var ws []string
	for _, w := range strings.FieldsFunc(asciiFold(text), func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
		if len(w) > 12 {
			w = w[:12] // keep IDs short whatever the words
		}
		ws = append(ws, w)
		if len(ws) == 4 {
			break
		}
	}
	parts := append([]string{kindPrefix[k]}, ws...)
	parts = append(parts, hex.EncodeToString(sum[:3]))
	return strings.Join(parts, "-")
}

// asciiFold lower-cases text and strips accents (é → e); other scripts fall
// away, leaving the hash to carry the identity.
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if r < 128 {
			b.WriteRune(r)
		} else {
			b.WriteRune(' ')
		}
	}
	return b.String()
}

// words counts the lower-cased words of text.
func words(text string) map[string]int {
	m := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
		m[w]++
	}
	return m
}

// dice is the Dice coefficient of two word multisets.
func dice(a, b map[string]int) float64 {
	na, nb, common := 0, 0, 0
	for w, c := range a {
		na += c
		if d := b[w]; d > 0 {
			common += min(c, d)
		}
	}
	for _, c := range b {
		nb += c
	}
	if na+nb == 0 {
		return 0
	}
	return 2 * float64(common) / float64(na+nb)
}
