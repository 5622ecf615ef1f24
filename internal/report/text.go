package report

import (
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
	p := painter{on: opts.Color}

	perLocale := map[string]*tally{}
	for _, f := range v.findings {
		t := perLocale[f.Locale]
		if t == nil {
			t = &tally{}
			perLocale[f.Locale] = t
		}
		t.add(f.Severity)
	}

	if len(v.findings) == 0 {
		b.WriteString("No findings.\n")
	}
	// Blocks of findings are rendered in parallel and written in order: a
	// large report (hundreds of thousands of findings) is most of a warm
	// run's time.
	err := inOrder(b, (len(v.findings)+textBlock-1)/textBlock, func(k int, buf *bytes.Buffer) {
		for i := k * textBlock; i < min((k+1)*textBlock, len(v.findings)); i++ {
			f := v.findings[i]
			if i == 0 || f.Locale != v.findings[i-1].Locale {
				if i > 0 {
					buf.WriteByte('\n')
				}
				header := "locale " + visible(f.Locale, false) + ": " + perLocale[f.Locale].String()
				buf.WriteString(p.paint(ansiBold, header) + "\n")
			} else if f.File != v.findings[i-1].File {
				buf.WriteByte('\n')
			}
			writeTextFinding(buf, f, p)
		}
	})
	if err != nil {
		return err
	}

	if len(v.locales) > 0 {
		b.WriteString("\n" + p.paint(ansiBold, "Summary") + "\n")
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "LOCALE\tMESSAGES\tTRANSLATED\tSTALE\tMISSING\tCOMPLETE\tSAFETY OK\tERRORS\tWARNINGS\tRESULT")
		for _, l := range v.locales {
			// The verdict is the last cell: its colour codes do not
			// disturb the alignment of the columns before it.
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%d/%d\t%d\t%d\t%s\n",
				visible(l.Locale, false), l.Messages, l.Translated, l.Stale, l.Missing,
				percentString(l.Counts), l.SafetyOK, l.Safety, l.Errors, l.Warnings,
				p.verdict(l.Pass))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	fmt.Fprintf(b, "\n%s in %s: %s\n", v.tally(), plural(len(v.localeNames()), "locale"), p.verdict(!v.failed))
	return nil
}

// textBlock is how many findings a block of the text report holds (tests
// make it small to put block edges everywhere).
var textBlock = 4096

// inOrder renders n blocks with render, on as many goroutines as there are
// CPUs, and writes each to w as soon as it and every block before it are
// done; at most two blocks per CPU wait at once, so memory stays bounded
// whatever the report's size. It returns the first write error.
func inOrder(w io.Writer, n int, render func(k int, buf *bytes.Buffer)) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		var buf bytes.Buffer
		for k := range n {
			buf.Reset()
			render(k, &buf)
			if _, err := w.Write(buf.Bytes()); err != nil {
				return err
			}
		}
		return nil
	}
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
				render(k, buf)
				done[k] <- buf
			}
		}()
	}
	var err error
	for k := range n {
		buf := <-done[k]
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
