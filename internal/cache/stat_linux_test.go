//go:build linux

package cache

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestLstatIsOsLstat: the cache's lstat gives the mode os.Lstat gives and
// the stat statOf reads from it, for every kind of file there is here,
// and fails where os.Lstat fails (a NUL byte is never cut short into
// another path).
func TestLstatIsOsLstat(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	write := func(name string, perm fs.FileMode) {
		t.Helper()
		if err := os.WriteFile(at(name), []byte(name), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(at(name), perm); err != nil {
			t.Fatal(err)
		}
	}
	write("plain", 0o644)
	write("exec", 0o755)
	write("setuid", 0o755|fs.ModeSetuid)
	write("setgid-sticky", 0o640|fs.ModeSetgid|fs.ModeSticky)
	if err := os.Mkdir(at("dir"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(at("dir"), 0o777|fs.ModeSticky); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"link": "plain", "dangling": "nowhere"} {
		if err := os.Symlink(target, at(name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(at("fifo"), 0o600); err != nil {
		t.Fatal(err)
	}
	if l, err := net.Listen("unix", at("socket")); err == nil {
		defer l.Close()
	} else {
		t.Logf("no socket: %v", err)
	}

	paths := []string{at("plain"), at("exec"), at("setuid"), at("setgid-sticky"), at("dir"),
		at("link"), at("dangling"), at("fifo"), at("socket"), "/dev/null", "/dev/loop0",
		at("absent"), at("plain/under-a-file"), at("plain\x00exec"), ""}
	for _, p := range paths {
		info, wantErr := os.Lstat(p)
		st, mode, err := lstat(p)
		if (err != nil) != (wantErr != nil) || errors.Is(err, fs.ErrNotExist) != errors.Is(wantErr, fs.ErrNotExist) {
			t.Errorf("lstat(%q): error %v, os.Lstat: %v", p, err, wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if mode != info.Mode() {
			t.Errorf("lstat(%q): mode %v, os.Lstat: %v", p, mode, info.Mode())
		}
		if want := statOf(info); st != want {
			t.Errorf("lstat(%q): stat %+v, statOf(os.Lstat): %+v", p, st, want)
		}
	}
	// lstatz, given the path and a NUL, is lstat.
	for _, p := range paths {
		want, wantMode, wantErr := lstat(p)
		st, mode, err := lstatz(append([]byte(p), 0))
		if (err != nil) != (wantErr != nil) || errors.Is(err, fs.ErrNotExist) != errors.Is(wantErr, fs.ErrNotExist) || st != want || mode != wantMode {
			t.Errorf("lstatz(%q): %+v %v %v; lstat: %+v %v %v", p, st, mode, err, want, wantMode, wantErr)
		}
	}
	for _, bad := range []string{"", at("plain"), at("plain") + "\x00\x00"} {
		if _, _, err := lstatz([]byte(bad)); err == nil {
			t.Errorf("lstatz(%q) took a path not ended by its only NUL", bad)
		}
	}
}

// TestModeOf: every file type and special bit an st_mode can carry turns
// into the fs.FileMode os gives for it, one bit at a time.
func TestModeOf(t *testing.T) {
	types := map[uint32]fs.FileMode{
		syscall.S_IFREG: 0, syscall.S_IFDIR: fs.ModeDir, syscall.S_IFLNK: fs.ModeSymlink,
		syscall.S_IFIFO: fs.ModeNamedPipe, syscall.S_IFSOCK: fs.ModeSocket,
		syscall.S_IFBLK: fs.ModeDevice, syscall.S_IFCHR: fs.ModeDevice | fs.ModeCharDevice,
	}
	specials := map[uint32]fs.FileMode{
		syscall.S_ISUID: fs.ModeSetuid, syscall.S_ISGID: fs.ModeSetgid, syscall.S_ISVTX: fs.ModeSticky,
	}
	for typ, want := range types {
		for perm := uint32(0); perm <= 0o777; perm++ {
			for bits := uint32(0); bits < 8; bits++ {
				m, w := typ|perm, want|fs.FileMode(perm)
				for i, special := range []uint32{syscall.S_ISUID, syscall.S_ISGID, syscall.S_ISVTX} {
					if bits&(1<<i) != 0 {
						m |= special
						w |= specials[special]
					}
				}
				if got := modeOf(m); got != w {
					t.Fatalf("modeOf(%#o) = %v, want %v", m, got, w)
				}
			}
		}
	}
}

// BenchmarkLstat measures one stat of a file the kernel has cached, as a
// warm run makes one per input (120,000 at 10,000 articles × 10 locales):
// a lower bound of a warm check that no cache layout can remove.
//
//	go test ./internal/cache -run '^$' -bench Lstat
func BenchmarkLstat(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "locales", "fr")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	paths := make([]string, 1000)
	for i := range paths {
		paths[i] = filepath.Join(dir, fmt.Sprintf("article-%05d.fr.toml", i))
		if err := os.WriteFile(paths[i], []byte("x"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	pathz := make([][]byte, len(paths))
	for i, p := range paths {
		pathz[i] = append([]byte(p), 0)
	}
	i := 0
	for b.Loop() {
		if _, _, err := lstatz(pathz[i%len(paths)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
