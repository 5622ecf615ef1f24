//go:build linux && (amd64 || arm64)

package cache

import (
	"io/fs"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// lstatz is lstat of a path given as its bytes and a NUL, as a record
// keeps its paths, without allocating: syscall.Lstat copies each path to
// add the NUL, 120,000 small allocations in a warm run at 10,000 articles.
func lstatz(pathz []byte) (stat, fs.FileMode, error) {
	if !isPathz(pathz) {
		return stat{}, 0, errNotPathz
	}
	var st syscall.Stat_t
	fd := unix.AT_FDCWD
	for {
		_, _, e := syscall.Syscall6(unix.SYS_NEWFSTATAT, uintptr(fd), uintptr(unsafe.Pointer(&pathz[0])),
			uintptr(unsafe.Pointer(&st)), unix.AT_SYMLINK_NOFOLLOW, 0, 0)
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			return stat{}, 0, &fs.PathError{Op: "lstat", Path: string(pathz[:len(pathz)-1]), Err: e}
		}
		return statFrom(&st), modeOf(st.Mode), nil
	}
}
