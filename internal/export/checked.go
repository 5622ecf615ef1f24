package export

import (
	"encoding/hex"
	"math"

	"github.com/healthi18n/healthi18n/internal/check"
	"github.com/healthi18n/healthi18n/internal/locale"
)

// Checked is check's verdict as export reads it: each locale's
// completeness, and each unit's findings, asked for one unit at a time,
// so that a run need not hold every finding of the corpus.
type Checked struct {
	// Locales give each locale's completeness.
	Locales []check.LocaleResult
	// Slugs maps each article's unit key (project.Tree.UnitKey) to its
	// slug as check read it; an article check did not see is not cached.
	Slugs map[string]string
	// findings gives the findings of a unit, by its key and slug; tag a
	// string that is the same whenever they are, for the cache.
	findings func(key, slug string) ([]check.Finding, error)
	tag      func(key, slug string, locales []locale.Locale) (string, error)
}

// FromResult is the verdict of a whole check Result.
func FromResult(r *check.Result) *Checked {
	bySlug := map[string][]check.Finding{}
	for _, f := range r.Findings {
		bySlug[f.Article] = append(bySlug[f.Article], f)
	}
	c := &Checked{Locales: r.Locales, Slugs: r.Slugs}
	c.findings = func(_, slug string) ([]check.Finding, error) { return bySlug[slug], nil }
	c.tag = func(_, slug string, locales []locale.Locale) (string, error) {
		return findingsTag(indexFindings(bySlug[slug]), slug, locales), nil
	}
	return c
}

// FromSummary is the verdict of a check's Summary: a unit's findings are
// decoded when export asks for them, and its tag is the sum of its
// outcome, so an article taken from export's cache needs neither.
func FromSummary(s *check.Summary, outs *check.Outcomes) *Checked {
	byKey := make(map[string]*check.UnitSummary, len(s.Units))
	for i := range s.Units {
		byKey[s.Units[i].Key] = &s.Units[i]
	}
	c := &Checked{Locales: s.Result.Locales, Slugs: s.Result.Slugs}
	c.findings = func(key, _ string) ([]check.Finding, error) {
		if u := byKey[key]; u != nil {
			return outs.Findings(u)
		}
		return nil, nil // a unit with nothing to check
	}
	c.tag = func(key, _ string, _ []locale.Locale) (string, error) {
		if u := byKey[key]; u != nil {
			return "outcome " + hex.EncodeToString(u.Sum[:]), nil
		}
		return "no outcome", nil
	}
	return c
}

// problems are the findings of one unit, indexed.
func (c *Checked) problems(key, slug string) (problems, error) {
	fs, err := c.findings(key, slug)
	if err != nil {
		return nil, err
	}
	return indexFindings(fs), nil
}

// completeness is check's figure for a locale (current translations of
// all messages, UI strings included), rounded down to two decimals:
// export and check must agree on what min_complete measures.
func (c *Checked) completeness(lang string) float64 {
	for _, l := range c.Locales {
		if l.Locale == lang {
			return math.Floor(l.Percent*100) / 100
		}
	}
	return 0
}
