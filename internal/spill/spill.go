// Package spill owns an append-only log of bytes that a run writes once
// and reads back: kept in memory up to a limit, then moved to a temporary
// file, so that a run over a large corpus holds a few megabytes of it
// whatever its size. The file is removed as soon as it is made (where the
// system allows), so a killed run leaves nothing behind.
//
// It knows nothing of what the bytes mean, and writes nowhere but its
// one temporary file.
package spill

import (
	"errors"
	"os"
	"slices"
	"sync"
)

// Log is an append-only log. Its methods are safe for concurrent use.
type Log struct {
	dir   string
	limit int

	mu      sync.Mutex
	mem     []byte
	file    *os.File
	flushed int64 // bytes in file, before mem
	err     error // the file could not be made or written: kept in memory
}

// New is an empty log that keeps up to limit bytes in memory, then moves
// them to a file in dir ("" for the system's temporary directory, which is
// created if missing).
func New(dir string, limit int) *Log {
	return &Log{dir: dir, limit: limit}
}

// Append adds data to the log and returns where it starts.
func (l *Log) Append(data []byte) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	at := l.flushed + int64(len(l.mem))
	l.mem = append(l.mem, data...)
	if len(l.mem) >= l.limit && l.err == nil {
		l.spill()
	}
	return at
}

// Size is the number of bytes appended.
func (l *Log) Size() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.flushed + int64(len(l.mem))
}

// spill moves the bytes in memory to the log's file.
func (l *Log) spill() {
	if l.file == nil {
		dir := l.dir
		if dir == "" {
			dir = os.TempDir()
		}
		if l.err = os.MkdirAll(dir, 0o755); l.err != nil {
			return
		}
		if l.file, l.err = os.CreateTemp(dir, ".tmp-spill-*"); l.err != nil {
			return
		}
		os.Remove(l.file.Name()) // still open: gone when closed
	}
	if _, l.err = l.file.WriteAt(l.mem, l.flushed); l.err != nil {
		return
	}
	l.flushed += int64(len(l.mem))
	l.mem = l.mem[:0]
}

// ErrOutside is the error of a read past what was appended.
var ErrOutside = errors.New("spill: read outside the log")

// ReadAt reads len(p) bytes at off, all appended before: it is an
// io.ReaderAt.
func (l *Log) ReadAt(p []byte, off int64) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if off < 0 || off+int64(len(p)) > l.flushed+int64(len(l.mem)) {
		return 0, ErrOutside
	}
	n := 0
	if off < l.flushed {
		if l.file == nil {
			return 0, os.ErrClosed
		}
		k := int(min(int64(len(p)), l.flushed-off))
		if _, err := l.file.ReadAt(p[:k], off); err != nil {
			return 0, err
		}
		n, off = k, l.flushed
	}
	n += copy(p[n:], l.mem[off-l.flushed:])
	return n, nil
}

// Read is ReadAt into buf, grown to n bytes as needed, which it returns.
func (l *Log) Read(buf []byte, off int64, n int) ([]byte, error) {
	buf = slices.Grow(buf[:0], n)[:n]
	if _, err := l.ReadAt(buf, off); err != nil {
		return nil, err
	}
	return buf, nil
}

// Close lets go of the log and its file; a read after it fails.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var err error
	if l.file != nil {
		err = l.file.Close()
		os.Remove(l.file.Name())
	}
	l.mem, l.file, l.flushed, l.err = nil, nil, 0, os.ErrClosed
	return err
}
