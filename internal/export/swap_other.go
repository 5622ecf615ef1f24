//go:build !linux

package export

import (
	"errors"
	"os"
)

// swap makes stage the new dist. Without an atomic exchange there is a
// moment when dist is absent; a killed run leaves the old tree beside it,
// and the next run removes it.
func swap(stage, dist string) error {
	if _, err := os.Lstat(dist); errors.Is(err, os.ErrNotExist) {
		return os.Rename(stage, dist)
	}
	return swapByRename(stage, dist)
}
