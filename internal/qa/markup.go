package qa

import (
	"regexp"
	"strings"
	"sync"
)

// token is a piece of markup found in a text: its (normalised) text and the
// byte offset where it starts.
type token struct {
	s   string
	off int
}

// analysis is what the markup rules need to know about one text. It is
// computed once per text per Check, so each rule does not re-scan.
type analysis struct {
	text string
	// plain is text with code spans, template actions, printf verbs and
	// URLs masked by maskByte, byte for byte, so offsets in plain are
	// offsets in text.
	// The number, emphasis and negation rules read plain: a "500" inside
	// a URL or code span is not a dose, and "*" inside code is not emphasis.
	plain   string
	actions []token // template actions, normalised
	verbs   []token // printf verbs
	code    []token // inline code spans, with their backticks
	urls    []token // link destinations, autolinks and bare URLs
}

// maskByte replaces masked bytes in analysis.plain. It is neither a letter,
// a digit nor white space, so it joins no word or number and does not make
// an emphasis marker next to a code span look space-flanked.
const maskByte = 0

// markupPatterns are the regular expressions markup is found with.
type markupPatterns struct {
	// action matches a text/template action, including go-i18n's
	// {{.Count}} and trim markers {{- ... -}}.
	action *regexp.Regexp
	// printf matches a fmt verb with optional argument index, flags (no
	// space flag: "50% de" in prose is not a verb), width and precision.
	// "%%" is matched so that it can be skipped.
	printf *regexp.Regexp
	// links are the link patterns whose group 1 is the URL, in the order
	// they are applied (each masks what it found from the next): the
	// "](destination "title")" part of an inline Markdown link or image
	// (destinations may hold balanced parentheses, as Wikipedia URLs do,
	// or be written <...>), a link reference definition "[label]: url",
	// and <scheme:...> and <user@host> autolinks.
	links []*regexp.Regexp
	// bareURL matches a bare http(s) URL. Only ASCII URL characters are
	// taken, so a URL followed by CJK text without a space ends where the
	// URL does.
	bareURL *regexp.Regexp
}

// patterns compiles the markup patterns on first use: a run whose checks
// all come from the cache reads no text, and need not compile them.
var patterns = sync.OnceValue(func() *markupPatterns {
	return &markupPatterns{
		action: regexp.MustCompile(`(?s)\{\{.*?\}\}`),
		printf: regexp.MustCompile(`%%|%(?:\[\d+\])?[-+#0]*(?:\d+|\*)?(?:\.(?:\d+|\*)?)?(?:\[\d+\])?[vTtbcdoOqxXUeEfFgGsp]`),
		links: []*regexp.Regexp{
			regexp.MustCompile(`\]\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?\s*\)`),
			regexp.MustCompile(`(?m)^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^<>\n]*>|\S+)`),
			regexp.MustCompile(`<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-.]*[A-Za-z0-9])?)>`),
		},
		bareURL: regexp.MustCompile(`(?i)\b(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]+`),
	}
})

// analyze extracts the markup of text and builds its masked plain form.
// Texts with none of the markup characters, most of them, cost one scan.
func analyze(text string) analysis {
	a := analysis{text: text, plain: text}
	hasBrace := strings.Contains(text, "{{")
	hasTick := strings.IndexByte(text, '`') >= 0
	hasPct := strings.IndexByte(text, '%') >= 0
	hasLink := strings.Contains(text, "](") || strings.IndexByte(text, '<') >= 0 ||
		strings.Contains(text, "://") || strings.Contains(text, "www.") || strings.Contains(text, "]:")
	if !hasBrace && !hasTick && !hasPct && !hasLink {
		return a
	}
	var mask []byte // allocated on first use
	maskRange := func(from, to int) {
		if mask == nil {
			mask = []byte(text)
		}
		for i := from; i < to; i++ {
			mask[i] = maskByte
		}
	}
	// Template actions are found in the whole text: go-i18n executes the
	// template before any Markdown is rendered, so an action inside a code
	// span is still an action.
	if hasBrace {
		for _, m := range patterns().action.FindAllStringIndex(text, -1) {
			a.actions = append(a.actions, token{normalizeAction(text[m[0]:m[1]]), m[0]})
			maskRange(m[0], m[1])
		}
	}
	if hasTick {
		a.code = codeSpans(text, a.code)
		for _, t := range a.code {
			maskRange(t.off, t.off+len(t.s))
		}
	}
	// The regular expressions below read the masked bytes when there are
	// any (a URL inside a code span is code), without copying them into a
	// new string each time.
	find := func(re *regexp.Regexp, sub bool) [][]int {
		switch {
		case mask == nil && sub:
			return re.FindAllStringSubmatchIndex(text, -1)
		case mask == nil:
			return re.FindAllStringIndex(text, -1)
		case sub:
			return re.FindAllSubmatchIndex(mask, -1)
		}
		return re.FindAllIndex(mask, -1)
	}
	if hasPct {
		// Verbs are looked for outside code spans: `%d` in code is code.
		for _, m := range find(patterns().printf, false) {
			// "%%" is a literal percent sign, and so is a "%" after a
			// digit: "77%.The" is prose, not the verb "%.T".
			if text[m[0]:m[1]] == "%%" || (m[0] > 0 && text[m[0]-1] >= '0' && text[m[0]-1] <= '9') {
				continue
			}
			a.verbs = append(a.verbs, token{text[m[0]:m[1]], m[0]})
			maskRange(m[0], m[1]) // "%5.2f" holds no number, "%*d" no emphasis
		}
	}
	if hasLink {
		for _, re := range patterns().links {
			for _, m := range find(re, true) {
				u := strings.TrimSuffix(strings.TrimPrefix(text[m[2]:m[3]], "<"), ">")
				a.urls = append(a.urls, token{u, m[2]})
				maskRange(m[2], m[3])
			}
		}
		for _, m := range find(patterns().bareURL, false) {
			end := m[0] + trimURL(text[m[0]:m[1]])
			a.urls = append(a.urls, token{text[m[0]:end], m[0]})
			maskRange(m[0], end)
		}
	}
	if mask != nil {
		a.plain = string(mask)
	}
	return a
}

