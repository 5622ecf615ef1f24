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
// A cache file that is corrupt, truncated, from another version or made
// under another key is ignored and rebuilt.
//
// It knows nothing of articles, bundles or checks, and it never writes
// outside its own file.
package cache

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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

// Dep is one input of a value: a file and its content hash, or its
// absence.
type Dep struct {
	Path   string
	Absent bool
	Sum    Sum
}

// Input is a file as the caller read it (Info and Data nil if absent).
type Input struct {
	Path string
	Info fs.FileInfo
	Data []byte
}

// Cache is an open cache file. Its methods are safe for concurrent use.
type Cache struct {
	path string
	key  Sum
	now  time.Time

	mu      sync.Mutex
	files   map[string]fileRec
	entries map[string]entry
	used    map[string]bool
	dirty   bool
	hashed  int // files read to hash them (for tests)
	hits    int
	// Problem says why the file on disk was not used ("" if it was, or if
	// there was none).
	Problem string
}

type fileRec struct {
	Stat stat
	Sum  Sum
	// Seen is when the stat was taken (Unix nanoseconds).
	Seen int64
}

type entry struct {
	Deps  []Dep
	Value []byte
}

// Open reads the cache at path, made under key (everything besides the
// files that decides a value: program version, configuration, options). A
// missing, unreadable, corrupt or foreign cache gives an empty cache, with
// the reason in Problem.
func Open(path string, key []byte) *Cache {
	c := &Cache{path: path, key: sha256.Sum256(key), now: time.Now(),
		files: map[string]fileRec{}, entries: map[string]entry{}, used: map[string]bool{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c
	}
	if err != nil {
		c.Problem = err.Error()
		return c
	}
	d, err := decode(data)
	switch {
	case errors.Is(err, errOtherFormat):
		// Written by another version: start afresh, quietly.
	case err != nil:
		c.Problem = err.Error()
	case d.key != c.key:
		// Another version or configuration: start afresh, quietly.
	default:
		c.files, c.entries = d.files, d.entries
	}
	return c
}

// Get returns the value stored under name if every file it depends on still
// has the recorded content.
func (c *Cache) Get(name string) ([]byte, bool) {
	c.mu.Lock()
	e, ok := c.entries[name]
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	for _, d := range e.Deps {
		sum, absent, err := c.current(d.Path)
		if err != nil || absent != d.Absent || (!absent && sum != d.Sum) {
			return nil, false
		}
	}
	c.mu.Lock()
	c.used[name] = true
	c.hits++
	c.mu.Unlock()
	return e.Value, true
}

// Hits is the number of values Get has returned.
func (c *Cache) Hits() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits
}

// current is the content hash of the file at path now, from the recorded
// stat when that can be trusted, else by reading it.
func (c *Cache) current(path string) (sum Sum, absent bool, err error) {
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Sum{}, true, nil
	}
	if err != nil {
		return Sum{}, false, err
	}
	st := statOf(info)
	c.mu.Lock()
	rec, ok := c.files[path]
	c.mu.Unlock()
	if ok && st.Valid && rec.Stat == st && !st.racy(rec.Seen) {
		return rec.Sum, false, nil
	}
	if !info.Mode().IsRegular() {
		return Sum{}, false, fmt.Errorf("%s is not a regular file", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Sum{}, false, err
	}
	c.mu.Lock()
	c.hashed++
	c.mu.Unlock()
	sum = sha256.Sum256(data)
	c.remember(path, st, sum)
	return sum, false, nil
}

func (c *Cache) remember(path string, st stat, sum Sum) {
	if !st.Valid {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// A record still in its racy window is taken again, so that its time
	// moves on and a later run can trust it.
	if old, ok := c.files[path]; ok && old.Stat == st && old.Sum == sum && !st.racy(old.Seen) {
		return
	}
	c.files[path] = fileRec{Stat: st, Sum: sum, Seen: c.now.UnixNano()}
	c.dirty = true
}

// Put stores value under name, computed from exactly the files in inputs
// as the caller read them (stat taken before reading).
func (c *Cache) Put(name string, inputs []Input, value []byte) {
	deps := make([]Dep, len(inputs))
	for i, in := range inputs {
		deps[i].Path = in.Path
		if in.Info == nil {
			deps[i].Absent = true
			continue
		}
		deps[i].Sum = sha256.Sum256(in.Data)
		c.remember(in.Path, statOf(in.Info), deps[i].Sum)
	}
	c.mu.Lock()
	c.entries[name] = entry{Deps: deps, Value: value}
	c.used[name] = true
	c.dirty = true
	c.mu.Unlock()
}

// Save writes the cache if anything changed, keeping only the entries
// used in this run and the files they depend on, so it does not grow
// without bound. It writes a whole new file and renames it into place.
func (c *Cache) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.used) != len(c.entries) {
		c.dirty = true
	}
	if !c.dirty {
		return nil
	}
	d := disk{key: c.key, files: map[string]fileRec{}, entries: map[string]entry{}}
	for name := range c.used {
		e := c.entries[name]
		d.entries[name] = e
		for _, dep := range e.Deps {
			if rec, ok := c.files[dep.Path]; ok {
				d.files[dep.Path] = rec
			}
		}
	}
	return writeFile(c.path, encode(&d))
}

// writeFile replaces path with data through a temporary file and a
// rename. It does not sync: a cache torn by a crash fails its checksum
// and is rebuilt.
func writeFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Temporary files left by a killed run.
	if old, _ := filepath.Glob(filepath.Join(dir, ".tmp-*")); len(old) > 0 {
		for _, f := range old {
			if st, err := os.Stat(f); err == nil && time.Since(st.ModTime()) > 10*time.Minute {
				os.Remove(f)
			}
		}
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
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
