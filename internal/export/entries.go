package export

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/healthi18n/healthi18n/internal/spill"
	"github.com/healthi18n/healthi18n/internal/wire"
)

// entries are the manifest entries of one locale's articles in an export
// run, kept encoded in a spill log from when each article is done until
// the manifest is written: at 10,000 articles × 10 locales they are 55 MB
// of strings in memory, and a run needs them only to write and compare the
// manifest, one at a time.
type entries struct {
	log *spill.Log
	// at[i] is where article i's entry is; n == 0 for none.
	at []entrySpan
	// fallbacks sums Fallback+Omitted over the entries.
	fallbacks atomic.Int64
}

type entrySpan struct {
	off int64
	n   int32
}

// entriesLimit is how many bytes of a locale's entries are kept in memory
// before its log moves them to a temporary file: each locale has a log,
// and a log's buffer keeps its size once moved, so ten locales hold a few
// megabytes (at 4 MB each, a warm export at 10,000 articles peaked at
// 180 MB rather than 100).
var entriesLimit = 256 << 10

// entriesChunk is how many bytes of a log are read back at once.
const entriesChunk = 256 << 10

// newEntries has room for n articles' entries; its log moves to a file in
// dir ("" for the system's temporary directory). Export gives its stage:
// a temporary directory may be memory (tmpfs), and the file is removed as
// soon as it is made.
func newEntries(dir string, n int) *entries {
	return &entries{log: spill.New(dir, entriesLimit), at: make([]entrySpan, n)}
}

// entryEncoders encode entries, one per goroutine at a time: a warm
// export at 10,000 articles encodes 100,000.
var entryEncoders = sync.Pool{New: func() any { return new(entryEncoder) }}

type entryEncoder struct {
	e   wire.Encoder
	buf []byte
}

// put keeps am as article i's entry.
func (e *entries) put(i int, am *ArticleManifest) {
	enc := entryEncoders.Get().(*entryEncoder)
	defer entryEncoders.Put(enc)
	enc.e.Reset()
	putManifest(&enc.e, am)
	enc.buf = enc.e.AppendBytes(enc.buf[:0])
	e.at[i] = entrySpan{off: e.log.Append(enc.buf), n: int32(len(enc.buf))}
	e.fallbacks.Add(int64(am.Fallback + am.Omitted))
}

// has reports whether article i has an entry.
func (e *entries) has(i int) bool { return e.at[i].n > 0 }

// each calls f with each entry in article order, decoded into one
// ArticleManifest that f must not keep; it stops at f's first error.
func (e *entries) each(f func(i int, am *ArticleManifest) error) error {
	// The log is read a chunk at a time: entries are appended about in
	// article order, so most are in the chunk read for the one before.
	var chunk []byte // the log's bytes from from on
	var from int64
	var d wire.Decoder
	for i, s := range e.at {
		if s.n == 0 {
			continue
		}
		if s.off < from || s.off+int64(s.n) > from+int64(len(chunk)) {
			n := max(int64(s.n), min(entriesChunk, e.log.Size()-s.off))
			var err error
			if chunk, err = e.log.Read(chunk, s.off, int(n)); err != nil {
				return fmt.Errorf("reading the manifest entry of article %d back: %w", i, err)
			}
			from = s.off
		}
		d.Reset(chunk[s.off-from : s.off-from+int64(s.n)])
		am := getManifest(&d)
		if err := d.Err(); err != nil {
			return fmt.Errorf("reading the manifest entry of article %d back: %w", i, err)
		}
		if err := f(i, am); err != nil {
			return err
		}
	}
	return nil
}

// count is the number of entries.
func (e *entries) count() int {
	n := 0
	for _, s := range e.at {
		if s.n > 0 {
			n++
		}
	}
	return n
}

// close lets go of the log.
func (e *entries) close() { e.log.Close() }
