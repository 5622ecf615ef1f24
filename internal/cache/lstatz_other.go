//go:build !linux || !(amd64 || arm64)

package cache

import (
	"io/fs"
)

// lstatz is lstat of a path given as its bytes and a NUL, as a record
// keeps its paths.
func lstatz(pathz []byte) (stat, fs.FileMode, error) {
	if !isPathz(pathz) {
		return stat{}, 0, errNotPathz
	}
	return lstat(string(pathz[:len(pathz)-1]))
}
