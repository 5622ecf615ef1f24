// Package cache owns the on-disk result cache: values (opaque bytes) kept
// under a name together with the content hashes of every file they were
// computed from. A value is returned only while each of those files still
// has the recorded content, so the cache can make a run faster but never
// change its result.
//
// File content hashes (SHA-256) are remembered with the file's stat
// (device, inode, size, modification and change times), as git's index
// does, so an unchanged file is not read again. A file changed so recently
// that a later edit could keep the same times is always read and hashed.
// A cache lives in a directory of shard files (see shards); one that is
// corrupt, truncated, from another version or made under another key is
// ignored and rebuilt. Only the shards' tables are read when a cache is
// opened; an entry's record is read when it is looked up, and what a run
// puts waits in a pending log (spilled to a file past a few megabytes)
// until Save: memory does not grow with the cache.
//
// It knows nothing of articles, bundles or checks, and it never writes
// outside its own directory.
package cache

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/healthi18n/healthi18n/internal/spill"
)

// Sum is a SHA-256 content hash.
type Sum [32]byte

// RacyWindow: a file whose times are this close to the moment its stat was
// recorded could be edited again without its times changing (timestamps
// are coarse), so its recorded stat is not trusted and the file is read.
// Tests set it below zero to trust every stat, as for old files.
var RacyWindow = 2 * time.Second

// dep is one input of a value: a file, its mode and content hash, or its
// absence; and the file's stat when the hash was taken (Seen, Unix
// nanoseconds), which spares reading it while the stat is unchanged. Each
// value keeps its own record of each file: in this pipeline a file is an
// input of one value, and a table shared by all would cost a map entry per
// file (400,000 of them for an export at 10k articles).
type dep struct {
	Path   string
	Absent bool
	Mode   fs.FileMode
	Sum    Sum
	Stat   stat
	Seen   int64
}

// Input is a file as the caller read it (Info and Data nil if absent).
// A caller that hashed the file as it wrote it may give Sum instead of
// Data.
type Input struct {
	Path string
	Info fs.FileInfo
	Data []byte
	Sum  *Sum
}

// Cache is an open cache. Its methods are safe for concurrent use.
type Cache struct {
	dir string
	key Sum
	now time.Time

	mu sync.Mutex
	// entries: where the record of each entry is.
	entries map[string]slot
	// files are the shard files, open for reading (nil where none).
	files   [shards]*os.File
	pending pending
	// stale marks the shards whose file must be written again whatever
	// else happens: one had an entry put or a file record renewed, or was
	// unusable on disk.
	stale [shards]bool
	// notDir: a file (an older version's one-file cache) is where the
	// shards go; Save replaces it.
	notDir bool
	// scratch: made by Scratch.
	scratch bool
	hashed  int // files read to hash them (for tests)
	hits    int
	// Problem says why some of what was on disk was not used ("" if all of
	// it was, or if there was none). A record found damaged when it is
	// read is a miss, and its shard is written again without it.
	Problem string
}

// shards is how many files a cache is kept in. An entry lives in the shard
// its name hashes to, with the records of the files it depends on, so that
// a run which changes a few entries rewrites only their shards. Each shard
// is a file of records and their table (disk.go), checked and replaced on
// its own; a crash between two shards' writes leaves each of them whole.
const shards = 64

// shardOf is the shard of the entry named name (FNV-1a).
func shardOf(name string) int {
	h := uint32(2166136261)
	for i := 0; i < len(name); i++ {
		h ^= uint32(name[i])
		h *= 16777619
	}
	return int(h % shards)
}

func shardFile(dir string, i int) string {
	return filepath.Join(dir, fmt.Sprintf("%02x", i))
}

