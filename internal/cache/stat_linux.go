//go:build linux

package cache

import (
	"io/fs"
	"syscall"
)

// stat is what identifies a file's version without reading it.
type stat struct {
	Valid        bool
	Dev, Ino     uint64
	Size         int64
	Mode         uint32
	Mtime, Ctime int64 // nanoseconds
}

func statOf(info fs.FileInfo) stat {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return stat{}
	}
	mt, ct := st.Mtim, st.Ctim
	return stat{Valid: true, Dev: uint64(st.Dev), Ino: uint64(st.Ino), Size: st.Size, Mode: uint32(st.Mode),
		Mtime: mt.Sec*1e9 + mt.Nsec, Ctime: ct.Sec*1e9 + ct.Nsec}
}

// racy reports whether the file changed so close to seen (when its stat was
// recorded) that a later edit could have left the same times.
func (s stat) racy(seen int64) bool {
	return s.Mtime >= seen-int64(RacyWindow) || s.Ctime >= seen-int64(RacyWindow)
}
