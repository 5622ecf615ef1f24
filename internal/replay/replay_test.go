package replay

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// record makes the record of report under key at path, writing the report
// to a buffer as a run would, and returns what the run wrote.
func record(t *testing.T, path string, key Key, report string, failed bool) string {
	t.Helper()
	var out bytes.Buffer
	r := Record(&out, path, key, Key{}, failed)
	for _, part := range strings.SplitAfter(report, "\n") { // several writes
		if _, err := r.Write([]byte(part)); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Commit(nil); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func replay(path string, key Key) (string, bool, bool, error) {
	var out bytes.Buffer
	failed, ok, err := Replay(&out, path, key)
	return out.String(), failed, ok, err
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache", "report")
	key := NewKey([]byte("a"), []byte("b"))
	for _, tc := range []struct {
		report string
		failed bool
	}{
		{"locale de: 1 error\nx.toml:3:1: error [missing]\n", true},
		{"No findings.\n", false},
		{"", false},
		{strings.Repeat("a long report line\n", 50_000), true},
	} {
		if got := record(t, path, key, tc.report, tc.failed); got != tc.report {
			t.Fatalf("the run wrote %q, want %q", got, tc.report)
		}
		got, failed, ok, err := replay(path, key)
		if err != nil || !ok || got != tc.report || failed != tc.failed {
			t.Errorf("replayed %d bytes, failed %v, ok %v, err %v; want %d bytes, failed %v", len(got), failed, ok, err, len(tc.report), tc.failed)
		}
	}
}

// TestNoUsableRecord: a missing, foreign, damaged or truncated record, or
// one under another key, writes nothing and is not ok.
func TestNoUsableRecord(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report")
	key := NewKey([]byte("k"))
	if got, _, ok, err := replay(path, key); ok || got != "" || err != nil {
		t.Errorf("missing record: ok %v, wrote %q, err %v", ok, got, err)
	}
	record(t, path, key, "the report\n", true)
	good, _ := os.ReadFile(path)
	if _, _, ok, _ := replay(path, NewKey([]byte("other"))); ok {
		t.Error("a record under another key was used")
	}
	// Every single-byte change and every truncation is seen.
	for i := range good {
		bad := bytes.Clone(good)
		bad[i] ^= 0x20
		os.WriteFile(path, bad, 0o644)
		if got, _, ok, _ := replay(path, key); ok || got != "" {
			t.Fatalf("byte %d changed: ok %v, wrote %q", i, ok, got)
		}
	}
	for n := range len(good) {
		os.WriteFile(path, good[:n], 0o644)
		if got, _, ok, _ := replay(path, key); ok || got != "" {
			t.Fatalf("truncated to %d bytes: ok %v, wrote %q", n, ok, got)
		}
	}
	os.Remove(path)
	os.Mkdir(path, 0o755)
	if _, _, ok, _ := replay(path, key); ok {
		t.Error("a directory was used as a record")
	}
}

// TestKeyPartsAreKeptApart: moving a byte from one part to the next makes
// another key.
func TestKeyPartsAreKeptApart(t *testing.T) {
	if NewKey([]byte("ab"), []byte("c")) == NewKey([]byte("a"), []byte("bc")) {
		t.Error("(ab, c) and (a, bc) make the same key")
	}
	if NewKey([]byte("a")) == NewKey([]byte("a"), nil) {
		t.Error("an empty last part is not seen")
	}
}

// TestAbortKeepsTheOldRecord: a report that was not written whole (the
// run failed to write it, or was stopped) leaves the record there was,
// and no temporary file.
func TestAbortKeepsTheOldRecord(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report")
	key := NewKey([]byte("k"))
	record(t, path, key, "old\n", false)
	r := Record(failingWriter{}, path, NewKey([]byte("new")), Key{}, true)
	if _, err := r.Write([]byte("new\n")); err == nil {
		t.Fatal("the writer's error was not returned")
	}
	r.Abort()
	if got, _, ok, _ := replay(path, key); !ok || got != "old\n" {
		t.Errorf("after Abort: ok %v, %q; want the old record", ok, got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files left in the directory, want only the record", len(entries))
	}
	if err := r.Commit(nil); err == nil {
		t.Error("Commit after Abort succeeded")
	}
}

// TestReplayWriteError: a failure to write the replayed report is
// returned.
func TestReplayWriteError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report")
	key := NewKey([]byte("k"))
	record(t, path, key, "report\n", false)
	if _, ok, err := Replay(failingWriter{}, path, key); err == nil {
		t.Errorf("no error (ok %v)", ok)
	}
}

// TestUnwritableDirectory: a record that cannot be kept fails Commit, not
// the report.
func TestUnwritableDirectory(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o644)
	var out bytes.Buffer
	r := Record(&out, filepath.Join(blocker, "report"), NewKey(), Key{}, false)
	if _, err := r.Write([]byte("report\n")); err != nil {
		t.Fatal(err)
	}
	if out.String() != "report\n" {
		t.Errorf("the report was not written: %q", out.String())
	}
	if err := r.Commit(nil); err == nil {
		t.Error("Commit succeeded with nowhere to keep the record")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// FuzzReplay: any bytes where a record belongs give a report only if they
// are exactly the record Record makes of that report.
func FuzzReplay(f *testing.F) {
	dir := f.TempDir()
	key := NewKey([]byte("fuzz"))
	seed := filepath.Join(dir, "seed")
	var out bytes.Buffer
	r := Record(&out, seed, key, NewKey([]byte("family")), true)
	r.Write([]byte("a report\n"))
	if err := r.Commit([]byte("an index")); err != nil {
		f.Fatal(err)
	}
	good, _ := os.ReadFile(seed)
	f.Add(good)
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "record")
		os.WriteFile(path, b, 0o644)
		got, failed, ok, err := replay(path, key)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			if got != "" {
				t.Fatalf("no record, yet %q was written", got)
			}
			return
		}
		k, ok := Open(path, key, Key{})
		if !ok || !k.Whole || k.Failed != failed {
			t.Fatalf("Replay took what Open does not: ok %v", ok)
		}
		defer k.Close()
		again := filepath.Join(t.TempDir(), "again")
		var out bytes.Buffer
		r := Record(&out, again, key, Key(b[len(magic)+len(Key{}):]), failed)
		r.Write([]byte(got))
		// A whole record keeps no index: take it from the bytes.
		if k.Index != nil {
			t.Fatal("a whole record kept its index")
		}
		indexSize := binary.BigEndian.Uint64(b[len(b)-trailerSize:])
		index := b[len(b)-trailerSize-int(indexSize) : len(b)-trailerSize]
		if err := r.Commit(index); err != nil {
			t.Fatal(err)
		}
		if made, _ := os.ReadFile(again); !bytes.Equal(made, b) {
			t.Fatalf("accepted bytes that Record would not make:\n%q\n%q", b, made)
		}
	})
}

