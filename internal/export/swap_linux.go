package export

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// swap makes stage the new dist in one atomic step: renameat2 with
// RENAME_EXCHANGE swaps the two directories, so that dist is never absent
// and never half old, half new. stage then holds the old output.
func swap(stage, dist string) error {
	if _, err := os.Lstat(dist); errors.Is(err, os.ErrNotExist) {
		return os.Rename(stage, dist)
	}
	err := unix.Renameat2(unix.AT_FDCWD, stage, unix.AT_FDCWD, dist, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) {
		return swapByRename(stage, dist)
	}
	return err
}