// Open opens the cache kept in the directory dir, made under key
// (everything besides the files that decides a value: program version,
// configuration, options), reading the table of each shard. What is
// missing, unreadable, corrupt or foreign is left out, with the reason in
// Problem; at worst the cache is empty. Close lets go of its files.
func Open(dir string, key []byte) *Cache {
	c := &Cache{dir: dir, key: sha256.Sum256(key), now: time.Now(), entries: map[string]slot{}}
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return c
	case err != nil:
		c.Problem = err.Error()
		return c
	case !info.IsDir():
		c.notDir = true
		// An older version kept its cache in this one file: start
		// afresh, quietly. Anything else is worth a word.
		if data, err := os.ReadFile(dir); err != nil || !strings.HasPrefix(string(data), "healthi18n-cache-v") {
			c.Problem = "not a directory of healthi18n cache files"
		}
		return c
	}
	// What the run puts spills here, in a directory that exists already:
	// a run that ends on bad input leaves no cache behind. (A first run
	// spills to the system's temporary directory.)
	c.pending.dir = dir

	type shard struct {
		slots []named
		err   error
	}
	read := make([]shard, shards)
	parallel(shards, func(i int) {
		f, err := os.Open(shardFile(dir, i))
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		if err == nil {
			read[i].slots, err = c.readTable(f)
		}
		if read[i].err = err; err != nil {
			if f != nil {
				f.Close()
			}
			return
		}
		c.files[i] = f
	})
	// Damaged shards, by what is wrong with them.
	problems := map[string][]string{}
	total := 0
	for _, r := range read {
		total += len(r.slots)
	}
	c.entries = make(map[string]slot, total) // grown once, not by doubling
	for i, r := range read {
		switch {
		case r.err == nil:
			for _, s := range r.slots {
				if shardOf(s.name) != i { // a file renamed by hand
					c.stale[i] = true
					continue
				}
				s.src = i
				c.entries[s.name] = s.slot
			}
		case errors.Is(r.err, errOtherFormat) || errors.Is(r.err, errOtherKey):
			// Another version or configuration: start afresh, quietly.
			c.stale[i] = true
		default:
			problems[r.err.Error()] = append(problems[r.err.Error()], fmt.Sprintf("%02x", i))
			c.stale[i] = true
		}
	}
	var says []string
	for what, files := range problems {
		says = append(says, strings.Join(files, ", ")+": "+what)
	}
	sort.Strings(says)
	c.Problem = strings.Join(says, "; ")
	return c
}

// Scratch is a cache for a run that keeps none: Peek and Lookup find
// nothing, Put records no dependencies (it reads and hashes nothing), and
// Save writes nothing. A run that would rather not hold its values in
// memory puts them here and reads them back with Reread; past a few
// megabytes they wait in a file in the system's temporary directory,
// removed as soon as it is made. Close lets go of it.
func Scratch() *Cache {
	return &Cache{scratch: true, now: time.Now(), entries: map[string]slot{}}
}

// errOtherKey: a shard made under another key.
var errOtherKey = errors.New("made under another key")

// readTable reads the header, the table and the footer of the shard file f.
func (c *Cache) readTable(f *os.File) ([]named, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := info.Size()
	head := make([]byte, header)
	n, err := f.ReadAt(head, 0)
	if n < len(magic) && err != nil && err != io.EOF {
		return nil, err
	}
	if size < int64(header+footer) {
		if bytes.HasPrefix([]byte(magic), head[:n]) || bytes.HasPrefix(head[:n], []byte(magic)) {
			return nil, errors.New("truncated")
		}
		return nil, checkHeader(head[:n])
	}
	if err := checkHeader(head[:n]); err != nil {
		return nil, err
	}
	foot := make([]byte, footer)
	if _, err := f.ReadAt(foot, size-footer); err != nil {
		return nil, err
	}
	at := int64(binary.BigEndian.Uint64(foot))
	if at < int64(header) || at > size-footer {
		return nil, errors.New("checksum mismatch (corrupt or truncated)")
	}
	table := make([]byte, size-footer-at)
	if _, err := f.ReadAt(table, at); err != nil {
		return nil, err
	}
	slots, err := decodeTable(head, table, foot, size)
	if err == nil && [32]byte(head[len(magic):]) != c.key {
		return nil, errOtherKey
	}
	return slots, err
}

// parallel calls f(0) … f(n-1), as many at a time as there are CPUs.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// Get returns the value stored under name if every file it depends on still
// has the recorded mode and content.
func (c *Cache) Get(name string) ([]byte, bool) {
	value, _, ok := c.Lookup(name)
	return value, ok
}

// Lookup is Get, and also gives the SHA-256 of the value, as recorded
// when it was put.
func (c *Cache) Lookup(name string) (value []byte, sum Sum, ok bool) {
	ok = c.Peek(name, func(v []byte, s Sum) { value, sum = bytes.Clone(v), s })
	return value, sum, ok
}

