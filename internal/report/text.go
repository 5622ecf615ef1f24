package report

import (
	"fmt"
	"strconv"
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
	for i, f := range v.findings {
		newLocale := i == 0 || f.Locale != v.findings[i-1].Locale
		if newLocale {
			if i > 0 {
				b.WriteByte('\n')
			}
			header := "locale " + visible(f.Locale, false) + ": " + perLocale[f.Locale].String()
			b.WriteString(p.paint(ansiBold, header) + "\n")
		} else if f.File != v.findings[i-1].File {
			b.WriteByte('\n')
		}
		writeTextFinding(b, f, p)
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
