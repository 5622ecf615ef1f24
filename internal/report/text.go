package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"text/tabwriter"

	"github.com/healthi18n/healthi18n/internal/check"
)

// ANSI SGR sequences used by the text report.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// painter wraps text in ANSI colours when on.
type painter struct{ on bool }

func (p painter) paint(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p painter) severity(s check.Severity) string {
	switch s {
	case check.Error:
		return p.paint(ansiRed, string(s))
	case check.Warning:
		return p.paint(ansiYellow, string(s))
	}
	return p.paint(ansiCyan, string(s))
}

func (p painter) verdict(pass bool) string {
	if pass {
		return p.paint(ansiGreen, "PASS")
	}
	return p.paint(ansiBold+ansiRed, "FAIL")
}

// writeText renders the findings grouped by locale, then by file, one
//
//	file:line:col: severity [rule] SAFETY message (id: ID)
//	    hint: ...
//
// per finding (the position is shortened when the line or column is
// unknown), then a per-locale summary table and a closing line
// "N errors, M warnings in K locales: PASS|FAIL". Every string that comes
// from a translation is passed through visible, so it cannot carry
// terminal escapes or bidi controls.
func writeText(b output, v *view, opts Options) error {
	t := &TextReport{Locales: v.locales, Units: v.units, FailOn: v.failOn}
	p := painter{on: opts.Color}
	groups := check.GroupsOf(v.findings)
	starts := make([]int, len(groups)+1) // group i's findings are [starts[i], starts[i+1])
	for i := range groups {
		t.Groups = append(t.Groups, &groups[i])
		starts[i+1] = starts[i] + groups[i].Size()
	}
	t.Write = func(i int, buf *bytes.Buffer) error {
		WriteTextFindings(buf, v.findings[starts[i]:starts[i+1]], opts)
		return nil
	}
	_, err := writeTextReport(b, t, p)
	return err
}

// TextReport is a text report given by its groups, for a caller that
// keeps the lines of a report it wrote before and shows them again for
// the findings that did not change.
type TextReport struct {
	// Groups in report order: by locale, then by file (one group is the
	// findings on one file in one locale).
	Groups []*check.Group
	// Write appends the lines of the i-th group to buf: its findings as
	// WriteTextFindings renders them, or the bytes a report written before
	// showed for the very same findings. It may be called from any
	// goroutine. (One function for every group: a report of 10,000
	// articles has 85,000 of them.)
	Write func(i int, buf *bytes.Buffer) error
	// Locales are summed up in the table, in this order (report.Write shows
	// them by tag); a locale of a unit counts in the closing line, as one
	// with findings does.
	Locales []check.LocaleResult
	Units   []check.UnitResult
	// FailOn is the severity at which the run fails (error when unset).
	FailOn check.Severity
}

// Span is where the lines of a group are in a written report.
type Span struct{ Offset, Length int64 }

// WriteText writes the text report t to w: the bytes that Write gives in
// the text format for the Result with those locales, units and findings.
// It returns where each group's lines are in what it wrote, in the order
// of t.Groups. A group that fails to write its lines stops the report
// with that error (and part of it may have been written).
func WriteText(w io.Writer, t *TextReport, opts Options) ([]Span, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	spans, err := writeTextReport(bw, t, painter{on: opts.Color})
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return nil, fmt.Errorf("report: text: %w", err)
	}
	return spans, nil
}

// WriteTextFindings appends the lines of findings to buf as the text
// report shows them: the lines of a group.
func WriteTextFindings(buf *bytes.Buffer, findings []check.Finding, opts Options) {
	p := painter{on: opts.Color}
	for _, f := range findings {
		writeTextFinding(buf, f, p)
	}
}

