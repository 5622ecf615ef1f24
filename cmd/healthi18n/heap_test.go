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

// TestDelayFirstCollection: no collection is paced until the starting
// heap is reached; after the first collection the usual pacing is back.
// A user's GOGC is left alone.
func TestDelayFirstCollection(t *testing.T) {
	defer debug.SetGCPercent(gcPercent())
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	delayFirstCollection()
	if p, limit := gcPercent(), debug.SetMemoryLimit(-1); p != -1 || limit != startingHeap {
		t.Fatalf("before the first collection: GC percent %d, limit %d; want -1, %d", p, limit, startingHeap)
	}
	deadline := time.Now().Add(5 * time.Second)
	for gcPercent() != 100 && time.Now().Before(deadline) {
		runtime.GC() // runs the finalizer on a goroutine of its own
		time.Sleep(10 * time.Millisecond)
	}
	if p, limit := gcPercent(), debug.SetMemoryLimit(-1); p != 100 || limit != math.MaxInt64 {
		t.Fatalf("after the first collection: GC percent %d, limit %d; want 100, no limit", p, limit)
	}

	t.Setenv("GOGC", "50")
	debug.SetGCPercent(50)
	delayFirstCollection()
	if p := gcPercent(); p != 50 {
		t.Errorf("with GOGC=50 the GC percent became %d", p)
	}
}