// Peek is Lookup for a caller that needs the value only for a moment: if
// every file the entry depends on still has the recorded mode and content,
// it calls f with the value and its SHA-256 and reports true. The value is
// valid only until f returns (its buffer is reused).
func (c *Cache) Peek(name string, f func(value []byte, sum Sum)) bool {
	c.mu.Lock()
	s, ok := c.entries[name]
	c.mu.Unlock()
	if !ok || c.scratch {
		return false
	}
	sc := recordBuffers.Get().(*recordBuffer)
	defer recordBuffers.Put(sc)
	err := c.read(s, sc)
	if err == nil {
		err = sc.decode(sc.data)
	}
	if err != nil {
		// Damaged since the table was written, or its file closed: a
		// miss, and the shard is written again without it.
		c.mu.Lock()
		c.stale[shardOf(name)] = true
		c.mu.Unlock()
		return false
	}
	rec := &sc.rec
	renewed := false
	for i := range rec.Deps {
		holds, renew := c.holds(&rec.Deps[i], sc.pathz(i))
		if !holds {
			return false
		}
		renewed = renewed || renew
	}
	c.mu.Lock()
	if now, ok := c.entries[name]; !ok || now.src != s.src || now.off != s.off || now.n != s.n || now.crc != s.crc { // replaced or dropped meanwhile
		c.mu.Unlock()
		return false
	}
	if renewed {
		s = c.pending.add(encodeRecord(nil, rec))
		c.stale[shardOf(name)] = true
	}
	s.used = true
	c.entries[name] = s
	c.hits++
	c.mu.Unlock()
	f(rec.Value, rec.Sum)
	return true
}

// Reread gives again the value of an entry that Peek or Lookup returned or
// Put stored in this run, with its SHA-256, without checking its files
// again: it is what the run saw then. A caller that would rather not hold
// many values reads them again this way. As with Peek, f has the value
// until it returns. Reread reports false, without calling f, if the entry
// is not one of those or its record can no longer be read (damaged in its
// file since, or the cache closed).
func (c *Cache) Reread(name string, f func(value []byte, sum Sum)) bool {
	c.mu.Lock()
	s, ok := c.entries[name]
	c.mu.Unlock()
	if !ok || !s.used {
		return false
	}
	sc := recordBuffers.Get().(*recordBuffer)
	defer recordBuffers.Put(sc)
	if c.read(s, sc) != nil {
		return false
	}
	sum, value, err := recordValue(sc.data)
	if err != nil {
		return false
	}
	f(value, sum)
	return true
}

// read reads the record in slot s into sc.data and checks it against its
// CRC.
func (c *Cache) read(s slot, sc *recordBuffer) (err error) {
	c.mu.Lock()
	if s.src == inPending {
		// The log grows as the run puts records: read it under the lock.
		sc.data, err = c.record(s, nil, sc.data)
		c.mu.Unlock()
		return err
	}
	f := c.files[s.src]
	c.mu.Unlock()
	sc.data, err = c.record(s, f, sc.data)
	return err
}

// record reads the record in slot s into buf (reused), from the pending
// log (read with c.mu held, or while nothing is put) or else from f, its
// shard's file (nil if closed), and checks it against its CRC.
func (c *Cache) record(s slot, f *os.File, buf []byte) ([]byte, error) {
	var err error
	switch {
	case s.src == inPending:
		buf, err = c.pending.read(s, buf)
	case f == nil:
		err = os.ErrClosed
	default:
		buf = slices.Grow(buf[:0], s.n)[:s.n]
		_, err = f.ReadAt(buf, s.off)
	}
	if err == nil && crc32.Checksum(buf, castagnoli) != s.crc {
		err = errDamaged
	}
	return buf, err
}

// ReadFile reads the file at path without following a symbolic link, and
// returns with its content the stat of the very file it read, taken before
// reading: what Put wants in an Input. (A stat of the path followed by a
// read of the path could describe one file and read another, if a
// directory on the way was swapped between the two.)
func ReadFile(path string) (fs.FileInfo, []byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%s is not a regular file", path)
	}
	// Sized from the stat, as os.ReadFile does; a file that grew is still
	// read to its end.
	data := make([]byte, 0, info.Size()+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return info, data, nil
		}
		if err != nil {
			return nil, nil, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}

// hashFile is ReadFile's stat and the SHA-256 of what it would read,
// through a buffer: a run that checks the content of hundreds of
// thousands of files (export's outputs, after a swap changed their
// change times) keeps none of it.
func hashFile(path string) (fs.FileInfo, Sum, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, Sum{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, Sum{}, err
	}
	if !info.Mode().IsRegular() {
		return nil, Sum{}, fmt.Errorf("%s is not a regular file", path)
	}
	buf := hashBuffers.Get().(*[]byte)
	defer hashBuffers.Put(buf)
	h := sha256.New()
	if _, err := io.CopyBuffer(h, struct{ io.Reader }{f}, *buf); err != nil {
		return nil, Sum{}, err
	}
	var sum Sum
	h.Sum(sum[:0])
	return info, sum, nil
}

