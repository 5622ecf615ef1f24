// Package replay keeps the last report a command wrote, under a key that
// names everything the report was made from, so that a run which would
// write the very same bytes can copy them from disk instead of decoding,
// assembling and rendering every finding again.
//
// A record is one file: a magic line, the key, the family, whether the
// run failed, the report, an index, the index's size, and a CRC-32C of all
// that. A record that is missing, foreign, damaged or made under another
// key is never replayed. The family names what the report's parts can be
// reused under, and the index (the caller's bytes) where they are: a
// caller whose report would differ in a few parts can Open the record of
// its family and copy the rest. It knows nothing of checks or report
// formats: the caller makes the keys and the index.
package replay

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Key names what a report was made from.
type Key [32]byte

const magic = "healthi18n-replay-v2\n"

// headerSize is the magic line, the key, the family and the failed flag;
// trailerSize the index's size and the checksum.
const (
	headerSize  = len(magic) + 2*len(Key{}) + 1
	trailerSize = 8 + 4
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Replay writes to w the report kept in the file at path under key, and
// says whether the run that wrote it failed. ok is false, and nothing is
// written, when there is no usable record for key. The record's checksum
// is verified before a byte of it is written; it is then copied in the
// kernel where it can be (the report can be tens of megabytes, which need
// not pass through memory). err is a failure of that copy (writing to w,
// or reading the record again), after which part of the report may have
// been written. Records are only ever replaced by a rename, so the bytes
// copied are the bytes verified unless something else rewrites the file
// in place.
func Replay(w io.Writer, path string, key Key) (failed, ok bool, err error) {
	k, ok := Open(path, key, Key{}) // no family: only a whole record opens
	if !ok {
		return false, false, nil
	}
	defer k.Close()
	return k.Failed, true, k.WriteReport(w)
}

// Kept is a record opened for its report or its parts.
type Kept struct {
	// Whole: the record was made under the key asked for, so its report
	// is the one wanted; else only its family is the one asked for.
	Whole bool
	// Report reads the report; Index is the caller's index of it (nil in
	// a Whole record, which is replayed as it is).
	Report *io.SectionReader
	Index  []byte
	// Failed is whether the run that wrote it failed.
	Failed bool
	f      *os.File
	path   string
}

// Open opens the record at path if it is whole and made under key, or
// else in family (a zero family matches none); ok is false otherwise. Its
// checksum is verified (only once the key or family is seen to match), so
// the parts read are the bytes verified unless something else rewrites the
// file in place: records are only ever replaced by a rename. Close it when
// done.
func Open(path string, key, family Key) (*Kept, bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	k, ok := verify(f, key, family)
	if !ok {
		f.Close()
		return nil, false
	}
	k.path = path
	return k, true
}

// WriteReport writes the kept report to w, copied in the kernel where it can
// be (the report can be tens of megabytes, which need not pass through
// memory).
func (k *Kept) WriteReport(w io.Writer) error {
	if _, err := k.f.Seek(int64(headerSize), io.SeekStart); err != nil {
		return fmt.Errorf("reading the kept report %s: %w", k.path, err)
	}
	if _, err := io.Copy(w, &io.LimitedReader{R: k.f, N: k.Report.Size()}); err != nil {
		return fmt.Errorf("writing the kept report %s: %w", k.path, err)
	}
	return nil
}

// Close closes the record's file.
func (k *Kept) Close() error { return k.f.Close() }

func verify(f *os.File, key, family Key) (*Kept, bool) {
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() < int64(headerSize+trailerSize) {
		return nil, false
	}
	size := info.Size()
	header := make([]byte, headerSize)
	if _, err := io.ReadFull(f, header); err != nil || string(header[:len(magic)]) != magic || header[headerSize-1] > 1 {
		return nil, false
	}
	k := &Kept{Failed: header[headerSize-1] == 1, f: f}
	k.Whole = Key(header[len(magic):]) == key
	if !k.Whole && (family == Key{} || Key(header[len(magic)+len(Key{}):]) != family) {
		return nil, false
	}
	var trailer [trailerSize]byte
	if _, err := f.ReadAt(trailer[:], size-trailerSize); err != nil {
		return nil, false
	}
	indexSize := binary.BigEndian.Uint64(trailer[:8])
	if indexSize > uint64(size)-uint64(headerSize+trailerSize) {
		return nil, false
	}
	reportSize := size - int64(headerSize+trailerSize) - int64(indexSize)
	crc := crc32.New(castagnoli)
	crc.Write(header)
	// A whole record is replayed as it is: its index is checked, not kept
	// (a megabyte at 10,000 articles).
	checked := reportSize
	if k.Whole {
		checked += int64(indexSize)
	}
	if _, err := io.Copy(crc, io.NewSectionReader(f, int64(headerSize), checked)); err != nil {
		return nil, false
	}
	if !k.Whole {
		k.Index = make([]byte, indexSize)
		if _, err := f.ReadAt(k.Index, int64(headerSize)+reportSize); err != nil {
			return nil, false
		}
		crc.Write(k.Index)
	}
	crc.Write(trailer[:8])
	if binary.BigEndian.Uint32(trailer[8:]) != crc.Sum32() {
		return nil, false
	}
	k.Report = io.NewSectionReader(f, int64(headerSize), reportSize)
	return k, true
}

// Recorder passes a report through to its writer and keeps a copy, which
// Commit makes the record at its path. A failure to keep the copy never
// fails the report: the record is then not made.
type Recorder struct {
	w    io.Writer
	path string
	tmp  *os.File
	copy *bufio.Writer
	crc  hash.Hash32
	err  error // first failure to keep the copy
	// indexed is how many bytes of the index were kept.
	indexed int64
}

// Record starts a record under key, in family, of a report written to w,
// by a run that failed or not.
func Record(w io.Writer, path string, key, family Key, failed bool) *Recorder {
	r := &Recorder{w: w, path: path, crc: crc32.New(castagnoli)}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		r.err = err
		return r
	}
	removeLeftovers(path)
	r.tmp, r.err = os.CreateTemp(filepath.Dir(path), tempPrefix(path)+"*")
	if r.err != nil {
		return r
	}
	r.copy = bufio.NewWriterSize(io.MultiWriter(r.tmp, r.crc), 256<<10)
	flag := byte(0)
	if failed {
		flag = 1
	}
	r.keep([]byte(magic))
	r.keep(key[:])
	r.keep(family[:])
	r.keep([]byte{flag})
	return r
}

