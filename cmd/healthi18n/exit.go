package main

import (
	"errors"
	"fmt"
	"io"
	"syscall"

	"github.com/healthi18n/healthi18n/internal/inputerr"
)

// Exit statuses (DESIGN.md § Commands and exit codes).
const (
	exitOK     = 0 // success; warnings allowed
	exitPolicy = 1 // check findings at the failing level, or an export refused by policy
	exitInput  = 2 // bad input, bad config, bad usage: nothing written
)

// policyError reports that a run completed but policy says it failed.
type policyError struct{ msg string }

func (e *policyError) Error() string { return e.msg }

// usageError wraps a command-line mistake.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// exitCode is the one place that maps an error to an exit status, printing
// it first.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var pe *policyError
	if errors.As(err, &pe) {
		if pe.msg != "" {
			fmt.Fprintln(stderr, "healthi18n:", pe.msg)
		}
		return exitPolicy
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "healthi18n: %v\nRun 'healthi18n --help' for usage.\n", ue.err)
		return exitInput
	}
	if inputerr.Is(err) {
		fmt.Fprintln(stderr, err)
		fmt.Fprintln(stderr, "healthi18n: nothing was written.")
		return exitInput
	}
	fmt.Fprintln(stderr, "healthi18n:", err)
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EFBIG) || errors.Is(err, syscall.EROFS) {
		fmt.Fprintln(stderr, "healthi18n: the disk is full or read-only; nothing was published: dist/ and the translator files are as they were.")
	}
	return exitInput
}
