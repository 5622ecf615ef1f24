package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cast"
	"github.com/spf13/viper"

	"github.com/healthi18n/healthi18n/internal/article"
	"github.com/healthi18n/healthi18n/internal/inputerr"
	"github.com/healthi18n/healthi18n/internal/locale"
)

// builder turns viper's merged values into a Config, collecting every
// mistake with the place it came from.
type builder struct {
	v    *viper.Viper
	path string
	pos  map[string]position
	src  map[string]string
	errs inputerr.List
}

// errAt records a problem with key's value, placed where the value came
// from: a line of the file, an environment variable or a flag.
func (b *builder) errAt(key string, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if from, ok := b.src[key]; ok {
		b.errs.Add(inputerr.New(b.path, 0, 0, "%s (from %s)", msg, from))
		return
	}
	if p, ok := b.pos[key]; ok {
		b.errs.Add(inputerr.New(b.path, p.line, p.col, "%s", msg))
		return
	}
	b.errs.Add(inputerr.New(b.path, 0, 0, "%s", msg))
}

func (b *builder) build() *Config {
	c := &Config{}
	v := b.v
	if l, err := locale.Parse(v.GetString("source")); err != nil {
		b.errAt("source", "source: %v", err)
	} else {
		c.Source = l
	}
	seen := map[string]int{}
	for i, t := range b.stringList("targets") {
		key := "targets." + strconv.Itoa(i)
		if _, ok := b.pos[key]; !ok || b.src["targets"] != "" {
			key = "targets"
		}
		l, err := locale.Parse(t)
		if err != nil {
			b.errAt(key, "targets: %v", err)
			continue
		}
		if l.Name == c.Source.Name {
			b.errAt(key, "targets: %q is the source locale", t)
			continue
		}
		if j, dup := seen[l.Name]; dup {
			b.errAt(key, "targets: %q is listed twice (also entry %d)", l.Name, j+1)
			continue
		}
		seen[l.Name] = i
		c.Targets = append(c.Targets, l)
	}
	c.Content = b.str("paths.content")
	c.Locales = b.str("paths.locales")
	c.Dist = b.str("paths.dist")
	for _, k := range []string{"paths.content", "paths.locales", "paths.dist"} {
		p := v.GetString(k)
		switch {
		case strings.TrimSpace(p) == "":
			b.errAt(k, "%s must not be empty", k)
		case filepath.IsAbs(p) || !filepath.IsLocal(p):
			// Nothing is read or written outside the project.
			b.errAt(k, "%s %q must be a relative path inside the project directory", k, p)
		}
	}
	c.Policy.Safety = b.oneOf("policy.safety", "strict", "fallback")
	c.Policy.Missing = b.oneOf("policy.missing", "fallback", "omit")
	if mc, err := cast.ToFloat64E(v.Get("policy.min_complete")); err != nil || mc < 0 || mc > 100 {
		b.errAt("policy.min_complete", "policy.min_complete must be a percentage from 0 to 100, got %v", v.Get("policy.min_complete"))
	} else {
		c.Policy.MinComplete = mc
	}
	c.Limits.MaxFileBytes = b.positiveInt("limits.max_file_bytes")
	c.Limits.MaxMessageBytes = b.positiveInt("limits.max_message_bytes")
	c.Rules = b.rules()
	c.Negation = map[string][]string{}
	if raw := v.Get("qa.negation"); raw != nil {
		m, err := cast.ToStringMapE(raw)
		if err != nil {
			b.errAt("qa.negation", "qa.negation must map locale tags to lists of words")
		}
		for tag, words := range m {
			ws, err := cast.ToStringSliceE(words)
			if err != nil {
				b.errAt("qa.negation", "qa.negation.%s must be a list of words", tag)
				continue
			}
			c.Negation[tag] = ws
		}
	}
	c.SameAsSourceAllow = b.stringList("qa.same_as_source_allow")
	return c
}

func (b *builder) str(key string) string { return b.v.GetString(key) }

func (b *builder) stringList(key string) []string {
	raw := b.v.Get(key)
	if raw == nil {
		return nil
	}
	if s, ok := raw.(string); ok {
		return splitList(s)
	}
	out, err := cast.ToStringSliceE(raw)
	if err != nil {
		b.errAt(key, "%s must be a list", key)
	}
	return out
}

