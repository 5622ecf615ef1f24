// Package inputerr defines the error every package returns for bad input: a
// file, line and column and what is wrong there. The command layer maps any
// such error to exit status 2 (bad input, nothing written).
//
// It imports nothing of this project.
package inputerr

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error is a problem at a position in an input file. Line and Col are
// 1-based; zero means unknown (the file as a whole).
type Error struct {
	Path string
	Line int
	Col  int
	Msg  string
	// Err is the underlying cause, if any.
	Err error
}

// New returns an *Error at path:line:col with a formatted message.
func New(path string, line, col int, format string, args ...any) *Error {
	return &Error{Path: path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error at path:line:col whose cause is err.
func Wrap(path string, line, col int, err error) *Error {
	return &Error{Path: path, Line: line, Col: col, Msg: err.Error(), Err: err}
}

// Error formats as "path:line:col: msg", leaving out unknown parts.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		col := e.Col
		if col < 1 {
			col = 1
		}
		fmt.Fprintf(&b, ":%d", col)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// List collects several input errors so that a run can report every problem
// at once rather than stopping at the first.
type List []*Error

// Add appends an error.
func (l *List) Add(e *Error) { *l = append(*l, e) }

// AddErr adds err: the errors of a List, an *Error, or any other error
// without a position.
func (l *List) AddErr(err error) {
	var e *Error
	var list List
	switch {
	case errors.As(err, &list):
		*l = append(*l, list...)
	case errors.As(err, &e):
		l.Add(e)
	default:
		l.Add(Wrap("", 0, 0, err))
	}
}

// Sort orders the list by path, line and column.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Err returns nil for an empty list, the single error for one, or the list.
func (l List) Err() error {
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	return l
}

// Error joins the errors one per line.
func (l List) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Is reports whether err is, or contains, bad input.
func Is(err error) bool {
	var e *Error
	var l List
	return errors.As(err, &e) || errors.As(err, &l)
}

// LineCol converts a byte offset in data to a 1-based line and column
// (column counted in bytes, as compilers do).
func LineCol(data []byte, offset int) (line, col int) {
	if offset > len(data) {
		offset = len(data)
	}
	line = 1
	last := -1
	for i := 0; i < offset; i++ {
		if data[i] == '\n' {
			line++
			last = i
		}
	}
	return line, offset - last
}
