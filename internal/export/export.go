package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/google/renameio/v2"
	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/healthi18n/healthi18n/internal/article"
	"github.com/healthi18n/healthi18n/internal/check"
	"github.com/healthi18n/healthi18n/internal/locale"
	"github.com/healthi18n/healthi18n/internal/project"
)

// Options tunes an export run.
type Options struct {
	// Dist is the output directory.
	Dist string
	// Locales limits the run (all targets if empty).
	Locales []locale.Locale
	Policy  Policy
}

// Run exports every selected locale. A locale that policy refuses gets no
// files (an earlier export of it is removed: it could lack a new warning);
// the others are written to a temporary directory, verified, and swapped
// in. The manifest records every locale's outcome.
func Run(p *project.Project, r *check.Result, opts Options) (*Manifest, error) {
	locales := opts.Locales
	if len(locales) == 0 {
		locales = p.Config.Targets
	}
	if err := os.MkdirAll(opts.Dist, 0o755); err != nil {
		return nil, err
	}
	cleanLeftovers(opts.Dist)
	probs := indexFindings(r)
	man := readManifest(opts.Dist)
	man.Source = p.Config.Source.Name
	man.Policy = ManifestPolicy{Safety: opts.Policy.Safety, Missing: opts.Policy.Missing, MinComplete: opts.Policy.MinComplete}
	for _, lang := range locales {
		lm, err := exportLocale(p, lang, probs, opts)
		if err != nil {
			return nil, err
		}
		man.set(*lm)
	}
	data, err := man.encode()
	if err != nil {
		return nil, err
	}
	if err := renameio.WriteFile(filepath.Join(opts.Dist, "manifest.json"), data, 0o644); err != nil {
		return nil, err
	}
	return man, nil
}

// exportLocale decides, renders, verifies and publishes one locale.
func exportLocale(p *project.Project, lang locale.Locale, probs problems, opts Options) (*LocaleManifest, error) {
	lm := &LocaleManifest{Locale: lang.Name, Dir: lang.Direction()}
	var ui *project.Unit
	var units []*project.Unit
	byName := map[string][]Piece{}
	total, usable := 0, 0
	for _, u := range p.Units {
		if u.Article == nil {
			ui = u
			continue
		}
		units = append(units, u)
		pieces := choose(u, lang, probs, opts.Policy)
		byName[u.Source.Name] = pieces
		for _, pc := range pieces {
			total++
			if !pc.Fallback && !pc.Omitted {
				usable++
			}
		}
	}
	lm.Completeness = 100
	if total > 0 {
		lm.Completeness = float64(int(10000*float64(usable)/float64(total))) / 100
	}
	final := filepath.Join(opts.Dist, lang.Name)
	if opts.Policy.Safety == "strict" {
		lm.Refusals = refusals(byName)
	}
	if lm.Completeness < opts.Policy.MinComplete {
		lm.Reasons = append(lm.Reasons, fmt.Sprintf("completeness %.2f%% is below the required %.0f%%", lm.Completeness, opts.Policy.MinComplete))
	}
	if len(lm.Refusals) > 0 {
		lm.Reasons = append(lm.Reasons, fmt.Sprintf("%d safety message(s) not translated and clean under safety: strict", len(lm.Refusals)))
	}
	if len(lm.Reasons) > 0 {
		lm.Status = StatusRefused
		if err := os.RemoveAll(final); err != nil {
			return nil, err
		}
		return lm, nil
	}

	loc := newLocalizer(p, ui, lang, probs)
	n := notices{
		safetyLabel:  loc.text("safety_label", nil),
		fallback:     loc.text("fallback_notice", nil),
		untranslated: loc.text("untranslated_notice", nil),
	}
	tmp, err := os.MkdirTemp(opts.Dist, ".tmp-"+lang.Name+"-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	lm.Status = StatusComplete
	for _, u := range units {
		pieces := byName[u.Source.Name]
		am, err := writeArticle(tmp, u.Article, pieces, lang, p.Config.Source.Name, n, loc)
		if err != nil {
			return nil, err
		}
		if am.Fallback+am.Omitted > 0 {
			lm.Status = StatusPartial
		}
		lm.Articles = append(lm.Articles, *am)
	}
	if ui != nil {
		if err := writeUIBundle(tmp, ui, lang, probs); err != nil {
			return nil, err
		}
	}
	if err := publish(tmp, final); err != nil {
		return nil, err
	}
	return lm, nil
}

// writeArticle writes and verifies the three files of one article.
func writeArticle(dir string, a *article.Article, pieces []Piece, lang locale.Locale, srcLang string, n notices, loc *localizer) (*ArticleManifest, error) {
	am := &ArticleManifest{Slug: a.Slug}
	safety, fallbacks := 0, 0
	for _, pc := range pieces {
		am.Messages = append(am.Messages, pc.Msg.ID)
		switch {
		case pc.Omitted:
			am.Omitted++
		case pc.Fallback:
			am.Fallback++
		default:
			am.Translated++
		}
		if pc.Fallback || pc.Omitted {
			fallbacks++
			am.Fallbacks = append(am.Fallbacks, Fallback{MessageID: pc.Msg.ID, Safety: pc.Safety(), Omitted: pc.Omitted, Reason: pc.Reason})
		}
		if pc.Safety() {
			safety++
		}
	}
	d := renderMarkdown(a, pieces, n, lang.Name)
	pg := page{Lang: lang.Name, Dir: lang.Direction(), Title: plainText(&pieces[0], n)}
	if safety > 0 {
		pg.SafetyCount = loc.text("safety_count", map[string]any{"Count": safety})
	}
	if fallbacks > 0 {
		pg.FallbackCount = loc.text("fallback_count", map[string]any{"Count": fallbacks})
	}
	if a.Reviewed != "" {
		pg.Reviewed = loc.text("reviewed_on", map[string]any{"Date": a.Reviewed})
	}
	html, err := renderHTML(d, pg, n, srcLang)
	if err != nil {
		return nil, err
	}
	jsonData, err := renderBundle(pieces, n)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{
		a.Slug + ".md":                     d.File,
		a.Slug + ".html":                   html,
		a.Slug + "." + lang.Name + ".json": jsonData,
	}
	var names []string
	for name := range files {
		names = append(names, name)
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return nil, err
		}
	}
	sort.Strings(names)
	for _, name := range names {
		am.Files = append(am.Files, lang.Name+"/"+name)
	}
	if err := verify(dir, a.Slug, lang.Name, pieces, d); err != nil {
		return nil, err
	}
	return am, nil
}

