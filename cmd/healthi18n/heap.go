package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
)

// startingHeap is how far the heap may grow before the first garbage
// collection. Most runs (a warm check or export, a small project) stay
// under it and never collect: the first collections of a small heap come
// every few megabytes and cost a warm check a sixth of its time. The Go
// compiler starts its heap the same way.
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
	// collection: the memory limit has been reached.
	sentinel := new([16]byte)
	runtime.SetFinalizer(sentinel, func(*[16]byte) {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	})
}
