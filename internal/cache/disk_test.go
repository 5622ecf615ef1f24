package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io/fs"
	"reflect"
	"runtime"
	"testing"
)

// sampleDisk has many paths sharing prefixes, dependencies with and
// without a recorded stat, absent dependencies, and dependencies on the
// last paths from the last entry, where little of the file is left to
// read.
func sampleDisk(n int) *disk {
	d := &disk{key: Sum{1, 2, 3}, entries: map[string]entry{}}
	for i := range n {
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
		d.entries[fmt.Sprintf("article:%d", i)] = entry{Deps: deps, Value: value, Sum: sha256.Sum256(value)}
	}
	return d
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 2000} {
		want := sampleDisk(n)
		data := encode(want)
		got, err := decode(data)
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("n=%d: decode(encode(d)) differs from d", n)
		}
		if again := encode(got); !bytes.Equal(again, data) {
			t.Errorf("n=%d: encoding is not deterministic", n)
		}
	}
}

// FuzzDecode: no input makes decode panic, and whatever it accepts
// encodes back to bytes that decode to the same thing. The fuzzer's bytes
// are the body; a valid checksum is appended so that mutations reach the
// decoder instead of stopping at the checksum.
func FuzzDecode(f *testing.F) {
	good := encode(sampleDisk(3))
	f.Add(good[:len(good)-4])
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, body []byte) {
		data := binary.BigEndian.AppendUint32(append([]byte(nil), body...), crc32.Checksum(body, castagnoli))
		d, err := decode(data)
		if err != nil {
			return
		}
		again, err := decode(encode(d))
		if err != nil {
			t.Fatalf("re-encoded cache does not decode: %v", err)
		}
		if !reflect.DeepEqual(again, d) {
			t.Fatal("re-encoded cache decodes differently")
		}
	})
}

// TestPathTableBomb: a small damaged shard whose path table would grow to
// gigabytes through shared prefixes (each path the whole previous one
// plus a byte) is damage, found before anything that size is allocated.
func TestPathTableBomb(t *testing.T) {
	w := writer{b: []byte(magic)}
	w.b = append(w.b, make([]byte, len(Sum{}))...)
	const n = 50_000 // paths of 1 to 50,000 bytes: 1.25 GB in all
	w.uint(n)
	for i := range n {
		w.uint(i)
		w.str("x")
	}
	w.uint(0) // no entries
	data := binary.BigEndian.AppendUint32(w.b, crc32.Checksum(w.b, castagnoli))
	if len(data) > 1<<20 {
		t.Fatalf("the bomb is %d bytes", len(data))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := decode(data); err == nil {
		t.Fatal("decoded")
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
		t.Errorf("decode allocated %d MB before seeing the damage", grew>>20)
	}
}
