package cache

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
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

// fixture is a new cache at cpath, in a temporary directory that holds
// the file a ("alpha"); stats are trusted.
func fixture(t *testing.T) (c *Cache, cpath, a string) {
	t.Helper()
	trustStats(t)
	dir := t.TempDir()
	cpath, a = filepath.Join(dir, "c"), filepath.Join(dir, "a")
	write(t, a, "alpha")
	return Open(cpath, []byte("k")), cpath, a
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
	// The mode is part of what a value depends on.
	os.Chmod(a, 0o600)
	if _, ok := Open(cpath, []byte("k1")).Get("u"); ok {
		t.Error("a change of mode was not noticed")
	}
	os.Chmod(a, 0o644)
	if _, ok := Open(cpath, []byte("k1")).Get("u"); !ok {
		t.Error("the restored mode was not recognised")
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

// TestRacyRecordsSettle: a file read again because its record was racy is
// recorded anew, so that once it is old enough the next run trusts it.
func TestRacyRecordsSettle(t *testing.T) {
	cpath := savedJustNow(t)
	for run, want := range []int{1, 0} {
		c := Open(cpath, []byte("k"))
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
	c, cpath, a := fixture(t)
	put(t, c, "u", "value", a)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	shard := shardFile(cpath, shardOf("u"))
	good, err := os.ReadFile(shard)
	if err != nil {
		t.Fatal(err)
	}
	damage := map[string][]byte{
		"empty":     {},
		"truncated": good[:len(good)/2],
		// In the table (a flipped record is TestDamagedRecordIsAMiss).
		"flipped":   flip(good, len(good)-footer-1),
		"key":       flip(good, header-1),
		"cut short": good[:len(magic)-1],
		"no table":  good[:header+2],
		"foreign":   []byte("[title]\nother = \"x\"\n"),
		"extended":  append(append([]byte{}, good...), 'x'),
	}
	// Another version's file is rebuilt without a word.
	os.WriteFile(shard, []byte("healthi18n-cache-v1\nold gob"), 0o644)
	if c := Open(cpath, []byte("k")); c.Problem != "" {
		t.Errorf("another version's cache reported: %q", c.Problem)
	}
	for name, data := range damage {
		t.Run(name, func(t *testing.T) {
			os.WriteFile(shard, data, 0o644)
			c := Open(cpath, []byte("k"))
			if len(data) > 0 && !strings.Contains(c.Problem, fmt.Sprintf("%02x: ", shardOf("u"))) {
				t.Errorf("damage not reported with its shard: Problem %q", c.Problem)
			}
			if _, ok := c.Get("u"); ok {
				t.Error("a damaged cache returned a value")
			}
			rebuilds(t, c, cpath, a)
		})
	}
}

// flip is data with the byte at i changed.
func flip(data []byte, i int) []byte {
	data = bytes.Clone(data)
	data[i] ^= 0xff
	return data
}

// rebuilds puts "u" (from the file a) into c, saves it, and requires the
// cache at cpath to read it back without a problem.
func rebuilds(t *testing.T, c *Cache, cpath, a string) {
	t.Helper()
	put(t, c, "u", "value", a)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c = Open(cpath, []byte("k"))
	if v, ok := c.Get("u"); c.Problem != "" || !ok || string(v) != "value" {
		t.Errorf("rebuilt cache: Problem %q, Get = %q, %v", c.Problem, v, ok)
	}
}

// TestOneFileCache: where the shards' directory should be there is a
// file, as an older version left it (replaced quietly) or something else
// (replaced, with a word).
func TestOneFileCache(t *testing.T) {
	trustStats(t)
	for name, data := range map[string]string{
		"older version": "healthi18n-cache-v1\nold gob",
		"foreign":       "[title]\nother = \"x\"\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			a, cpath := filepath.Join(dir, "a"), filepath.Join(dir, "c")
			write(t, a, "alpha")
			write(t, cpath, data)
			c := Open(cpath, []byte("k"))
			if quiet := name == "older version"; quiet != (c.Problem == "") {
				t.Errorf("Problem = %q", c.Problem)
			}
			rebuilds(t, c, cpath, a)
		})
	}
}

// TestSaveRewritesOnlyChangedShards: after one entry is put again and one
// dependency changes, only their shards are written; a shard file copied
// under another shard's name is cleaned; every value still reads back.
func TestSaveRewritesOnlyChangedShards(t *testing.T) {
	trustStats(t)
	dir := t.TempDir()
	cpath := filepath.Join(dir, "c")
	c := Open(cpath, []byte("k"))
	var names []string
	for i := range 300 {
		f := filepath.Join(dir, fmt.Sprint("f", i))
		write(t, f, fmt.Sprint("content ", i))
		name := fmt.Sprint("entry-", i)
		names = append(names, name)
		put(t, c, name, "v"+name, f)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	inodes := func() map[string]uint64 {
		m := map[string]uint64{}
		ents, _ := os.ReadDir(cpath)
		for _, e := range ents {
			info, _ := e.Info()
			m[e.Name()] = statOf(info).Ino
		}
		return m
	}
	before := inodes()
	if len(before) != shards {
		t.Fatalf("%d shard files for 300 entries, want %d", len(before), shards)
	}

	c = Open(cpath, []byte("k"))
	for _, n := range names {
		if _, ok := c.Get(n); !ok {
			t.Fatalf("%s: miss", n)
		}
	}
	put(t, c, "entry-7", "new value", filepath.Join(dir, "f7"))
	write(t, filepath.Join(dir, "f200"), "changed")
	if _, ok := c.Get("entry-200"); ok {
		t.Fatal("a changed dependency still hit")
	}
	put(t, c, "entry-200", "v200 again", filepath.Join(dir, "f200"))
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	after := inodes()
	want := map[string]bool{filepath.Base(shardFile(cpath, shardOf("entry-7"))): true, filepath.Base(shardFile(cpath, shardOf("entry-200"))): true}
	for f, ino := range after {
		if rewritten := ino != before[f]; rewritten != want[f] {
			t.Errorf("shard %s: rewritten %v, want %v", f, rewritten, want[f])
		}
	}

	// A shard copied by hand over another: its entries are not in their
	// shard, and that file is written again without them.
	toShard := (shardOf("entry-1") + 1) % shards
	from, to := shardFile(cpath, shardOf("entry-1")), shardFile(cpath, toShard)
	data, _ := os.ReadFile(from)
	write(t, to, string(data))
	c = Open(cpath, []byte("k"))
	for _, n := range names {
		c.Get(n)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(to)
	if bytes.Equal(got, data) {
		t.Error("a shard holding another shard's entries was kept")
	}
	c = Open(cpath, []byte("k"))
	for _, n := range names {
		if _, ok := c.Get(n); !ok && shardOf(n) != toShard { // those were overwritten
			t.Errorf("%s: miss after the clean-up", n)
		}
	}
}

// TestSaveTwice: a second Save writes nothing that has not changed since
// the first, and works where the first replaced an older one-file cache.
func TestSaveTwice(t *testing.T) {
	trustStats(t)
	dir := t.TempDir()
	a, cpath := filepath.Join(dir, "a"), filepath.Join(dir, "c")
	write(t, a, "alpha")
	write(t, cpath, "healthi18n-cache-v1\nold gob")
	c := Open(cpath, []byte("k"))
	put(t, c, "u", "value", a)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	shard := shardFile(cpath, shardOf("u"))
	before, _ := os.Stat(shard)
	if err := c.Save(); err != nil {
		t.Fatalf("second Save: %v", err)
	}
	if after, _ := os.Stat(shard); !os.SameFile(before, after) {
		t.Error("a second Save with nothing new rewrote the shard")
	}
	put(t, c, "w", "more", a)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c = Open(cpath, []byte("k"))
	for _, name := range []string{"u", "w"} {
		if _, ok := c.Get(name); !ok {
			t.Errorf("%s: miss after two saves", name)
		}
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

// TestSaveWithAnUnwritableShard: a shard that cannot be replaced (here a
// directory stands where its file goes) makes Save fail, while every other
// shard is written and reads back; the blocked shard's entries are misses.
func TestSaveWithAnUnwritableShard(t *testing.T) {
	trustStats(t)
	dir := t.TempDir()
	cpath := filepath.Join(dir, "c")
	a := filepath.Join(dir, "a")
	write(t, a, "alpha")
	blocked := shardOf("entry-0")
	if err := os.MkdirAll(filepath.Join(shardFile(cpath, blocked), "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	c := Open(cpath, []byte("k"))
	for i := range 200 {
		put(t, c, fmt.Sprint("entry-", i), "v", a)
	}
	if err := c.Save(); err == nil {
		t.Fatal("Save reported no error for a shard it could not write")
	}
	c = Open(cpath, []byte("k"))
	if !strings.Contains(c.Problem, fmt.Sprintf("%02x", blocked)) {
		t.Errorf("Problem %q does not name the blocked shard %02x", c.Problem, blocked)
	}
	for i := range 200 {
		name := fmt.Sprint("entry-", i)
		if _, ok := c.Get(name); ok != (shardOf(name) != blocked) {
			t.Errorf("%s (shard %02x): hit %v", name, shardOf(name), ok)
		}
	}
}

// TestSaveDropsADamagedRecord: a record damaged in its file after it was
// looked up (its CRC no longer matches) is not copied into the shard Save
// writes; the other entries of that shard are.
func TestSaveDropsADamagedRecord(t *testing.T) {
	c, cpath, a := fixture(t)
	var same []string // entries of one shard
	for i := 0; len(same) < 3; i++ {
		if name := fmt.Sprint("entry-", i); shardOf(name) == shardOf("entry-0") {
			same = append(same, name)
			put(t, c, name, "value of "+name, a)
		}
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c = Open(cpath, []byte("k"))
	defer c.Close()
	for _, name := range same {
		if _, ok := c.Get(name); !ok {
			t.Fatalf("%s: miss", name)
		}
	}
	put(t, c, "entry-new", "v", a) // makes its shard stale
	s := c.entries[same[1]]
	f, err := os.OpenFile(shardFile(cpath, shardOf(same[1])), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte{0xff}, s.off+int64(s.n)-1) // in place: the open file sees it
	f.Close()
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c = Open(cpath, []byte("k"))
	defer c.Close()
	if c.Problem != "" {
		t.Errorf("Problem %q after the shard was written again", c.Problem)
	}
	for _, name := range same {
		if _, ok := c.Get(name); ok != (name != same[1]) {
			t.Errorf("%s: hit %v", name, ok)
		}
	}
}

// TestDamagedRecordIsAMiss: a record whose bytes changed in the file
// behind a whole table is a miss, and the next Save writes its shard
// again, after which the other entries still hit.
func TestDamagedRecordIsAMiss(t *testing.T) {
	c, cpath, a := fixture(t)
	put(t, c, "u", "value", a)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	shard := shardFile(cpath, shardOf("u"))
	data, _ := os.ReadFile(shard)
	data[header+2] ^= 0x01 // inside the record
	os.WriteFile(shard, data, 0o644)
	c = Open(cpath, []byte("k"))
	if c.Problem != "" {
		t.Errorf("Problem %q: the table is whole", c.Problem)
	}
	if _, ok := c.Get("u"); ok {
		t.Fatal("a damaged record was used")
	}
	if !c.stale[shardOf("u")] {
		t.Error("the damaged record's shard is not marked to be written again")
	}
	rebuilds(t, c, cpath, a)
}

// TestPendingSpills: records put past spillAt bytes go to a file, and read
// back from it, in this run and after Save.
func TestPendingSpills(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	c, cpath, a := fixture(t)
	value := func(i int) string { return strings.Repeat(fmt.Sprint(i, ";"), 20_000) }
	n := 0
	for ; n < 300; n++ {
		put(t, c, fmt.Sprint("u", n), value(n), a)
	}
	if size := c.pending.log.Size(); size < 2*spillAt {
		t.Fatalf("%d records put make only %d bytes: they are not spilled", n, size)
	}
	// A first run spills to the system's temporary directory: until it
	// saves, there is no cache directory (a run that ends on bad input
	// leaves none).
	if _, err := os.Stat(cpath); err == nil {
		t.Error("spilling made the cache directory before Save")
	}
	check := func(c *Cache) {
		t.Helper()
		for i := range n {
			if v, ok := c.Get(fmt.Sprint("u", i)); !ok || string(v) != value(i) {
				t.Fatalf("u%d: %d bytes, hit %v", i, len(v), ok)
			}
		}
	}
	check(c)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	check(c)
	left, _ := filepath.Glob(filepath.Join(cpath, ".tmp-*"))
	if len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	c.Close()
	check(Open(cpath, []byte("k")))
}

// TestReadFile: the stat comes from the very file read; a symbolic link is
// not followed.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	a, link := filepath.Join(dir, "a"), filepath.Join(dir, "link")
	write(t, a, "alpha")
	info, data, err := ReadFile(a)
	if lst, _ := os.Lstat(a); err != nil || string(data) != "alpha" || !os.SameFile(info, lst) {
		t.Errorf("ReadFile(a) = %v, %q, %v", info, data, err)
	}
	for _, n := range []int{0, 1, 4096, 100_000} {
		big := filepath.Join(dir, fmt.Sprint("big", n))
		want := strings.Repeat("x", n)
		write(t, big, want)
		if _, got, err := ReadFile(big); err != nil || string(got) != want {
			t.Errorf("ReadFile of %d bytes: %d bytes, %v", n, len(got), err)
		}
	}
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadFile(link); err == nil {
		t.Error("ReadFile followed a symbolic link")
	}
	if _, _, err := ReadFile(dir); err == nil {
		t.Error("ReadFile read a directory")
	}
}

// TestRacyNowIsNotRenewed: a file changed just before the run cannot be
// trusted by its stat, so it is read and hashed; but its record is not
// saved again, since it would still be racy next run: the shard stays as
// it was.
func TestRacyNowIsNotRenewed(t *testing.T) {
	cpath := savedJustNow(t)
	before, _ := os.Stat(shardFile(cpath, shardOf("u")))
	c := Open(cpath, []byte("k"))
	if _, ok := c.Get("u"); !ok {
		t.Fatal("miss")
	}
	if c.hashed != 1 {
		t.Errorf("a file changed just now was hashed %d times, want 1 (its stat cannot be trusted)", c.hashed)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.Stat(shardFile(cpath, shardOf("u"))); !os.SameFile(before, after) {
		t.Error("a record still racy was saved again")
	}
}

// savedJustNow saves, in a new cache, the value "v" under "u" computed from
// a file written just now, and returns the cache's path.
func savedJustNow(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	a, cpath := filepath.Join(dir, "a"), filepath.Join(dir, "c")
	write(t, a, "alpha")
	c := Open(cpath, []byte("k"))
	put(t, c, "u", "v", a)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	return cpath
}

// TestLookupGivesTheValueSum: the SHA-256 Lookup gives with a value is the
// value's, in the run that put it and after a save and a reopen, for
// values of every shard, the empty value included.
func TestLookupGivesTheValueSum(t *testing.T) {
	trustStats(t)
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	write(t, a, "alpha")
	cpath := filepath.Join(dir, "cache")
	values := map[string]string{"empty": ""}
	for i := range 200 {
		values[fmt.Sprintf("unit-%d", i)] = strings.Repeat(fmt.Sprintf("value %d; ", i), i)
	}
	c := Open(cpath, []byte("k"))
	for name, v := range values {
		put(t, c, name, v, a)
	}
	lookAll := func(when string, c *Cache) {
		t.Helper()
		for name, want := range values {
			v, sum, ok := c.Lookup(name)
			if !ok || string(v) != want || sum != sha256.Sum256([]byte(want)) {
				t.Fatalf("%s: Lookup(%q) = %q, %x, %v; want the value and its SHA-256", when, name, v, sum, ok)
			}
		}
	}
	lookAll("as put", c)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	lookAll("reopened", Open(cpath, []byte("k")))
}

// TestLongFileIsHashedWhole: a file is hashed to its end, through however
// many buffers it takes: a change to its last byte (size and modification
// time kept) is seen, and its restored content recognised.
func TestLongFileIsHashedWhole(t *testing.T) {
	trustStats(t)
	dir := t.TempDir()
	long := filepath.Join(dir, "long")
	text := strings.Repeat("a dose line\n", 30_000) // several buffers
	write(t, long, text)
	cpath := filepath.Join(dir, "cache")
	c := Open(cpath, []byte("k"))
	put(t, c, "u", "v", long)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(long)
	write(t, long, text[:len(text)-1]+"!")
	os.Chtimes(long, st.ModTime(), st.ModTime())
	if _, ok := Open(cpath, []byte("k")).Get("u"); ok {
		t.Error("a change to the last byte was not noticed")
	}
	write(t, long, text)
	c = Open(cpath, []byte("k"))
	if _, ok := c.Get("u"); !ok || c.hashed != 1 {
		t.Errorf("restored content: hit %v after hashing %d files; want a hit after hashing 1", ok, c.hashed)
	}
}

// TestReread: Reread gives again the value of an entry looked up or put
// in this run, before and after Save, and nothing for an entry the run did
// not use or once the cache is closed.
func TestReread(t *testing.T) {
	c, cpath, a := fixture(t)
	for _, name := range []string{"looked up", "put", "unused"} {
		put(t, c, name, "value of "+name, a)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c = Open(cpath, []byte("k"))
	reread := func(name string) (string, bool) {
		var got string
		ok := c.Reread(name, func(v []byte, sum Sum) {
			if sum != sha256.Sum256(v) {
				t.Errorf("%s: sum %x is not the value's", name, sum)
			}
			got = string(v)
		})
		return got, ok
	}
	if _, ok := reread("looked up"); ok {
		t.Error("Reread gave an entry not looked up in this run")
	}
	if !c.Peek("looked up", func([]byte, Sum) {}) {
		t.Fatal("miss")
	}
	put(t, c, "put", "new value", a)
	for round, when := range []string{"before Save", "after Save"} {
		for name, want := range map[string]string{"looked up": "value of looked up", "put": "new value"} {
			if got, ok := reread(name); !ok || got != want {
				t.Errorf("%s: Reread(%q) = %q, %v; want %q", when, name, got, ok, want)
			}
		}
		if _, ok := reread("unused"); ok {
			t.Errorf("%s: Reread gave an entry the run did not use", when)
		}
		if round == 0 {
			if err := c.Save(); err != nil {
				t.Fatal(err)
			}
		}
	}
	c.Close()
	if _, ok := reread("put"); ok {
		t.Error("Reread gave a value after Close")
	}
}

// TestScratch: a scratch cache gives back what was put with Reread, past
// its move to a file too, but finds nothing with Peek, reads no input, and
// Save writes nothing anywhere.
func TestScratch(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	write(t, a, "alpha")
	c := Scratch()
	defer c.Close()
	value := func(i int) string { return strings.Repeat(fmt.Sprint(i, ";"), 20_000) }
	for i := range 300 {
		put(t, c, fmt.Sprint("u", i), value(i), a)
	}
	if c.Peek("u1", func([]byte, Sum) {}) {
		t.Error("a scratch cache found an entry")
	}
	for i := range 300 {
		var got string
		if !c.Reread(fmt.Sprint("u", i), func(v []byte, _ Sum) { got = string(v) }) || got != value(i) {
			t.Fatalf("u%d: Reread gave %d bytes", i, len(got))
		}
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{tmp, dir} {
		if left, _ := os.ReadDir(d); len(left) > 1 || (len(left) == 1 && left[0].Name() != "a") {
			t.Errorf("%s holds %v", d, left)
		}
	}
	if c.hashed != 0 {
		t.Errorf("a scratch cache hashed %d files", c.hashed)
	}
}

// TestOpenReadsOnlyTables: opening a cache of thousands of large values
// reads their shards' tables, not the values: the heap grows by a small
// part of what the files hold. (A cache read whole held tens of megabytes
// at 10,000 articles.)
func TestOpenReadsOnlyTables(t *testing.T) {
	c, cpath, a := fixture(t)
	big := strings.Repeat("finding ", 2000) // 16 KB
	const n = 2000                          // 32 MB in all
	for i := range n {
		put(t, c, fmt.Sprint("unit-", i), big, a)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c = Open(cpath, []byte("k"))
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 2<<20 {
		t.Errorf("opening a cache of %d MB holds %d KB", n*len(big)>>20, grew>>10)
	}
	defer c.Close()
	if !c.Peek("unit-7", func(v []byte, _ Sum) {
		if string(v) != big {
			t.Error("wrong value")
		}
	}) {
		t.Error("miss")
	}
}
