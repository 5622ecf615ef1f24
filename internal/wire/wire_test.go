package wire

import (
	"encoding/binary"
	"math"
	"reflect"
	"strconv"
	"testing"
)

// sample writes and reads the same sequence: a count, then per item a
// string, an int and a bool.
type item struct {
	S string
	N int
	B bool
}

func encodeItems(items []item) []byte {
	var e Encoder
	e.Int(len(items))
	for _, it := range items {
		e.String(it.S)
		e.Int(it.N)
		e.Bool(it.B)
	}
	return e.Bytes()
}

func decodeItems(b []byte) ([]item, error) {
	d := NewDecoder(b)
	items := make([]item, d.Count())
	for i := range items {
		items[i] = item{S: d.String(), N: d.Int(), B: d.Bool()}
	}
	return items, d.Err()
}

func TestRoundTrip(t *testing.T) {
	for _, items := range [][]item{
		{},
		{{"", 0, false}},
		{{"locales/de/a.de.toml", -1, true}, {"locales/de/a.de.toml", math.MaxInt32, false}, {"ü\x00\u202e", math.MinInt32, true}},
	} {
		got, err := decodeItems(encodeItems(items))
		if err != nil || !reflect.DeepEqual(got, items) {
			t.Errorf("round trip of %+v: %+v, %v", items, got, err)
		}
	}
}

func TestRepeatedStringsAreWrittenOnce(t *testing.T) {
	long := "fill in its translation in locales/de/article-00001.de.toml"
	one := len(encodeItems([]item{{long, 1, true}}))
	many := len(encodeItems([]item{{long, 1, true}, {long, 2, false}, {long, 3, true}}))
	if many > one+10 {
		t.Errorf("3 items with one string take %d bytes, 1 item %d: the string is repeated", many, one)
	}
}

