// Command healthi18n carries health articles into other languages without
// ever dropping a safety warning: split articles into message bundles,
// sync translator files, check every locale, and export per-language
// articles and go-i18n bundles.
//
// This package only wires commands to the internal packages and decides
// exit codes (exit.go).
package main

import (
	"fmt"
	"io"
	"os"
	"sync"
)

func main() {
	keepHeapFloor()
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// Main runs the command line and returns the exit status, so that tests
// can run it in-process.
func Main(args []string, stdout, stderr io.Writer) int {
	s := &streams{out: stdout, err: stderr}
	root := newRootCmd(s)
	root.SetArgs(args)
	err := root.Execute()
	code := exitCode(err, stderr)
	// Bad input (exit 2) leaves nothing behind, not even the cache; the
	// lock is still held while the cache is saved.
	if code < 2 {
		save(s)
	}
	for _, release := range s.release {
		release()
	}
	return code
}

// save saves what the run keeps, all at once: each save writes its own
// files, and a large one (the kept report, tens of megabytes to let go
// of) need not wait for another. A failure to save is said, not fatal.
func save(s *streams) {
	errs := make([]error, len(s.onSuccess))
	var wg sync.WaitGroup
	for i, save := range s.onSuccess {
		wg.Go(func() { errs[i] = save() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			fmt.Fprintf(s.err, "healthi18n: could not save the cache: %v\n", err)
		}
	}
}
