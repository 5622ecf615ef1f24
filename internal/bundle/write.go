package bundle

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/google/renameio/v2"
)

// WriteIfChanged writes data to path atomically (temporary file, fsync,
// rename), and only when the content differs, so that an up-to-date tree
// keeps its files and modification times. It reports whether it wrote.
func WriteIfChanged(path string, data []byte) (bool, error) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, err
	}
	if err := renameio.WriteFile(path, data, 0o644); err != nil {
		return false, err
	}
	return true, nil
}