func TestDamageIsAnError(t *testing.T) {
	good := encodeItems([]item{{"a", 1, true}, {"b", 2, false}})
	for name, b := range map[string][]byte{
		"truncated": good[:len(good)-1],
		"extended":  append(append([]byte{}, good...), 0),
		"empty":     {},
		"bad bool":  encodeBadBool(),
		// good[1] is the table's size: one byte off either way.
		"table size +1": withByte(good, 1, good[1]+1),
		"table size -1": withByte(good, 1, good[1]-1),
	} {
		if _, err := decodeItems(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func withByte(b []byte, i int, c byte) []byte {
	b = append([]byte(nil), b...)
	b[i] = c
	return b
}

func encodeBadBool() []byte {
	var e Encoder
	e.Int(1)
	e.String("x")
	e.Int(1)
	e.Int(7) // not a bool
	return e.Bytes()
}

// FuzzDecode: damaged bytes give an error, never a panic, and whatever is
// accepted encodes back to the same items.
func FuzzDecode(f *testing.F) {
	f.Add(encodeItems([]item{{"a", 1, true}, {"a", -5, false}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		items, err := decodeItems(b)
		if err != nil {
			return
		}
		again, err := decodeItems(encodeItems(items))
		if err != nil || !reflect.DeepEqual(again, items) {
			t.Fatalf("accepted items do not survive a round trip: %v", err)
		}
	})
}

// TestHeadDecoder: a head decoder reads the first fields of a value, which
// refer only to the strings it keeps; a string beyond them is damage.
func TestHeadDecoder(t *testing.T) {
	var e Encoder
	e.Int(1)
	e.String("slug")
	e.String("path")
	e.String("a later string")
	b := e.Bytes()
	d := NewHeadDecoder(b, 2)
	if v, slug, path := d.Int(), d.String(), d.String(); v != 1 || slug != "slug" || path != "path" || d.ReadErr() != nil {
		t.Errorf("head: %d %q %q, err %v", v, slug, path, d.ReadErr())
	}
	if d.Err() == nil {
		t.Error("Err is nil though the value was not read whole")
	}
	if s := d.String(); s != "" || d.ReadErr() == nil {
		t.Errorf("a string beyond the head read as %q, err %v", s, d.ReadErr())
	}
	// A decoder that read a whole value, reset as a head decoder, is one.
	var r Decoder
	r.Reset(encodeItems([]item{{"x", 1, true}, {"y", 2, false}, {"z", 3, true}}))
	r.ResetHead(b, 2)
	if v, slug, path := r.Int(), r.String(), r.String(); v != 1 || slug != "slug" || path != "path" || r.ReadErr() != nil {
		t.Errorf("reset head: %d %q %q, err %v", v, slug, path, r.ReadErr())
	}
	if s := r.String(); s != "" || r.ReadErr() == nil {
		t.Errorf("reset head: a string beyond the head read as %q, err %v", s, r.ReadErr())
	}
	// A damaged table is damage even when only the head is read.
	if d := NewHeadDecoder(b[:len(b)-8], 1); d.Int() != 0 || d.ReadErr() == nil {
		t.Error("a truncated table was not damage")
	}
	// The head decoder steps over the strings it does not keep: it
	// reads the first fields of a value with a large table without
	// reading the rest of the table.
	var big Encoder
	big.Int(1)
	big.String("slug")
	for i := range 1000 {
		big.String(strconv.Itoa(i))
	}
	b = big.Bytes()
	// 1001 strings (a 2-byte varint), then the table's size (2 bytes):
	// the table is b[4:4+size], and its last string, "999", has its
	// length at b[4+size-4]. Damage it.
	size, k := binary.Uvarint(b[2:])
	if k != 2 || b[size] != 3 {
		t.Fatalf("value layout: size %d (%d bytes), b[size] = %d", size, k, b[size])
	}
	b[size] = 0x7f
	if d := NewHeadDecoder(b, 1); d.Int() != 1 || d.String() != "slug" || d.ReadErr() != nil {
		t.Errorf("head of a value damaged past it: err %v", d.ReadErr())
	}
	d = NewDecoder(b)
	if d.Int(); d.ReadErr() == nil {
		t.Error("the damaged table was not damage to a whole decoder")
	}
}

// TestResetAndBytes: one Decoder reset from value to value reads each as
// a new one would (nothing of the value before shows through), and Bytes
// reads the strings String reads, within the value's bytes.
func TestResetAndBytes(t *testing.T) {
	values := [][]item{
		{{"locales/de/a.de.toml", 1, true}, {"x", 2, false}, {"", 3, true}},
		{{"y", 4, false}},
		{},
		{{"", 0, false}, {"locales/fr/b.fr.toml", -7, true}},
	}
	var d Decoder
	for _, items := range values {
		b := encodeItems(items)
		d.Reset(b)
		n := d.Count()
		var got, gotBytes []item
		for range n {
			got = append(got, item{S: d.String(), N: d.Int(), B: d.Bool()})
		}
		if err := d.Err(); err != nil || len(got) != len(items) || (len(items) > 0 && !reflect.DeepEqual(got, items)) {
			t.Errorf("reset to %+v: read %+v, %v", items, got, err)
		}
		d.Reset(b)
		for range d.Count() {
			gotBytes = append(gotBytes, item{S: string(d.Bytes()), N: d.Int(), B: d.Bool()})
		}
		if err := d.Err(); err != nil || !reflect.DeepEqual(gotBytes, got) {
			t.Errorf("Bytes of %+v: %+v, %v", items, gotBytes, err)
		}
	}
	// A string index past the table of the value now read is damage,
	// though the value read before had that many strings.
	var e Encoder
	e.Int(1)
	e.Int(2) // a string index, with no string in the table
	d.Reset(encodeItems(values[0]))
	d.Reset(e.Bytes())
	if d.Int() != 1 || d.Bytes() != nil || d.Err() == nil {
		t.Error("an index past the table was read as a string")
	}
}

// TestEncoderReset: an Encoder reset between values encodes each exactly
// as a new one does (no string of a value before leaks into the table),
// and AppendBytes appends that encoding to what it is given.
func TestEncoderReset(t *testing.T) {
	values := [][]item{
		{{"locales/de/a.de.toml", 1, true}, {"x", 2, false}, {"locales/de/a.de.toml", 3, true}},
		{{"x", 4, false}},
		{},
		{{"", 0, false}, {"locales/de/a.de.toml", -7, true}},
	}
	var e Encoder
	for _, items := range values {
		e.Reset()
		e.Int(len(items))
		for _, it := range items {
			e.String(it.S)
			e.Int(it.N)
			e.Bool(it.B)
		}
		want := encodeItems(items)
		if got := e.Bytes(); string(got) != string(want) {
			t.Errorf("reused encoder of %+v: %q, a new one %q", items, got, want)
		}
		if got := e.AppendBytes([]byte("head")); string(got) != "head"+string(want) {
			t.Errorf("AppendBytes of %+v: %q", items, got)
		}
	}
}
