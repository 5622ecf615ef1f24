package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/healthi18n/healthi18n/internal/check"
)

// localeCase names the extra test case that carries a locale's findings
// which belong to no unit (for example min-complete); it is emitted only
// when there are such findings, so that no error is lost from the report.
const localeCase = "(locale)"

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut junitText     `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string
	Type    string
	Text    string
}

// MarshalXML writes <failure message=... type=...>text</failure>.
func (f junitFailure) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = append(start.Attr,
		xml.Attr{Name: xml.Name{Local: "message"}, Value: f.Message},
		xml.Attr{Name: xml.Name{Local: "type"}, Value: f.Type})
	return encodeText(e, start, f.Text)
}

// junitText is element text that keeps its line breaks readable.
type junitText string

func (t junitText) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return encodeText(e, start, string(t))
}

// encodeText writes an element holding s. Unlike a ",chardata" field, a
// CharData token keeps newlines as they are; <, >, &, quotes and
// characters XML cannot hold are still escaped.
func encodeText(e *xml.Encoder, start xml.StartElement, s string) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.EncodeToken(xml.CharData(s)); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

// writeJUnit renders one <testsuite> per locale and one <testcase> per
// unit (article × locale), named after the article with classname
// "<tool>.<locale>". A unit that did not pass, or that has a finding at
// the fail-on severity, gets a <failure> listing those findings (type
// "safety" when one of them is on a safety message, else "check"); its
// other findings (warnings, with the default fail-on) and its counts go
// to <system-out>. All text is escaped by encoding/xml.
func writeJUnit(b output, v *view, opts Options) error {
	type key struct{ locale, article string }
	hasUnit := map[key]bool{}
	for _, u := range v.units {
		hasUnit[key{u.Locale, u.Article}] = true
	}
	byUnit := map[key][]check.Finding{}
	byLocale := map[string][]check.Finding{} // findings of no unit
	for _, f := range v.findings {
		k := key{f.Locale, f.Article}
		if hasUnit[k] {
			byUnit[k] = append(byUnit[k], f)
		} else {
			byLocale[f.Locale] = append(byLocale[f.Locale], f)
		}
	}

	all := junitSuites{Name: opts.Tool}
	for _, locale := range v.localeNames() {
		suite := junitSuite{Name: locale}
		class := opts.Tool + "." + locale
		for _, u := range v.units {
			if u.Locale != locale {
				continue
			}
			tc := junitCase{Name: u.Article, Classname: class, File: u.File}
			counts := fmt.Sprintf("%s, %d translated (%s), %d stale, %d missing, %d orphaned, safety %d/%d ok\n",
				plural(u.Messages, "message"), u.Translated, percentString(u.Counts), u.Stale, u.Missing, u.Orphans, u.SafetyOK, u.Safety)
			v.fillCase(&tc, byUnit[key{locale, u.Article}], !u.Pass, locale+"/"+u.Article, counts)
			suite.add(tc)
		}
		if fs := byLocale[locale]; len(fs) > 0 {
			tc := junitCase{Name: localeCase, Classname: class}
			v.fillCase(&tc, fs, false, locale, "")
			suite.add(tc)
		}
		all.Tests += suite.Tests
		all.Failures += suite.Failures
		all.Suites = append(all.Suites, suite)
	}

	b.WriteString(xml.Header)
	enc := xml.NewEncoder(b)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	b.WriteByte('\n')
	return nil
}

func (s *junitSuite) add(tc junitCase) {
	s.Tests++
	if tc.Failure != nil {
		s.Failures++
	}
	s.Cases = append(s.Cases, tc)
}

// fillCase splits fs into the failure (findings at the fail-on severity)
// and system-out (the rest, after prefix).
func (v *view) fillCase(tc *junitCase, fs []check.Finding, failed bool, what, prefix string) {
	var fail, out bytes.Buffer
	var t tally
	safety := 0
	out.WriteString(prefix)
	for _, f := range fs {
		if f.Severity.Rank() >= v.failRank() {
			writeTextFinding(&fail, f, painter{})
			t.add(f.Severity)
			if f.Safety {
				safety++
			}
		} else {
			writeTextFinding(&out, f, painter{})
		}
	}
	if failed || fail.Len() > 0 {
		msg := what + ": did not pass"
		if fail.Len() > 0 {
			msg = fmt.Sprintf("%s: %s", what, failSummary(t))
			if safety > 0 {
				msg += fmt.Sprintf(" (%d on safety messages)", safety)
			}
		}
		typ := "check"
		if safety > 0 {
			typ = "safety"
		}
		tc.Failure = &junitFailure{Message: msg, Type: typ, Text: fail.String()}
	}
	tc.SystemOut = junitText(out.String())
}

// failSummary counts the failing findings without the zero terms.
func failSummary(t tally) string {
	var parts []string
	if t.errors > 0 {
		parts = append(parts, plural(t.errors, "error"))
	}
	if t.warnings > 0 {
		parts = append(parts, plural(t.warnings, "warning"))
	}
	if t.notes > 0 {
		parts = append(parts, plural(t.notes, "note"))
	}
	return strings.Join(parts, ", ")
}