var hashBuffers = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// Hits is the number of values Peek, Lookup and Get have given.
func (c *Cache) Hits() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits
}

// holds reports whether the file of d has the recorded mode and content
// (or is still absent). The content hash comes from the recorded stat when
// that can be trusted, else from reading the file; a record read again
// because it was racy is renewed with the stat of the file read (renew),
// so that a later run can trust it. pathz is d's path and a NUL.
func (c *Cache) holds(d *dep, pathz []byte) (holds, renew bool) {
	st, mode, err := lstatz(pathz)
	if errors.Is(err, fs.ErrNotExist) {
		return d.Absent, false
	}
	if err != nil || d.Absent || mode != d.Mode {
		return false, false
	}
	if st.Valid && d.Stat == st && !st.racy(d.Seen) {
		return true, false
	}
	if !mode.IsRegular() {
		return false, false
	}
	read, sum, err := hashFile(d.Path)
	if err != nil || read.Mode() != d.Mode || sum != d.Sum {
		return false, false
	}
	c.mu.Lock()
	c.hashed++
	c.mu.Unlock()
	// A file changed so recently that it is racy even now would be racy
	// next run too: no use saving a new record.
	if st := statOf(read); st.Valid && !st.racy(c.now.UnixNano()) {
		d.Stat, d.Seen = st, c.now.UnixNano()
		return true, true
	}
	return true, false
}

// Put stores value under name, computed from exactly the files in inputs
// as the caller read them: each Info is the stat of the file read, taken
// before reading it (as ReadFile gives) and after Open, whose time the
// record keeps as when the stat was seen.
func (c *Cache) Put(name string, inputs []Input, value []byte) {
	if c.scratch {
		inputs = nil
	}
	rec := record{Deps: make([]dep, len(inputs)), Value: value, Sum: sha256.Sum256(value)}
	for i, in := range inputs {
		d := &rec.Deps[i]
		d.Path = in.Path
		if in.Info == nil {
			d.Absent = true
			continue
		}
		d.Mode = in.Info.Mode()
		if in.Sum != nil {
			d.Sum = *in.Sum
		} else {
			d.Sum = sha256.Sum256(in.Data)
		}
		d.Stat, d.Seen = statOf(in.Info), c.now.UnixNano()
	}
	data := encodeRecord(nil, &rec)
	c.mu.Lock()
	s := c.pending.add(data)
	s.used = true
	c.entries[name] = s
	c.stale[shardOf(name)] = true
	c.mu.Unlock()
}

