package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/healthi18n/healthi18n/internal/check"
	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/export"
	"github.com/healthi18n/healthi18n/internal/project"
)

// TestReaderProgram exports the shipped samples, builds this example with
// the go command and runs it on the Spanish and (fallback) French exports.
func TestReaderProgram(t *testing.T) {
	cfg, err := config.Load(config.Options{Path: filepath.Join("..", "..", config.FileName), Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := project.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dist := t.TempDir()
	r := check.Run(p, check.Options{SafetyFallback: true})
	if _, err := export.Run(p, r, export.Options{Dist: dist, Policy: export.Policy{Safety: "fallback", Missing: "fallback"}}); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "reader")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "-dist", dist, "-lang", "es", "-article", "prostate-milking").CombinedOutput()
	if err != nil {
		t.Fatalf("reader: %v\n%s", err, out)
	}
	es := mustRead(t, filepath.Join("..", "..", "locales", "es", "prostate-milking.es.toml"))
	for _, want := range []string{"nunca", "septicemia"} {
		if !strings.Contains(strings.ToLower(string(out)), want) {
			t.Errorf("Spanish article lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(es, strings.SplitN(string(out), "\n", 2)[0]) {
		t.Errorf("first line %q is not the Spanish title", strings.SplitN(string(out), "\n", 2)[0])
	}
	out, err = exec.Command(bin, "-dist", dist, "-lang", "fr", "-article", "prostate-milking").CombinedOutput()
	if err != nil {
		t.Fatalf("reader fr: %v\n%s", err, out)
	}
	notice := fallbackNotice(t, mustRead(t, filepath.Join("..", "..", "locales", "fr", "ui.fr.toml")))
	if !strings.Contains(string(out), "First, prostate milking should not be carried out") || !strings.Contains(string(out), "("+notice+")") {
		t.Errorf("French fallback lacks the English warning with its notice:\n%s", out)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// fallbackNotice finds the French fallback notice in ui.fr.toml.
func fallbackNotice(t *testing.T, ui string) string {
	t.Helper()
	i := strings.Index(ui, "[fallback_notice]")
	j := strings.Index(ui[i:], "\nother = \"")
	line := ui[i+j+len("\nother = \""):]
	return line[:strings.Index(line, "\"\n")]
}
