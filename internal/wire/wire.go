// Package wire owns the compact binary form of the values healthi18n keeps
// in its caches: signed varints, and strings written once each in a table
// at the front and referred to by index, because a cached value (an
// article's findings, its export records) repeats the same file names,
// rules, IDs and reasons many times. It decodes several times faster than
// gob or JSON, which is most of a warm run.
//
// It knows nothing of what it encodes, and any damage to the bytes is an
// error, never a panic.
package wire

import (
	"encoding/binary"
	"errors"
	"slices"
)

// ErrDamaged is returned for bytes that are not a whole, valid encoding.
var ErrDamaged = errors.New("damaged cache value")

// Encoder builds one value.
type Encoder struct {
	body  []byte
	table []string
	index map[string]int
}

// Int writes n.
func (e *Encoder) Int(n int) { e.body = binary.AppendVarint(e.body, int64(n)) }

// Bool writes b.
func (e *Encoder) Bool(b bool) {
	if b {
		e.Int(1)
	} else {
		e.Int(0)
	}
}

// String writes s as its index in the string table.
func (e *Encoder) String(s string) {
	if e.index == nil {
		e.index = map[string]int{}
	}
	i, ok := e.index[s]
	if !ok {
		i = len(e.table)
		e.index[s] = i
		e.table = append(e.table, s)
	}
	e.Int(i)
}

// Reset empties e for another value, keeping what it allocated: a caller
// encoding many small values in turn keeps one Encoder.
func (e *Encoder) Reset() {
	e.body, e.table = e.body[:0], e.table[:0]
	clear(e.index)
}

// Bytes is the encoded value: the number of strings and the size of the
// string table, the table, then what was written. The size lets a head
// decoder step over the table to the first fields.
func (e *Encoder) Bytes() []byte { return e.AppendBytes(nil) }

// AppendBytes appends the encoded value (Bytes) to out.
func (e *Encoder) AppendBytes(out []byte) []byte {
	size := 0
	for _, s := range e.table {
		size += uvarintLen(uint64(len(s))) + len(s)
	}
	out = slices.Grow(out, 2*binary.MaxVarintLen64+size+len(e.body))
	out = binary.AppendVarint(out, int64(len(e.table)))
	out = binary.AppendUvarint(out, uint64(size))
	for _, s := range e.table {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return append(out, e.body...)
}

func uvarintLen(n uint64) int {
	k := 1
	for ; n >= 0x80; n >>= 7 {
		k++
	}
	return k
}

// Decoder reads a value in the order it was written. After the first
// error every read gives a zero value and Err reports it. A string of the
// table is copied out of the bytes the first time String reads it, so a
// reader that steps over strings (reading them with Bytes) allocates
// none for them.
type Decoder struct {
	b     []byte
	strs  [][]byte // the table's strings, within the value's bytes
	table []string // those copied out so far
	err   error
}

// NewDecoder reads the string table of b.
func NewDecoder(b []byte) *Decoder {
	d := &Decoder{}
	d.reset(b, -1)
	return d
}

// Reset makes d a decoder of b, as NewDecoder does, reusing what d
// allocated for its table: a caller decoding many values in turn keeps
// one Decoder per goroutine.
func (d *Decoder) Reset(b []byte) { d.reset(b, -1) }

// NewHeadDecoder keeps only the first n strings of b's table and steps
// over the rest, unread, for a caller that reads only the first fields of
// a value, which refer to no other string: any other is damage. Damage in
// the strings stepped over is found by a NewDecoder of b.
func NewHeadDecoder(b []byte, n int) *Decoder {
	d := &Decoder{}
	d.reset(b, n)
	return d
}

// ResetHead makes d a head decoder of b, as NewHeadDecoder does, reusing
// what d allocated for its table.
func (d *Decoder) ResetHead(b []byte, n int) { d.reset(b, n) }

func (d *Decoder) reset(b []byte, keep int) {
	*d = Decoder{b: b, strs: d.strs[:0], table: d.table[:0]}
	n := d.Count()
	size, k := binary.Uvarint(d.b)
	if d.err != nil || k <= 0 || size > uint64(len(d.b)-k) {
		d.fail()
		return
	}
	table := Decoder{b: d.b[k : k+int(size)]}
	d.b = d.b[k+int(size):]
	if keep < 0 || keep > n {
		keep = n
	}
	for range keep {
		d.strs = append(d.strs, table.raw())
	}
	d.table = slices.Grow(d.table, keep)[:keep]
	clear(d.table) // the strings of a value decoded before
	// A whole table must be exactly its size; a head decoder leaves the
	// strings it does not keep unread.
	if table.err != nil || (keep == n && len(table.b) != 0) {
		d.fail()
	}
}

// Int reads an int.
func (d *Decoder) Int() int {
	if d.err != nil {
		return 0
	}
	n, k := binary.Varint(d.b)
	if k <= 0 {
		d.err = ErrDamaged
		return 0
	}
	d.b = d.b[k:]
	return int(n)
}

// Count reads a number of items that each take at least one byte, so that
// damaged bytes cannot ask for a huge allocation.
func (d *Decoder) Count() int {
	n := d.Int()
	if n < 0 || n > len(d.b) {
		d.fail()
		return 0
	}
	return n
}

// Bool reads a bool; anything but 0 or 1 is damage.
func (d *Decoder) Bool() bool {
	switch d.Int() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail()
	return false
}

// String reads a string by its index in the table.
func (d *Decoder) String() string {
	i := d.index()
	if i < 0 {
		return ""
	}
	if d.table[i] == "" && len(d.strs[i]) > 0 {
		d.table[i] = string(d.strs[i])
	}
	return d.table[i]
}

// Bytes reads a string as String does, but as the bytes it lies in within
// the value, not copied: they are the caller's to read, not to keep or
// change, for as long as the value's bytes are.
func (d *Decoder) Bytes() []byte {
	if i := d.index(); i >= 0 {
		return d.strs[i]
	}
	return nil
}

// index reads a string's index in the table; -1 is damage.
func (d *Decoder) index() int {
	i := d.Int()
	if d.err != nil || i < 0 || i >= len(d.strs) {
		d.fail()
		return -1
	}
	return i
}

// raw reads a string written out in full (in the table), without a copy.
func (d *Decoder) raw() []byte {
	if d.err != nil {
		return nil
	}
	n, k := binary.Uvarint(d.b)
	if k <= 0 || n > uint64(len(d.b)-k) {
		d.err = ErrDamaged
		return nil
	}
	s := d.b[k : k+int(n)]
	d.b = d.b[k+int(n):]
	return s
}

func (d *Decoder) fail() {
	if d.err == nil {
		d.err = ErrDamaged
	}
}

// ReadErr is the first error of the reads so far. A caller that reads only
// the start of a value uses it; one that reads a whole value uses Err,
// which also requires that nothing is left over.
func (d *Decoder) ReadErr() error { return d.err }

// Err is the first error, or ErrDamaged when bytes are left over: a value
// must be read whole.
func (d *Decoder) Err() error {
	if d.err == nil && len(d.b) != 0 {
		return ErrDamaged
	}
	return d.err
}
