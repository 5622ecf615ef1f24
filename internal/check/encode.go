package check

import (
	"encoding/binary"
	"errors"
)

// encodeOutcome writes an outcome in a compact binary form for the cache
// (a nil outcome — no UI strings — is one zero byte). Every string is
// written once, in a table at the front, and referred to by its index:
// a unit's findings repeat their file, locale, rule and hint many times.
// Decoding it back is several times faster than gob, which matters on a
// warm run.
func encodeOutcome(o *outcome) []byte {
	if o == nil {
		return []byte{0}
	}
	e := encoder{index: map[string]int{}}
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
	out := binary.AppendVarint(nil, 1)
	out = binary.AppendVarint(out, int64(len(e.table)))
	for _, s := range e.table {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return append(out, e.b...)
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
	n := d.count()
	d.table = make([]string, n)
	for i := range d.table {
		d.table[i] = d.raw()
	}
	o := &outcome{Slug: d.str(), Content: d.str()}
	n = d.count()
	o.Findings = make([]Finding, n)
	for i := range o.Findings {
		f := &o.Findings[i]
		f.Rule, f.Severity, f.Locale, f.File = d.str(), Severity(d.str()), d.str(), d.str()
		f.Line, f.Col = d.int(), d.int()
		f.Article, f.MessageID = d.str(), d.str()
		switch d.int() {
		case 0:
		case 1:
			f.Safety = true
		default:
			d.err = errBadOutcome
		}
		f.Message, f.Hint = d.str(), d.str()
	}
	n = d.count()
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

type encoder struct {
	b     []byte
	table []string
	index map[string]int
}

func (e *encoder) int(n int) { e.b = binary.AppendVarint(e.b, int64(n)) }

func (e *encoder) bool(b bool) {
	if b {
		e.int(1)
	} else {
		e.int(0)
	}
}

// str writes s as its index in the string table.
func (e *encoder) str(s string) {
	i, ok := e.index[s]
	if !ok {
		i = len(e.table)
		e.index[s] = i
		e.table = append(e.table, s)
	}
	e.int(i)
}

type decoder struct {
	b     []byte
	table []string
	err   error
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

// count reads a number of items that each take at least one byte.
func (d *decoder) count() int {
	n := d.int()
	if n < 0 || n > len(d.b) {
		d.err = errBadOutcome
		return 0
	}
	return n
}

// str reads a string as its index in the table.
func (d *decoder) str() string {
	i := d.int()
	if d.err != nil || i < 0 || i >= len(d.table) {
		d.err = errBadOutcome
		return ""
	}
	return d.table[i]
}

// raw reads a string written out in full (in the table).
func (d *decoder) raw() string {
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
