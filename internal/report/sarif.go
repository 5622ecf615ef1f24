package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/healthi18n/healthi18n/internal/check"
)

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// srcRoot is the uriBaseId of every artifact location.
	srcRoot = "%SRCROOT%"
	// fingerprintKey names the partial fingerprint (versioned, so the
	// hash recipe can change without confusing consumers).
	fingerprintKey = "healthi18nFinding/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool sarifTool `json:"tool"`
	// A map with one key; encoding/json sorts map keys, so it is stable.
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult                    `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name,omitempty"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	DefaultConfiguration sarifConfig  `json:"defaultConfiguration"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          sarifProperties   `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifProperties struct {
	Locale    string `json:"locale"`
	Article   string `json:"article,omitempty"`
	MessageID string `json:"messageId,omitempty"`
	Safety    bool   `json:"safety"`
}

// sarifLevel maps a severity to a SARIF result level.
func sarifLevel(s check.Severity) string {
	switch s {
	case check.Error:
		return "error"
	case check.Note:
		return "note"
	}
	return "warning"
}

// writeSARIF renders one SARIF 2.1.0 run. The driver lists every rule of
// check.Rules (plus, at the end, any rule ID a finding uses that the
// catalogue lacks, so that every ruleIndex is valid). Artifact URIs are
// relative to %SRCROOT%, which originalUriBaseIds maps to
// Options.SourceRoot when it is set. A result has a region only when its
// line is known; a finding without a file is located at the first unit
// file of its locale (and has no location only when the locale has none).
func writeSARIF(b output, v *view, opts Options) error {
	rules := make([]sarifRule, 0, len(check.Rules))
	index := map[string]int{}
	for _, r := range check.Rules {
		index[r.ID] = len(rules)
		rules = append(rules, sarifRule{
			ID:                   r.ID,
			Name:                 r.Name,
			ShortDescription:     sarifMessage{Text: r.Description},
			DefaultConfiguration: sarifConfig{Level: sarifLevel(r.Default)},
		})
	}
	var unknown []string
	for _, f := range v.findings {
		if _, ok := index[f.Rule]; !ok {
			index[f.Rule] = -1
			unknown = append(unknown, f.Rule)
		}
	}
	sort.Strings(unknown)
	for _, id := range unknown {
		index[id] = len(rules)
		rules = append(rules, sarifRule{
			ID:                   id,
			ShortDescription:     sarifMessage{Text: "Rule " + id + "."},
			DefaultConfiguration: sarifConfig{Level: "warning"},
		})
	}

	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           opts.Tool,
			Version:        opts.Version,
			InformationURI: informationURI,
			Rules:          rules,
		}},
		Results: make([]sarifResult, 0, len(v.findings)),
	}
	if opts.SourceRoot != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{
			srcRoot: {URI: dirFileURI(opts.SourceRoot)},
		}
	}
	anchor := map[string]string{} // locale → its first unit's file
	for _, u := range v.units {
		if _, ok := anchor[u.Locale]; !ok && u.File != "" {
			anchor[u.Locale] = u.File
		}
	}
	for _, f := range v.findings {
		res := sarifResult{
			RuleID:              f.Rule,
			RuleIndex:           index[f.Rule],
			Level:               sarifLevel(f.Severity),
			Message:             sarifMessage{Text: sarifText(f)},
			PartialFingerprints: map[string]string{fingerprintKey: fingerprint(f)},
			Properties: sarifProperties{
				Locale: f.Locale, Article: f.Article, MessageID: f.MessageID, Safety: f.Safety,
			},
		}
		file := f.File
		if file == "" {
			// GitHub code scanning rejects a whole log when one result
			// has no location: anchor a locale-wide finding (such as
			// min-complete) to a file of its locale, without a region.
			file = anchor[f.Locale]
		}
		if file != "" {
			loc := sarifPhysicalLocation{ArtifactLocation: artifactLocation(file, opts.SourceRoot)}
			if f.File != "" && f.Line > 0 {
				loc.Region = &sarifRegion{StartLine: f.Line}
				if f.Col > 0 {
					loc.Region.StartColumn = f.Col
				}
			}
			res.Locations = []sarifLocation{{PhysicalLocation: loc}}
		}
		run.Results = append(run.Results, res)
	}

	enc := json.NewEncoder(b)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

// sarifText is the result message: locale first (it is what a reviewer
// needs to know at a glance), then the safety mark, the finding and its
// message ID, and the hint on a line of its own.
func sarifText(f check.Finding) string {
	var s strings.Builder
	s.WriteString("[" + f.Locale + "] ")
	if f.Safety {
		s.WriteString("SAFETY: ")
	}
	s.WriteString(f.Message)
	if f.MessageID != "" {
		s.WriteString(" (message " + f.MessageID + ")")
	}
	if f.Hint != "" {
		s.WriteString("\nHint: " + f.Hint)
	}
	return s.String()
}

// fingerprint is a stable hash of rule, locale, file and message ID: it
// does not change when the finding moves to another line or its wording
// changes.
func fingerprint(f check.Finding) string {
	h := sha256.New()
	for _, part := range []string{f.Rule, f.Locale, filepath.ToSlash(f.File), f.MessageID} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// artifactLocation turns a finding's file into a URI: relative to
// %SRCROOT% with forward slashes, or an absolute file URI for an absolute
// path outside the source root.
func artifactLocation(file, root string) sarifArtifactLocation {
	if filepath.IsAbs(file) {
		if root != "" {
			if rel, err := filepath.Rel(root, file); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return sarifArtifactLocation{URI: escapePath(filepath.ToSlash(rel)), URIBaseID: srcRoot}
			}
		}
		return sarifArtifactLocation{URI: fileURI(file)}
	}
	rel := path.Clean(filepath.ToSlash(file))
	return sarifArtifactLocation{URI: escapePath(strings.TrimPrefix(rel, "./")), URIBaseID: srcRoot}
}

// escapePath percent-encodes each segment of a slash-separated path
// (a colon too, so that no segment can read as a URI scheme).
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	return strings.Join(segs, "/")
}

// fileURI is the file:// URI of an absolute path.
func fileURI(p string) string {
	p = filepath.ToSlash(filepath.Clean(p))
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: C:/x → /C:/x
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// dirFileURI is the file:// URI of a directory, ending with a slash as
// SARIF requires of a uriBaseId.
func dirFileURI(dir string) string {
	u := fileURI(dir)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}
