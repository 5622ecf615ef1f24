package cache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io/fs"
	"math"
	"sort"
)

// Every shard file is read whole on every run, so its format is made to
// decode fast and stay small: after the magic line and the key, a table of
// every path (sorted, each stored as the length it shares with the one
// before and the rest), then the entries, whose dependencies refer to
// paths by their index and carry the file's recorded stat, all in varints,
// and whose value follows its SHA-256; then a CRC-32C of everything before
// it. Values are handed out as slices of the file's bytes, without a copy,
// with their recorded SHA-256, so that a caller that only needs to know
// whether values changed does not hash them again.

// magic starts every cache file; the number is the format version.
const magic = "healthi18n-cache-v5\n"

// stat is what identifies a file's version without reading it.
type stat struct {
	Valid        bool
	Dev, Ino     uint64
	Size         int64
	Mode         uint32
	Mtime, Ctime int64 // nanoseconds
}

// racy reports whether the file changed so close to seen (when its stat was
// recorded) that a later edit could have left the same times.
func (s stat) racy(seen int64) bool {
	return s.Mtime >= seen-int64(RacyWindow) || s.Ctime >= seen-int64(RacyWindow)
}

// disk is the content of a cache file.
type disk struct {
	key     Sum
	entries map[string]entry
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func encode(d *disk) []byte {
	// The path table: every dependency's path.
	index := map[string]int{}
	names := make([]string, 0, len(d.entries))
	for name, e := range d.entries {
		names = append(names, name)
		for _, dep := range e.Deps {
			index[dep.Path] = 0
		}
	}
	paths := make([]string, 0, len(index))
	for p := range index {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	sort.Strings(names) // same cache, same bytes
	for i, p := range paths {
		index[p] = i
	}

	w := writer{b: []byte(magic)}
	w.b = append(w.b, d.key[:]...)
	w.uint(len(paths))
	prev := ""
	for _, p := range paths {
		n := sharedPrefix(prev, p)
		w.uint(n)
		w.str(p[n:])
		prev = p
	}
	w.uint(len(names))
	for _, name := range names {
		e := d.entries[name]
		w.str(name)
		w.uint(len(e.Deps))
		for _, dep := range e.Deps {
			// The index, shifted left, carries two flags: absent, and a
			// valid recorded stat.
			switch {
			case dep.Absent:
				w.uint(index[dep.Path]<<2 | 1)
				continue
			case dep.Stat.Valid:
				w.uint(index[dep.Path]<<2 | 2)
				st := dep.Stat
				w.u64(st.Dev)
				w.u64(st.Ino)
				w.int(st.Size)
				w.u64(uint64(st.Mode))
				w.int(st.Mtime)
				w.int(st.Ctime)
				w.int(dep.Seen)
			default:
				w.uint(index[dep.Path] << 2)
			}
			w.u64(uint64(dep.Mode))
			w.b = append(w.b, dep.Sum[:]...)
		}
		w.b = append(w.b, e.Sum[:]...)
		w.str(string(e.Value))
	}
	return binary.BigEndian.AppendUint32(w.b, crc32.Checksum(w.b, castagnoli))
}

func sharedPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

var errDamaged = errors.New("damaged (undecodable)")

// errOtherFormat: a cache written by a version with another file format,
// rebuilt as quietly as one made under another key.
var errOtherFormat = errors.New("another version's cache")

func decode(data []byte) (*disk, error) {
	// bytes.HasPrefix: a conversion to string would copy the whole file.
	if !bytes.HasPrefix(data, []byte(magic)) {
		if bytes.HasPrefix(data, []byte("healthi18n-cache-v")) {
			return nil, errOtherFormat
		}
		return nil, errors.New("not a healthi18n cache of this version")
	}
	if len(data) < len(magic)+len(Sum{})+4 {
		return nil, errors.New("truncated")
	}
	body, sum := data[:len(data)-4], data[len(data)-4:]
	if crc32.Checksum(body, castagnoli) != binary.BigEndian.Uint32(sum) {
		return nil, errors.New("checksum mismatch (corrupt or truncated)")
	}
	r := reader{b: body[len(magic):]}
	d := &disk{}
	copy(d.key[:], r.bytes(len(d.key)))
	// The paths are made in one buffer and become substrings of one
	// string: one allocation for the table, not one per path.
	paths := make([]string, r.count())
	ends := make([]int, len(paths))
	size, peek := 0, r
	for range paths {
		size += peek.uint()
		size += len(peek.bytes(peek.uint()))
		// Shared prefixes could make a small damaged file ask for
		// terabytes; no shard holds a gigabyte of paths.
		if peek.err != nil || size > 1<<30 {
			return nil, errDamaged
		}
	}
	all := make([]byte, 0, size)
	prev := 0 // where the previous path starts in all
	for i := range paths {
		n := r.uint()
		suffix := r.bytes(r.uint())
		if r.err != nil || n > len(all)-prev {
			return nil, errDamaged
		}
		start := len(all)
		all = append(all, all[prev:prev+n]...)
		all = append(all, suffix...)
		ends[i], prev = len(all), start
	}
	table, start := string(all), 0
	for i := range paths {
		paths[i], start = table[start:ends[i]], ends[i]
	}
	n := r.count()
	d.entries = make(map[string]entry, n)
	for range n {
		name := string(r.bytes(r.uint()))
		deps := make([]dep, r.count())
		for i := range deps {
			x := r.uint()
			if r.err != nil || x>>2 >= len(paths) || x&3 == 3 {
				return nil, errDamaged
			}
			dp := &deps[i]
			dp.Path, dp.Absent = paths[x>>2], x&1 == 1
			if dp.Absent {
				continue
			}
			if x&2 == 2 {
				dp.Stat = stat{Valid: true, Dev: r.u64(), Ino: r.u64(), Size: r.int(), Mode: r.u32(),
					Mtime: r.int(), Ctime: r.int()}
				dp.Seen = r.int()
			}
			dp.Mode = fs.FileMode(r.u32())
			copy(dp.Sum[:], r.bytes(len(Sum{})))
		}
		e := entry{Deps: deps}
		copy(e.Sum[:], r.bytes(len(e.Sum)))
		value := r.bytes(r.uint())
		e.Value = value[:len(value):len(value)]
		d.entries[name] = e
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errDamaged
	}
	return d, nil
}

type writer struct{ b []byte }

func (w *writer) uint(n int)   { w.b = binary.AppendUvarint(w.b, uint64(n)) }
func (w *writer) u64(n uint64) { w.b = binary.AppendUvarint(w.b, n) }
func (w *writer) int(n int64)  { w.b = binary.AppendVarint(w.b, n) }
func (w *writer) str(s string) { w.uint(len(s)); w.b = append(w.b, s...) }

// reader decodes what writer wrote; after the first error every read
// gives zero and err stays set.
type reader struct {
	b   []byte
	err error
}

func (r *reader) u64() uint64 {
	if r.err != nil {
		return 0
	}
	n, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.err = errDamaged
		return 0
	}
	r.b = r.b[k:]
	return n
}

// u32 reads a mode, which fits 32 bits.
func (r *reader) u32() uint32 {
	n := r.u64()
	if n > math.MaxUint32 {
		r.err = errDamaged
		return 0
	}
	return uint32(n)
}

func (r *reader) uint() int {
	n := r.u64()
	if n > 1<<40 { // no count, length or index is that large
		r.err = errDamaged
		return 0
	}
	return int(n)
}

// count reads a number of items that each take at least one byte.
func (r *reader) count() int {
	n := r.uint()
	if n > len(r.b) {
		r.err = errDamaged
		return 0
	}
	return n
}

func (r *reader) int() int64 {
	if r.err != nil {
		return 0
	}
	n, k := binary.Varint(r.b)
	if k <= 0 {
		r.err = errDamaged
		return 0
	}
	r.b = r.b[k:]
	return n
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n > len(r.b) || n < 0 {
		r.err = errDamaged
		return nil
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}
