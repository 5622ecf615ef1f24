//go:build !linux

package cache

import (
	"io/fs"
	"os"
)

// noFollow: where there is no O_NOFOLLOW, statOf's invalid stats mean
// every file is hashed on every run anyway.
const noFollow = 0

// statOf gives an invalid stat where the change time is not available:
// every file is then read and hashed.
func statOf(fs.FileInfo) stat { return stat{} }

// lstat is os.Lstat for the cache's check of a file: its stat (invalid
// here) and its mode.
func lstat(path string) (stat, fs.FileMode, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return stat{}, 0, err
	}
	return statOf(info), info.Mode(), nil
}
