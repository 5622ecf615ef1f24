//go:build linux

package cache

import (
	"errors"
	"io/fs"
	"syscall"
)

// noFollow makes opening a symbolic link fail.
const noFollow = syscall.O_NOFOLLOW

func statOf(info fs.FileInfo) stat {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return stat{}
	}
	return statFrom(st)
}

// statFrom is the stat recorded for st.
func statFrom(st *syscall.Stat_t) stat {
	mt, ct := st.Mtim, st.Ctim
	return stat{Valid: true, Dev: uint64(st.Dev), Ino: uint64(st.Ino), Size: st.Size, Mode: uint32(st.Mode),
		Mtime: int64(mt.Sec)*1e9 + int64(mt.Nsec), Ctime: int64(ct.Sec)*1e9 + int64(ct.Nsec)}
}

// lstat is os.Lstat for the cache's check of a file: the stat and the mode
// of path, a final symbolic link not followed. A warm run lstats every
// input (120,000 files at 10,000 articles × 10 locales), and os.Lstat's
// FileInfo, built and allocated for each, cost a third of the time of
// the stats themselves.
func lstat(path string) (stat, fs.FileMode, error) {
	var st syscall.Stat_t
	for {
		err := syscall.Lstat(path, &st)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return stat{}, 0, &fs.PathError{Op: "lstat", Path: path, Err: err}
		}
		break
	}
	return statFrom(&st), modeOf(st.Mode), nil
}

// modeOf turns a Unix st_mode into the fs.FileMode os.Lstat gives for it.
func modeOf(m uint32) fs.FileMode {
	mode := fs.FileMode(m & 0o777)
	switch m & syscall.S_IFMT {
	case syscall.S_IFBLK:
		mode |= fs.ModeDevice
	case syscall.S_IFCHR:
		mode |= fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFDIR:
		mode |= fs.ModeDir
	case syscall.S_IFIFO:
		mode |= fs.ModeNamedPipe
	case syscall.S_IFLNK:
		mode |= fs.ModeSymlink
	case syscall.S_IFSOCK:
		mode |= fs.ModeSocket
	}
	if m&syscall.S_ISGID != 0 {
		mode |= fs.ModeSetgid
	}
	if m&syscall.S_ISUID != 0 {
		mode |= fs.ModeSetuid
	}
	if m&syscall.S_ISVTX != 0 {
		mode |= fs.ModeSticky
	}
	return mode
}
