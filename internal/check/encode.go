package check

import (
	"errors"

	"github.com/healthi18n/healthi18n/internal/wire"
)

// encodeOutcome writes an outcome in the cache's compact form (package
// wire): a unit's findings repeat their file, locale, rule and hint many
// times, and each string is written once. A nil outcome (no UI strings)
// is version 0 and nothing else.
func encodeOutcome(o *outcome) []byte {
	var e wire.Encoder
	if o == nil {
		e.Int(0)
		return e.Bytes()
	}
	e.Int(1)
	e.String(o.Slug)
	e.String(o.Content)
	e.Int(len(o.Findings))
	for _, f := range o.Findings {
		e.String(f.Rule)
		e.String(string(f.Severity))
		e.String(f.Locale)
		e.String(f.File)
		e.Int(f.Line)
		e.Int(f.Col)
		e.String(f.Article)
		e.String(f.MessageID)
		e.Bool(f.Safety)
		e.String(f.Message)
		e.String(f.Hint)
	}
	e.Int(len(o.Units))
	for _, u := range o.Units {
		e.String(u.Article)
		e.String(u.Locale)
		e.String(u.File)
		for _, n := range u.Counts.fields() {
			e.Int(*n)
		}
	}
	return e.Bytes()
}

// decodeOutcome reads what encodeOutcome wrote; any damage is an error.
func decodeOutcome(b []byte) (*outcome, error) {
	d := wire.NewDecoder(b)
	switch d.Int() {
	case 0:
		if d.Err() != nil {
			return nil, errBadOutcome
		}
		return nil, nil
	case 1:
	default:
		return nil, errBadOutcome
	}
	o := &outcome{Slug: d.String(), Content: d.String()}
	o.Findings = make([]Finding, d.Count())
	for i := range o.Findings {
		f := &o.Findings[i]
		f.Rule, f.Severity, f.Locale, f.File = d.String(), Severity(d.String()), d.String(), d.String()
		f.Line, f.Col = d.Int(), d.Int()
		f.Article, f.MessageID = d.String(), d.String()
		f.Safety = d.Bool()
		f.Message, f.Hint = d.String(), d.String()
	}
	o.Units = make([]UnitResult, d.Count())
	for i := range o.Units {
		u := &o.Units[i]
		u.Article, u.Locale, u.File = d.String(), d.String(), d.String()
		for _, p := range u.Counts.fields() {
			*p = d.Int()
		}
	}
	if d.Err() != nil {
		return nil, errBadOutcome
	}
	return o, nil
}

var errBadOutcome = errors.New("damaged cache entry")

// fields lists the counts in a fixed order for encoding.
func (c *Counts) fields() []*int {
	return []*int{&c.Messages, &c.Translated, &c.Stale, &c.Missing, &c.Orphans, &c.Safety, &c.SafetyOK, &c.Errors, &c.Warnings}
}
