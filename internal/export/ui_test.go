package export

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/healthi18n/healthi18n/internal/check"
	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/locale"
	"github.com/healthi18n/healthi18n/internal/project"
)

// TestShippedUIPlurals renders the shipped ui.ru.toml and ui.ar.toml plural
// strings through go-i18n for counts in every CLDR category and checks
// that each count gets its category's form.
func TestShippedUIPlurals(t *testing.T) {
	cfg, err := config.Load(config.Options{Path: filepath.Join("..", "..", config.FileName), Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := project.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var ui *project.Unit
	for _, u := range p.Units {
		if u.Article == nil {
			ui = u
		}
	}
	if ui == nil {
		t.Fatal("no locales/en/ui.en.toml")
	}
	r := check.Run(p, check.Options{})
	tests := []struct {
		lang  string
		count int
		form  string
	}{
		{"ru", 1, "one"}, {"ru", 21, "one"}, {"ru", 2, "few"}, {"ru", 34, "few"},
		{"ru", 5, "many"}, {"ru", 11, "many"}, {"ru", 100, "many"},
		{"ar", 0, "zero"}, {"ar", 1, "one"}, {"ar", 2, "two"}, {"ar", 3, "few"},
		{"ar", 10, "few"}, {"ar", 11, "many"}, {"ar", 99, "many"}, {"ar", 100, "other"},
		{"es", 1, "one"}, {"es", 4, "other"}, {"ja", 1, "other"},
	}
	for _, tt := range tests {
		lang := locale.MustParse(tt.lang)
		loc := newLocalizer(p.Config, ui, lang, indexFindings(r.Findings))
		for _, id := range []string{"fallback_count", "safety_count"} {
			e := ui.Files[tt.lang].Entry(id)
			form, ok := e.Forms.Get(tt.form)
			if !ok || form.Text == "" {
				t.Fatalf("%s %s has no %s form", tt.lang, id, tt.form)
			}
			want := strings.ReplaceAll(form.Text, "{{.Count}}", strconv.Itoa(tt.count))
			if got := loc.text(id, map[string]any{"Count": tt.count}); got != want {
				t.Errorf("%s %s count %d: got %q, want the %s form %q", tt.lang, id, tt.count, got, tt.form, want)
			}
		}
	}
}
