package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// gcPercent reads the GC percent (SetGCPercent returns the old one).
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// memoryLimit reads the memory limit (a negative value only reads it).
func memoryLimit() int64 { return debug.SetMemoryLimit(-1) }

// collectUntil runs collections (each one runs the finalizers on a
// goroutine of their own) until done or five seconds have passed.
func collectUntil(done func() bool) {
	deadline := time.Now().Add(5 * time.Second)
	for !done() && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

// TestKeepHeapFloor: while the live heap is small, collections are paced
// by the floor, collection after collection; once the live heap reaches
// half the floor the usual pacing is back. A user's GOGC is left alone.
func TestKeepHeapFloor(t *testing.T) {
	defer debug.SetGCPercent(gcPercent())
	defer debug.SetMemoryLimit(memoryLimit())

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	keepHeapFloor()
	if p, limit := gcPercent(), memoryLimit(); p != -1 || limit != heapFloor {
		t.Fatalf("at the start: GC percent %d, limit %d; want -1, %d", p, limit, heapFloor)
	}
	// Several collections of a small heap keep the floor: the finalizer
	// arms itself again each time.
	for range 5 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if p, limit := gcPercent(), memoryLimit(); p != -1 || limit != heapFloor {
		t.Fatalf("after collections of a small heap: GC percent %d, limit %d; want -1, %d", p, limit, heapFloor)
	}

	live := make([]byte, heapFloor*3/4)
	for i := range live {
		live[i] = byte(i) // touched, so that it is really there
	}
	collectUntil(func() bool { return gcPercent() == 100 })
	runtime.KeepAlive(live)
	if p, limit := gcPercent(), memoryLimit(); p != 100 || limit != math.MaxInt64 {
		t.Fatalf("with a live heap past half the floor: GC percent %d, limit %d; want 100, no limit", p, limit)
	}

	t.Setenv("GOGC", "50")
	debug.SetGCPercent(50)
	keepHeapFloor()
	if p := gcPercent(); p != 50 {
		t.Errorf("with GOGC=50 the GC percent became %d", p)
	}
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetMemoryLimit(1 << 30)
	keepHeapFloor()
	if p, limit := gcPercent(), memoryLimit(); p != 50 || limit != 1<<30 {
		t.Errorf("with GOMEMLIMIT=1GiB: GC percent %d, limit %d; want them unchanged", p, limit)
	}
}
