package bundle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"

	"github.com/healthi18n/healthi18n/internal/article"
	"github.com/healthi18n/healthi18n/internal/locale"
)

var (
	en = locale.MustParse("en")
	es = locale.MustParse("es")
	ru = locale.MustParse("ru")
)

func seedSource(t *testing.T, text string, prev []article.Previous) *Source {
	t.Helper()
	a, err := article.Parse("content/seed.txt", []byte(text), article.Options{Previous: prev})
	if err != nil {
		t.Fatal(err)
	}
	return FromArticle(a, en)
}

func readSeed(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../content/prostate-milking.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func mustParseFile(t *testing.T, name string, data []byte) *File {
	t.Helper()
	f, err := Parse(name, data)
	if err != nil {
		t.Fatalf("Parse(%s): %v\n%s", name, err, data)
	}
	return f
}

// loadWithGoI18n loads data with go-i18n's own Bundle.LoadMessageFile.
func loadWithGoI18n(t *testing.T, name string, data []byte) []*i18n.Message {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	mf, err := b.LoadMessageFile(path)
	if err != nil {
		t.Fatalf("go-i18n cannot load %s: %v\n%s", name, err, data)
	}
	return mf.Messages
}

func TestSourceBundleLoadsInGoI18n(t *testing.T) {
	src := seedSource(t, readSeed(t), nil)
	data := RenderSource(src, "locales/en/seed.en.toml")
	msgs := loadWithGoI18n(t, "seed.en.toml", data)
	if len(msgs) != len(src.Messages) {
		t.Fatalf("go-i18n loaded %d messages, want %d", len(msgs), len(src.Messages))
	}
	byID := map[string]*i18n.Message{}
	for _, m := range msgs {
		byID[m.ID] = m
	}
	for _, m := range src.Messages {
		got := byID[m.ID]
		if got == nil || got.Other != m.Text() || got.Hash != m.Hash() {
			t.Errorf("message %s: go-i18n read %+v", m.ID, got)
		}
		if m.Level.IsSafety() && !strings.Contains(got.Description, "SAFETY MESSAGE") {
			t.Errorf("safety message %s has no instruction in its description", m.ID)
		}
	}
	// And our own parser reads back the same texts (ID memory for split).
	f := mustParseFile(t, "seed.en.toml", data)
	for i, p := range Previous(f) {
		if p.ID != src.Messages[i].ID || p.Text != src.Messages[i].Text() {
			t.Errorf("previous %d = %+v", i, p)
		}
	}
}

func TestSyncNewFileLoadsAndIsStable(t *testing.T) {
	src := seedSource(t, readSeed(t), nil)
	res := Sync(src, es, nil, SyncOptions{})
	if len(res.Added) != len(src.Messages) {
		t.Errorf("added %d, want %d", len(res.Added), len(src.Messages))
	}
	loadWithGoI18n(t, "seed.es.toml", res.Data)
	f := mustParseFile(t, "seed.es.toml", res.Data)
	again := Sync(src, es, f, SyncOptions{})
	if string(again.Data) != string(res.Data) {
		t.Errorf("second sync changed the file:\n%s", WordDiff(string(res.Data), string(again.Data)))
	}
	if len(again.Added)+len(again.Stale)+len(again.Orphans) != 0 {
		t.Errorf("second sync reports changes: %+v", again)
	}
	if !strings.Contains(string(res.Data), "#. SAFETY MESSAGE: translate it completely") {
		t.Error("no safety instruction in translator file")
	}
}

// translate fills in an entry's other value the way a translator would,
// with a comment and a multi-line string.
func translate(t *testing.T, data []byte, id, body string) []byte {
	t.Helper()
	s := string(data)
	hdr := "[" + id + "]\n"
	i := strings.Index(s, hdr)
	if i < 0 {
		t.Fatalf("no entry %s", id)
	}
	j := strings.Index(s[i:], "other = \"\"\n")
	if j < 0 {
		t.Fatalf("entry %s has no empty other", id)
	}
	j += i
	return []byte(s[:j] + body + s[j+len("other = \"\"\n"):])
}

func TestSyncKeepsTranslationsByteForByte(t *testing.T) {
	seed := readSeed(t)
	src := seedSource(t, seed, nil)
	data := Sync(src, es, nil, SyncOptions{}).Data
	neverID := idWithPrefix(t, src, "Second, never use undue force")
	titleBody := "# my note: keep it short\nother = '''\nOrdeño de próstata \\ \"masaje\"'''   # trailing comment\n"
	data = translate(t, data, "title", titleBody)
	data = translate(t, data, neverID, "other = \"Segundo, nunca use fuerza excesiva.\"\n# revisar con el médico\n")
	data = []byte("# Translator: Ana, 2026\n" + string(data))
	f := mustParseFile(t, "seed.es.toml", data)

	// Edit one source paragraph: only that message changes state.
	edited := strings.Replace(seed, "never use undue force", "never use any undue force", 1)
	src2 := seedSource(t, edited, previousFrom(src))
	res := Sync(src2, es, f, SyncOptions{PrevTexts: textsOf(src)})
	out := string(res.Data)
	for _, want := range []string{titleBody, "other = \"Segundo, nunca use fuerza excesiva.\"\n# revisar con el médico\n", "# Translator: Ana, 2026\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("translator text lost or changed: %q\n%s", want, out)
		}
	}
	if len(res.Stale) != 1 || res.Stale[0] != neverID {
		t.Fatalf("stale = %v, want [%s]", res.Stale, neverID)
	}
	if !strings.Contains(out, "#| diff: Second, never use {+any +}undue force") {
		t.Errorf("no word diff for the stale message:\n%s", out)
	}
	if !strings.Contains(out, "#| was: \"Second, never use undue force") {
		t.Errorf("old source not shown")
	}
	loadWithGoI18n(t, "seed.es.toml", res.Data)

	// A later sync (without the old source bundle) still shows the old text.
	f2 := mustParseFile(t, "seed.es.toml", res.Data)
	res2 := Sync(src2, es, f2, SyncOptions{PrevTexts: textsOf(src2)})
	if string(res2.Data) != out {
		t.Errorf("resync of a stale file changed it:\n%s", WordDiff(out, string(res2.Data)))
	}

	// Accept clears the stale mark of that message only.
	f3 := mustParseFile(t, "seed.es.toml", res2.Data)
	res3 := Sync(src2, es, f3, SyncOptions{Accept: map[string]bool{neverID: true}})
	if len(res3.Stale) != 0 || strings.Contains(string(res3.Data), "#| STALE") {
		t.Errorf("accept left it stale: %v", res3.Stale)
	}
	if !strings.Contains(string(res3.Data), "other = \"Segundo, nunca use fuerza excesiva.\"") {
		t.Error("accept changed the translation")
	}
	f4 := mustParseFile(t, "seed.es.toml", res3.Data)
	if f4.Entry(neverID).Hash != src2.Message(neverID).Hash() {
		t.Error("accept did not move the hash to the current source")
	}
}

