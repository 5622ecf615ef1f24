package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	s := &streams{out: &buf, err: &buf}

	// Piped (not a terminal): never a bar, however long the run.
	p := newProgress(s, &globalOptions{}, 10, "checking")
	p.start = time.Now().Add(-time.Hour)
	for i := 0; i < 10; i++ {
		p.Step()
	}
	p.Done()
	if buf.Len() > 0 {
		t.Errorf("a bar was drawn on a pipe: %q", buf.String())
	}

	// On a terminal (forced here), a short run draws nothing…
	p = newProgress(s, &globalOptions{}, 10, "checking")
	p.enabled = true
	p.Step()
	p.Done()
	if buf.Len() > 0 {
		t.Errorf("a bar was drawn for a run under %v: %q", progressDelay, buf.String())
	}
	// …and a long one does, then clears it.
	p = newProgress(s, &globalOptions{}, 10, "checking")
	p.enabled = true
	p.start = time.Now().Add(-2 * progressDelay)
	for i := 0; i < 10; i++ {
		p.Step()
	}
	p.Done()
	if !strings.Contains(buf.String(), "checking") {
		t.Errorf("no bar on a long run: %q", buf.String())
	}

	// --quiet: no bar even on a terminal.
	buf.Reset()
	p = newProgress(s, &globalOptions{quiet: true}, 10, "checking")
	p.start = time.Now().Add(-time.Hour)
	p.Step()
	if p.enabled || buf.Len() > 0 {
		t.Errorf("--quiet drew a bar: %q", buf.String())
	}
}
