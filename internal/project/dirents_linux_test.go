//go:build linux

package project

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// direntRecords encodes names as getdents64 does, each record padded by
// pad bytes (rounded up to 8, as the kernel aligns them).
func direntRecords(names []string, pad int) []byte {
	var b []byte
	for i, name := range names {
		n := (direntName + len(name) + 1 + pad + 7) &^ 7
		rec := make([]byte, n)
		binary.NativeEndian.PutUint64(rec, uint64(i+1))
		binary.NativeEndian.PutUint16(rec[direntReclen:], uint16(n))
		rec[direntType] = byte(i % 13)
		copy(rec[direntName:], name)
		b = append(b, rec...)
	}
	return b
}

// TestParseDirents: names come back as encoded, but "." and "..", and a
// record cut short or overrunning the buffer is an error.
func TestParseDirents(t *testing.T) {
	names := []string{".", "..", "a.md", "article-00001.md", ".hidden", "é.md", string(bytes.Repeat([]byte("n"), 255))}
	for pad := range 9 {
		b := direntRecords(names, pad)
		var got []string
		var types []uint8
		err := parseDirents(b, func(name []byte, typ uint8) error {
			got = append(got, string(name))
			types = append(types, typ)
			return nil
		})
		if err != nil {
			t.Fatalf("pad %d: %v", pad, err)
		}
		if want := names[2:]; !slices.Equal(got, want) {
			t.Errorf("pad %d: got %q, want %q", pad, got, want)
		}
		if types[0] != 2 || types[len(types)-1] != 6 {
			t.Errorf("pad %d: types %v, want each record's own", pad, types)
		}
		for cut := 1; cut < len(b); cut += 7 {
			if err := parseDirents(b[:cut], func([]byte, uint8) error { return nil }); err == nil && !isWholeRecords(b, cut) {
				t.Errorf("pad %d: a buffer cut at %d of %d parses", pad, cut, len(b))
			}
		}
	}
	noNUL := direntRecords([]string{"abc"}, 0)
	for i := direntName; i < len(noNUL); i++ {
		noNUL[i] = 'x'
	}
	if err := parseDirents(noNUL, func([]byte, uint8) error { return nil }); err == nil {
		t.Error("a name without its NUL parses")
	}
}

// isWholeRecords reports whether b[:cut] ends at a record's end.
func isWholeRecords(b []byte, cut int) bool {
	for at := 0; at < cut; {
		at += int(binary.NativeEndian.Uint16(b[at+direntReclen:]))
		if at == cut {
			return true
		}
	}
	return false
}

// FuzzParseDirents: no input makes parseDirents panic or read past its
// buffer, and every name it gives is whole: not empty, not "." or "..",
// without a NUL.
func FuzzParseDirents(f *testing.F) {
	f.Add(direntRecords([]string{".", "..", "a.md", "b"}, 0))
	f.Add(direntRecords([]string{"x"}, 5)[:20])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = parseDirents(b, func(name []byte, _ uint8) error {
			if len(name) == 0 || string(name) == "." || string(name) == ".." || bytes.IndexByte(name, 0) >= 0 {
				t.Fatalf("name %q", name)
			}
			return nil
		})
	})
}

// entry is a name and type, as os.ReadDir gives them.
type entry struct {
	name string
	typ  fs.FileMode
}

// TestEachEntryIsReadDir lists a directory larger than the buffer the
// entries are read through, with every kind of entry, and compares the
// names and types with os.ReadDir's.
func TestEachEntryIsReadDir(t *testing.T) {
	dir := t.TempDir()
	for i := range 3000 {
		// Long names: about 360 KB of records, read in a dozen calls.
		name := fmt.Sprintf("%04d-%s.md", i, strings.Repeat("x", 100))
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"sub", ".hidden"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("sub", filepath.Join(dir, "link.md")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o644); err != nil {
		t.Logf("no named pipe in the listing: %v", err)
	}
	var got []entry
	err := eachEntry(dir, func(name []byte, typ fs.FileMode) error {
		got = append(got, entry{string(name), typ})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var want []entry
	for _, e := range des {
		want = append(want, entry{e.Name(), e.Type()})
	}
	byName := func(a, b entry) int { return strings.Compare(a.name, b.name) }
	slices.SortFunc(got, byName)
	if !slices.Equal(got, want) {
		t.Errorf("eachEntry gives %d entries, os.ReadDir %d; first difference at %d", len(got), len(want), firstDiff(got, want))
	}
	stop := errors.New("stop")
	calls := 0
	err = eachEntry(dir, func([]byte, fs.FileMode) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("an error from f: got %v after %d calls, want it at once", err, calls)
	}
	if err := eachEntry(filepath.Join(dir, "missing"), func([]byte, fs.FileMode) error { return nil }); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing directory: %v, want fs.ErrNotExist", err)
	}
}

func firstDiff(a, b []entry) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
