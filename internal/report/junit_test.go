package report

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/healthi18n/healthi18n/internal/check"
)

type xmlSuites struct {
	XMLName  xml.Name   `xml:"testsuites"`
	Name     string     `xml:"name,attr"`
	Tests    int        `xml:"tests,attr"`
	Failures int        `xml:"failures,attr"`
	Errors   int        `xml:"errors,attr"`
	Suites   []xmlSuite `xml:"testsuite"`
}

type xmlSuite struct {
	Name     string    `xml:"name,attr"`
	Tests    int       `xml:"tests,attr"`
	Failures int       `xml:"failures,attr"`
	Cases    []xmlCase `xml:"testcase"`
}

type xmlCase struct {
	Name      string `xml:"name,attr"`
	Classname string `xml:"classname,attr"`
	File      string `xml:"file,attr"`
	Failure   *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	} `xml:"failure"`
	SystemOut string `xml:"system-out"`
}

func parseJUnit(t *testing.T, r *check.Result) xmlSuites {
	t.Helper()
	out := render(t, "junit", r, testOpts)
	if !strings.HasPrefix(string(out), xml.Header) {
		t.Errorf("no XML declaration:\n%s", out)
	}
	var doc xmlSuites
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("output is not valid XML: %v\n%s", err, out)
	}
	return doc
}

func TestJUnitStructure(t *testing.T) {
	tests := []struct {
		name string
		r    *check.Result
		// want maps "locale/article" to whether the case fails.
		want map[string]bool
	}{
		{"mixed", mixedResult(), map[string]bool{
			"ar/prostate-milking": true,
			"ar/ui":               false,
			"ar/(locale)":         true, // min-complete belongs to no unit
			"de/prostate-milking": false,
			"de/ui":               false,
		}},
		{"empty", emptyResult(), map[string]bool{"es/prostate-milking": false}},
		{"fail on warning", func() *check.Result {
			r := mixedResult()
			r.FailOn = check.Warning
			return r
		}(), map[string]bool{
			"ar/prostate-milking": true,
			"ar/ui":               true, // its warning now fails it
			"ar/(locale)":         true,
			"de/prostate-milking": true,
			"de/ui":               false,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := parseJUnit(t, tc.r)
			seen := map[string]bool{}
			failures := 0
			tests := 0
			for _, s := range doc.Suites {
				suiteFailures := 0
				for _, c := range s.Cases {
					key := s.Name + "/" + c.Name
					if seen[key] {
						t.Errorf("test case %s appears twice", key)
					}
					seen[key] = true
					if c.Classname != "healthi18n."+s.Name {
						t.Errorf("%s: classname %q", key, c.Classname)
					}
					wantFail, ok := tc.want[key]
					if !ok {
						t.Errorf("unexpected test case %s", key)
					}
					if (c.Failure != nil) != wantFail {
						t.Errorf("%s: failure = %v, want %v", key, c.Failure != nil, wantFail)
					}
					if c.Failure != nil {
						suiteFailures++
					}
				}
				if s.Tests != len(s.Cases) || s.Failures != suiteFailures {
					t.Errorf("suite %s: tests=%d failures=%d, counted %d and %d", s.Name, s.Tests, s.Failures, len(s.Cases), suiteFailures)
				}
				tests += s.Tests
				failures += s.Failures
			}
			if len(seen) != len(tc.want) {
				t.Errorf("%d test cases, want %d", len(seen), len(tc.want))
			}
			if doc.Tests != tests || doc.Failures != failures || doc.Errors != 0 {
				t.Errorf("testsuites: tests=%d failures=%d errors=%d, counted %d and %d", doc.Tests, doc.Failures, doc.Errors, tests, failures)
			}
		})
	}
}

func TestJUnitContent(t *testing.T) {
	doc := parseJUnit(t, mixedResult())
	var unit *xmlCase
	for i := range doc.Suites[0].Cases {
		if c := &doc.Suites[0].Cases[i]; c.Name == "prostate-milking" {
			unit = c
		}
	}
	if doc.Suites[0].Name != "ar" || unit == nil || unit.Failure == nil {
		t.Fatalf("ar/prostate-milking failure not found: %+v", doc.Suites)
	}
	f := unit.Failure
	if f.Type != "safety" || f.Message != "ar/prostate-milking: 2 errors (2 on safety messages)" {
		t.Errorf("failure message %q, type %q", f.Message, f.Type)
	}
	// The errors are in the failure, the warning in system-out; the
	// nasty message survives escaping (visible() shows its newline as \n).
	if !strings.Contains(f.Text, `[qa-negation] SAFETY negation lost: source "Never use undue force"`) ||
		!strings.Contains(f.Text, `<script>alert("x")</script> & 100% safe: yes, no\nне لا"`) ||
		!strings.Contains(f.Text, "[stale] SAFETY") || strings.Contains(f.Text, "same-as-source") {
		t.Errorf("failure text:\n%s", f.Text)
	}
	if !strings.Contains(unit.SystemOut, "[same-as-source]") || !strings.Contains(unit.SystemOut, "4 messages, 2 translated (50.0%)") {
		t.Errorf("system-out:\n%s", unit.SystemOut)
	}
	if unit.File != "locales/ar/prostate-milking.ar.toml" {
		t.Errorf("file = %q", unit.File)
	}
}

func TestJUnitInvalidXMLCharacters(t *testing.T) {
	r := &check.Result{FailOn: check.Error,
		Units: []check.UnitResult{{Article: "a\x00<&>", Locale: "de", Counts: check.Counts{Messages: 1}}},
		Findings: []check.Finding{{Rule: "qa-utf8", Severity: check.Error, Locale: "de", Article: "a\x00<&>",
			File: "x.toml", Line: 1, Message: "bad \xff\x01 ]]> text"}},
	}
	doc := parseJUnit(t, r)
	if len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 1 || doc.Suites[0].Cases[0].Failure == nil {
		t.Fatalf("unexpected structure: %+v", doc)
	}
	if txt := doc.Suites[0].Cases[0].Failure.Text; !strings.Contains(txt, `bad \xFF\u0001 ]]> text`) {
		t.Errorf("failure text = %q", txt)
	}
}