func (b *builder) oneOf(key string, allowed ...string) string {
	s := b.v.GetString(key)
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	b.errAt(key, "%s is %q; it must be one of: %s%s", key, s, strings.Join(allowed, ", "), hint(s, allowed))
	return allowed[0]
}

func (b *builder) positiveInt(key string) int {
	n, err := cast.ToIntE(b.v.Get(key))
	if err != nil || n <= 0 {
		b.errAt(key, "%s must be a positive whole number, got %v", key, b.v.Get(key))
		return 1
	}
	return n
}

// rules builds the detector rule list: the shipped defaults (unless
// detector.defaults is false), minus detector.disable, plus
// detector.rules (a rule with a default's ID replaces it).
func (b *builder) rules() []article.Rule {
	var out []article.Rule
	defaults := true
	if raw := b.v.Get("detector.defaults"); raw != nil {
		d, err := cast.ToBoolE(raw)
		if err != nil {
			b.errAt("detector.defaults", "detector.defaults must be true or false")
		}
		defaults = d
	}
	disabled := map[string]bool{}
	for _, id := range b.stringList("detector.disable") {
		disabled[id] = true
	}
	var extra []article.Rule
	if raw := b.v.Get("detector.rules"); raw != nil {
		items, ok := raw.([]any)
		if !ok {
			b.errAt("detector.rules", "detector.rules must be a list of {id, pattern, level}")
		}
		for i, it := range items {
			key := "detector.rules." + strconv.Itoa(i)
			m, err := cast.ToStringMapStringE(it)
			if err != nil {
				b.errAt(key, "detector rule %d must be a mapping of id, pattern, level", i+1)
				continue
			}
			for k := range m {
				if k != "id" && k != "pattern" && k != "level" {
					b.errAt(key, "detector rule %d: unknown key %q (want id, pattern, level)", i+1, k)
				}
			}
			r := article.Rule{ID: m["id"], Pattern: m["pattern"], Level: article.Level(m["level"])}
			if r.Pattern == "" {
				b.errAt(key, "detector rule %d (%q) has no pattern", i+1, r.ID)
				continue
			}
			if _, err := article.NewDetector([]article.Rule{r}); err != nil {
				b.errAt(key, "%v", err)
				continue
			}
			extra = append(extra, r)
		}
	}
	replaced := map[string]bool{}
	for _, r := range extra {
		replaced[r.ID] = true
	}
	known := map[string]bool{}
	if defaults {
		for _, r := range article.DefaultRules() {
			known[r.ID] = true
			if !disabled[r.ID] && !replaced[r.ID] {
				out = append(out, r)
			}
		}
	}
	for id := range disabled {
		if !known[id] {
			b.errAt("detector.disable", "detector.disable names %q, which is no shipped rule", id)
		}
	}
	return append(out, extra...)
}

// checkDirs makes sure the content directory exists; locales and dist are
// created on demand.
func (b *builder) checkDirs(c *Config) error {
	for key, rel := range map[string]string{"paths.content": c.Content, "paths.locales": c.Locales, "paths.dist": c.Dist} {
		if err := noSymlinks(c.Dir, rel); err != nil {
			b.errAt(key, "%s: %v", key, err)
		}
	}
	dir := c.Path(c.Content)
	st, err := os.Stat(dir)
	switch {
	case err != nil:
		b.errAt("paths.content", "content directory %q does not exist (paths.content, relative to %s)", c.Content, c.File)
	case !st.IsDir():
		b.errAt("paths.content", "paths.content %q is not a directory", c.Content)
	}
	if len(b.errs) > 0 {
		return b.errs.Err()
	}
	return nil
}

// noSymlinks makes sure no component of rel below root is a symbolic link,
// which could lead reads or writes outside the project.
func noSymlinks(root, rel string) error {
	cur := root
	for _, part := range strings.Split(filepath.Clean(rel), string(filepath.Separator)) {
		cur = filepath.Join(cur, part)
		st, err := os.Lstat(cur)
		if err != nil {
			return nil // does not exist (yet): created as a directory when needed
		}
		if st.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link; healthi18n reads and writes only real directories inside the project", cur)
		}
	}
	return nil
}
