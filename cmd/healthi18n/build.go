package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/healthi18n/healthi18n/internal/check"
	"github.com/healthi18n/healthi18n/internal/export"
)

type buildOptions struct {
	locales []string
	noCache bool
}

func newBuildCmd(s *streams, g *globalOptions) *cobra.Command {
	o := &buildOptions{}
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Split, check and export in one run, with one summary table",
		Long: `build is the whole pipeline: split (sync every translator file), check (every
locale, with the configured policy) and export (dist/). It prints one table with
each locale's completeness, safety state, check result and export status.

Exit status: 0 when no check finding reaches error level and no locale is
refused; 1 otherwise; 2 on bad input, configuration or usage (nothing written).`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := openTree(s, g, cmd.Flags(), true)
			if err != nil {
				return err
			}
			p, plan, written, err := splitTree(s, g, t, o.locales, false, o.noCache)
			if err != nil {
				return err
			}
			targets, err := p.Targets(o.locales)
			if err != nil {
				return err
			}
			printSplitSummary(s, &globalOptions{quiet: true}, p, plan, written, false)
			if !g.quiet {
				fmt.Fprintf(s.out, "split: %s, %s, %s; %s written\n", count(plan.Articles, "article", "articles"), count(plan.Messages, "message", "messages"), count(plan.Safety, "safety message", "safety messages"), count(len(written), "file", "files"))
			}
			// Check and export read the tree as split left it.
			sum, checked, err := runCheckTree(s, g, t, &checkOptions{locales: o.locales, noCache: o.noCache}, check.Error)
			if err != nil {
				return err
			}
			man, err := exportTree(s, g, t, checked, targets, o.noCache)
			if err != nil {
				return err
			}
			refused := writeBuildSummary(s.out, sum.Result, man)
			fmt.Fprintf(s.out, "dist: %s (manifest: %s)\n", p.Rel(p.Config.Path(p.Config.Dist)), p.Rel(p.Config.Path(p.Config.Dist))+"/manifest.json")
			var problems []string
			if sum.Failed() {
				problems = append(problems, "check found errors (run healthi18n check for the list)")
			}
			if len(refused) > 0 {
				problems = append(problems, "export refused for "+strings.Join(refused, ", "))
			}
			if len(problems) > 0 {
				return &policyError{msg: strings.Join(problems, "; ")}
			}
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&o.locales, "locale", nil, "build only these locales (repeatable)")
	cmd.Flags().BoolVar(&o.noCache, "no-cache", false, "neither use nor update the caches of split, check and export ("+cacheDir+"/)")
	addPolicyFlags(cmd)
	return cmd
}

// writeBuildSummary prints one row per locale: completeness, stale and
// missing counts, safety state, check verdict and export status. It
// returns the refused locales.
func writeBuildSummary(w io.Writer, r *check.Result, man *export.Manifest) []string {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "LOCALE\tTRANSLATED\tSTALE\tMISSING\tSAFETY OK\tCHECK\tEXPORT")
	var refused []string
	for _, l := range r.Locales {
		verdict := "pass"
		if !l.Pass {
			verdict = "FAIL (" + count(l.Errors, "error", "errors") + ")"
		}
		status := "-"
		if lm := man.Locale(l.Locale); lm != nil {
			status = lm.Status
			if lm.Status == export.StatusRefused {
				refused = append(refused, l.Locale)
				status = "REFUSED (" + count(len(lm.Refusals), "safety message", "safety messages") + ")"
				if len(lm.Refusals) == 0 {
					status = "REFUSED (" + strings.Join(lm.Reasons, "; ") + ")"
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%d/%d (%s)\t%d\t%d\t%d/%d\t%s\t%s\n", l.Locale, l.Translated, l.Messages, percent(l.Percent), l.Stale, l.Missing, l.SafetyOK, l.Safety, verdict, status)
	}
	tw.Flush()
	return refused
}
