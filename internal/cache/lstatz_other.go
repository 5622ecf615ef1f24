//go:build !linux || !(amd64 || arm64)

package cache

import (
	"bytes"
	"errors"
	"io/fs"
)

// lstatz is lstat of a path given as its bytes and a NUL, as a record
// keeps its paths.
func lstatz(pathz []byte) (stat, fs.FileMode, error) {
	if len(pathz) == 0 || bytes.IndexByte(pathz, 0) != len(pathz)-1 {
		return stat{}, 0, errors.New("cache: a path must end in its only NUL")
	}
	return lstat(string(pathz[:len(pathz)-1]))
}
