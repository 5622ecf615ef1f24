package check

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/healthi18n/healthi18n/internal/bundle"
	"github.com/healthi18n/healthi18n/internal/locale"
	"github.com/healthi18n/healthi18n/internal/project"
	"github.com/healthi18n/healthi18n/internal/qa"
)

// Options tunes a check run.
type Options struct {
	// Locales limits the run (all targets if empty).
	Locales []locale.Locale
	// SafetyOnly reports findings on safety messages only.
	SafetyOnly bool
	// FailOn is the severity at which the run fails (Error if empty).
	FailOn Severity
	// MinComplete is the percentage of current translations each locale needs.
	MinComplete float64
	// SafetyFallback is set under policy safety: fallback. A safety message
	// without a current translation is then a warning (export shows the
	// source text with a notice); a translation that fails a QA rule is
	// still an error, because someone wrote a wrong warning.
	SafetyFallback bool
	// QA runs the translation QA rules; nil means qa.New(nil).
	QA *qa.Checker
	// SameAsSourceAllow lists texts that may stay identical to the source.
	SameAsSourceAllow []string
}

// Run checks every unit of a loaded project in every selected locale and
// collects all findings; it never stops at the first problem.
func Run(p *project.Project, opts Options) *Result {
	opts, allow := opts.withDefaults(p.Config.Targets)
	outs := make([]outcome, len(p.Units))
	project.ForEach(len(p.Units), func(i int) {
		outs[i] = checkUnit(p.Units[i], p.Rel, &opts, allow)
	})
	return assemble(outs, p.OrphanFiles, p.Rel, p.BundlePath, &opts)
}

func (opts Options) withDefaults(targets []locale.Locale) (Options, map[string]bool) {
	if opts.FailOn == "" {
		opts.FailOn = Error
	}
	if opts.QA == nil {
		opts.QA = qa.New(nil)
	}
	if len(opts.Locales) == 0 {
		opts.Locales = targets
	}
	allow := map[string]bool{}
	for _, a := range opts.SameAsSourceAllow {
		allow[a] = true
	}
	return opts, allow
}

// outcome is everything check concludes about one unit in every selected
// locale: what RunTree keeps in the cache.
type outcome struct {
	// Slug and Content (the article's path, "" for the UI strings) let
	// RunTree find duplicate slugs and orphan files without the unit.
	Slug, Content string
	Findings      []Finding
	// Units has one entry per selected locale, in order.
	Units []UnitResult
	// Groups are the findings' groups, in order.
	Groups []Group
}

// checkUnit checks one unit in every selected locale.
func checkUnit(u *project.Unit, rel func(string) string, opts *Options, allow map[string]bool) outcome {
	out := outcome{Slug: u.Source.Name}
	if u.Article != nil {
		out.Content = u.Article.Path
		if f, stale := sourceFinding(u, rel); stale {
			out.Findings = append(out.Findings, f)
		}
	}
	// Each locale compares its translations' hashes with these.
	hashes := make([]string, len(u.Source.Messages))
	for i := range u.Source.Messages {
		hashes[i] = u.Source.Messages[i].Hash()
	}
	for _, lang := range opts.Locales {
		c := &unitChecker{
			src: u.Source, hashes: hashes, lang: lang, file: u.Files[lang.Name], path: rel(u.Paths[lang.Name]),
			opts: opts, allow: allow,
		}
		out.Units = append(out.Units, c.run())
		out.Findings = append(out.Findings, c.findings...)
	}
	// In report order already, so that assemble seldom has to sort.
	slices.SortStableFunc(out.Findings, CompareFindings)
	out.Groups = GroupsOf(out.Findings)
	return out
}

// assemble merges the units' outcomes (in unit order) with the findings
// that concern the whole tree, and sets the pass flags.
func assemble(outs []outcome, orphanFiles []string, rel func(string) string, bundlePath func(lang, name string) string, opts *Options) *Result {
	totals := make([]Counts, len(opts.Locales))
	failing := map[string]bool{}
	failingUnit := map[[2]string]bool{}
	for _, o := range outs {
		for li := range totals {
			totals[li].add(o.Units[li].Counts)
		}
		for _, g := range o.Groups {
			if g.Fails(opts.FailOn) {
				failing[g.Locale] = true
				failingUnit[[2]string{g.Locale, o.Slug}] = true
			}
		}
	}
	r, extra := summarize(totals, failing, orphanFiles, rel, bundlePath, opts)
	for _, f := range extra {
		if f.Severity.Rank() >= opts.FailOn.Rank() {
			failingUnit[[2]string{f.Locale, f.Article}] = true
		}
	}
	// Pass flags follow the fail-on level. A unit's findings are all
	// about its article.
	r.Units = make([]UnitResult, 0, len(outs)*len(opts.Locales))
	for li := range opts.Locales {
		for _, o := range outs {
			u := o.Units[li]
			u.Pass = !failingUnit[[2]string{u.Locale, u.Article}]
			r.Units = append(r.Units, u)
		}
	}
	runs := make([][]Finding, len(outs))
	for i := range outs {
		runs[i] = outs[i].Findings
		outs[i].Findings = nil // the result's copy is kept; a large corpus need not hold both
	}
	r.Findings = sortedByLocale(runs, extra)
	return r
}

