// Command healthi18n carries health articles into other languages without
// ever dropping a safety warning: split articles into message bundles,
// sync translator files, check every locale, and export per-language
// articles and go-i18n bundles.
//
// This package only wires commands to the internal packages and decides
// exit codes (exit.go).
package main

import (
	"io"
	"os"
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// Main runs the command line and returns the exit status, so that tests
// can run it in-process.
func Main(args []string, stdout, stderr io.Writer) int {
	s := &streams{out: stdout, err: stderr}
	root := newRootCmd(s)
	root.SetArgs(args)
	err := root.Execute()
	for _, release := range s.release {
		release()
	}
	return exitCode(err, stderr)
}