// writeTextReport is WriteText without the buffer.
func writeTextReport(b output, t *TextReport, p painter) ([]Span, error) {
	failOn := t.FailOn
	if failOn.Rank() == 0 {
		failOn = check.Error // as check does when FailOn is unset
	}
	perLocale := map[string]*tally{}
	var total tally
	failed := false
	names := map[string]bool{}
	for _, g := range t.Groups {
		tl := perLocale[g.Locale]
		if tl == nil {
			tl = &tally{}
			perLocale[g.Locale] = tl
		}
		tl.addGroup(*g)
		total.addGroup(*g)
		failed = failed || g.Fails(failOn)
		names[g.Locale] = true
	}
	for _, l := range t.Locales {
		names[l.Locale] = true
	}
	for _, u := range t.Units {
		names[u.Locale] = true
	}

	if len(t.Groups) == 0 {
		b.WriteString("No findings.\n")
	}
	// Blocks of about textBlock findings (whole groups) are rendered in
	// parallel and written in order: a large report (hundreds of
	// thousands of findings) is most of a warm run's time.
	var starts []int // of blocks, in groups
	for i, n := 0, 0; i < len(t.Groups); i++ {
		if n == 0 {
			starts = append(starts, i)
		}
		if n += t.Groups[i].Size(); n >= textBlock {
			n = 0
		}
	}
	starts = append(starts, len(t.Groups))
	spans := make([]Span, len(t.Groups))
	blockSize := make([]int64, len(starts)-1)
	err := inOrder(b, len(starts)-1, func(k int, buf *bytes.Buffer) error {
		for i := starts[k]; i < starts[k+1]; i++ {
			g := t.Groups[i]
			if i == 0 || g.Locale != t.Groups[i-1].Locale {
				if i > 0 {
					buf.WriteByte('\n')
				}
				header := "locale " + visible(g.Locale, false) + ": " + perLocale[g.Locale].String()
				buf.WriteString(p.paint(ansiBold, header) + "\n")
			} else {
				buf.WriteByte('\n')
			}
			at := buf.Len()
			if err := t.Write(i, buf); err != nil {
				return err
			}
			spans[i] = Span{int64(at), int64(buf.Len() - at)}
		}
		blockSize[k] = int64(buf.Len())
		return nil
	})
	if err != nil {
		return nil, err
	}
	var base int64
	for k := range blockSize {
		for i := starts[k]; i < starts[k+1]; i++ {
			spans[i].Offset += base
		}
		base += blockSize[k]
	}

	if len(t.Locales) > 0 {
		b.WriteString("\n" + p.paint(ansiBold, "Summary") + "\n")
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "LOCALE\tMESSAGES\tTRANSLATED\tSTALE\tMISSING\tCOMPLETE\tSAFETY OK\tERRORS\tWARNINGS\tRESULT")
		for _, l := range t.Locales {
			// The verdict is the last cell: its colour codes do not
			// disturb the alignment of the columns before it.
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%d/%d\t%d\t%d\t%s\n",
				visible(l.Locale, false), l.Messages, l.Translated, l.Stale, l.Missing,
				percentString(l.Counts), l.SafetyOK, l.Safety, l.Errors, l.Warnings,
				p.verdict(l.Pass))
		}
		if err := tw.Flush(); err != nil {
			return nil, err
		}
	}

	fmt.Fprintf(b, "\n%s in %s: %s\n", total, plural(len(names), "locale"), p.verdict(!failed))
	return spans, nil
}

// textBlock is how many findings a block of the text report holds (tests
// make it small to put block edges everywhere).
var textBlock = 1024

// inOrder renders n blocks with render, on as many goroutines as there are
// CPUs, and writes each to w as soon as it and every block before it are
// done; at most two blocks per CPU wait at once, so memory stays bounded
// whatever the report's size. It returns the first error, of rendering
// or writing, and writes no block after it.
func inOrder(w io.Writer, n int, render func(k int, buf *bytes.Buffer) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		var buf bytes.Buffer
		for k := range n {
			buf.Reset()
			if err := render(k, &buf); err != nil {
				return err
			}
			if _, err := w.Write(buf.Bytes()); err != nil {
				return err
			}
		}
		return nil
	}
	failed := make([]error, n) // each set before its block is sent
	done := make([]chan *bytes.Buffer, n)
	for k := range done {
		done[k] = make(chan *bytes.Buffer, 1)
	}
	// A worker takes a slot before it takes the next block, and the slot
	// is given back once that block is written: the lowest block not
	// written yet is always being rendered or done, so this cannot stall.
	slots := make(chan struct{}, 2*workers)
	// Written blocks' buffers are used again: a report of tens of
	// megabytes leaves no garbage behind to grow the heap.
	free := make(chan *bytes.Buffer, 2*workers)
	var next atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop: // seen first, so no block is rendered in vain
					return
				default:
				}
				select {
				case slots <- struct{}{}:
				case <-stop:
					return
				}
				k := int(next.Add(1)) - 1
				if k >= n {
					return
				}
				var buf *bytes.Buffer
				select {
				case buf = <-free:
					buf.Reset()
				default:
					buf = new(bytes.Buffer)
				}
				failed[k] = render(k, buf)
				done[k] <- buf
			}
		}()
	}
	var err error
	for k := range n {
		buf := <-done[k]
		if err == nil {
			err = failed[k]
		}
		if err == nil {
			_, err = w.Write(buf.Bytes())
		}
		free <- buf
		<-slots
		if err != nil {
			break
		}
	}
	close(stop)
	wg.Wait()
	return err
}

func writeTextFinding(b output, f check.Finding, p painter) {
	writeTextPosition(b, f)
	b.WriteByte(' ')
	b.WriteString(p.severity(f.Severity))
	b.WriteString(" [")
	b.WriteString(visible(f.Rule, false))
	b.WriteString("] ")
	if f.Safety {
		b.WriteString(p.paint(ansiBold, "SAFETY"))
		b.WriteByte(' ')
	}
	b.WriteString(visible(f.Message, false))
	if f.MessageID != "" {
		b.WriteString(" (id: ")
		b.WriteString(visible(f.MessageID, false))
		b.WriteByte(')')
	}
	b.WriteByte('\n')
	if f.Hint != "" {
		b.WriteString("    hint: ")
		b.WriteString(visible(f.Hint, false))
		b.WriteByte('\n')
	}
}

// writeTextPosition writes "file:line:col:", "file:line:" or "file:" when
// the column or line is unknown, and "locale:" for a finding without a file.
func writeTextPosition(b output, f check.Finding) {
	if f.File == "" {
		b.WriteString(visible(f.Locale, false))
		b.WriteByte(':')
		return
	}
	b.WriteString(visible(f.File, false))
	b.WriteByte(':')
	if f.Line > 0 {
		b.WriteString(strconv.Itoa(f.Line))
		b.WriteByte(':')
		if f.Col > 0 {
			b.WriteString(strconv.Itoa(f.Col))
			b.WriteByte(':')
		}
	}
}