func TestOrphansAndPrune(t *testing.T) {
	seed := readSeed(t)
	src := seedSource(t, seed, nil)
	data := Sync(src, es, nil, SyncOptions{}).Data
	gone := idWithPrefix(t, src, "Although prostate milking")
	data = translate(t, data, gone, "other = \"Aunque...\"\n")
	f := mustParseFile(t, "x.es.toml", data)
	i := strings.Index(seed, "Although prostate milking")
	j := strings.Index(seed, "First, prostate milking")
	src2 := seedSource(t, seed[:i]+seed[j:], previousFrom(src))
	kept := Sync(src2, es, f, SyncOptions{})
	if len(kept.Orphans) != 1 || kept.Orphans[0] != gone || !strings.Contains(string(kept.Data), "other = \"Aunque...\"") {
		t.Errorf("orphan not kept: %v", kept.Orphans)
	}
	pruned := Sync(src2, es, mustParseFile(t, "x.es.toml", kept.Data), SyncOptions{Prune: true})
	if !pruned.Pruned || strings.Contains(string(pruned.Data), "Aunque") {
		t.Errorf("prune did not remove the orphan")
	}
}

func TestPluralUIStrings(t *testing.T) {
	ui := []byte(`[missing_count]
description = "Count of untranslated messages"
one = "{{.Count}} message not yet translated"
other = "{{.Count}} messages not yet translated"
`)
	f := mustParseFile(t, "ui.en.toml", ui)
	src := FromUIFile(f, en)
	res := Sync(src, ru, nil, SyncOptions{})
	for _, form := range []string{"one", "few", "many", "other"} {
		if !strings.Contains(string(res.Data), "\n"+form+" = \"\"\n") {
			t.Errorf("ru file lacks the %s form:\n%s", form, res.Data)
		}
	}
	ar := Sync(src, locale.MustParse("ar"), nil, SyncOptions{})
	for _, form := range []string{"zero", "one", "two", "few", "many", "other"} {
		if !strings.Contains(string(ar.Data), "\n"+form+" = \"\"\n") {
			t.Errorf("ar file lacks the %s form", form)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"syntax", "[a]\nother = \"x\n", "f.toml:2:"},
		{"duplicate table", "[a]\nother = \"x\"\n[a]\nother = \"y\"\n", `f.toml:3:1: message "a" is defined twice (first at line 1)`},
		{"duplicate key", "[a]\nother = \"x\"\nother = \"y\"\n", `f.toml:3:1: key "other" appears twice in message "a"`},
		{"non-string", "[a]\nother = 5\n", `f.toml:2:9: value of "other" in message "a" must be a string, not integer`},
		{"array", "[a]\nother = [\"x\"]\n", `must be a string, not array`},
		{"inline table", "[a]\nother = {x = \"y\"}\n", `must be a string, not inlinetable`},
		{"unknown key", "[a]\nnote = \"x\"\n", `f.toml:2:1: unknown key "note" in message "a"`},
		{"key outside", "other = \"x\"\n", `f.toml:1:1: key "other" is outside any [message-id] table`},
		{"dotted table", "[a.b]\nother = \"x\"\n", "dotted table name [a.b]"},
		{"array table", "[[a]]\nother = \"x\"\n", "array of tables"},
		{"invalid utf-8", "[a]\nother = \"\xff\"\n", "f.toml:2:10: invalid UTF-8"},
		{"utf-16", "\xff\xfe[\x00", "UTF-16"},
		{"nul", "[a]\x00", "NUL byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f.toml", []byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestParseBOMAndCRLF(t *testing.T) {
	f := mustParseFile(t, "f.toml", []byte("\xEF\xBB\xBF[a]\r\nother = \"x\"\r\n"))
	if e := f.Entry("a"); e == nil || e.Forms.Text("other") != "x" {
		t.Errorf("entry = %+v", e)
	}
}

func TestWordDiff(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"take two tablets", "take three tablets", "take [-two-]{+three+} tablets"},
		{"a b", "a b", "a b"},
		{"", "new", "{+new+}"},
	}
	for _, tt := range tests {
		if got := WordDiff(tt.a, tt.b); got != tt.want {
			t.Errorf("WordDiff(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

func idWithPrefix(t *testing.T, s *Source, prefix string) string {
	t.Helper()
	for _, m := range s.Messages {
		if strings.HasPrefix(m.Text(), prefix) {
			return m.ID
		}
	}
	t.Fatalf("no message starts with %q", prefix)
	return ""
}

func previousFrom(s *Source) []article.Previous {
	var out []article.Previous
	for _, m := range s.Messages {
		out = append(out, article.Previous{ID: m.ID, Text: m.Text()})
	}
	return out
}

func textsOf(s *Source) map[string]string {
	m := map[string]string{}
	for _, msg := range s.Messages {
		m[msg.ID] = msg.Text()
	}
	return m
}