// Save writes the shards in which anything changed, keeping only the
// entries used in this run and the records of the files they depend on, so
// that the cache does not grow without bound. Each shard is written whole
// to a new file and renamed into place; the records it keeps are copied
// from the old file or the pending log one by one. A shard that cannot be
// written keeps what it had; the others are saved.
func (c *Cache) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.scratch {
		return nil
	}
	stale := c.stale
	for name, s := range c.entries {
		if !s.used {
			stale[shardOf(name)] = true // dropped
		}
	}
	if stale == [shards]bool{} && !c.notDir {
		return nil
	}
	var byShard [shards][]named // of the stale shards
	for name, s := range c.entries {
		if i := shardOf(name); stale[i] && s.used {
			byShard[i] = append(byShard[i], named{name, s})
		}
	}
	if c.notDir {
		if err := os.Remove(c.dir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	removeLeftovers(c.dir)

	errs := make([]error, shards)
	written := make([]*os.File, shards)
	parallel(shards, func(i int) {
		if !stale[i] {
			return
		}
		if len(byShard[i]) == 0 {
			if err := os.Remove(shardFile(c.dir, i)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs[i] = err
			}
			return
		}
		written[i], byShard[i], errs[i] = c.writeShard(i, byShard[i])
	})
	for i := range shards {
		if len(byShard[i]) == 0 || errs[i] != nil {
			byShard[i] = nil // removed, or kept as it was
		}
	}
	// On disk now: a second Save writes only what changes after this.
	// Entries not kept are dropped.
	for name := range c.entries {
		if i := shardOf(name); stale[i] && errs[i] == nil {
			delete(c.entries, name)
		}
	}
	for i := range shards {
		if !stale[i] || errs[i] != nil {
			continue
		}
		if c.files[i] != nil {
			c.files[i].Close()
		}
		c.files[i], c.stale[i] = written[i], false
		for _, s := range byShard[i] {
			c.entries[s.name] = s.slot
		}
	}
	c.notDir = false
	err := errors.Join(errs...)
	if err == nil {
		c.pending.reset()
	}
	return err
}

// writeShard writes shard i anew with the records of slots, sorted by
// name, through a temporary file renamed into place, which it returns open
// for reading with the slots of what it holds. A record that cannot be
// read (damaged since it was looked up) is left out.
func (c *Cache) writeShard(i int, slots []named) (*os.File, []named, error) {
	sort.Slice(slots, func(a, b int) bool { return slots[a].name < slots[b].name })
	f, err := os.CreateTemp(c.dir, ".tmp-*")
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*os.File, []named, error) {
		f.Close()
		os.Remove(f.Name())
		return nil, nil, err
	}
	if err := f.Chmod(0o644); err != nil {
		return fail(err)
	}
	w := bufio.NewWriterSize(f, 256<<10)
	w.WriteString(magic)
	w.Write(c.key[:])
	off := int64(header)
	kept := slots[:0]
	var data []byte // each record in turn
	for _, s := range slots {
		var f *os.File
		if s.src != inPending {
			f = c.files[s.src]
		}
		if data, err = c.record(s.slot, f, data); err != nil {
			continue
		}
		w.Write(data)
		kept = append(kept, named{s.name, slot{src: i, off: off, n: len(data), crc: s.crc, used: true}})
		off += int64(len(data))
	}
	head := append([]byte(magic), c.key[:]...)
	tail := encodeTable(head, off, kept)[header:]
	w.Write(tail)
	if err := w.Flush(); err != nil {
		return fail(err)
	}
	if err := os.Rename(f.Name(), shardFile(c.dir, i)); err != nil {
		return fail(err)
	}
	return f, kept, nil
}

// Close lets go of the cache's files. A Cache closed is not used again.
func (c *Cache) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for i, f := range c.files {
		if f != nil {
			errs = append(errs, f.Close())
			c.files[i] = nil
		}
	}
	c.pending.reset()
	return errors.Join(errs...)
}

// spillAt is how many bytes of records put in a run are kept in memory
// before the pending log moves to a file.
const spillAt = 8 << 20

// pending is the log of the records put (or renewed) in a run and not yet
// saved, spilled to a file in the cache's directory past spillAt bytes.
// Its methods are called with the Cache's lock held.
type pending struct {
	dir string
	log *spill.Log
}

// add appends a record to the log and gives its slot.
func (p *pending) add(data []byte) slot {
	if p.log == nil {
		p.log = spill.New(p.dir, spillAt)
	}
	return slot{src: inPending, off: p.log.Append(data), n: len(data), crc: crc32.Checksum(data, castagnoli)}
}

// read copies the record in slot s into buf (grown as needed) and
// returns it.
func (p *pending) read(s slot, buf []byte) ([]byte, error) {
	if p.log == nil {
		return nil, os.ErrClosed
	}
	return p.log.Read(buf, s.off, s.n)
}

// reset empties the log, once every record in it is saved or dropped.
func (p *pending) reset() {
	if p.log != nil {
		p.log.Close()
		p.log = nil
	}
}

// removeLeftovers removes the temporary files of a run killed while
// saving.
func removeLeftovers(dir string) {
	old, _ := filepath.Glob(filepath.Join(dir, ".tmp-*"))
	for _, f := range old {
		if st, err := os.Stat(f); err == nil && time.Since(st.ModTime()) > 10*time.Minute {
			os.Remove(f)
		}
	}
}

// Key makes a cache key from what, besides the files, decides a value:
// the program (an identity of the running binary), the configuration and
// the options, each encoded as JSON. Should either fail to encode, the key
// is one no cache file has, so nothing is reused.
func Key(program []byte, config, options any) []byte {
	h := sha256.New()
	fmt.Fprintf(h, "%d:", len(program))
	h.Write(program)
	for _, v := range []any{config, options} {
		data, err := json.Marshal(v)
		if err != nil {
			return []byte("unencodable " + rand.Text())
		}
		fmt.Fprintf(h, "%d:", len(data))
		h.Write(data)
	}
	return h.Sum(nil)
}