func tempPrefix(path string) string { return "." + filepath.Base(path) + ".tmp-" }

// removeLeftovers removes the copies that runs killed before Commit or
// Abort left beside path. A copy younger than ten minutes may be another
// run's, still being written (check runs side by side under a shared
// lock).
func removeLeftovers(path string) {
	old, _ := filepath.Glob(filepath.Join(filepath.Dir(path), tempPrefix(path)+"*"))
	for _, f := range old {
		if st, err := os.Stat(f); err == nil && time.Since(st.ModTime()) > 10*time.Minute {
			os.Remove(f)
		}
	}
}

func (r *Recorder) keep(p []byte) {
	if r.err == nil {
		_, r.err = r.copy.Write(p)
	}
}

// Write writes p to the report's writer, and keeps a copy.
func (r *Recorder) Write(p []byte) (int, error) {
	n, err := r.w.Write(p)
	r.keep(p[:n])
	return n, err
}

// IndexWriter is where the record's index may be written once the report
// is: what it is given is kept, not passed to the report's writer, so that
// a large index goes to the record as it is made, without being held
// whole. Commit adds its own index bytes after these.
func (r *Recorder) IndexWriter() io.Writer { return indexWriter{r} }

type indexWriter struct{ r *Recorder }

func (w indexWriter) Write(p []byte) (int, error) {
	w.r.keep(p)
	w.r.indexed += int64(len(p))
	return len(p), nil
}

// Commit makes the copy, with index, the record at the path, replacing
// the one there: a reader sees the old record, none, or the new one,
// never part of one (a reader that opened the old one keeps reading it).
// A Commit that fails once the old record is removed leaves none, which
// costs the next run the rendering of its report, never its result.
func (r *Recorder) Commit(index []byte) error {
	r.keep(index)
	r.indexed += int64(len(index))
	r.keep(binary.BigEndian.AppendUint64(nil, uint64(r.indexed)))
	if r.err == nil {
		r.err = r.copy.Flush()
	}
	if r.err == nil {
		_, r.err = r.tmp.Write(binary.BigEndian.AppendUint32(nil, r.crc.Sum32()))
	}
	if r.err == nil {
		r.err = r.tmp.Chmod(0o644) // as the cache's files
	}
	if r.tmp != nil {
		if err := r.tmp.Close(); r.err == nil {
			r.err = err
		}
	}
	if r.err == nil {
		// The old record is removed first: renaming over a file makes
		// ext4 (auto_da_alloc) write the new one's blocks out then and
		// there, which took a 10k-article check 25 ms of its 300. A run
		// that finds no record between the two steps renders its report
		// again, as a record never changes a result.
		if err := os.Remove(r.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			r.err = err
		}
	}
	if r.err == nil {
		r.err = os.Rename(r.tmp.Name(), r.path)
	}
	if r.err != nil {
		r.Abort()
		return fmt.Errorf("keeping the report in %s: %w", r.path, r.err)
	}
	return nil
}

// Abort drops the copy; the record at the path is left as it was (unless
// a failing Commit, which calls it, had removed it already).
func (r *Recorder) Abort() {
	if r.tmp != nil {
		r.tmp.Close()
		os.Remove(r.tmp.Name())
		r.tmp = nil
	}
	if r.err == nil {
		r.err = errAborted
	}
}

var errAborted = errors.New("aborted")

// NewKey makes a key of parts: everything a report is made from, each
// part kept apart from the next, so that ("ab", "c") and ("a", "bc") differ.
func NewKey(parts ...[]byte) Key {
	h := sha256.New()
	for _, p := range parts {
		h.Write(binary.AppendUvarint(nil, uint64(len(p))))
		h.Write(p)
	}
	var k Key
	h.Sum(k[:0])
	return k
}
