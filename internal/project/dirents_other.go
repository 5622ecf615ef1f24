//go:build !linux

package project

import (
	"io/fs"
	"os"
)

// eachEntry calls f with the name and type of each entry of dir, and
// stops at the first error f returns. The name is valid only during the
// call. (On Linux it reads the entries without an allocation each.)
func eachEntry(dir string, f func(name []byte, typ fs.FileMode) error) error {
	entries, err := os.ReadDir(dir)
	for _, e := range entries {
		if err := f([]byte(e.Name()), e.Type()); err != nil {
			return err
		}
	}
	return err
}
