package cache

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// trustStats makes every recorded stat trustworthy, as for files last
// changed long ago, so that tests reach the path that skips reading.
func trustStats(t *testing.T) {
	old := RacyWindow
	RacyWindow = -time.Hour
	t.Cleanup(func() { RacyWindow = old })
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// put stores value under name as computed from the files at paths.
func put(t *testing.T, c *Cache, name, value string, paths ...string) {
	t.Helper()
	var in []Input
	for _, p := range paths {
		info, err := os.Lstat(p)
		if os.IsNotExist(err) {
			in = append(in, Input{Path: p})
			continue
		}
		data, _ := os.ReadFile(p)
		in = append(in, Input{Path: p, Info: info, Data: data})
	}
	c.Put(name, in, []byte(value))
}

func TestRoundTripAndInvalidation(t *testing.T) {
	trustStats(t)
	dir := t.TempDir()
	a, b, gone := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "gone")
	write(t, a, "alpha")
	write(t, b, "beta")
	cpath := filepath.Join(dir, "cache", "check")
	c := Open(cpath, []byte("k1"))
	put(t, c, "u", "value-u", a, b, gone)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}

	c = Open(cpath, []byte("k1"))
	if c.Problem != "" {
		t.Fatalf("Problem = %q", c.Problem)
	}
	if v, ok := c.Get("u"); !ok || string(v) != "value-u" {
		t.Fatalf("Get = %q, %v; want value-u, true", v, ok)
	}
	if c.hashed != 0 {
		t.Errorf("unchanged files were read %d times; the recorded stat should have been used", c.hashed)
	}
	if _, ok := Open(cpath, []byte("k2")).Get("u"); ok {
		t.Error("a cache made under another key was used")
	}

	// Same size, same modification time: only the change time and the
	// content differ. The cache must see it.
	st, _ := os.Stat(a)
	write(t, a, "ALPHA")
	os.Chtimes(a, st.ModTime(), st.ModTime())
	if _, ok := Open(cpath, []byte("k1")).Get("u"); ok {
		t.Error("an edit that kept size and mtime was not noticed")
	}
	write(t, a, "alpha") // back to the recorded content: valid again
	if _, ok := Open(cpath, []byte("k1")).Get("u"); !ok {
		t.Error("restored content was not recognised by its hash")
	}
	write(t, gone, "now here")
	if _, ok := Open(cpath, []byte("k1")).Get("u"); ok {
		t.Error("a file that appeared was not noticed")
	}
	os.Remove(gone)
	os.Remove(b)
	if _, ok := Open(cpath, []byte("k1")).Get("u"); ok {
		t.Error("a file that disappeared was not noticed")
	}
	write(t, b, "beta")
	if err := os.Symlink(b, gone); err != nil {
		t.Fatal(err)
	}
	if _, ok := Open(cpath, []byte("k1")).Get("u"); ok {
		t.Error("a symbolic link where no file was is not noticed")
	}
}

func TestRacyFilesAreRead(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	write(t, a, "alpha")
	cpath := filepath.Join(dir, "c")
	c := Open(cpath, []byte("k"))
	put(t, c, "u", "v", a)
	c.Save()
	c = Open(cpath, []byte("k"))
	if _, ok := c.Get("u"); !ok {
		t.Fatal("miss")
	}
	if c.hashed != 1 {
		t.Errorf("a file changed just now was hashed %d times, want 1 (its stat cannot be trusted)", c.hashed)
	}
}

// TestRacyRecordsSettle: a file read again because its record was racy is
// recorded anew, so that once it is old enough the next run trusts it.
func TestRacyRecordsSettle(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	write(t, a, "alpha")
	cpath := filepath.Join(dir, "c")
	c := Open(cpath, []byte("k"))
	put(t, c, "u", "v", a)
	c.Save()
	for run, want := range []int{1, 0} {
		c = Open(cpath, []byte("k"))
		c.now = c.now.Add(time.Duration(run+1) * 10 * time.Second) // runs later
		if _, ok := c.Get("u"); !ok {
			t.Fatal("miss")
		}
		if c.hashed != want {
			t.Errorf("run %d: hashed %d files, want %d", run, c.hashed, want)
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDamagedCacheIsIgnored(t *testing.T) {
	trustStats(t)
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	write(t, a, "alpha")
	cpath := filepath.Join(dir, "c")
	c := Open(cpath, []byte("k"))
	put(t, c, "u", "value", a)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(cpath)
	damage := map[string][]byte{
		"empty":     {},
		"truncated": good[:len(good)/2],
		"flipped":   append(append([]byte{}, good[:len(good)/2]...), append([]byte{good[len(good)/2] ^ 0xff}, good[len(good)/2+1:]...)...),
		"foreign":   []byte("[title]\nother = \"x\"\n"),
		"extended":  append(append([]byte{}, good...), 'x'),
	}
	// Another version's file is rebuilt without a word.
	os.WriteFile(cpath, []byte("healthi18n-cache-v1\nold gob"), 0o644)
	if c := Open(cpath, []byte("k")); c.Problem != "" {
		t.Errorf("another version's cache reported: %q", c.Problem)
	}
	for name, data := range damage {
		t.Run(name, func(t *testing.T) {
			os.WriteFile(cpath, data, 0o644)
			c := Open(cpath, []byte("k"))
			if len(data) > 0 && c.Problem == "" {
				t.Error("damage not reported")
			}
			if _, ok := c.Get("u"); ok {
				t.Error("a damaged cache returned a value")
			}
			put(t, c, "u", "value", a)
			if err := c.Save(); err != nil {
				t.Fatal(err)
			}
			c = Open(cpath, []byte("k"))
			if v, ok := c.Get("u"); c.Problem != "" || !ok || string(v) != "value" {
				t.Errorf("rebuilt cache: Problem %q, Get = %q, %v", c.Problem, v, ok)
			}
		})
	}
}

func TestSaveKeepsOnlyUsedEntries(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	write(t, a, "alpha")
	cpath := filepath.Join(dir, "c")
	c := Open(cpath, []byte("k"))
	put(t, c, "old", "1", a)
	put(t, c, "kept", "2", a)
	c.Save()
	c = Open(cpath, []byte("k"))
	c.Get("kept")
	c.Save()
	c = Open(cpath, []byte("k"))
	if _, ok := c.Get("old"); ok {
		t.Error("an entry no run used was kept")
	}
	if _, ok := c.Get("kept"); !ok {
		t.Error("a used entry was dropped")
	}
}

func TestKey(t *testing.T) {
	type cfg struct{ Safety string }
	a := Key([]byte("prog"), cfg{"strict"}, []string{"de"})
	if !bytes.Equal(a, Key([]byte("prog"), cfg{"strict"}, []string{"de"})) {
		t.Error("the same inputs gave different keys")
	}
	for name, other := range map[string][]byte{
		"program": Key([]byte("prog2"), cfg{"strict"}, []string{"de"}),
		"config":  Key([]byte("prog"), cfg{"fallback"}, []string{"de"}),
		"options": Key([]byte("prog"), cfg{"strict"}, []string{"fr"}),
		// Length prefixes keep parts from running into each other.
		"boundary": Key([]byte("prog{"), cfg{"strict"}, []string{"de"}),
	} {
		if bytes.Equal(a, other) {
			t.Errorf("another %s gave the same key", name)
		}
	}
	ch := make(chan int)
	if bytes.Equal(Key(nil, ch, nil), Key(nil, ch, nil)) {
		t.Error("an unencodable configuration gave a reusable key")
	}
}
