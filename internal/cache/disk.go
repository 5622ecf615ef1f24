package cache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io/fs"
	"math"
	"slices"
	"sync"
	"unsafe"
)

// A shard file is not read whole: a run reads its table, then each
// entry's record as it is looked up, so that memory does not grow with the
// cache. After the magic line and the key come the records, one per entry:
// its dependencies (each with its path, flags, the file's recorded stat,
// mode and content hash, in varints) and its value after the value's
// SHA-256, so that a caller that only needs to know whether values changed
// does not hash them again. Then the table: every entry's name, sorted, with
// where its record is and the record's CRC-32C. Last, the footer: where the
// table starts (8 bytes) and a CRC-32C of the magic line, the key and the
// table (4 bytes). A record is checked against its CRC each time it is read.

// magic starts every cache file; the number is the format version.
const magic = "healthi18n-cache-v6\n"

// header is the length of the magic line and the key; footer that of the
// footer.
const (
	header = len(magic) + len(Sum{})
	footer = 8 + 4
)

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

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// record is an entry as kept on disk: what it depends on and its value.
type record struct {
	Deps  []dep
	Sum   Sum // of Value
	Value []byte
}

// encodeRecord appends the encoding of r to b.
func encodeRecord(b []byte, r *record) []byte {
	w := writer{b: b}
	w.uint(len(r.Deps))
	for _, dep := range r.Deps {
		w.str(dep.Path)
		// Two flags: absent, and a valid recorded stat.
		switch {
		case dep.Absent:
			w.uint(1)
			continue
		case dep.Stat.Valid:
			w.uint(2)
			st := dep.Stat
			w.u64(st.Dev)
			w.u64(st.Ino)
			w.int(st.Size)
			w.u64(uint64(st.Mode))
			w.int(st.Mtime)
			w.int(st.Ctime)
			w.int(dep.Seen)
		default:
			w.uint(0)
		}
		w.u64(uint64(dep.Mode))
		w.b = append(w.b, dep.Sum[:]...)
	}
	w.b = append(w.b, r.Sum[:]...)
	w.str(string(r.Value))
	return w.b
}

var errDamaged = errors.New("damaged (undecodable)")

// errOtherFormat: a cache written by a version with another file format,
// rebuilt as quietly as one made under another key.
var errOtherFormat = errors.New("another version's cache")

// decodeRecord decodes a record into a buffer of its own. Its paths are
// views of that buffer; its value is a slice of data.
func decodeRecord(data []byte) (*record, error) {
	var sc recordBuffer
	if err := sc.decode(data); err != nil {
		return nil, err
	}
	return &sc.rec, nil
}

// recordBuffer is what reading a record takes, kept from one record to the
// next: a warm run reads a record per unit, and allocating each would
// be most of what the run allocates.
type recordBuffer struct {
	data  []byte // the record, as read
	rec   record
	paths []byte
	ends  []int
}

var recordBuffers = sync.Pool{New: func() any { return new(recordBuffer) }}

