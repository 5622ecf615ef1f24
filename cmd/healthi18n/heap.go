package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
)

// startingHeap is how much memory the runtime may hold (heap and the rest)
// before the first garbage collection. Most runs (a warm check or export,
// a small project) stay under it and never collect: the first
// collections of a small heap come every few megabytes, three of them in a
// warm check at 1,000 articles. The Go compiler also delays its first
// collections (with a computed GOGC rather than a memory limit).
const startingHeap = 32 << 20

// delayFirstCollection lets the heap reach startingHeap before the first
// collection, then restores the usual pacing (GOGC=100, no memory limit),
// so that a large run grows as it always did. A user's own GOGC or
// GOMEMLIMIT is left alone.
func delayFirstCollection() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(startingHeap)
	// The finalizer of an unreachable object runs after the first
	// collection: the memory limit has been reached. Until the finalizer
	// has run, a live heap already over the limit can make collections
	// follow each other; that lasts a cycle or two. The sentinel is 16
	// bytes so that the tiny allocator does not pack it with other
	// objects: a finalizer on a packed object may never run, and
	// collection would then stay paced by the limit for the whole run.
	sentinel := new([16]byte)
	runtime.SetFinalizer(sentinel, func(*[16]byte) {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	})
}
