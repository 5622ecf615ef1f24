package article

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedPath is the first real source article, shipped as content.
const seedPath = "../../content/prostate-milking.txt"

func mustParse(t *testing.T, path string, data []byte, prev []Previous) *Article {
	t.Helper()
	a, err := Parse(path, data, Options{Previous: prev})
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return a
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestSeedSegments(t *testing.T) {
	a := mustParse(t, "content/prostate-milking.txt", readFile(t, seedPath), nil)
	var kinds []string
	for _, s := range a.Segments {
		kinds = append(kinds, string(s.Kind))
	}
	want := "title " + strings.Repeat("paragraph ", 5) + strings.Repeat("item ", 8) + strings.Repeat("paragraph ", 3) + strings.Repeat("item ", 4) + "paragraph"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("kinds:\n got %s\nwant %s", got, want)
	}
	if a.Segments[0].Text != "Prostate Milking Or Prostate Massage" {
		t.Errorf("title = %q", a.Segments[0].Text)
	}
	// Step 4's indented second paragraph is its own message of item 4, not
	// a code block, and not lost.
	s := a.Segments[10]
	if s.Number != 4 || s.ItemPara != 2 || !strings.HasPrefix(s.Text, "If you find that you are not limber enough") || s.Line != 21 {
		t.Errorf("step 4 paragraph 2 = %+v", s)
	}
	steps := 0
	for _, s := range a.Segments[6:14] {
		if s.ItemPara == 1 {
			steps++
			if s.Number != steps {
				t.Errorf("step %d numbered %d", steps, s.Number)
			}
		}
	}
	if steps != 7 {
		t.Errorf("%d steps, want 7", steps)
	}
}