// summarize is all of assemble but the units: the Result without Findings
// and Units, from each locale's counts summed over the units (totals, in
// the order of opts.Locales) and the locales where a unit's group of
// findings fails (failing, to which it adds); and the findings that
// concern the whole tree.
func summarize(totals []Counts, failing map[string]bool, orphanFiles []string, rel func(string) string, bundlePath func(lang, name string) string, opts *Options) (*Result, []Finding) {
	r := &Result{FailOn: opts.FailOn}
	var extra []Finding // about the whole tree
	for li, lang := range opts.Locales {
		lr := LocaleResult{Locale: lang.Name, Counts: totals[li]}
		for _, f := range orphanFiles {
			if strings.Contains(f, string(os.PathSeparator)+lang.Name+string(os.PathSeparator)) {
				extra = append(extra, Finding{Rule: "orphan-file", Severity: Warning, Locale: lang.Name, File: rel(f),
					Message: "translator file belongs to no article", Hint: "remove it with: healthi18n split --prune"})
				lr.Warnings++
			}
		}
		lr.Percent = lr.Counts.Percent()
		if lr.Percent < opts.MinComplete {
			extra = append(extra, Finding{Rule: "min-complete", Severity: Error, Locale: lang.Name,
				File:    rel(filepath.Dir(bundlePath(lang.Name, project.UIName))),
				Message: fmt.Sprintf("%s is %.1f%% complete, below the required %.0f%%", lang.Name, lr.Percent, opts.MinComplete),
				Hint:    "translate more messages or lower policy.min_complete / --min-complete"})
			lr.Errors++
		}
		r.Locales = append(r.Locales, lr)
	}
	for _, f := range extra {
		if f.Severity.Rank() >= opts.FailOn.Rank() {
			failing[f.Locale] = true
		}
	}
	for i := range r.Locales {
		r.Locales[i].Pass = !failing[r.Locales[i].Locale]
	}
	return r, extra
}

// sourceFinding warns when a source bundle on disk does not match what
// split would write: translators would be working from an old text.
func sourceFinding(u *project.Unit, rel func(string) string) (Finding, bool) {
	want := bundle.RenderSource(u.Source, u.SourcePath)
	if u.OldSourceData != nil && bytes.Equal(u.OldSourceData, want) {
		return Finding{}, false
	}
	return Finding{Rule: "source-out-of-date", Severity: Warning, Locale: u.Source.Locale.Name,
		File: rel(u.SourcePath), Article: u.Source.Name,
		Message: fmt.Sprintf("source bundle does not match %s", u.Source.Path),
		Hint:    "run healthi18n split so translators see the current text"}, true
}

// unitChecker checks one unit in one locale.
type unitChecker struct {
	src      *bundle.Source
	hashes   []string // of src.Messages
	lang     locale.Locale
	file     *bundle.File
	path     string
	opts     *Options
	allow    map[string]bool
	findings []Finding
}

func (c *unitChecker) run() UnitResult {
	ur := UnitResult{Article: c.src.Name, Locale: c.lang.Name, File: c.path}
	for i := range c.src.Messages {
		m := &c.src.Messages[i]
		safety := m.Level.IsSafety()
		ur.Messages++
		if safety {
			ur.Safety++
		}
		before := len(c.findings)
		state := c.message(m, c.hashes[i])
		switch state {
		case stateMissing:
			ur.Missing++
		case stateStale:
			ur.Stale++
		case stateCurrent:
			ur.Translated++
		}
		if safety && state == stateCurrent && len(c.findings) == before {
			ur.SafetyOK++
		}
	}
	if c.file != nil {
		for _, e := range c.file.Entries {
			if c.src.Message(e.ID) == nil {
				ur.Orphans++
				c.add(nil, e.Line, e.Col, "orphan", Warning, e.ID,
					"no longer in the source", "remove it with: healthi18n split --prune")
			}
		}
	}
	if c.opts.SafetyOnly {
		kept := c.findings[:0]
		for _, f := range c.findings {
			if f.Safety {
				kept = append(kept, f)
			}
		}
		c.findings = kept
	}
	for _, f := range c.findings {
		switch f.Severity {
		case Error:
			ur.Errors++
		case Warning:
			ur.Warnings++
		}
	}
	return ur
}

type state int

const (
	stateMissing state = iota
	stateStale
	stateCurrent
)

