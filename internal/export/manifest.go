package export

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
)

// Locale statuses in the manifest.
const (
	StatusComplete = "complete" // every message translated and clean
	StatusPartial  = "partial"  // exported with fallbacks or omissions
	StatusRefused  = "refused"  // not exported: see reasons and refusals
)

// Manifest is dist/manifest.json: what each locale's export contains and why.
type Manifest struct {
	Tool    string           `json:"tool"`
	Source  string           `json:"source"`
	Policy  ManifestPolicy   `json:"policy"`
	Locales []LocaleManifest `json:"locales"`
}

// ManifestPolicy records the policy the export ran under.
type ManifestPolicy struct {
	Safety      string  `json:"safety"`
	Missing     string  `json:"missing"`
	MinComplete float64 `json:"min_complete"`
}

// LocaleManifest is one locale's outcome.
type LocaleManifest struct {
	Locale string `json:"locale"`
	// Status is complete, partial or refused.
	Status string `json:"status"`
	// Dir is the writing direction (ltr or rtl).
	Dir string `json:"dir"`
	// Completeness is the percentage of messages exported translated.
	Completeness float64           `json:"completeness"`
	Reasons      []string          `json:"reasons,omitempty"`
	Refusals     []Refusal         `json:"refusals,omitempty"`
	Articles     []ArticleManifest `json:"articles,omitempty"`
}

// Refusal names a safety message that kept a locale from being exported.
type Refusal struct {
	Article   string `json:"article"`
	MessageID string `json:"message_id"`
	Source    string `json:"source"`
	Reason    string `json:"reason"`
}

// ArticleManifest is one exported article.
type ArticleManifest struct {
	Slug string `json:"slug"`
	// Files are relative to dist/.
	Files []string `json:"files"`
	// Messages lists the message IDs in reading order (for apps that read
	// the JSON bundle).
	Messages   []string   `json:"messages"`
	Translated int        `json:"translated"`
	Fallback   int        `json:"fallback"`
	Omitted    int        `json:"omitted"`
	Fallbacks  []Fallback `json:"fallbacks,omitempty"`
}

// Fallback is a message shown in the source language (or omitted).
type Fallback struct {
	MessageID string `json:"message_id"`
	Safety    bool   `json:"safety"`
	Omitted   bool   `json:"omitted,omitempty"`
	Reason    string `json:"reason"`
}

// readManifest loads an earlier manifest so that a run limited to some
// locales keeps the others' entries; a missing or unreadable one starts fresh.
func readManifest(dist string) *Manifest {
	m := &Manifest{}
	if data, err := os.ReadFile(filepath.Join(dist, "manifest.json")); err == nil {
		if json.Unmarshal(data, m) != nil {
			m = &Manifest{}
		}
	}
	m.Tool = "healthi18n"
	return m
}

// set replaces or adds a locale's entry.
func (m *Manifest) set(lm LocaleManifest) {
	for i := range m.Locales {
		if m.Locales[i].Locale == lm.Locale {
			m.Locales[i] = lm
			return
		}
	}
	m.Locales = append(m.Locales, lm)
	sort.Slice(m.Locales, func(i, j int) bool { return m.Locales[i].Locale < m.Locales[j].Locale })
}

// Locale returns a locale's entry, or nil.
func (m *Manifest) Locale(name string) *LocaleManifest {
	for i := range m.Locales {
		if m.Locales[i].Locale == name {
			return &m.Locales[i]
		}
	}
	return nil
}

func (m *Manifest) encode() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
