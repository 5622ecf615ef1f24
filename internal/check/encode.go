package check

import (
	"encoding/binary"
	"errors"
	"slices"
	"sync"

	"github.com/healthi18n/healthi18n/internal/wire"
)

// encodeOutcome writes an outcome in the cache's compact form (package
// wire): a unit's findings repeat their file, locale, rule and hint many
// times, and each string is written once. It is two values, each with its
// own string table, after the first one's size: the brief (slug, content
// path, unit results and groups), which is all a summary needs, then the
// findings, which only a report that shows them decodes. A nil outcome
// (no UI strings) is a brief of version 0 and nothing else.
func encodeOutcome(o *outcome) []byte {
	var brief, findings wire.Encoder
	if o == nil {
		brief.Int(0)
	} else {
		brief.Int(1)
		brief.String(o.Slug)
		brief.String(o.Content)
		brief.Int(len(o.Units))
		for _, u := range o.Units {
			brief.String(u.Article)
			brief.String(u.Locale)
			brief.String(u.File)
			for _, n := range u.Counts.fields() {
				brief.Int(*n)
			}
		}
		brief.Int(len(o.Groups))
		for _, g := range o.Groups {
			brief.String(g.Locale)
			brief.String(g.File)
			brief.Int(g.Errors)
			brief.Int(g.Warnings)
			brief.Int(g.Notes)
		}
		findings.Int(len(o.Findings))
		for _, f := range o.Findings {
			findings.String(f.Rule)
			findings.String(string(f.Severity))
			findings.String(f.Locale)
			findings.String(f.File)
			findings.Int(f.Line)
			findings.Int(f.Col)
			findings.String(f.Article)
			findings.String(f.MessageID)
			findings.Bool(f.Safety)
			findings.String(f.Message)
			findings.String(f.Hint)
		}
	}
	b := brief.Bytes()
	out := binary.AppendUvarint(nil, uint64(len(b)))
	out = append(out, b...)
	if o != nil {
		out = append(out, findings.Bytes()...)
	}
	return out
}

// splitOutcome cuts an encoded outcome into its brief and its findings.
func splitOutcome(b []byte) (brief, findings []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, errBadOutcome
	}
	return b[k : k+int(n)], b[k+int(n):], nil
}

// decodeOutcome reads what encodeOutcome wrote; any damage is an error,
// and so are groups that are not those of the findings.
func decodeOutcome(b []byte) (*outcome, error) {
	o, findings, err := decodeBriefOf(b)
	if err != nil || o == nil {
		return o, err
	}
	d := wire.NewDecoder(findings)
	o.Findings = make([]Finding, d.Count())
	for i := range o.Findings {
		f := &o.Findings[i]
		f.Rule, f.Severity, f.Locale, f.File = d.String(), Severity(d.String()), d.String(), d.String()
		f.Line, f.Col = d.Int(), d.Int()
		f.Article, f.MessageID = d.String(), d.String()
		f.Safety = d.Bool()
		f.Message, f.Hint = d.String(), d.String()
	}
	if d.Err() != nil || !slices.Equal(GroupsOf(o.Findings), o.Groups) {
		return nil, errBadOutcome
	}
	return o, nil
}

// decodeBriefOf reads an outcome's brief (all of it but the findings),
// and gives the encoded findings.
func decodeBriefOf(b []byte) (o *outcome, findings []byte, err error) {
	brief, findings, err := splitOutcome(b)
	if err != nil {
		return nil, nil, err
	}
	d := wire.NewDecoder(brief)
	switch d.Int() {
	case 0:
		if d.Err() != nil || len(findings) > 0 {
			return nil, nil, errBadOutcome
		}
		return nil, nil, nil
	case 1:
	default:
		return nil, nil, errBadOutcome
	}
	o = &outcome{Slug: d.String(), Content: d.String()}
	o.Units = make([]UnitResult, d.Count())
	for i := range o.Units {
		u := &o.Units[i]
		u.Article, u.Locale, u.File = d.String(), d.String(), d.String()
		for _, p := range u.Counts.fields() {
			*p = d.Int()
		}
	}
	o.Groups = make([]Group, d.Count())
	for i := range o.Groups {
		g := &o.Groups[i]
		g.Locale, g.File = d.String(), d.String()
		g.Errors, g.Warnings, g.Notes = d.Int(), d.Int(), d.Int()
	}
	if d.Err() != nil {
		return nil, nil, errBadOutcome
	}
	return o, findings, nil
}

// decodeTally reads what a summary takes of an encoded outcome: the
// counts of each unit result into counts (one per selected locale, in
// order; a different number is damage) and the groups, without copying
// out the strings a summary does not use. d is reused. A group's locale
// that is one of locales (the selected locales' names) is that string, not
// a copy: a summary of 10,000 articles has 85,000 groups. A nil outcome
// (no UI strings) is damage here: the caller knows those by their head.
func decodeTally(b []byte, d *wire.Decoder, counts []Counts, locales []string) ([]Group, error) {
	brief, _, err := splitOutcome(b)
	if err != nil {
		return nil, err
	}
	d.Reset(brief)
	if d.Int() != 1 {
		return nil, errBadOutcome
	}
	d.Bytes() // slug
	d.Bytes() // content path
	if d.Count() != len(counts) {
		return nil, errBadOutcome
	}
	for i := range counts {
		d.Bytes() // article
		d.Bytes() // locale
		d.Bytes() // file
		for _, p := range counts[i].fields() {
			*p = d.Int()
		}
	}
	groups := make([]Group, d.Count())
	for i := range groups {
		g := &groups[i]
		g.Locale, g.File = known(d.Bytes(), locales), d.String()
		g.Errors, g.Warnings, g.Notes = d.Int(), d.Int(), d.Int()
	}
	if d.Err() != nil {
		return nil, errBadOutcome
	}
	return groups, nil
}

// known is the string of b: one of names if it is among them, else a copy.
func known(b []byte, names []string) string {
	for _, n := range names {
		if n == string(b) {
			return n
		}
	}
	return string(b)
}

// headDecoders decode heads, one per unit of a warm run.
var headDecoders = sync.Pool{New: func() any { return new(wire.Decoder) }}

// decodeHead reads the start of an encoded outcome: the slug and content
// path, or none when the outcome is nil (no UI strings).
func decodeHead(b []byte) (head, error) {
	brief, _, err := splitOutcome(b)
	if err != nil {
		return head{}, err
	}
	d := headDecoders.Get().(*wire.Decoder)
	defer headDecoders.Put(d)
	d.ResetHead(brief, 2) // encodeOutcome writes these two first
	switch d.Int() {
	case 0:
		return head{none: true}, d.Err()
	case 1:
		h := head{slug: d.String(), content: d.String()}
		return h, d.ReadErr()
	}
	return head{}, errBadOutcome
}

var errBadOutcome = errors.New("damaged cache entry")

// fields lists the counts in a fixed order for encoding.
func (c *Counts) fields() [9]*int {
	return [...]*int{&c.Messages, &c.Translated, &c.Stale, &c.Missing, &c.Orphans, &c.Safety, &c.SafetyOK, &c.Errors, &c.Warnings}
}
