package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/healthi18n/healthi18n/internal/check"
)

// schemaFile is the official SARIF 2.1.0 JSON schema, OASIS SARIF v2.1.0
// Errata 01 (id https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json),
// copied verbatim from github.com/oasis-tcs/sarif-spec, file
// Schemata/sarif-schema-2.1.0.json at commit
// 0a8091f7d4057e57b6d8d9b56129e5f918747b34 (112768 characters, sha256
// ddddcccbf95c7c50c037b5b07eff4140556278ca574ff374db46786b5fce7949).
// It is a draft-04 schema; the draft-04 meta-schema is built into the
// validator, so nothing is fetched.
const schemaFile = "testdata/sarif-schema-2.1.0.json"

// noNetwork refuses every URL: the test must never fetch a schema.
type noNetwork struct{}

func (noNetwork) Load(url string) (any, error) {
	return nil, errors.New("refusing to load " + url + ": schemas are vendored under testdata")
}

func compileSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	raw, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Schema string `json:"$schema"`
		ID     string `json:"id"`
		Title  string `json:"title"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatalf("%s is not valid JSON: %v", schemaFile, err)
	}
	if !strings.Contains(meta.Title, "SARIF) Version 2.1.0") || !strings.HasSuffix(meta.ID, "/sarif-schema-2.1.0.json") {
		t.Fatalf("%s is not the SARIF 2.1.0 schema: title %q, id %q", schemaFile, meta.Title, meta.ID)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(noNetwork{})
	c.AssertFormat()
	loc, err := filepath.Abs(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource(loc, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(loc)
	if err != nil {
		t.Fatalf("compiling %s: %v", schemaFile, err)
	}
	return sch
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	sch := compileSARIFSchema(t)
	cases := []struct {
		name string
		r    *check.Result
		opts Options
	}{
		{"mixed", mixedResult(), testOpts},
		{"empty", emptyResult(), testOpts},
		{"no source root, no version", mixedResult(), Options{}},
		{"odd paths", &check.Result{FailOn: check.Error, Findings: []check.Finding{
			{Rule: "orphan-file", Severity: check.Warning, Locale: "de", File: `locales\de\a b,c:d.de.toml`, Message: "x"},
			{Rule: "not-in-catalogue", Severity: check.Note, Locale: "de", File: "/home/ci/project/locales/de/ü.toml", Line: 3, Message: "y"},
			{Rule: "missing", Severity: check.Warning, Locale: "de", File: "/elsewhere/x.toml", Line: 1, Col: 2, Message: "z"},
		}}, testOpts},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, "sarif", tc.r, tc.opts)
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("output is not JSON: %v", err)
			}
			if err := sch.Validate(inst); err != nil {
				t.Fatalf("output does not validate against SARIF 2.1.0:\n%v\n%s", err, out)
			}
		})
	}
}

// The schema must reject what it should, or validating proves nothing.
func TestSARIFSchemaRejectsInvalid(t *testing.T) {
	sch := compileSARIFSchema(t)
	for _, bad := range []string{
		`{"version": "2.0.0", "runs": []}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a"}, "region": {"startLine": 0}}}]}]}]}`,
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("schema accepted %s", bad)
		}
	}
}

// sarifDoc is the part of the output the tests look into.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name, Version, InformationURI string
				Rules                         []struct {
					ID, Name             string
					DefaultConfiguration struct{ Level string }
				}
			}
		}
		OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
		Results            []struct {
			RuleID    string
			RuleIndex int
			Level     string
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string
						URIBaseID string `json:"uriBaseId"`
					}
					Region *struct{ StartLine, StartColumn int }
				}
			}
			PartialFingerprints map[string]string
			Properties          struct {
				Locale, Article, MessageID string
				Safety                     bool
			}
		}
	}
}

