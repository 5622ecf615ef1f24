package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/project"
)

const article = "Dose\n\nParacetamol relieves pain.\n\nNever take more than 4 g in 24 hours.\n\nBrand names: Panadol.\n"

// setup writes a project, splits it, and lets edit change translator files.
func setup(t *testing.T, targets string, edit func(dir string)) *project.Project {
	t.Helper()
	dir := t.TempDir()
	write := func(name, data string) {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("healthi18n.yaml", "source: en\ntargets: ["+targets+"]\nqa:\n  same_as_source_allow: [\"Brand names: Panadol.\"]\n")
	write("content/dose.txt", article)
	load := func() *project.Project {
		cfg, err := config.Load(config.Options{Path: filepath.Join(dir, "healthi18n.yaml"), Environ: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := project.Load(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := load().Split(project.SplitOptions{}).Apply(); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(dir)
	}
	return load()
}

// fill sets the n-th empty translation of a file (0-based) to text.
func fill(t *testing.T, path string, texts ...string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, text := range texts {
		if text == "" {
			// leave this one empty: skip past it
			i := strings.Index(s, "\nother = \"\"\n")
			s = s[:i] + "\nother = \"\u0000\"\n" + s[i+len("\nother = \"\"\n"):]
			continue
		}
		s = strings.Replace(s, "\nother = \"\"\n", "\nother = \""+text+"\"\n", 1)
	}
	s = strings.ReplaceAll(s, "\u0000", "")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func rules(r *Result, locale string) map[string][]Finding {
	m := map[string][]Finding{}
	for _, f := range r.Findings {
		if f.Locale == locale {
			m[f.Rule] = append(m[f.Rule], f)
		}
	}
	return m
}

func TestCompleteLocalePasses(t *testing.T) {
	p := setup(t, "es", func(dir string) {
		fill(t, filepath.Join(dir, "locales/es/dose.es.toml"), "Dosis", "El paracetamol alivia el dolor.", "No tome nunca más de 4 g en 24 horas.", "Brand names: Panadol.")
	})
	r := Run(p, Options{SameAsSourceAllow: p.Config.SameAsSourceAllow})
	if r.Failed() || len(r.Findings) != 0 {
		t.Fatalf("findings on a complete locale: %v", r.Findings)
	}
	l := r.Locales[0]
	if l.Translated != 4 || l.Safety != 1 || l.SafetyOK != 1 || !l.Pass || l.Percent != 100 {
		t.Errorf("counts %+v", l)
	}
}

func TestSafetyGate(t *testing.T) {
	tests := []struct {
		name, text string
		rule       string
	}{
		{"missing", "", "empty"},
		{"same as source", "Never take more than 4 g in 24 hours.", "same-as-source"},
		{"number changed", "No tome nunca más de 40 g en 24 horas.", "qa-number"},
		{"negation lost", "Tome más de 4 g en 24 horas.", "qa-negation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := setup(t, "es", func(dir string) {
				fill(t, filepath.Join(dir, "locales/es/dose.es.toml"), "Dosis", "El paracetamol alivia el dolor.", tt.text, "x")
			})
			r := Run(p, Options{})
			fs := rules(r, "es")[tt.rule]
			if len(fs) != 1 || fs[0].Severity != Error || !fs[0].Safety || fs[0].Line == 0 {
				t.Fatalf("want one safety error %s, got %v (all: %v)", tt.rule, fs, r.Findings)
			}
			if !r.Failed() || r.Locales[0].SafetyOK != 0 {
				t.Errorf("run passes with a broken safety message: %+v", r.Locales[0])
			}
			// The same problem on a normal message is a warning at most,
			// and under safety: fallback a missing translation is a warning.
			if tt.rule == "empty" {
				r = Run(p, Options{SafetyFallback: true})
				if r.Failed() {
					t.Errorf("fallback policy still fails on a missing translation: %v", r.Findings)
				}
			}
		})
	}
}

func TestStaleOrphanAllowList(t *testing.T) {
	p := setup(t, "es", func(dir string) {
		path := filepath.Join(dir, "locales/es/dose.es.toml")
		fill(t, path, "Dosis", "El paracetamol alivia el dolor.", "No tome nunca más de 4 g en 24 horas.", "Brand names: Panadol.")
		data, _ := os.ReadFile(path)
		s := string(data) + "\n[gone]\ndescription = \"\"\nhash = \"sha1-0\"\nother = \"Adiós\"\n"
		// A translation made from another source text is stale.
		s = strings.Replace(s, "other = \"Dosis\"", "other = \"Dosis\"", 1)
		i := strings.Index(s, "[title]")
		j := strings.Index(s[i:], "hash = ")
		k := strings.Index(s[i+j:], "\n")
		s = s[:i+j] + "hash = \"sha1-0000\"" + s[i+j+k:]
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	})
	r := Run(p, Options{SameAsSourceAllow: p.Config.SameAsSourceAllow})
	got := rules(r, "es")
	if len(got["stale"]) != 1 || got["stale"][0].MessageID != "title" || got["stale"][0].Severity != Warning {
		t.Errorf("stale: %v", got["stale"])
	}
	if len(got["orphan"]) != 1 || got["orphan"][0].MessageID != "gone" {
		t.Errorf("orphan: %v", got["orphan"])
	}
	if len(got["same-as-source"]) != 0 {
		t.Errorf("allow-listed text flagged: %v", got["same-as-source"])
	}
	if r.Failed() {
		t.Errorf("warnings failed the run at fail-on error")
	}
	if r2 := Run(p, Options{FailOn: Warning}); !r2.Failed() || len(rules(r2, "es")["same-as-source"]) != 1 {
		t.Error("--fail-on warning passed with warnings")
	}
	if r3 := Run(p, Options{MinComplete: 90}); !r3.Failed() || len(rules(r3, "es")["min-complete"]) != 1 {
		t.Errorf("min-complete 90 with 75%% current: %v", r3.Findings)
	}
}

// TestLocaleFileCannotDowngradeSafety edits everything a translator could
// edit to claim a safety message is normal: the description, the generated
// comments, the hash. The check still treats it as safety, because the
// classification comes from the source article alone.
func TestLocaleFileCannotDowngradeSafety(t *testing.T) {
	p := setup(t, "es", func(dir string) {
		path := filepath.Join(dir, "locales/es/dose.es.toml")
		data, _ := os.ReadFile(path)
		s := strings.ReplaceAll(string(data), "SAFETY", "normal")
		s = strings.ReplaceAll(s, "level: danger", "level: normal")
		s = strings.ReplaceAll(s, "#. why:", "#. not safety:")
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		fill(t, path, "Dosis", "El paracetamol alivia el dolor.", "", "x")
	})
	r := Run(p, Options{})
	fs := rules(r, "es")["empty"]
	if len(fs) != 1 || !fs[0].Safety || fs[0].Severity != Error {
		t.Fatalf("a locale file edit downgraded a safety message: %v", r.Findings)
	}
}

func TestPluralForms(t *testing.T) {
	p := setup(t, "ru", func(dir string) {
		write := func(name, data string) {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write("locales/en/ui.en.toml", "[n]\none = \"{{.Count}} day\"\nother = \"{{.Count}} days\"\n")
		write("locales/ru/ui.ru.toml", "[n]\nhash = \""+""+"\"\none = \"{{.Count}} день\"\nother = \"{{.Count}} дня\"\n")
	})
	r := Run(p, Options{})
	fs := rules(r, "ru")["plural-forms"]
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "few, many") {
		t.Errorf("plural-forms: %v", fs)
	}
}
