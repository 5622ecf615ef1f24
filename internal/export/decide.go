// Package export owns dist/: per-language articles (Markdown, HTML), go-i18n
// JSON bundles and the manifest. It applies the policy the caller passes,
// takes the usability of each translation from check's findings (it never
// re-decides what is broken), writes each locale to a temporary directory,
// verifies that every safety message of the source is present, and only
// then swaps it in.
//
// It reads no configuration and decides no exit codes.
package export

import (
	"fmt"
	"sort"
	"strings"

	"github.com/healthi18n/healthi18n/internal/bundle"
	"github.com/healthi18n/healthi18n/internal/check"
	"github.com/healthi18n/healthi18n/internal/locale"
	"github.com/healthi18n/healthi18n/internal/project"
)

// Policy is what to do with messages that have no usable translation.
type Policy struct {
	// Safety is "strict" (refuse the locale) or "fallback" (source text
	// with a notice).
	Safety string
	// Missing is "fallback" or "omit" for normal messages. Safety messages
	// are never omitted.
	Missing string
	// MinComplete is the percentage of usable translations a locale needs.
	MinComplete float64
}

// Piece is the text chosen for one message in one locale.
type Piece struct {
	Msg *bundle.Message
	// Text is what the reader gets: the translation, or the source text
	// when Fallback is set. Empty when Omitted.
	Text     string
	Fallback bool
	Omitted  bool
	// Withheld is set when a translation exists but failed a check (a QA
	// rule): the reader is told so, not that it is "not yet translated".
	Withheld bool
	// Reason says why the translation was not used.
	Reason string
}

// Safety reports whether the piece is a safety message.
func (p Piece) Safety() bool { return p.Msg.Level.IsSafety() }

// problems indexes check's findings by locale, unit and message.
type problems map[string]map[string]map[string][]check.Finding

func indexFindings(fs []check.Finding) problems {
	idx := problems{}
	for _, f := range fs {
		if f.MessageID == "" {
			continue
		}
		if idx[f.Locale] == nil {
			idx[f.Locale] = map[string]map[string][]check.Finding{}
		}
		if idx[f.Locale][f.Article] == nil {
			idx[f.Locale][f.Article] = map[string][]check.Finding{}
		}
		idx[f.Locale][f.Article][f.MessageID] = append(idx[f.Locale][f.Article][f.MessageID], f)
	}
	return idx
}

// blocking returns the first finding that makes a translation unusable:
// any error, or a warning that means there is no current translation.
func blocking(fs []check.Finding) *check.Finding {
	for i, f := range fs {
		switch {
		case f.Severity == check.Error:
			return &fs[i]
		case f.Rule == "missing" || f.Rule == "empty" || f.Rule == "stale":
			return &fs[i]
		}
	}
	return nil
}

// choose picks the text of every message of a unit in one locale.
func choose(u *project.Unit, lang locale.Locale, probs problems, pol Policy) []Piece {
	f := u.Files[lang.Name]
	byID := probs[lang.Name][u.Source.Name]
	pieces := make([]Piece, 0, len(u.Source.Messages))
	for i := range u.Source.Messages {
		m := &u.Source.Messages[i]
		p := Piece{Msg: m}
		e := f.Entry(m.ID)
		if b := blocking(byID[m.ID]); b != nil || e == nil || !e.Translated() {
			reason := "no translation"
			if b != nil {
				reason = fmt.Sprintf("%s: %s", b.Rule, b.Message)
				p.Withheld = e != nil && e.Translated() && b.Severity == check.Error && b.Rule != "stale" && b.Rule != "same-as-source"
			}
			p.Reason = reason
			if m.Level.IsSafety() || pol.Missing == "fallback" {
				p.Fallback = true
				p.Text = m.Text()
			} else {
				p.Omitted = true
			}
		} else {
			p.Text = e.Forms.Text("other")
		}
		pieces = append(pieces, p)
	}
	return pieces
}

// refusals lists why a locale cannot be exported under strict safety: the
// safety messages that fell back.
func refusals(units map[string][]Piece) []Refusal {
	var out []Refusal
	var names []string
	for n := range units {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, p := range units[n] {
			if p.Safety() && p.Fallback {
				out = append(out, Refusal{Article: n, MessageID: p.Msg.ID, Reason: p.Reason, Source: snippet(p.Msg.Text())})
			}
		}
	}
	return out
}

func snippet(s string) string {
	r := []rune(s)
	if len(r) > 80 {
		return string(r[:77]) + "…"
	}
	return strings.TrimSpace(s)
}