// VerifyError reports that an exported file lacks a safety message.
type VerifyError struct {
	File, MessageID, Problem string
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("export verification failed: %s: safety message %s %s", e.File, e.MessageID, e.Problem)
}

// verify re-reads what was written and checks that every safety message of
// the source is present in the Markdown, the HTML and the JSON bundle.
func verify(dir, slug, lang string, pieces []Piece, d *mdDoc) error {
	md, err := os.ReadFile(filepath.Join(dir, slug+".md"))
	if err != nil {
		return err
	}
	html, err := os.ReadFile(filepath.Join(dir, slug+".html"))
	if err != nil {
		return err
	}
	jsonName := slug + "." + lang + ".json"
	jsonData, err := os.ReadFile(filepath.Join(dir, jsonName))
	if err != nil {
		return err
	}
	mf, err := i18n.ParseMessageFileBytes(jsonData, jsonName, nil)
	if err != nil {
		return &VerifyError{File: jsonName, Problem: "bundle does not load in go-i18n: " + err.Error()}
	}
	inBundle := map[string]string{}
	for _, m := range mf.Messages {
		inBundle[m.ID] = m.Other
	}
	for _, pc := range pieces {
		if !pc.Safety() {
			continue
		}
		id := pc.Msg.ID
		if pc.Omitted || pc.Text == "" {
			return &VerifyError{File: slug, MessageID: id, Problem: "was omitted"}
		}
		want, ok := d.inserted[id]
		if !ok || !bytes.Contains(md, []byte(want)) {
			return &VerifyError{File: slug + ".md", MessageID: id, Problem: "is missing"}
		}
		if pc.Msg.Kind != article.KindAlt && !bytes.Contains(html, []byte(`data-hi18n-msg="`+id+`"`)) {
			return &VerifyError{File: slug + ".html", MessageID: id, Problem: "is missing"}
		}
		if strings.TrimSpace(inBundle[id]) == "" {
			return &VerifyError{File: jsonName, MessageID: id, Problem: "is missing"}
		}
	}
	return nil
}

// publish swaps a verified temporary directory in as the locale's output.
func publish(tmp, final string) error {
	old := filepath.Join(filepath.Dir(final), ".old-"+filepath.Base(final))
	if err := os.RemoveAll(old); err != nil {
		return err
	}
	if _, err := os.Stat(final); err == nil {
		if err := os.Rename(final, old); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	return os.RemoveAll(old)
}

// cleanLeftovers removes temporary and old directories a killed run left,
// restoring an old output whose replacement never arrived.
func cleanLeftovers(dist string) {
	entries, err := os.ReadDir(dist)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, ".tmp-"):
			os.RemoveAll(filepath.Join(dist, name))
		case strings.HasPrefix(name, ".old-"):
			final := filepath.Join(dist, strings.TrimPrefix(name, ".old-"))
			if _, err := os.Stat(final); errors.Is(err, os.ErrNotExist) {
				os.Rename(filepath.Join(dist, name), final)
			} else {
				os.RemoveAll(filepath.Join(dist, name))
			}
		}
	}
}

// jsonMessage is one message of an exported go-i18n JSON bundle.
type jsonMessage struct {
	Description string `json:"description,omitempty"`
	Hash        string `json:"hash,omitempty"`
	Other       string `json:"other"`
	LeftDelim   string `json:"leftDelim"`
	RightDelim  string `json:"rightDelim"`
}

// renderBundle writes a go-i18n JSON bundle of an article. Article text
// holds no placeholders, so each message gets template delimiters that
// do not occur in its text: go-i18n then treats it as plain text, and a
// translation containing "{{template}}" stays inert data.
func renderBundle(pieces []Piece, n notices) ([]byte, error) {
	out := map[string]jsonMessage{}
	for i := range pieces {
		pc := &pieces[i]
		if pc.Omitted {
			continue
		}
		text := pc.Text
		desc := ""
		if pc.Fallback {
			text += " (" + n.forPiece(pc) + ")"
			desc = "fallback: source text shown because " + pc.Reason
		}
		l, r := delims(text)
		out[pc.Msg.ID] = jsonMessage{Description: desc, Hash: pc.Msg.Hash(), Other: text, LeftDelim: l, RightDelim: r}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(true)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// delims returns template delimiters absent from text.
func delims(text string) (string, string) {
	l, r := "⟦hi18n⟦", "⟧hi18n⟧"
	for strings.Contains(text, l) || strings.Contains(text, r) {
		l, r = l+"⟦", r+"⟧"
	}
	return l, r
}