func TestSeedSafety(t *testing.T) {
	a := mustParse(t, "content/prostate-milking.txt", readFile(t, seedPath), nil)
	tests := []struct {
		prefix string
		rule   string // a reason the segment must carry
	}{
		{"First, prostate milking should not be carried out", "rule should-not"},
		{"First, prostate milking should not be carried out", "rule can-result-in"},
		{"Second, never use undue force", "rule never"},
		{"If you are suffering from as yet undiagnosed prostate cancer", "lead-in"},
		{"If you are suffering from prostatic calculi", "lead-in"},
		{"The rectal lining in the area of the prostate gland", "lead-in"},
		{"Excessive stimulation of the lining", "lead-in"},
		{"Once you have located the prostate gland", "rule avoid"},
		{"If you are in any doubt", "rule see-doctor"},
	}
	for _, tt := range tests {
		var seg *Segment
		for i := range a.Segments {
			if strings.HasPrefix(a.Segments[i].Text, tt.prefix) {
				seg = &a.Segments[i]
			}
		}
		if seg == nil {
			t.Errorf("no segment starts with %q", tt.prefix)
			continue
		}
		if !seg.Level.IsSafety() {
			t.Errorf("%q is %s, want safety", tt.prefix, seg.Level)
		}
		found := false
		for _, r := range seg.Why {
			if strings.HasPrefix(r.String(), tt.rule) {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: reasons %v lack %q", tt.prefix, seg.Why, tt.rule)
		}
	}
	// The steps introduced by "you should proceed as follows:" are not all
	// safety: only a safety lead-in makes its list safety.
	for _, s := range a.Segments {
		if strings.HasPrefix(s.Text, "Pay a visit to the bathroom") && s.Level.IsSafety() {
			t.Errorf("step 1 classified as safety: %v", s.Why)
		}
	}
}

func TestMarkdownArticle(t *testing.T) {
	a := mustParse(t, "content/paracetamol.md", readFile(t, "testdata/paracetamol.md"), nil)
	byPrefix := func(p string) *Segment {
		for i := range a.Segments {
			if strings.HasPrefix(a.Segments[i].Text, p) {
				return &a.Segments[i]
			}
		}
		t.Fatalf("no segment starts with %q", p)
		return nil
	}
	tests := []struct {
		prefix string
		kind   Kind
		level  Level
		why    string
	}{
		{"Paracetamol for Pain", KindTitle, Normal, ""},
		{"How to take paracetamol safely", KindDescription, Normal, ""},
		{"A blister pack", KindAlt, Caution, "rule dosage"},
		{"How to take it", KindHeading, Normal, ""},
		{"Leave at least 4 hours", KindItem, Caution, "rule dose-interval"},
		{"If you take it for a fever", KindItem, Normal, ""},
		{"Maximum in 24 hours", KindCell, Normal, ""},
		{"Do not take more than 4 g in 24 hours.", KindQuote, Danger, "marker [!WARNING]"},
		{"Check with a pharmacist", KindParagraph, Warning, "section {.safety}"},
		{"Many cold and flu remedies", KindParagraph, Warning, "section {.safety}"},
		{"If you have taken more than the recommended dose", KindQuote, Danger, "marker [!CAUTION]"},
		{"Read the [full patient leaflet](https://example.org/leaflets/paracetamol \"Patient leaflet\")", KindParagraph, Normal, ""},
	}
	for _, tt := range tests {
		s := byPrefix(tt.prefix)
		if s.Kind != tt.kind || s.Level != tt.level {
			t.Errorf("%q: kind %s level %s, want %s %s (why %v)", tt.prefix, s.Kind, s.Level, tt.kind, tt.level, s.Why)
		}
		if tt.why != "" {
			found := false
			for _, r := range s.Why {
				found = found || strings.HasPrefix(r.String(), tt.why)
			}
			if !found {
				t.Errorf("%q: reasons %v lack %q", tt.prefix, s.Why, tt.why)
			}
		}
	}
	if s := byPrefix("How to take it"); s.ID != "how-to-take" || strings.Contains(s.Text, "{#") {
		t.Errorf("pinned heading: ID %q text %q", s.ID, s.Text)
	}
	if s := byPrefix("If you take it for a fever"); s.ListDepth != 2 {
		t.Errorf("nested item depth %d", s.ListDepth)
	}
	if s := byPrefix("Many cold and flu"); !strings.Contains(s.Text, "`leaflet --ingredients`") {
		t.Errorf("inline code not kept in message: %q", s.Text)
	}
	// {.not-safety} overrules the detector ("never") and is removed.
	s := byPrefix("Read the [full patient leaflet]")
	if s.Level != Normal || !s.NotSafety || strings.Contains(s.Text, "{.") {
		t.Errorf("not-safety paragraph: level %s, text %q", s.Level, s.Text)
	}
	// The source byte range covers exactly the text (for in-place export).
	for _, s := range a.Segments {
		if s.Start < 0 || s.Kind == KindAlt {
			continue
		}
		raw := string(a.Source[s.Start:s.End])
		if strings.Contains(raw, "\n") {
			continue // joined lines
		}
		if raw != s.Text {
			t.Errorf("%s: source range %q != text %q", s.ID, raw, s.Text)
		}
	}
}

func TestStableIDs(t *testing.T) {
	orig := readFile(t, seedPath)
	a := mustParse(t, "content/x.txt", orig, nil)
	prev := previousOf(a)
	ids := idsByText(a)

	t.Run("insert a paragraph at the top", func(t *testing.T) {
		lines := strings.SplitN(string(orig), "\n", 3)
		edited := lines[0] + "\n\nA new first paragraph about something else entirely.\n\n" + lines[2]
		b := mustParse(t, "content/x.txt", []byte(edited), prev)
		for text, id := range idsByText(b) {
			if old, ok := ids[text]; ok && old != id {
				t.Errorf("ID of %q changed: %s → %s", text[:30], old, id)
			}
		}
		if len(b.Segments) != len(a.Segments)+1 {
			t.Errorf("%d segments, want %d", len(b.Segments), len(a.Segments)+1)
		}
	})
	t.Run("insert without memory keeps text-derived IDs", func(t *testing.T) {
		lines := strings.SplitN(string(orig), "\n", 3)
		edited := lines[0] + "\n\nA new first paragraph.\n\n" + lines[2]
		b := mustParse(t, "content/x.txt", []byte(edited), nil)
		for text, id := range idsByText(b) {
			if old, ok := ids[text]; ok && old != id {
				t.Errorf("ID of %q changed: %s → %s", text[:30], old, id)
			}
		}
	})
	t.Run("edit one paragraph's words", func(t *testing.T) {
		edited := strings.Replace(string(orig), "never use undue force", "never ever use excessive force", 1)
		b := mustParse(t, "content/x.txt", []byte(edited), prev)
		for i := range a.Segments {
			if a.Segments[i].ID != b.Segments[i].ID {
				t.Errorf("segment %d: ID %s → %s", i, a.Segments[i].ID, b.Segments[i].ID)
			}
		}
	})
	t.Run("reorder two paragraphs", func(t *testing.T) {
		p1 := "First, prostate milking should not be carried out"
		i1 := strings.Index(string(orig), p1)
		i2 := strings.Index(string(orig), "Second, never use")
		s := string(orig)
		first := s[i1:i2]
		end := strings.Index(s[i2:], "\n\n") + i2 + 2
		second := s[i2:end]
		swapped := s[:i1] + second + first + s[end:]
		b := mustParse(t, "content/x.txt", []byte(swapped), prev)
		for text, id := range idsByText(b) {
			if ids[text] != id {
				t.Errorf("ID of %q changed after reorder: %s → %s", text[:30], ids[text], id)
			}
		}
	})
	t.Run("a new paragraph never takes an orphan's ID", func(t *testing.T) {
		edited := strings.Replace(string(orig), "Although prostate milking can be extremely helpful", "Totally different words replace this whole paragraph now", 1)
		edited = edited[:strings.Index(edited, "Totally")] + "Totally different words.\n\n" + edited[strings.Index(edited, "First, prostate milking should not"):]
		b := mustParse(t, "content/x.txt", []byte(edited), prev)
		for _, s := range b.Segments {
			if s.Text == "Totally different words." && ids[s.Text] == "" {
				for _, old := range ids {
					if old == s.ID {
						t.Errorf("new paragraph reused ID %s", s.ID)
					}
				}
			}
		}
	})
}

func previousOf(a *Article) []Previous {
	var prev []Previous
	for _, s := range a.Segments {
		prev = append(prev, Previous{ID: s.ID, Text: s.Text})
	}
	return prev
}

func idsByText(a *Article) map[string]string {
	m := map[string]string{}
	for _, s := range a.Segments {
		m[s.Text] = s.ID
	}
	return m
}

func TestDeterministic(t *testing.T) {
	for _, p := range []string{seedPath, "testdata/paracetamol.md"} {
		data := readFile(t, p)
		name := "content/" + filepath.Base(p)
		a := mustParse(t, name, data, nil)
		b := mustParse(t, name, data, nil)
		for i := range a.Segments {
			if a.Segments[i].ID != b.Segments[i].ID {
				t.Errorf("%s: run-to-run ID difference at %d", p, i)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, path, data, want string
	}{
		{"unclosed front matter", "x.md", "---\ntitle: A\n\nBody.\n", "x.md:1:1: unclosed front matter"},
		{"bad yaml", "x.md", "---\ntitle: [a\n---\nBody\n", "x.md:"},
		{"front matter typo", "x.md", "---\ntitle: A\ntitel: B\n---\nBody\n", `x.md:3:1: front matter: unknown key "titel"; did you mean "title"?`},
		{"front matter typo safety", "x.md", "---\nsaftey: [a]\n---\nBody\n", `did you mean "safety"?`},
		{"yaml alias", "x.md", "---\ntitle: &a A\ndescription: *a\n---\nBody\n", "aliases are not allowed"},
		{"reviewed not a date", "x.md", "---\ntitle: A\nreviewed: next tuesday\n---\nBody\n", `x.md:3:11: front matter: reviewed "next tuesday" is not a date written YYYY-MM-DD`},
		{"duplicate key", "x.md", "---\ntitle: A\ntitle: B\n---\nBody\n", "x.md:3:1:"},
		{"safety id unknown", "x.md", "---\ntitle: A\nsafety: [nope]\n---\nBody\n", `x.md:3:1: front matter: safety lists "nope"`},
		{"invalid utf-8", "x.txt", "Title\n\nbad \xff byte\n", "x.txt:3:5: invalid UTF-8"},
		{"binary", "x.txt", "Title\x00\x01", "x.txt:1:6: NUL byte"},
		{"utf-16", "x.txt", "\xff\xfeT\x00", "x.txt:1:1: file is UTF-16"},
		{"empty", "x.txt", "", "x.txt:1:1: article has no text to translate"},
		{"blank markdown", "x.md", "\n\n```\ncode only\n```\n", "article has no text to translate"},
		{"duplicate pinned id", "x.md", "# T\n\nA {#a}\n\nB {#a}\n", `x.md:5:1: pinned ID "a" is already used at line 3`},
		{"bad slug", "a b.txt", "Title\n", "must be letters, digits"},
		{"traversal slug", "../x.txt", "Title\n", ""},
		{"unsupported type", "x.html", "<p>", "unsupported article type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.path, []byte(tt.data), Options{})
			if tt.want == "" {
				// "../x.txt" has base name x.txt: the slug cannot escape.
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestFrontMatterTolerance(t *testing.T) {
	// Site keys are ignored; "---" followed by prose is a thematic break.
	a := mustParse(t, "x.md", []byte("---\ntitle: T\nauthor: A\ntags: [a, b]\n---\nBody.\n"), nil)
	if a.Title() != "T" || len(a.Segments) != 2 {
		t.Errorf("segments %+v", a.Segments)
	}
	a = mustParse(t, "x.md", []byte("---\n\nProse after a rule.\n\n---\n\nMore.\n"), nil)
	if len(a.Segments) != 2 || a.Segments[0].Text != "Prose after a rule." || a.Title() != "x" {
		t.Errorf("fake front matter: %+v", a.Segments)
	}
}

func TestBOMAndCRLF(t *testing.T) {
	a := mustParse(t, "x.txt", []byte("\xEF\xBB\xBFTitle\r\n\r\nOne\r\ntwo.\r\n"), nil)
	if a.Segments[0].Text != "Title" || a.Segments[1].Text != "One two." {
		t.Errorf("segments %q %q", a.Segments[0].Text, a.Segments[1].Text)
	}
}

func TestDetectorRules(t *testing.T) {
	d := DefaultDetector()
	tests := []struct {
		text string
		rule string // "" = no match
	}{
		{"Do not take more than 4 g in 24 hours.", "do-not-exceed"},
		{"Never give aspirin to children under 16.", "never"},
		{"Stop taking it if you feel dizzy.", "stop"},
		{"Seek medical help straight away.", "seek-help"},
		{"This can lead to liver damage.", "can-result-in"},
		{"Contraindicated in severe renal failure.", "contraindicated"},
		{"Tell your doctor if you are pregnant.", "pregnant"},
		{"Children under 12 should use the syrup.", "children-under"},
		{"An overdose is dangerous.", "overdose"},
		{"Take 2 tablets with water.", "dosage"},
		{"Leave at least 4 hours between doses.", "dose-interval"},
		{"Paracetamol is a common painkiller.", ""},
		{"The nevertheless argument.", ""},
	}
	for _, tt := range tests {
		got := d.Match(tt.text)
		if tt.rule == "" {
			if len(got) > 0 {
				t.Errorf("%q matched %v, want nothing", tt.text, got)
			}
			continue
		}
		found := false
		for _, r := range got {
			found = found || r.Rule == tt.rule
		}
		if !found {
			t.Errorf("%q: %v lacks rule %s", tt.text, got, tt.rule)
		}
	}
	if _, err := NewDetector([]Rule{{ID: "x", Pattern: "("}}); err == nil {
		t.Error("bad pattern accepted")
	}
	if _, err := NewDetector([]Rule{{ID: "x", Pattern: "a", Level: "normal"}}); err == nil {
		t.Error("normal level accepted for a rule")
	}
}