func TestSARIFContent(t *testing.T) {
	var doc sarifDoc
	if err := json.Unmarshal(render(t, "sarif", mixedResult(), testOpts), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "https://json.schemastore.org/sarif-2.1.0.json" || doc.Version != "2.1.0" || len(doc.Runs) != 1 {
		t.Fatalf("header: %q %q, %d runs", doc.Schema, doc.Version, len(doc.Runs))
	}
	run := doc.Runs[0]
	d := run.Tool.Driver
	if d.Name != "healthi18n" || d.Version != "1.2.3" || d.InformationURI != "https://github.com/healthi18n/healthi18n" {
		t.Errorf("driver = %q %q %q", d.Name, d.Version, d.InformationURI)
	}
	if len(d.Rules) != len(check.Rules) {
		t.Fatalf("%d rules, want %d", len(d.Rules), len(check.Rules))
	}
	for i, r := range check.Rules {
		if got := d.Rules[i]; got.ID != r.ID || got.Name != r.Name || got.DefaultConfiguration.Level != string(r.Default) {
			t.Errorf("rule %d = %+v, want %+v", i, got, r)
		}
	}
	if got := run.OriginalURIBaseIDs["%SRCROOT%"].URI; got != "file:///home/ci/project/" {
		t.Errorf("%%SRCROOT%% = %q", got)
	}
	if len(run.Results) != len(mixedResult().Findings) {
		t.Fatalf("%d results, want %d", len(run.Results), len(mixedResult().Findings))
	}
	prints := map[string]bool{}
	for _, res := range run.Results {
		if d.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("ruleIndex %d is %q, not %q", res.RuleIndex, d.Rules[res.RuleIndex].ID, res.RuleID)
		}
		fp := res.PartialFingerprints["healthi18nFinding/v1"]
		if len(fp) != 32 || prints[fp] {
			t.Errorf("fingerprint %q missing, malformed or repeated", fp)
		}
		prints[fp] = true
		if !strings.HasPrefix(res.Message.Text, "["+res.Properties.Locale+"] ") {
			t.Errorf("message %q does not start with the locale", res.Message.Text)
		}
		if res.Properties.MessageID != "" && !strings.Contains(res.Message.Text, res.Properties.MessageID) {
			t.Errorf("message %q lacks the message ID %q", res.Message.Text, res.Properties.MessageID)
		}
		switch res.Properties.MessageID {
		case "safety_label": // line 0: a location without a region
			if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.Region != nil {
				t.Errorf("absent file: locations %+v", res.Locations)
			}
		case "warn-force":
			loc := res.Locations[0].PhysicalLocation
			if loc.ArtifactLocation.URI != "locales/ar/prostate-milking.ar.toml" || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" ||
				loc.Region == nil || loc.Region.StartLine != 42 || loc.Region.StartColumn != 13 {
				t.Errorf("warn-force location = %+v", loc)
			}
			if res.Level != "error" || !res.Properties.Safety || res.Properties.Article != "prostate-milking" {
				t.Errorf("warn-force = %+v", res)
			}
		case "": // min-complete has no file: anchored to the locale's first unit file
			if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.Region != nil ||
				res.Locations[0].PhysicalLocation.ArtifactLocation.URI != "locales/ar/prostate-milking.ar.toml" {
				t.Errorf("min-complete locations %+v", res.Locations)
			}
		}
		// GitHub code scanning rejects the whole log for one result
		// without a location.
		if len(res.Locations) == 0 {
			t.Errorf("result %s/%s has no location", res.RuleID, res.Properties.MessageID)
		}
	}

	// The fingerprint ignores position and wording.
	f := mixedResult().Findings[1]
	g := f
	g.Line, g.Col, g.Message = 99, 7, "reworded"
	if fingerprint(f) != fingerprint(g) {
		t.Errorf("fingerprint changed with position or wording")
	}
	g.Locale = "fa"
	if fingerprint(f) == fingerprint(g) {
		t.Errorf("fingerprint ignores the locale")
	}
}

func TestArtifactLocation(t *testing.T) {
	tests := []struct {
		file, root string
		uri, base  string
	}{
		{"locales/de/a.de.toml", "", "locales/de/a.de.toml", "%SRCROOT%"},
		{"./locales/de/a.de.toml", "/p", "locales/de/a.de.toml", "%SRCROOT%"},
		{"locales/de/a b,c.toml", "", "locales/de/a%20b%2Cc.toml", "%SRCROOT%"},
		{"a:b/c.toml", "", "a%3Ab/c.toml", "%SRCROOT%"},
		{"/p/locales/ru/не.toml", "/p", "locales/ru/%D0%BD%D0%B5.toml", "%SRCROOT%"},
		{"/elsewhere/x.toml", "/p", "file:///elsewhere/x.toml", ""},
		{"/p/../x.toml", "/p", "file:///x.toml", ""},
	}
	for _, tc := range tests {
		got := artifactLocation(tc.file, tc.root)
		if got.URI != tc.uri || got.URIBaseID != tc.base {
			t.Errorf("artifactLocation(%q, %q) = %+v, want {%s %s}", tc.file, tc.root, got, tc.uri, tc.base)
		}
	}
	if got := dirFileURI("/home/ci/project/"); got != "file:///home/ci/project/" {
		t.Errorf("dirFileURI = %q", got)
	}
}
