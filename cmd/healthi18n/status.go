package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/healthi18n/healthi18n/internal/check"
)

type statusOptions struct {
	format  string
	locales []string
}

func newStatusCmd(s *streams, g *globalOptions) *cobra.Command {
	o := &statusOptions{}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show a matrix of articles × locales: translated, stale, missing, safety",
		Long: `status shows, for every article and target locale, how many messages are
translated and current, stale and missing, and whether every safety message is
translated (✔) or not (✘ with the count). It reads and writes nothing else and
always exits 0 on a readable tree; use check to fail CI.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.format != "text" && o.format != "json" {
				return &usageError{fmt.Errorf("--format must be text or json, got %q", o.format)}
			}
			p, err := loadProject(s, g, cmd.Flags(), false)
			if err != nil {
				return err
			}
			targets, err := p.Targets(o.locales)
			if err != nil {
				return err
			}
			r := check.Run(p, check.Options{Locales: targets})
			if o.format == "json" {
				return writeStatusJSON(s.out, r)
			}
			writeStatusText(s.out, r, color(s.out))
			return nil
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output format: text or json")
	cmd.Flags().StringSliceVar(&o.locales, "locale", nil, "show only these locales (repeatable)")
	return cmd
}

func writeStatusJSON(w io.Writer, r *check.Result) error {
	type out struct {
		Units   []check.UnitResult   `json:"units"`
		Locales []check.LocaleResult `json:"locales"`
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out{Units: r.Units, Locales: r.Locales})
}

const (
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiRed    = "\x1b[31m"
	ansiReset  = "\x1b[0m"
)

// writeStatusText prints one row per article and one column per locale;
// a cell reads "translated/total", then "sN" stale and "mN" missing when
// not zero, then the safety state.
func writeStatusText(w io.Writer, r *check.Result, colour bool) {
	var articles []string
	seen := map[string]bool{}
	cells := map[[2]string]check.UnitResult{}
	for _, u := range r.Units {
		if !seen[u.Article] {
			seen[u.Article] = true
			articles = append(articles, u.Article)
		}
		cells[[2]string{u.Article, u.Locale}] = u
	}
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	header := []string{"ARTICLE"}
	for _, l := range r.Locales {
		header = append(header, l.Locale)
	}
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	row := func(name string, counts []check.Counts) {
		parts := []string{name}
		for _, c := range counts {
			parts = append(parts, statusCell(c, colour))
		}
		fmt.Fprintln(tw, strings.Join(parts, "\t"))
	}
	for _, a := range articles {
		var cs []check.Counts
		for _, l := range r.Locales {
			cs = append(cs, cells[[2]string{a, l.Locale}].Counts)
		}
		row(a, cs)
	}
	var totals []check.Counts
	for _, l := range r.Locales {
		totals = append(totals, l.Counts)
	}
	row("TOTAL", totals)
	tw.Flush()
	fmt.Fprintln(w, "\ncell: translated/total, sN stale, mN missing; safety ✔ all safety messages translated and clean, ✘N safety messages not")
}

func statusCell(c check.Counts, colour bool) string {
	cell := fmt.Sprintf("%d/%d", c.Translated, c.Messages)
	if c.Stale > 0 {
		cell += fmt.Sprintf(" s%d", c.Stale)
	}
	if c.Missing > 0 {
		cell += fmt.Sprintf(" m%d", c.Missing)
	}
	code := ansiGreen
	if c.SafetyOK == c.Safety {
		cell += " ✔"
		if c.Translated < c.Messages {
			code = ansiYellow
		}
	} else {
		cell += fmt.Sprintf(" ✘%d", c.Safety-c.SafetyOK)
		code = ansiRed
	}
	if colour {
		// tabwriter counts escape bytes as width; pad after the reset instead.
		return code + cell + ansiReset
	}
	return cell
}