// TestOpenByFamily: a record is opened for its parts under its family
// (not whole), with its index; a zero family, another family or a damaged
// index is no record.
func TestOpenByFamily(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report")
	key, family := NewKey([]byte("k")), NewKey([]byte("f"))
	var out bytes.Buffer
	r := Record(&out, path, key, family, true)
	r.Write([]byte("part one\npart two\n"))
	// Part of the index written as it is made, the rest with Commit.
	io.WriteString(r.IndexWriter(), "index ")
	if err := r.Commit([]byte("bytes")); err != nil {
		t.Fatal(err)
	}
	if out.String() != "part one\npart two\n" {
		t.Errorf("the report's writer got %q", out.String())
	}
	k, ok := Open(path, NewKey([]byte("other")), family)
	if !ok {
		t.Fatal("not opened by its family")
	}
	part := make([]byte, 8)
	if _, err := k.Report.ReadAt(part, 9); err != nil || string(part) != "part two" || string(k.Index) != "index bytes" || k.Whole || !k.Failed {
		t.Errorf("part %q (%v), index %q, whole %v, failed %v", part, err, k.Index, k.Whole, k.Failed)
	}
	k.Close()
	if k, ok := Open(path, key, NewKey([]byte("other"))); !ok || !k.Whole || k.Report.Size() != 18 {
		t.Error("not opened whole by its key")
	} else {
		k.Close()
	}
	for _, fam := range []Key{{}, NewKey([]byte("other"))} {
		if _, ok := Open(path, NewKey([]byte("other")), fam); ok {
			t.Errorf("opened under family %x", fam[:4])
		}
	}
	b, _ := os.ReadFile(path)
	for _, at := range []int{len(b) - 20, len(b) - 10, len(b) - 5} { // index, its size, checksum
		damaged := bytes.Clone(b)
		damaged[at] ^= 1
		os.WriteFile(path, damaged, 0o644)
		if _, ok := Open(path, key, family); ok {
			t.Errorf("a record damaged at %d of %d was opened", at, len(b))
		}
	}
}

// TestLeftoversAreRemoved: a copy left by a run killed long ago is removed
// when the next record is made; a recent one (maybe another run's) stays.
func TestLeftoversAreRemoved(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report")
	old, recent := filepath.Join(dir, ".report.tmp-111"), filepath.Join(dir, ".report.tmp-222")
	os.WriteFile(old, []byte("x"), 0o600)
	os.WriteFile(recent, []byte("x"), 0o600)
	long := time.Now().Add(-time.Hour)
	os.Chtimes(old, long, long)
	record(t, path, NewKey(), "report\n", false)
	if _, err := os.Stat(old); err == nil {
		t.Error("the old leftover is still there")
	}
	if _, err := os.Stat(recent); err != nil {
		t.Error("the recent copy was removed")
	}
}