// message checks one message's translation and reports its state.
func (c *unitChecker) message(m *bundle.Message, hash string) state {
	e := c.file.Entry(m.ID)
	// Only findings quote the source: most messages have none.
	snippet := func() string { return quoteSnippet(m.Text()) }
	if e == nil {
		where := "not in the translator file"
		if c.file == nil {
			where = "the translator file does not exist"
		}
		c.add(m, 0, 0, "missing", Warning, m.ID, fmt.Sprintf("no translation (%s) of %s", where, snippet()),
			"run healthi18n split to add it, then translate it")
		return stateMissing
	}
	if !e.Translated() {
		line, col := e.Line, e.Col
		if v, ok := e.Forms.Get("other"); ok {
			line, col = v.Line, v.Col
		}
		c.add(m, line, col, "empty", Warning, m.ID, fmt.Sprintf("not translated: %s", snippet()),
			fmt.Sprintf("fill in its translation in %s", c.path))
		return stateMissing
	}
	line, col := e.Line, e.Col
	if v, ok := e.Forms.Get("other"); ok {
		line, col = v.Line, v.Col
	}
	st := stateCurrent
	if e.Hash == "" {
		st = stateStale
		c.add(m, line, col, "stale", Warning, m.ID, "the translation has no hash: the source text it was made from is unknown",
			fmt.Sprintf("check it against the source, then run: healthi18n accept %s %s:%s (with --unchanged if it already fits)", c.lang, c.src.Name, m.ID))
	} else if e.Hash != hash {
		st = stateStale
		c.add(m, line, col, "stale", Warning, m.ID, fmt.Sprintf("the source changed after this was translated; it now reads %s", snippet()),
			fmt.Sprintf("update the translation (healthi18n split shows the word diff), then run: healthi18n accept %s %s:%s", c.lang, c.src.Name, m.ID))
	}
	// Plural forms the locale needs.
	if m.Plural() {
		var missing []string
		for _, cat := range c.lang.PluralCategories() {
			if v, ok := e.Forms.Get(cat); !ok || strings.TrimSpace(v.Text) == "" {
				missing = append(missing, cat)
			}
		}
		if len(missing) > 0 {
			c.add(m, e.Line, e.Col, "plural-forms", Error, m.ID,
				fmt.Sprintf("lacks the plural form(s) %s needs: %s", c.lang, strings.Join(missing, ", ")),
				fmt.Sprintf("%s uses the CLDR categories %s", c.lang, strings.Join(c.lang.PluralCategories(), ", ")))
		}
	} else if v, ok := e.Forms.Get("other"); !ok || strings.TrimSpace(v.Text) == "" {
		c.add(m, e.Line, e.Col, "empty", Warning, m.ID, fmt.Sprintf("no \"other\" translation of %s", snippet()),
			"articles use the key other = \"…\"")
		return stateMissing
	}
	for _, form := range bundle.PluralForms {
		v, ok := e.Forms.Get(form)
		if !ok || v.Text == "" {
			continue
		}
		srcText := m.Forms[form]
		if srcText == "" {
			srcText = m.Text()
		}
		if strings.TrimSpace(v.Text) == strings.TrimSpace(srcText) && !c.allow[srcText] && hasLetters(srcText) {
			c.add(m, v.Line, v.Col, "same-as-source", Warning, m.ID,
				fmt.Sprintf("identical to the source %s", snippet()),
				"translate it, or list the text under qa.same_as_source_allow if it really stays the same")
			if st == stateCurrent {
				st = stateMissing
			}
		}
		for _, p := range c.opts.QA.Check(srcText, v.Text, c.lang, m.Level.IsSafety()) {
			info, _ := RuleByID(p.Rule)
			sev := info.Default
			if sev == "" {
				sev = Error
			}
			c.add(m, v.Line, v.Col, p.Rule, sev, m.ID, p.Message, p.Hint)
		}
	}
	return st
}

// add records a finding; on a safety message every finding is an error
// (the safety gate) and says so.
func (c *unitChecker) add(m *bundle.Message, line, col int, rule string, sev Severity, id, msg, hint string) {
	f := Finding{Rule: rule, Severity: sev, Locale: c.lang.Name, File: c.path, Line: line, Col: col,
		Article: c.src.Name, MessageID: id, Message: msg, Hint: hint}
	if m != nil && m.Level.IsSafety() {
		f.Safety = true
		f.Severity = Error
		if c.opts.SafetyFallback && untranslatedRules[rule] {
			f.Severity = Warning
			f.Hint += " (policy safety: fallback shows the source text with a notice until then)"
		}
	}
	c.findings = append(c.findings, f)
}

// untranslatedRules are the findings that mean "no current translation".
var untranslatedRules = map[string]bool{"missing": true, "empty": true, "stale": true, "same-as-source": true}

func quoteSnippet(s string) string {
	r := []rune(s)
	if len(r) > 60 {
		s = string(r[:57]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

func hasLetters(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