// trimURL returns the length of u without the trailing punctuation that
// ends the sentence rather than the URL, and without an unbalanced ")".
func trimURL(u string) int {
	for len(u) > 0 {
		last := u[len(u)-1]
		switch {
		case strings.IndexByte(".,;:!?*_~'\"", last) >= 0:
			u = u[:len(u)-1]
		case last == ')' && strings.Count(u, "(") < strings.Count(u, ")"):
			u = u[:len(u)-1]
		case last == ']' && strings.Count(u, "[") < strings.Count(u, "]"):
			u = u[:len(u)-1]
		default:
			return len(u)
		}
	}
	return 0
}

// codeSpans appends the CommonMark code spans of s: a run of n backticks
// up to the next run of exactly n backticks. A run with no closer is
// literal text. Backslash escapes do not apply inside code, but a
// backslash-escaped opening backtick is not a code span.
func codeSpans(s string, out []token) []token {
	i := 0
	for i < len(s) {
		j := strings.IndexByte(s[i:], '`')
		if j < 0 {
			break
		}
		start := i + j
		n := tickRun(s, start)
		if start > 0 && s[start-1] == '\\' && !escaped(s, start-1) {
			// "\`" is a literal backtick; the rest of the run may open.
			start++
			n--
			if n == 0 {
				i = start
				continue
			}
		}
		k := start + n
		closed := false
		for k < len(s) {
			m := strings.IndexByte(s[k:], '`')
			if m < 0 {
				break
			}
			p := k + m
			r := tickRun(s, p)
			if r == n {
				out = append(out, token{s[start : p+n], start})
				i = p + n
				closed = true
				break
			}
			k = p + r
		}
		if !closed {
			i = start + n
		}
	}
	return out
}

// tickRun returns the length of the backtick run starting at i.
func tickRun(s string, i int) int {
	n := 0
	for i+n < len(s) && s[i+n] == '`' {
		n++
	}
	return n
}

// escaped reports whether the byte at i is itself preceded by an odd
// number of backslashes.
func escaped(s string, i int) bool {
	n := 0
	for i-1-n >= 0 && s[i-1-n] == '\\' {
		n++
	}
	return n%2 == 1
}

// normalizeAction reduces a template action to a canonical form so that
// {{ .Name }}, {{.Name}} and {{- .Name -}} compare equal: trim markers are
// dropped and runs of white space outside quoted strings become one space.
func normalizeAction(act string) string {
	inner := strings.TrimSuffix(strings.TrimPrefix(act, "{{"), "}}")
	if strings.HasPrefix(inner, "- ") || strings.HasPrefix(inner, "-\t") || strings.HasPrefix(inner, "-\n") {
		inner = inner[1:]
	}
	if strings.HasSuffix(inner, " -") || strings.HasSuffix(inner, "\t-") || strings.HasSuffix(inner, "\n-") {
		inner = inner[:len(inner)-1]
	}
	inner = strings.TrimSpace(inner)
	var b strings.Builder
	b.Grow(len(inner) + 4)
	b.WriteString("{{")
	var quote byte
	space := false
	for i := 0; i < len(inner); i++ {
		ch := inner[i]
		if quote != 0 {
			b.WriteByte(ch)
			if ch == '\\' && quote == '"' && i+1 < len(inner) {
				i++
				b.WriteByte(inner[i])
			} else if ch == quote {
				quote = 0
			}
			continue
		}
		switch ch {
		case ' ', '\t', '\n', '\r':
			space = true
			continue
		case '"', '`':
			quote = ch
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(ch)
	}
	b.WriteString("}}")
	return b.String()
}

// diffTokens returns the tokens of src with no equal token in tr (missing)
// and those of tr with no equal token in src (added), as multisets.
func diffTokens(src, tr []token) (missing, added []token) {
	if len(src) == 0 && len(tr) == 0 {
		return nil, nil
	}
	used := make([]bool, len(tr))
	for _, s := range src {
		found := false
		for j, t := range tr {
			if !used[j] && t.s == s.s {
				used[j] = true
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, s)
		}
	}
	for j, t := range tr {
		if !used[j] {
			added = append(added, t)
		}
	}
	return missing, added
}
