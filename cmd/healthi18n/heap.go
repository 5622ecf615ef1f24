package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// heapFloor is how much memory the runtime may hold (heap and the rest)
// before a collection while the live heap is small. With the usual pacing
// (GOGC=100) a run whose live heap is a few megabytes collects every few
// megabytes allocated: a cold check at 1,000 articles allocates 750 MB
// around a live heap of 2–17 MB and collected 112 times, which cost about
// a fifth of its time. Most warm runs stay under the floor and never
// collect. The Go compiler raises its starting heap for the same reason.
const heapFloor = 96 << 20

// keepHeapFloor paces collections by a memory limit of heapFloor until the
// live heap after a collection reaches half of it, then restores the usual
// pacing (GOGC=100, no memory limit): from there its goal, twice the live
// heap, is past the floor anyway, so a large run grows as it always did.
// Between a collection and the check after it, a live heap already past
// the floor makes collections follow each other; that lasts a cycle or
// two. A user's own GOGC or GOMEMLIMIT is left alone.
func keepHeapFloor() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(heapFloor)
	afterEachCollection(func() bool {
		if liveHeap() < heapFloor/2 {
			return true
		}
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		return false
	})
}

// afterEachCollection calls f after each garbage collection, on the
// finalizer goroutine, for as long as f returns true.
//
// The finalizer of an unreachable object runs after the collection that
// found it. The sentinel is 16 bytes so that the tiny allocator does not
// pack it with other objects: a finalizer on a packed object may never
// run.
func afterEachCollection(f func() bool) {
	sentinel := new([16]byte)
	runtime.SetFinalizer(sentinel, func(*[16]byte) {
		if f() {
			afterEachCollection(f)
		}
	})
}

// liveHeap is the heap the last collection marked live, in bytes.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return math.MaxUint64 // unknown: the usual pacing is the safe side
	}
	return s[0].Value.Uint64()
}
