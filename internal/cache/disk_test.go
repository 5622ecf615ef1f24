package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io/fs"
	"reflect"
	"testing"
)

// sampleRecord has dependencies with and without a recorded stat, and an
// absent one.
func sampleRecord(i int) *record {
	var deps []dep
	for j := range 3 {
		p := fmt.Sprintf("/corpus/locales/l%d/article-%05d.toml", j, i)
		dp := dep{Path: p, Mode: fs.FileMode(0o600 + j), Sum: Sum{byte(i), byte(j)}}
		if j != 1 {
			dp.Stat = stat{Valid: true, Dev: 9, Ino: uint64(i*3 + j), Size: int64(i), Mode: 0o100644, Mtime: -5, Ctime: 1 << 60}
			dp.Seen = 77
		}
		deps = append(deps, dp)
	}
	deps = append(deps, dep{Path: fmt.Sprintf("/corpus/absent-%d", i), Absent: true})
	value := []byte(fmt.Sprint("value ", i))
	return &record{Deps: deps, Value: value, Sum: sha256.Sum256(value)}
}

func TestRecordRoundTrip(t *testing.T) {
	for _, want := range []*record{sampleRecord(0), sampleRecord(7), {Value: []byte{}}} {
		data := encodeRecord(nil, want)
		got, err := decodeRecord(data)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("decodeRecord(encodeRecord(r)) = %+v, want %+v", got, want)
		}
		if again := encodeRecord(nil, got); !bytes.Equal(again, data) {
			t.Error("encoding is not deterministic")
		}
		for cut := range len(data) {
			if _, err := decodeRecord(data[:cut]); err == nil {
				t.Fatalf("a record cut to %d of %d bytes decoded", cut, len(data))
			}
		}
	}
}

// sampleShard is a shard file's bytes, from its header to its footer,
// with n records.
func sampleShard(n int) []byte {
	b := append([]byte(magic), Sum{1, 2, 3}.bytes()...)
	var slots []named
	for i := range n {
		start := len(b)
		b = encodeRecord(b, sampleRecord(i))
		slots = append(slots, named{fmt.Sprintf("article:%04d", i), slot{off: int64(start), n: len(b) - start, crc: crc32.Checksum(b[start:], castagnoli)}})
	}
	return encodeTable(b, int64(len(b)), slots)
}

func (s Sum) bytes() []byte { return s[:] }

// tableOf splits a shard file into what decodeTable takes.
func tableOf(data []byte) (head, table, foot []byte) {
	foot = data[len(data)-footer:]
	at := binary.BigEndian.Uint64(foot)
	if at < uint64(header) || at > uint64(len(data)-footer) {
		return data[:header], nil, foot
	}
	return data[:header], data[at : len(data)-footer], foot
}

func TestTableRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 300} {
		data := sampleShard(n)
		head, table, foot := tableOf(data)
		slots, err := decodeTable(head, table, foot, int64(len(data)))
		if err != nil || len(slots) != n {
			t.Fatalf("n=%d: %d slots, %v", n, len(slots), err)
		}
		for i, s := range slots {
			rec, err := decodeRecord(data[s.off : s.off+int64(s.n)])
			if err != nil || s.name != fmt.Sprintf("article:%04d", i) || !reflect.DeepEqual(rec, sampleRecord(i)) {
				t.Fatalf("n=%d: slot %d (%s) does not lead to its record: %v", n, i, s.name, err)
			}
		}
		// Any byte changed in the header, the table or the footer is
		// seen.
		for _, at := range []int{0, header - 1, len(data) - len(table) - footer, len(data) - footer - 1, len(data) - 1} {
			bad := bytes.Clone(data)
			bad[at] ^= 0x20
			head, table, foot := tableOf(bad)
			if _, err := decodeTable(head, table, foot, int64(len(bad))); err == nil && table != nil {
				t.Errorf("n=%d: a byte flipped at %d of %d went unseen", n, at, len(data))
			}
		}
	}
}

// FuzzDecodeRecord: no input makes decodeRecord panic, recordValue
// accepts exactly what it accepts, and whatever it accepts encodes back to bytes that decode to the same record (varints
// need not be written in their shortest form to be read).
func FuzzDecodeRecord(f *testing.F) {
	f.Add(encodeRecord(nil, sampleRecord(3)))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := decodeRecord(data)
		// recordValue steps over the dependencies that decode reads: the
		// two must take the same records, to the same value.
		sum, value, verr := recordValue(data)
		if (err == nil) != (verr == nil) || (err == nil && (sum != rec.Sum || !bytes.Equal(value, rec.Value))) {
			t.Fatalf("decode: %v; recordValue: %v (value %q, want %q)", err, verr, value, rec.Value)
		}
		if err != nil {
			return
		}
		again, err := decodeRecord(encodeRecord(nil, rec))
		if err != nil || !reflect.DeepEqual(again, rec) {
			t.Fatalf("re-encoded record decodes to %+v, %v; want %+v", again, err, rec)
		}
	})
}

// FuzzDecodeTable: no input makes decodeTable panic, and every slot it
// accepts lies between the header and the table, names in order. The
// fuzzer's bytes are the table; a valid footer is made for them so that
// mutations reach the decoder instead of stopping at the checksum.
func FuzzDecodeTable(f *testing.F) {
	_, table, _ := tableOf(sampleShard(3))
	f.Add(table, uint16(200))
	f.Add([]byte{0}, uint16(0))
	f.Fuzz(func(t *testing.T, table []byte, records uint16) {
		body := append(append([]byte(magic), make([]byte, len(Sum{}))...), make([]byte, records)...)
		data := encodeTable(body, int64(len(body)), nil)
		// Replace the empty table by the fuzzer's, with a footer that
		// fits it.
		data = append(append(data[:len(body)], table...), make([]byte, footer)...)
		foot := data[len(data)-footer:]
		binary.BigEndian.PutUint64(foot, uint64(len(body)))
		crc := crcOf(data[:header], table)
		binary.BigEndian.PutUint32(foot[8:], crc)
		slots, err := decodeTable(data[:header], table, foot, int64(len(data)))
		if err != nil {
			return
		}
		for i, s := range slots {
			if s.off < int64(header) || s.off+int64(s.n) > int64(len(body)) || (i > 0 && slots[i-1].name >= s.name) {
				t.Fatalf("slot %d out of place: %+v", i, s)
			}
		}
	})
}
