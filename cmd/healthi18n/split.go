package main

import (
	"bufio"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/healthi18n/healthi18n/internal/project"
)

type splitOptions struct {
	prune   bool
	locales []string
	noCache bool
}

func newSplitCmd(s *streams, g *globalOptions) *cobra.Command {
	o := &splitOptions{}
	cmd := &cobra.Command{
		Use:   "split",
		Short: "Split articles into the source bundle and sync every translator file",
		Long: `split parses every article in the content directory, writes its source bundle
(locales/<source>/<slug>.<source>.toml, generated: do not edit) and creates or
updates the translator file of every target locale: new messages are added
empty with their context, translated messages whose source changed are marked
stale (with the old text and a word diff), orphaned messages are reported and
removed only with --prune. Translations and translators' comments are never
changed. Files are written atomically and only when their content changes; a
run that finds bad input writes nothing.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := openTree(s, g, cmd.Flags(), true)
			if err != nil {
				return err
			}
			return runSplit(s, g, t, o)
		},
	}
	cmd.Flags().BoolVar(&o.prune, "prune", false, "remove orphaned messages and translator files")
	cmd.Flags().StringSliceVar(&o.locales, "locale", nil, "sync only these target locales (repeatable)")
	cmd.Flags().BoolVar(&o.noCache, "no-cache", false, "neither use nor update the cache of unchanged articles ("+cacheDir+"/)")
	return cmd
}

func runSplit(s *streams, g *globalOptions, t *project.Tree, o *splitOptions) error {
	p, plan, written, err := splitTree(s, g, t, o.locales, o.prune, o.noCache)
	if err != nil {
		return err
	}
	printSplitSummary(s, g, p, plan, written, o.prune)
	return nil
}

// splitTree plans the split unit by unit (with a progress bar on a
// terminal) and applies it. Unless noCache, articles whose split changed
// nothing last time and whose files are unchanged since are not parsed
// again. The project it returns has no units, only the orphan files, for
// the summary.
func splitTree(s *streams, g *globalOptions, t *project.Tree, locales []string, prune, noCache bool) (*project.Project, *project.Plan, []string, error) {
	p := &project.Project{Config: t.Config}
	targets, err := p.Targets(locales)
	if err != nil {
		return nil, nil, nil, err
	}
	opts := project.SplitOptions{Prune: prune, Locales: targets}
	if !noCache {
		opts.Cache = openCache(s, t, "split", project.SplitCacheKey(programID(), t, opts))
	}
	bar := newProgress(s, g, t.Units(), "splitting")
	plan, orphans, err := t.Split(opts, bar.Step)
	bar.Done()
	if err != nil {
		return nil, nil, nil, err
	}
	p.OrphanFiles = orphans
	written, err := plan.Apply()
	if err != nil {
		return nil, nil, nil, err
	}
	return p, plan, written, nil
}

func printSplitSummary(s *streams, g *globalOptions, p *project.Project, plan *project.Plan, written []string, prune bool) {
	// A line per changed file, tens of thousands in a large tree: written
	// through a buffer, piece by piece.
	out := bufio.NewWriter(s.out)
	defer out.Flush()
	list := func(ids []string) {
		for i, id := range ids {
			if i > 0 {
				out.WriteString(", ")
			}
			out.WriteString(id)
		}
	}
	for c := range plan.AllChanges() {
		if g.quiet && len(c.Stale)+len(c.Orphans) == 0 {
			continue
		}
		out.WriteString(c.Path)
		out.WriteString(": ")
		sep := ""
		if n := len(c.Added); n > 0 {
			fmt.Fprintf(out, "%d new", n)
			sep = "; "
		}
		if n := len(c.Stale); n > 0 {
			fmt.Fprintf(out, "%s%d stale (", sep, n)
			list(c.Stale)
			out.WriteString(")")
			sep = "; "
		}
		if n := len(c.Orphans); n > 0 {
			verb := "orphaned, kept (remove with --prune)"
			if c.Pruned {
				verb = "orphaned, removed"
			}
			fmt.Fprintf(out, "%s%d %s: ", sep, n, verb)
			list(c.Orphans)
		}
		out.WriteString("\n")
	}
	for _, f := range p.OrphanFiles {
		if prune {
			fmt.Fprintf(out, "%s: removed (no article)\n", p.Rel(f))
		} else {
			fmt.Fprintf(out, "%s: belongs to no article (remove with --prune)\n", p.Rel(f))
		}
	}
	if g.quiet {
		return
	}
	fmt.Fprintf(out, "split: %s, %s, %s; %s; %s written\n",
		count(plan.Articles, "article", "articles"), count(plan.Messages, "message", "messages"),
		count(plan.Safety, "safety message", "safety messages"), count(len(p.Config.Targets), "target locale", "target locales"),
		count(len(written), "file", "files"))
}
