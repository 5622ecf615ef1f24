//go:build linux

package project

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// direntBuffers hold what getdents returns: a directory of tens of
// thousands of entries is read through one buffer, a few hundred entries
// at a time.
var direntBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// eachEntry calls f with the name and type of each entry of dir but "."
// and "..", in directory order, and stops at the first error f returns.
// The name is valid only during the call. It is os.ReadDir without an
// allocation per entry: a content directory of 10,000 articles made
// 2 MB of entries and paths that a run listing it then threw away.
func eachEntry(dir string, f func(name []byte, typ fs.FileMode) error) error {
	fd, err := openDir(dir)
	if err != nil {
		return &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	defer syscall.Close(fd)
	bp := direntBuffers.Get().(*[]byte)
	defer direntBuffers.Put(bp)
	for {
		n, err := syscall.ReadDirent(fd, *bp)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return &fs.PathError{Op: "readdirent", Path: dir, Err: err}
		}
		if n <= 0 {
			return nil
		}
		err = parseDirents((*bp)[:n], func(name []byte, t uint8) error {
			typ, known := direntMode(t)
			if !known { // the file system does not say
				info, err := os.Lstat(filepath.Join(dir, string(name)))
				if errors.Is(err, fs.ErrNotExist) {
					return nil // removed since it was listed, as os.ReadDir skips it
				}
				if err != nil {
					return err
				}
				typ = info.Mode().Type()
			}
			return f(name, typ)
		})
		if err != nil {
			return err
		}
	}
}

// openDir opens dir for reading its entries.
func openDir(dir string) (int, error) {
	for {
		fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

// direntMode is the type of fs.FileMode for a dirent's d_type, and false
// for DT_UNKNOWN (or a type unknown here): the entry is lstat'ed.
func direntMode(t uint8) (fs.FileMode, bool) {
	switch t {
	case syscall.DT_REG:
		return 0, true
	case syscall.DT_DIR:
		return fs.ModeDir, true
	case syscall.DT_LNK:
		return fs.ModeSymlink, true
	case syscall.DT_FIFO:
		return fs.ModeNamedPipe, true
	case syscall.DT_SOCK:
		return fs.ModeSocket, true
	case syscall.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice, true
	case syscall.DT_BLK:
		return fs.ModeDevice, true
	}
	return 0, false
}

// errDirent is a getdents record that does not fit in what was read.
var errDirent = errors.New("malformed directory entry")

// A linux_dirent64 record: d_ino (8 bytes), d_off (8), d_reclen (2),
// d_type (1), then d_name, ended by a NUL, and padding to d_reclen.
const (
	direntReclen = 16
	direntType   = 18
	direntName   = 19
)

// parseDirents calls f with the name and d_type of each record of b, as
// getdents64 writes them, but "." and ".." and records of no inode
// (deleted entries on some file systems).
func parseDirents(b []byte, f func(name []byte, t uint8) error) error {
	for len(b) > 0 {
		if len(b) < direntName {
			return errDirent
		}
		n := int(binary.NativeEndian.Uint16(b[direntReclen:]))
		if n <= direntName || n > len(b) {
			return errDirent
		}
		rec := b[:n]
		b = b[n:]
		name := rec[direntName:]
		end := bytes.IndexByte(name, 0)
		if end < 0 {
			return errDirent
		}
		name = name[:end]
		if binary.NativeEndian.Uint64(rec) == 0 || string(name) == "." || string(name) == ".." {
			continue
		}
		if end == 0 {
			return errDirent
		}
		if err := f(name, rec[direntType]); err != nil {
			return err
		}
	}
	return nil
}
