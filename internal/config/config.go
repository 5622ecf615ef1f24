// Package config owns healthi18n.yaml: reading it with viper, layering
// environment variables (HEALTHI18N_*) and command-line flags over it, and
// validating every value with the file position of any mistake.
//
// It must not read content or locale files; it only says where they are and
// what policy applies.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"gopkg.in/yaml.v3"

	"github.com/healthi18n/healthi18n/internal/article"
	"github.com/healthi18n/healthi18n/internal/inputerr"
	"github.com/healthi18n/healthi18n/internal/locale"
)

// FileName is the configuration file looked for in the working directory.
const FileName = "healthi18n.yaml"

// Policy decides what check and export do with incomplete locales.
type Policy struct {
	// Safety is "strict" (refuse a locale whose safety messages are not all
	// translated and clean) or "fallback" (show the source text with a notice).
	Safety string
	// Missing is "fallback" (show source text) or "omit" (leave out) for
	// normal messages without a translation. Safety messages are never omitted.
	Missing string
	// MinComplete is the percentage of messages a locale needs to pass.
	MinComplete float64
}

// Limits bound what the pipeline accepts.
type Limits struct {
	MaxFileBytes    int
	MaxMessageBytes int
}

// Config is the validated configuration.
type Config struct {
	// File is the configuration file read, and Dir its directory; every
	// path below is relative to Dir.
	File, Dir string
	Source    locale.Locale
	Targets   []locale.Locale
	Content   string
	Locales   string
	Dist      string
	Policy    Policy
	Limits    Limits
	// Rules are the detector's rules after defaults, disable and additions.
	Rules []article.Rule
	// Negation adds words per locale to the negation rule's lists.
	Negation map[string][]string
	// SameAsSourceAllow lists texts that may stay identical to the source.
	SameAsSourceAllow []string
}

// Path resolves a configured path against the configuration's directory.
func (c *Config) Path(rel string) string {
	if filepath.IsAbs(rel) {
		return rel
	}
	return filepath.Join(c.Dir, rel)
}

// Detector compiles the configured detector rules.
func (c *Config) Detector() (*article.Detector, error) {
	d, err := article.NewDetector(c.Rules)
	if err != nil {
		return nil, inputerr.Wrap(c.File, 0, 0, err)
	}
	return d, nil
}

// schema lists every key the file may hold; a nested map is a section.
// Unknown keys are errors: a typo must not silently change policy.
var schema = map[string]any{
	"source":  nil,
	"targets": nil,
	"paths":   map[string]any{"content": nil, "locales": nil, "dist": nil},
	"policy":  map[string]any{"safety": nil, "missing": nil, "min_complete": nil},
	"limits":  map[string]any{"max_file_bytes": nil, "max_message_bytes": nil},
	"detector": map[string]any{
		"defaults": nil, "disable": nil, "rules": nil,
	},
	"qa": map[string]any{"negation": nil, "same_as_source_allow": nil},
}

// flagKeys maps command-line flags to the keys they override.
var flagKeys = map[string]string{
	"safety":       "policy.safety",
	"missing":      "policy.missing",
	"min-complete": "policy.min_complete",
	"source":       "source",
	"targets":      "targets",
}

// Options says where to look and what overrides the file.
type Options struct {
	// Path is the --config flag; empty means FileName in the working directory.
	Path string
	// Flags, if set, override file and environment for the keys in flagKeys
	// when the user set them.
	Flags *pflag.FlagSet
	// Environ is the environment (os.Environ() if nil).
	Environ []string
}

// Load reads, layers and validates the configuration.
func Load(opts Options) (*Config, error) {
	path := opts.Path
	if path == "" {
		path = FileName
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, inputerr.New(path, 0, 0, "no configuration file; run in the project root or pass --config PATH")
		}
		return nil, inputerr.Wrap(path, 0, 0, err)
	}
	pos, err := scanPositions(path, data)
	if err != nil {
		return nil, err
	}
	v := viper.New()
	v.SetConfigType("yaml")
	setDefaults(v)
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, inputerr.New(path, 1, 1, "%v", err)
	}
	environ := opts.Environ
	if environ == nil {
		environ = os.Environ()
	}
	src := map[string]string{} // key -> where its value came from, if not the file
	if err := applyEnv(v, environ, src); err != nil {
		return nil, err
	}
	if opts.Flags != nil {
		opts.Flags.Visit(func(f *pflag.Flag) {
			if key, ok := flagKeys[f.Name]; ok {
				v.Set(key, f.Value.String())
				src[key] = "--" + f.Name
			}
		})
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, inputerr.Wrap(path, 0, 0, err)
	}
	b := &builder{v: v, path: path, pos: pos, src: src}
	c := b.build()
	if len(b.errs) > 0 {
		b.errs.Sort()
		return nil, b.errs.Err()
	}
	c.File, c.Dir = path, filepath.Dir(abs)
	if err := b.checkDirs(c); err != nil {
		return nil, err
	}
	return c, nil
}

