package export

import (
	"bytes"
	"encoding/json"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/locale"
	"github.com/healthi18n/healthi18n/internal/project"
)

// localizer renders the pipeline's own reader-facing strings (ui.<lang>.toml)
// with go-i18n, falling back to the source language for any string whose
// translation is missing, stale or broken.
type localizer struct {
	l *i18n.Localizer
}

// builtin are the English strings used when a project has no UI source
// bundle, so that a page never lacks its safety label.
var builtin = map[string]*i18n.Message{
	"safety_label":        {ID: "safety_label", Other: "Safety warning"},
	"fallback_notice":     {ID: "fallback_notice", Other: "This warning has not yet been translated; it is shown in English."},
	"untranslated_notice": {ID: "untranslated_notice", Other: "Not yet translated; shown in English."},
	"withheld_notice":     {ID: "withheld_notice", Other: "The translation of this passage failed a safety check; it is shown in English."},
	"fallback_count":      {ID: "fallback_count", One: "{{.Count}} passage of this article is shown in English.", Other: "{{.Count}} passages of this article are shown in English."},
	"safety_count":        {ID: "safety_count", One: "This article contains {{.Count}} safety warning.", Other: "This article contains {{.Count}} safety warnings."},
	"reviewed_on":         {ID: "reviewed_on", Other: "Source article last reviewed on {{.Date}}."},
}

func newLocalizer(cfg *config.Config, ui *project.Unit, lang locale.Locale, probs problems) *localizer {
	src := cfg.Source.Tag
	b := i18n.NewBundle(src)
	for _, m := range builtin {
		cp := *m
		_ = b.AddMessages(src, &cp)
	}
	if ui != nil {
		for i := range ui.Source.Messages {
			m := &ui.Source.Messages[i]
			_ = b.AddMessages(src, toI18n(m.ID, m.Forms))
		}
		for _, pc := range choose(ui, lang, probs, Policy{Missing: "omit"}) {
			if pc.Fallback || pc.Omitted {
				continue
			}
			_ = b.AddMessages(lang.Tag, toI18n(pc.Msg.ID, ui.Files[lang.Name].Entry(pc.Msg.ID).Texts()))
		}
	}
	return &localizer{l: i18n.NewLocalizer(b, lang.Name, src.String())}
}

func toI18n(id string, forms map[string]string) *i18n.Message {
	return &i18n.Message{ID: id, Zero: forms["zero"], One: forms["one"], Two: forms["two"], Few: forms["few"], Many: forms["many"], Other: forms["other"]}
}

// text localizes a UI string; data may hold Count for plural strings.
func (l *localizer) text(id string, data map[string]any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if c, ok := data["Count"]; ok {
		cfg.PluralCount = c
	}
	s, err := l.l.Localize(cfg)
	if err != nil || s == "" {
		// The source string always exists (builtin), so this only happens
		// when a translation fails to render; use the source wording.
		m := builtin[id]
		if m == nil {
			return id
		}
		return m.Other
	}
	return s
}

// uiBundleName is the file of the UI translations for apps.
func uiBundleName(lang locale.Locale) string { return "ui." + lang.Name + ".json" }

// renderUIBundle renders ui.<lang>.json: the usable UI translations, for
// apps.
func renderUIBundle(ui *project.Unit, lang locale.Locale, probs problems) ([]byte, error) {
	out := map[string]map[string]string{}
	for _, pc := range choose(ui, lang, probs, Policy{Missing: "omit"}) {
		if pc.Omitted || pc.Fallback {
			continue
		}
		out[pc.Msg.ID] = ui.Files[lang.Name].Entry(pc.Msg.ID).Texts()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
