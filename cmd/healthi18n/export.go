package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/healthi18n/healthi18n/internal/check"
	"github.com/healthi18n/healthi18n/internal/export"
	"github.com/healthi18n/healthi18n/internal/locale"
	"github.com/healthi18n/healthi18n/internal/project"
)

type exportOptions struct {
	locales []string
	noCache bool
}

func newExportCmd(s *streams, g *globalOptions) *cobra.Command {
	o := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write per-language articles (Markdown, HTML), go-i18n bundles and the manifest to dist/",
		Long: `export writes dist/<lang>/<slug>.md, <slug>.html and <slug>.<lang>.json for every
target locale, and dist/manifest.json. Under --safety strict a locale whose
safety messages are not all translated and clean is refused (no files, exit 1);
under --safety fallback the English text is shown with a visible notice. A safety
message is never omitted. Every locale is verified after writing and swapped in
only when every safety message of the source is present.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := openTree(s, g, cmd.Flags(), true)
			if err != nil {
				return err
			}
			_, checked, err := runCheckTree(s, g, t, &checkOptions{locales: o.locales, noCache: o.noCache}, check.Error)
			if err != nil {
				return err
			}
			return runExport(s, g, t, checked, o.locales, o.noCache)
		},
	}
	cmd.Flags().StringSliceVar(&o.locales, "locale", nil, "export only these locales (repeatable)")
	cmd.Flags().BoolVar(&o.noCache, "no-cache", false, "neither use nor update the caches of check and export ("+cacheDir+"/)")
	addPolicyFlags(cmd)
	return cmd
}

// runExport exports with the project's policy and prints the outcome of
// each locale; a refused locale makes the run fail with exit 1.
func runExport(s *streams, g *globalOptions, t *project.Tree, checked *export.Checked, locales []string, noCache bool) error {
	targets, err := (&project.Project{Config: t.Config}).Targets(locales)
	if err != nil {
		return err
	}
	man, err := exportTree(s, g, t, checked, targets, noCache)
	if err != nil {
		return err
	}
	var refused []string
	for _, t := range targets {
		if lm := man.Locale(t.Name); lm != nil && lm.Status == export.StatusRefused {
			refused = append(refused, t.Name)
		}
	}
	writeExportSummary(s.out, man, targets)
	if len(refused) > 0 {
		return &policyError{msg: fmt.Sprintf("export refused for %s (see dist/manifest.json)", strings.Join(refused, ", "))}
	}
	return nil
}

// exportTree runs export with the project's policy, one article at a
// time, with a progress bar on a terminal. Unless noCache, articles whose
// inputs and dist/ files are unchanged are linked from the old output
// instead of being rendered again.
func exportTree(s *streams, g *globalOptions, t *project.Tree, checked *export.Checked, targets []locale.Locale, noCache bool) (*export.Manifest, error) {
	cfg := t.Config
	pol := cfg.Policy
	opts := export.Options{
		Dist:    cfg.Path(cfg.Dist),
		Locales: targets,
		Policy:  export.Policy{Safety: pol.Safety, Missing: pol.Missing, MinComplete: pol.MinComplete},
	}
	if !noCache {
		opts.Cache = openCache(s, t, "export", export.CacheKey(programID(), cfg, opts))
	}
	bar := newProgress(s, g, len(t.Content), "exporting")
	defer bar.Done()
	return export.RunTree(t, checked, opts, bar.Step)
}

func writeExportSummary(w io.Writer, man *export.Manifest, targets []locale.Locale) {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "LOCALE\tSTATUS\tCOMPLETE\tFALLBACKS\tNOTES")
	for _, t := range targets {
		lm := man.Locale(t.Name)
		if lm == nil {
			continue
		}
		fallbacks := lm.Fallbacks()
		notes := strings.Join(lm.Reasons, "; ")
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", lm.Locale, lm.Status, percent(lm.Completeness), fallbacks, notes)
		for _, ref := range lm.Refusals {
			fmt.Fprintf(tw, "\t\t\t\t  %s:%s %q — %s\n", ref.Article, ref.MessageID, ref.Source, ref.Reason)
		}
	}
	tw.Flush()
}
