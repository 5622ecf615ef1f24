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
// ignored and rebuilt.
//
// It knows nothing of articles, bundles or checks, and it never writes
// outside its own directory.
package cache

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
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

	mu      sync.Mutex
	entries map[string]entry
	used    map[string]bool
	// stale marks the shards whose file must be written again whatever
	// else happens: one had an entry put or a file record renewed, or was
	// unusable on disk.
	stale [shards]bool
	// notDir: a file (an older version's one-file cache) is where the
	// shards go; Save replaces it.
	notDir bool
	hashed int // files read to hash them (for tests)
	hits   int
	// Problem says why some of what was on disk was not used ("" if all of
	// it was, or if there was none).
	Problem string
}

type entry struct {
	Deps  []dep
	Value []byte
	Sum   Sum // of Value
}

// shards is how many files a cache is kept in. An entry lives in the shard
// its name hashes to, with the records of the files it depends on, so that
// a run which changes a few entries rewrites only their shards. Each shard is a whole cache file (disk.go), checked, decoded and
// replaced on its own; a crash between two shards' writes leaves each of
// them whole.
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

// Open reads the cache kept in the directory dir, made under key
// (everything besides the files that decides a value: program version,
// configuration, options). What is missing, unreadable, corrupt or
// foreign is left out, with the reason in Problem; at worst the cache is
// empty.
func Open(dir string, key []byte) *Cache {
	c := &Cache{dir: dir, key: sha256.Sum256(key), now: time.Now(),
		entries: map[string]entry{}, used: map[string]bool{}}
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

	type shard struct {
		d   *disk
		err error
	}
	read := make([]shard, shards)
	parallel(shards, func(i int) {
		data, err := os.ReadFile(shardFile(dir, i))
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		if err != nil {
			read[i].err = err
			return
		}
		read[i].d, read[i].err = decode(data)
	})
	// Damaged shards, by what is wrong with them.
	problems := map[string][]string{}
	for i, r := range read {
		switch {
		case r.d == nil && r.err == nil:
			// No such shard yet.
		case errors.Is(r.err, errOtherFormat) || (r.err == nil && r.d.key != c.key):
			// Another version or configuration: start afresh, quietly.
			c.stale[i] = true
		case r.err != nil:
			problems[r.err.Error()] = append(problems[r.err.Error()], fmt.Sprintf("%02x", i))
			c.stale[i] = true
		default:
			for name, e := range r.d.entries {
				if shardOf(name) != i { // a file renamed by hand
					c.stale[i] = true
					continue
				}
				c.entries[name] = e
			}
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
	c.mu.Lock()
	e, ok := c.entries[name]
	c.mu.Unlock()
	if !ok {
		return nil, Sum{}, false
	}
	for i := range e.Deps {
		if !c.holds(&e.Deps[i], shardOf(name)) {
			return nil, Sum{}, false
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[name]; !ok { // dropped by a Save meanwhile
		return nil, Sum{}, false
	}
	c.used[name] = true
	c.hits++
	return e.Value, e.Sum, true
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

// Hits is the number of values Get has returned.
func (c *Cache) Hits() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits
}

// holds reports whether the file of d has the recorded mode and content
// (or is still absent). The content hash comes from the recorded stat when
// that can be trusted, else from reading the file; a record read again
// because it was racy is renewed with the stat of the file read (its shard
// marked for saving), so that a later run can trust it.
func (c *Cache) holds(d *dep, shard int) bool {
	st, mode, err := lstat(d.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return d.Absent
	}
	if err != nil || d.Absent || mode != d.Mode {
		return false
	}
	c.mu.Lock()
	trusted := st.Valid && d.Stat == st && !st.racy(d.Seen)
	c.mu.Unlock()
	if trusted {
		return true
	}
	if !mode.IsRegular() {
		return false
	}
	read, sum, err := hashFile(d.Path)
	if err != nil || read.Mode() != d.Mode || sum != d.Sum {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hashed++
	// A file changed so recently that it is racy even now would be racy
	// next run too: no use saving a new record.
	if st := statOf(read); st.Valid && !st.racy(c.now.UnixNano()) {
		d.Stat, d.Seen = st, c.now.UnixNano()
		c.stale[shard] = true
	}
	return true
}

// Put stores value under name, computed from exactly the files in inputs
// as the caller read them: each Info is the stat of the file read, taken
// before reading it (as ReadFile gives) and after Open, whose time the
// record keeps as when the stat was seen.
func (c *Cache) Put(name string, inputs []Input, value []byte) {
	deps := make([]dep, len(inputs))
	for i, in := range inputs {
		deps[i].Path = in.Path
		if in.Info == nil {
			deps[i].Absent = true
			continue
		}
		deps[i].Mode = in.Info.Mode()
		if in.Sum != nil {
			deps[i].Sum = *in.Sum
		} else {
			deps[i].Sum = sha256.Sum256(in.Data)
		}
		deps[i].Stat, deps[i].Seen = statOf(in.Info), c.now.UnixNano()
	}
	sum := sha256.Sum256(value)
	c.mu.Lock()
	c.entries[name] = entry{Deps: deps, Value: value, Sum: sum}
	c.used[name] = true
	c.stale[shardOf(name)] = true
	c.mu.Unlock()
}

// Save writes the shards in which anything changed, keeping only the
// entries used in this run and the records of the files they depend on, so
// that the cache does not grow without bound. Each shard is written whole
// to a new file and renamed into place.
func (c *Cache) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	stale := c.stale
	for name := range c.entries {
		s := shardOf(name)
		if stale[s] {
			continue
		}
		if !c.used[name] {
			stale[s] = true // dropped
		}
	}
	if stale == [shards]bool{} && !c.notDir {
		return nil
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

	var out [shards]*disk
	for name := range c.used {
		s := shardOf(name)
		if _, ok := c.entries[name]; !ok || !stale[s] {
			continue
		}
		d := out[s]
		if d == nil {
			d = &disk{key: c.key, entries: map[string]entry{}}
			out[s] = d
		}
		d.entries[name] = c.entries[name]
	}
	errs := make([]error, shards)
	parallel(shards, func(s int) {
		switch {
		case !stale[s]:
		case out[s] == nil:
			if err := os.Remove(shardFile(c.dir, s)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs[s] = err
			}
		default:
			errs[s] = writeFile(shardFile(c.dir, s), encode(out[s]))
		}
	})
	if err := errors.Join(errs...); err != nil {
		return err
	}
	// On disk now: a second Save writes only what changes after this.
	for name := range c.entries {
		if !c.used[name] {
			delete(c.entries, name)
		}
	}
	c.stale, c.notDir = [shards]bool{}, false
	return nil
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

// writeFile replaces path with data through a temporary file and a
// rename. It does not sync: a shard torn by a crash fails its checksum and
// is rebuilt.
func writeFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	err = f.Chmod(0o644)
	if err == nil {
		_, err = f.Write(data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
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
