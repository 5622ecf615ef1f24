package check

import (
	"encoding/binary"
	"errors"
)

// encodeOutcome writes an outcome in a compact binary form for the cache
// (a nil outcome — no UI strings — is one zero byte). Decoding it back is
// several times faster than gob, which matters on a warm run.
func encodeOutcome(o *outcome) []byte {
	if o == nil {
		return []byte{0}
	}
	var e encoder
	e.int(1)
	e.str(o.Slug)
	e.str(o.Content)
	e.int(len(o.Findings))
	for _, f := range o.Findings {
		e.str(f.Rule)
		e.str(string(f.Severity))
		e.str(f.Locale)
		e.str(f.File)
		e.int(f.Line)
		e.int(f.Col)
		e.str(f.Article)
		e.str(f.MessageID)
		e.bool(f.Safety)
		e.str(f.Message)
		e.str(f.Hint)
	}
	e.int(len(o.Units))
	for _, u := range o.Units {
		e.str(u.Article)
		e.str(u.Locale)
		e.str(u.File)
		for _, n := range u.Counts.fields() {
			e.int(*n)
		}
	}
	return e.b
}

// decodeOutcome reads what encodeOutcome wrote; any damage is an error.
func decodeOutcome(b []byte) (*outcome, error) {
	d := decoder{b: b}
	switch d.int() {
	case 0:
		if d.err != nil || len(d.b) != 0 {
			return nil, errBadOutcome
		}
		return nil, nil
	case 1:
	default:
		return nil, errBadOutcome
	}
	o := &outcome{Slug: d.str(), Content: d.str()}
	n := d.int()
	if d.err != nil || n > len(d.b) {
		return nil, errBadOutcome
	}
	o.Findings = make([]Finding, n)
	for i := range o.Findings {
		f := &o.Findings[i]
		f.Rule, f.Severity, f.Locale, f.File = d.str(), Severity(d.str()), d.str(), d.str()
		f.Line, f.Col = d.int(), d.int()
		f.Article, f.MessageID = d.str(), d.str()
		f.Safety = d.int() == 1
		f.Message, f.Hint = d.str(), d.str()
	}
	n = d.int()
	if d.err != nil || n > len(d.b) {
		return nil, errBadOutcome
	}
	o.Units = make([]UnitResult, n)
	for i := range o.Units {
		u := &o.Units[i]
		u.Article, u.Locale, u.File = d.str(), d.str(), d.str()
		for _, p := range u.Counts.fields() {
			*p = d.int()
		}
	}
	if d.err != nil || len(d.b) != 0 {
		return nil, errBadOutcome
	}
	return o, nil
}

var errBadOutcome = errors.New("damaged cache entry")

// fields lists the counts in a fixed order for encoding.
func (c *Counts) fields() []*int {
	return []*int{&c.Messages, &c.Translated, &c.Stale, &c.Missing, &c.Orphans, &c.Safety, &c.SafetyOK, &c.Errors, &c.Warnings}
}

type encoder struct{ b []byte }

func (e *encoder) int(n int) { e.b = binary.AppendVarint(e.b, int64(n)) }

func (e *encoder) bool(b bool) {
	if b {
		e.int(1)
	} else {
		e.int(0)
	}
}

func (e *encoder) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) int() int {
	if d.err != nil {
		return 0
	}
	n, k := binary.Varint(d.b)
	if k <= 0 {
		d.err = errBadOutcome
		return 0
	}
	d.b = d.b[k:]
	return int(n)
}

func (d *decoder) str() string {
	if d.err != nil {
		return ""
	}
	n, k := binary.Uvarint(d.b)
	if k <= 0 || n > uint64(len(d.b)-k) {
		d.err = errBadOutcome
		return ""
	}
	s := string(d.b[k : k+int(n)])
	d.b = d.b[k+int(n):]
	return s
}
