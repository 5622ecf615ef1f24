//go:build !linux

package cache

import "io/fs"

// noFollow: where there is no O_NOFOLLOW, statOf's invalid stats mean
// every file is hashed on every run anyway.
const noFollow = 0

// statOf gives an invalid stat where the change time is not available:
// every file is then read and hashed.
func statOf(fs.FileInfo) stat { return stat{} }
