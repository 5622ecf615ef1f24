package export

import (
	"os"
	"path/filepath"
)

// swapByRename replaces dist with stage by two renames (dist → old, stage
// → dist); the old tree ends up in stage's place for the caller to remove.
func swapByRename(stage, dist string) error {
	old := filepath.Join(filepath.Dir(dist), "."+filepath.Base(dist)+".old-"+filepath.Base(stage))
	if err := os.Rename(dist, old); err != nil {
		return err
	}
	if err := os.Rename(stage, dist); err != nil {
		_ = os.Rename(old, dist)
		return err
	}
	return os.Rename(old, stage)
}