func setDefaults(v *viper.Viper) {
	v.SetDefault("source", "en")
	v.SetDefault("targets", []string{})
	v.SetDefault("paths.content", "content")
	v.SetDefault("paths.locales", "locales")
	v.SetDefault("paths.dist", "dist")
	v.SetDefault("policy.safety", "strict")
	v.SetDefault("policy.missing", "fallback")
	v.SetDefault("policy.min_complete", 0)
	v.SetDefault("limits.max_file_bytes", 10<<20)
	v.SetDefault("limits.max_message_bytes", 64<<10)
	v.SetDefault("detector.defaults", true)
}

// allKeys lists the dotted leaf keys of schema.
func allKeys() []string {
	var out []string
	for k, sub := range schema {
		if m, ok := sub.(map[string]any); ok {
			for kk := range m {
				out = append(out, k+"."+kk)
			}
			continue
		}
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// applyEnv sets keys from HEALTHI18N_* variables (HEALTHI18N_POLICY_SAFETY
// sets policy.safety). An unknown HEALTHI18N_ variable is an error, like an
// unknown key in the file.
func applyEnv(v *viper.Viper, environ []string, src map[string]string) error {
	byEnv := map[string]string{}
	for _, k := range allKeys() {
		byEnv["HEALTHI18N_"+strings.ToUpper(strings.ReplaceAll(k, ".", "_"))] = k
	}
	var names []string
	vals := map[string]string{}
	for _, kv := range environ {
		name, val, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "HEALTHI18N_") {
			continue
		}
		names = append(names, name)
		vals[name] = val
	}
	sort.Strings(names)
	for _, name := range names {
		key, ok := byEnv[name]
		if !ok {
			return inputerr.New("environment", 0, 0, "unknown variable %s%s", name, hint(name, keysOf(byEnv)))
		}
		val := vals[name]
		if key == "targets" || key == "detector.disable" || key == "qa.same_as_source_allow" {
			v.Set(key, splitList(val))
		} else {
			v.Set(key, val)
		}
		src[key] = "environment " + name
	}
	return nil
}

func keysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// position is a value's place in the file.
type position struct{ line, col int }

// scanPositions parses the YAML to record where each key's value is, and
// rejects unknown keys, anchors and aliases with their position.
func scanPositions(path string, data []byte) (map[string]position, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(path, err)
	}
	pos := map[string]position{}
	if len(doc.Content) == 0 {
		return pos, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, inputerr.New(path, root.Line, root.Column, "configuration must be a mapping of keys")
	}
	var errs inputerr.List
	var walk func(n *yaml.Node, sch map[string]any, prefix string)
	walk = func(n *yaml.Node, sch map[string]any, prefix string) {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			full := prefix + k.Value
			if val.Kind == yaml.AliasNode || val.Anchor != "" {
				errs.Add(inputerr.New(path, val.Line, val.Column, "YAML anchors and aliases are not allowed in the configuration"))
				continue
			}
			if seen[k.Value] {
				errs.Add(inputerr.New(path, k.Line, k.Column, "key %q appears twice", full))
				continue
			}
			seen[k.Value] = true
			sub, known := sch[k.Value]
			if !known {
				names := make([]string, 0, len(sch))
				for name := range sch {
					names = append(names, name)
				}
				sort.Strings(names)
				errs.Add(inputerr.New(path, k.Line, k.Column, "unknown key %q%s", full, hint(k.Value, names)))
				continue
			}
			pos[full] = position{val.Line, val.Column}
			if m, ok := sub.(map[string]any); ok {
				if val.Kind != yaml.MappingNode {
					errs.Add(inputerr.New(path, val.Line, val.Column, "%q must be a mapping", full))
					continue
				}
				walk(val, m, full+".")
			}
			if full == "targets" && val.Kind == yaml.SequenceNode {
				for j, item := range val.Content {
					pos["targets."+strconv.Itoa(j)] = position{item.Line, item.Column}
				}
			}
			if full == "detector.rules" && val.Kind == yaml.SequenceNode {
				for j, item := range val.Content {
					pos["detector.rules."+strconv.Itoa(j)] = position{item.Line, item.Column}
				}
			}
		}
	}
	walk(root, schema, "")
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs.Err()
	}
	return pos, nil
}

func yamlError(path string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if strings.HasPrefix(msg, "line ") {
		rest := strings.TrimPrefix(msg, "line ")
		if n, tail, ok := strings.Cut(rest, ": "); ok {
			if line, e := strconv.Atoi(n); e == nil {
				return inputerr.New(path, line, 1, "%s", tail)
			}
		}
	}
	return inputerr.New(path, 1, 1, "%s", msg)
}

// hint suggests the closest known name to a misspelt one.
func hint(got string, known []string) string {
	best, bestD := "", 4
	lg := strings.ToLower(got)
	for _, k := range known {
		if d := editDistance(lg, strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
