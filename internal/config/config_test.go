package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func writeConfig(t *testing.T, yaml string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadValid(t *testing.T) {
	path := writeConfig(t, "source: en\ntargets: [es, zh-Hans]\npolicy: {safety: fallback, min_complete: 50}\n")
	c, err := Load(Options{Path: path, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Source.Name != "en" || len(c.Targets) != 2 || c.Targets[1].Name != "zh-Hans" {
		t.Errorf("locales: %v %v", c.Source, c.Targets)
	}
	if c.Policy.Safety != "fallback" || c.Policy.Missing != "fallback" || c.Policy.MinComplete != 50 {
		t.Errorf("policy: %+v", c.Policy)
	}
	if len(c.Rules) == 0 {
		t.Error("no default detector rules")
	}
}

func TestLayering(t *testing.T) {
	path := writeConfig(t, "targets: [es]\npolicy: {safety: strict}\n")
	c, err := Load(Options{Path: path, Environ: []string{"HEALTHI18N_POLICY_SAFETY=fallback", "HEALTHI18N_TARGETS=de,fr"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Policy.Safety != "fallback" || len(c.Targets) != 2 || c.Targets[0].Name != "de" {
		t.Errorf("environment did not override: %+v %v", c.Policy, c.Targets)
	}
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	fs.String("safety", "", "")
	fs.Float64("min-complete", 0, "")
	if err := fs.Parse([]string{"--safety", "strict", "--min-complete", "75"}); err != nil {
		t.Fatal(err)
	}
	c, err = Load(Options{Path: path, Flags: fs, Environ: []string{"HEALTHI18N_POLICY_SAFETY=fallback"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Policy.Safety != "strict" || c.Policy.MinComplete != 75 {
		t.Errorf("flags did not override environment: %+v", c.Policy)
	}
}

func TestDetectorConfig(t *testing.T) {
	path := writeConfig(t, "detector:\n  disable: [risk]\n  rules:\n    - {id: never, pattern: 'nope', level: caution}\n    - {id: extra, pattern: 'bleed', level: danger}\n")
	c, err := Load(Options{Path: path, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range c.Rules {
		ids[r.ID] = r.Pattern
	}
	if _, ok := ids["risk"]; ok {
		t.Error("disabled rule still present")
	}
	if ids["never"] != "nope" || ids["extra"] != "bleed" {
		t.Errorf("rules: %v", ids)
	}
	path = writeConfig(t, "detector:\n  defaults: false\n  rules:\n    - {id: only, pattern: 'x'}\n")
	c, err = Load(Options{Path: path, Environ: []string{}})
	if err != nil || len(c.Rules) != 1 {
		t.Errorf("defaults: false: %v %v", c, err)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		env        []string
		want       string
	}{
		{"unknown key", "source: en\ntagrets: [es]\n", nil, `healthi18n.yaml:2:1: unknown key "tagrets"; did you mean "targets"?`},
		{"unknown nested key", "policy:\n  saftey: strict\n", nil, `healthi18n.yaml:2:3: unknown key "policy.saftey"; did you mean "safety"?`},
		{"underscore tag", "targets: [es, pt_BR]\n", nil, `healthi18n.yaml:1:15: targets: locale tag "pt_BR"`},
		{"underscore hint", "targets: [zh_TW]\n", nil, `did you mean "zh-TW"?`},
		{"duplicate after canonical", "targets: [es, es]\n", nil, `healthi18n.yaml:1:15: targets: "es" is listed twice`},
		{"target is source", "targets: [en]\n", nil, "is the source locale"},
		{"bad source", "source: english\n", nil, `healthi18n.yaml:1:9: source: invalid locale tag "english"`},
		{"private use", "targets: [x-pseudo]\n", nil, "private use"},
		{"grandfathered", "targets: [i-klingon]\n", nil, `did you mean "tlh"?`},
		{"extension", "targets: [en-US-u-ca-buddhist]\n", nil, `did you mean "en-US"?`},
		{"bad policy", "policy:\n  safety: lenient\n", nil, `healthi18n.yaml:2:11: policy.safety is "lenient"; it must be one of: strict, fallback`},
		{"bad percent", "policy:\n  min_complete: 120\n", nil, "healthi18n.yaml:2:17: policy.min_complete must be a percentage"},
		{"missing content dir", "paths:\n  content: nowhere\n", nil, `healthi18n.yaml:2:12: content directory "nowhere" does not exist`},
		{"yaml syntax", "targets: [es\n", nil, "healthi18n.yaml:"},
		{"alias", "a: &x 1\n", nil, "anchors and aliases"},
		{"bad rule", "detector:\n  rules:\n    - {id: x, pattern: '('}\n", nil, `healthi18n.yaml:3:7: detector rule "x": bad pattern`},
		{"unknown env", "", []string{"HEALTHI18N_POLICY_SAFTEY=x"}, `unknown variable HEALTHI18N_POLICY_SAFTEY; did you mean "HEALTHI18N_POLICY_SAFETY"?`},
		{"bad env value", "", []string{"HEALTHI18N_POLICY_SAFETY=maybe"}, "(from environment HEALTHI18N_POLICY_SAFETY)"},
		{"disable unknown", "detector:\n  disable: [nevr]\n", nil, `detector.disable names "nevr"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.yaml)
			env := tt.env
			if env == nil {
				env = []string{}
			}
			_, err := Load(Options{Path: path, Environ: env})
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			got := strings.ReplaceAll(err.Error(), filepath.Dir(path)+string(filepath.Separator), "")
			if !strings.Contains(got, tt.want) {
				t.Errorf("error:\n %s\nwant it to contain:\n %s", got, tt.want)
			}
		})
	}
}

func TestMissingFile(t *testing.T) {
	_, err := Load(Options{Path: filepath.Join(t.TempDir(), "nope.yaml"), Environ: []string{}})
	if err == nil || !strings.Contains(err.Error(), "no configuration file") {
		t.Errorf("error = %v", err)
	}
}

// FuzzLoad feeds arbitrary YAML to the configuration loader: it must
// never panic, and any configuration it accepts has valid locales.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("source: en\ntargets: [es, de]\n"))
	f.Add([]byte("policy: {safety: fallback}\ndetector: {rules: [{id: a, pattern: b}]}\n"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	dir := f.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "content"), 0o755); err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := Load(Options{Path: path, Environ: []string{}})
		if err != nil {
			return
		}
		if c.Source.Name == "" {
			t.Fatal("accepted a configuration without a source locale")
		}
		for _, l := range c.Targets {
			if l.Name == "" || l.Name == c.Source.Name {
				t.Fatalf("bad target %q", l.Name)
			}
		}
	})
}
