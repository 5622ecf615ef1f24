package report

import (
	"strings"
	"testing"

	"github.com/healthi18n/healthi18n/internal/check"
)

// The escaping follows @actions/core (packages/core/src/command.ts in
// github.com/actions/toolkit): escapeData replaces % \r \n; escapeProperty
// also : and ,.
func TestGitHubEscaping(t *testing.T) {
	tests := []struct {
		in, data, prop string
	}{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"%0A literal", "%250A literal", "%250A literal"},
		{"a\nb", "a%0Ab", "a%0Ab"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"key: a, b", "key: a, b", "key%3A a%2C b"},
		{"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
		{`<script>"&"</script>`, `<script>"&"</script>`, `<script>"&"</script>`},
		{"не لا", "не لا", "не لا"},
	}
	for _, tc := range tests {
		if got := escapeData(tc.in); got != tc.data {
			t.Errorf("escapeData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := escapeProperty(tc.in); got != tc.prop {
			t.Errorf("escapeProperty(%q) = %q, want %q", tc.in, got, tc.prop)
		}
	}
}

func TestGitHubCommands(t *testing.T) {
	out := string(render(t, "github", mixedResult(), testOpts))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	// One line per finding and per locale: no message may break a line.
	if want := len(mixedResult().Findings) + len(mixedResult().Locales); len(lines) != want {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), want, out)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "::error ") && !strings.HasPrefix(l, "::warning ") && !strings.HasPrefix(l, "::notice ") {
			t.Errorf("not a workflow command: %q", l)
		}
	}
	for _, want := range []string{
		"::error file=locales/ar/prostate-milking.ar.toml,line=42,col=13,title=healthi18n [qa-negation] ar::" +
			`SAFETY: negation lost: source "Never use undue force" has "never"; translation "<script>alert("x")</script> & 100%25 safe: yes, no%0Aне لا" has none (id: warn-force)%0Ahint: keep the negation (e.g. "لا")`,
		"::warning file=locales/ar/ui.ar.toml,title=healthi18n [missing] ar::no translation: the locale file does not exist (id: safety_label)%0Ahint: run healthi18n split",
		"::error title=healthi18n [min-complete] ar::40.0%25 complete, below policy.min_complete (80%25)",
		"::notice title=healthi18n summary [de]::de: PASS, 83.3%25 complete (5/6 translated, 1 stale, 0 missing), safety 3/3 ok, 0 errors, 1 warning",
	} {
		found := false
		for _, l := range lines {
			if l == want {
				found = true
			}
		}
		if !found {
			t.Errorf("missing line\n%s\nin\n%s", want, out)
		}
	}

	// Property values with : and , are escaped; so are smuggled controls.
	odd := &check.Result{FailOn: check.Error, Findings: []check.Finding{{
		Rule: "qa-bidi", Severity: check.Note, Locale: "de", File: "dir,x/a:b.toml", Line: 1,
		Message: "evil \u202Etxt.exe\r\n::error::fake",
	}}}
	got := string(render(t, "github", odd, testOpts))
	want := "::notice file=dir%2Cx/a%3Ab.toml,line=1,title=healthi18n [qa-bidi] de::evil \\u202Etxt.exe%0D%0A::error::fake\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