// decode decodes the record data into sc.rec, reusing its dependencies'
// slice: sc.rec is valid until the next decode. Its paths are views of
// sc.paths, where each is followed by a NUL (pathz), and its value a
// slice of data: a warm run decodes a record per unit and allocates
// nothing for it.
func (sc *recordBuffer) decode(data []byte) error {
	r := reader{b: data}
	n := r.count()
	deps := slices.Grow(sc.rec.Deps[:0], n)[:n]
	clear(deps)
	ends := slices.Grow(sc.ends[:0], n)[:n]
	all := sc.paths[:0]
	for i := range deps {
		all = append(all, r.bytes(r.uint())...)
		ends[i] = len(all)
		all = append(all, 0) // for the kernel (pathz)
		x := r.uint()
		if r.err != nil || x > 2 {
			return errDamaged
		}
		dp := &deps[i]
		if dp.Absent = x&1 == 1; dp.Absent {
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
	sc.rec.Deps, sc.ends, sc.paths = deps, ends, all
	copy(sc.rec.Sum[:], r.bytes(len(Sum{})))
	value := r.bytes(r.uint())
	if r.err != nil || len(r.b) != 0 {
		return errDamaged
	}
	sc.rec.Value = value[:len(value):len(value)]
	start := 0
	for i := range deps {
		deps[i].Path, start = unsafe.String(unsafe.SliceData(all[start:]), ends[i]-start), ends[i]+1
	}
	return nil
}

// pathz is the path of dependency i of the record decoded last, and a
// NUL, as the kernel takes a path.
func (sc *recordBuffer) pathz(i int) []byte {
	start := 0
	if i > 0 {
		start = sc.ends[i-1] + 1
	}
	return sc.paths[start : sc.ends[i]+1]
}

// isPathz reports whether pathz is a path and a NUL, with no other NUL:
// what lstatz takes.
func isPathz(pathz []byte) bool {
	return len(pathz) > 0 && bytes.IndexByte(pathz, 0) == len(pathz)-1
}

var errNotPathz = errors.New("cache: a path must end in its only NUL")

// recordValue is the value of a record and its SHA-256, its dependencies
// skipped without being decoded.
func recordValue(data []byte) (Sum, []byte, error) {
	r := reader{b: data}
	for range r.count() {
		r.bytes(r.uint())
		x := r.uint()
		if r.err != nil || x > 2 {
			return Sum{}, nil, errDamaged
		}
		if x&1 == 1 {
			continue
		}
		if x&2 == 2 {
			r.u64()
			r.u64()
			r.int()
			r.u32()
			r.int()
			r.int()
			r.int()
		}
		r.u32()
		r.bytes(len(Sum{}))
	}
	var sum Sum
	copy(sum[:], r.bytes(len(sum)))
	value := r.bytes(r.uint())
	if r.err != nil || len(r.b) != 0 {
		return Sum{}, nil, errDamaged
	}
	return sum, value[:len(value):len(value)], nil
}

// slot is where an entry's record is, and its CRC-32C; used marks an entry
// looked up or put in this run, which Save keeps.
type slot struct {
	src  int // the shard file, or inPending
	off  int64
	n    int
	crc  uint32
	used bool
}

// inPending is the src of a record put in this run and not saved yet.
const inPending = -1

// named is a slot with its entry's name, as a table lists it.
type named struct {
	name string
	slot
}

// encodeTable appends to b (a shard file's bytes up to the table, of which
// only the header is read) the table of slots, sorted by name, and the
// footer.
func encodeTable(b []byte, at int64, slots []named) []byte {
	w := writer{b: b}
	start := len(b)
	w.uint(len(slots))
	for _, s := range slots {
		w.str(s.name)
		w.u64(uint64(s.off))
		w.uint(s.n)
		w.b = binary.BigEndian.AppendUint32(w.b, s.crc)
	}
	crc := crcOf(b[:header], w.b[start:])
	w.b = binary.BigEndian.AppendUint64(w.b, uint64(at))
	return binary.BigEndian.AppendUint32(w.b, crc)
}

// crcOf is the CRC-32C a footer keeps: of the header and the table.
func crcOf(head, table []byte) uint32 {
	return crc32.Update(crc32.Checksum(head, castagnoli), castagnoli, table)
}

// checkHeader checks a shard file's header: its magic line.
func checkHeader(head []byte) error {
	if !bytes.HasPrefix(head, []byte(magic)) {
		if bytes.HasPrefix(head, []byte("healthi18n-cache-v")) {
			return errOtherFormat
		}
		return errors.New("not a healthi18n cache of this version")
	}
	return nil
}

// decodeTable decodes the table of a shard file of size bytes, given its
// header (magic line and key), the table and the footer. Every slot lies
// between the header and the table. The names are views of table, which
// is not copied: it must not change after.
func decodeTable(head, table, foot []byte, size int64) ([]named, error) {
	at := int64(binary.BigEndian.Uint64(foot))
	crc := crcOf(head, table)
	if crc != binary.BigEndian.Uint32(foot[8:]) {
		return nil, errors.New("checksum mismatch (corrupt or truncated)")
	}
	if at != size-int64(len(table))-footer {
		return nil, errDamaged
	}
	var names string // the table's bytes as a string: a copy would be the table again
	if len(table) > 0 {
		names = unsafe.String(&table[0], len(table))
	}
	r := reader{b: table}
	slots := make([]named, r.count())
	for i := range slots {
		n := r.uint()
		start := len(table) - len(r.b)
		r.bytes(n)
		s := &slots[i]
		if r.err == nil {
			s.name = names[start : start+n]
		}
		s.off, s.n = int64(r.u64()), r.uint()
		crc := r.bytes(4)
		if r.err != nil || s.off < int64(header) || s.off > at || int64(s.n) > at-s.off ||
			(i > 0 && s.name <= slots[i-1].name) {
			return nil, errDamaged
		}
		s.crc = binary.BigEndian.Uint32(crc)
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errDamaged
	}
	return slots, nil
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
