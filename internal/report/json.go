package report

import (
	"encoding/json"

	"github.com/healthi18n/healthi18n/internal/check"
)

// The JSON report is one object, indented with two spaces, keys always in
// this order and arrays never null:
//
//	{
//	  "tool": "healthi18n",          // Options.Tool
//	  "version": "1.2.3",            // Options.Version (may be "")
//	  "fail_on": "error",            // severity at which the run fails
//	  "failed": true,                // some finding reached fail_on
//	  "summary": [ jsonCounts + {"locale", "percent", "pass"} per locale ],
//	  "units": [ jsonCounts + {"locale", "article", "file", "percent", "pass"} ],
//	  "findings": [ {"rule", "severity", "locale", "file", "line", "column",
//	                 "article", "message_id", "safety", "message", "hint"} ]
//	}
//
// "percent" is the share of current translations, 0–100 with two decimals,
// rounded down. "line" and "column" are 1-based and 0 when unknown;
// "message_id" and "hint" are "" when absent. Summary entries are sorted by
// locale, units by locale and article, findings by locale, file, line,
// column, rule and message ID. New keys may be added; none is renamed or
// removed without a change of the tool's major version.
type jsonReport struct {
	Tool     string        `json:"tool"`
	Version  string        `json:"version"`
	FailOn   string        `json:"fail_on"`
	Failed   bool          `json:"failed"`
	Summary  []jsonLocale  `json:"summary"`
	Units    []jsonUnit    `json:"units"`
	Findings []jsonFinding `json:"findings"`
}

// jsonCounts mirrors check.Counts with the report's own, stable keys.
type jsonCounts struct {
	Messages   int     `json:"messages"`
	Translated int     `json:"translated"`
	Stale      int     `json:"stale"`
	Missing    int     `json:"missing"`
	Orphans    int     `json:"orphans"`
	Safety     int     `json:"safety"`
	SafetyOK   int     `json:"safety_ok"`
	Errors     int     `json:"errors"`
	Warnings   int     `json:"warnings"`
	Percent    float64 `json:"percent"`
}

type jsonLocale struct {
	Locale string `json:"locale"`
	jsonCounts
	Pass bool `json:"pass"`
}

type jsonUnit struct {
	Locale  string `json:"locale"`
	Article string `json:"article"`
	File    string `json:"file"`
	jsonCounts
	Pass bool `json:"pass"`
}

type jsonFinding struct {
	Rule      string `json:"rule"`
	Severity  string `json:"severity"`
	Locale    string `json:"locale"`
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	Article   string `json:"article"`
	MessageID string `json:"message_id"`
	Safety    bool   `json:"safety"`
	Message   string `json:"message"`
	Hint      string `json:"hint"`
}

func toJSONCounts(c check.Counts) jsonCounts {
	return jsonCounts{
		Messages: c.Messages, Translated: c.Translated, Stale: c.Stale,
		Missing: c.Missing, Orphans: c.Orphans, Safety: c.Safety,
		SafetyOK: c.SafetyOK, Errors: c.Errors, Warnings: c.Warnings,
		Percent: percentValue(c),
	}
}

func writeJSON(b output, v *view, opts Options) error {
	rep := jsonReport{
		Tool:     opts.Tool,
		Version:  opts.Version,
		FailOn:   string(v.failOn),
		Failed:   v.failed,
		Summary:  make([]jsonLocale, 0, len(v.locales)),
		Units:    make([]jsonUnit, 0, len(v.units)),
		Findings: make([]jsonFinding, 0, len(v.findings)),
	}
	for _, l := range v.locales {
		rep.Summary = append(rep.Summary, jsonLocale{Locale: l.Locale, jsonCounts: toJSONCounts(l.Counts), Pass: l.Pass})
	}
	for _, u := range v.units {
		rep.Units = append(rep.Units, jsonUnit{
			Locale: u.Locale, Article: u.Article, File: u.File,
			jsonCounts: toJSONCounts(u.Counts), Pass: u.Pass,
		})
	}
	for _, f := range v.findings {
		rep.Findings = append(rep.Findings, jsonFinding{
			Rule: f.Rule, Severity: string(f.Severity), Locale: f.Locale,
			File: f.File, Line: f.Line, Column: f.Col, Article: f.Article,
			MessageID: f.MessageID, Safety: f.Safety, Message: f.Message, Hint: f.Hint,
		})
	}
	enc := json.NewEncoder(b)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
