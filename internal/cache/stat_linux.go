//go:build linux

package cache

import (
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
	mt, ct := st.Mtim, st.Ctim
	return stat{Valid: true, Dev: uint64(st.Dev), Ino: uint64(st.Ino), Size: st.Size, Mode: uint32(st.Mode),
		Mtime: mt.Sec*1e9 + mt.Nsec, Ctime: ct.Sec*1e9 + ct.Nsec}
}
