package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/healthi18n/healthi18n/internal/locale"
)

func newAcceptCmd(s *streams, g *globalOptions) *cobra.Command {
	var unchanged bool
	cmd := &cobra.Command{
		Use:   "accept LOCALE ID...",
		Short: "Mark re-translated stale messages as current",
		Long: `accept tells healthi18n that the translations of the named messages in LOCALE
have been updated for the current source text: their hash moves to the current
source and the stale mark goes away. Nothing else changes; no hand-edited hashes.
An ID that is in several articles (title, description) is written SLUG:ID.

A translation that has not changed since its source did is refused: update it
first, or pass --unchanged when it already says what the new source says (the
source edit was, say, a typo fix).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return &usageError{fmt.Errorf("accept needs a locale and at least one message ID")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			lang, err := locale.Parse(args[0])
			if err != nil {
				return &usageError{err}
			}
			p, err := loadProject(s, g, cmd.Flags(), true)
			if err != nil {
				return err
			}
			targets, err := p.Targets([]string{lang.Name})
			if err != nil {
				return err
			}
			plan, notes, err := p.Accept(targets[0], args[1:], unchanged)
			if err != nil {
				return err
			}
			if _, err := plan.Apply(); err != nil {
				return err
			}
			for _, n := range notes {
				fmt.Fprintln(s.out, n)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&unchanged, "unchanged", false, "accept translations that were not edited since their source changed")
	return cmd
}
