package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/project"
)

// streams are the command's output writers, what to save when the command
// did not fail on bad input (the caches, each in its own files), and what
// to release when it is done (the project lock).
type streams struct {
	out, err  io.Writer
	onSuccess []func() error
	release   []func()
}

// isTerminal reports whether w is a terminal (for colour and progress).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// color reports whether to colour output written to w.
func color(w io.Writer) bool {
	return os.Getenv("NO_COLOR") == "" && isTerminal(w)
}

// globalOptions are the flags every command has.
type globalOptions struct {
	configPath string
	quiet      bool
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func newRootCmd(s *streams) *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:   "healthi18n",
		Short: "Carry health articles into other languages without ever dropping a safety warning",
		Long: `healthi18n splits source articles (content/*.md, *.txt) into message bundles,
keeps one translator file per article and language (locales/<lang>/<slug>.<lang>.toml),
checks every locale for completeness and safety, and exports per-language articles.

Exit status: 0 success (warnings allowed); 1 check findings at the failing level or
an export refused by policy; 2 bad input, configuration or usage (nothing written).`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(s.out)
	root.SetErr(s.err)
	root.PersistentFlags().StringVar(&g.configPath, "config", "", "configuration file (default ./healthi18n.yaml)")
	root.PersistentFlags().BoolVarP(&g.quiet, "quiet", "q", false, "print only problems")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.AddCommand(
		newSplitCmd(s, g),
		newAcceptCmd(s, g),
		newStatusCmd(s, g),
		newCheckCmd(s, g),
		newExportCmd(s, g),
		newBuildCmd(s, g),
	)
	for _, c := range root.Commands() {
		c.SilenceUsage = true
	}
	return root
}

// loadProject reads the configuration (file, environment, the command's
// flags), takes the project lock (exclusive when the command writes) and
// reads the whole tree. Main releases the lock when the command is done.
func loadProject(s *streams, g *globalOptions, flags *pflag.FlagSet, writes bool) (*project.Project, error) {
	t, err := openTree(s, g, flags, writes)
	if err != nil {
		return nil, err
	}
	bar := newProgress(s, g, len(t.Content), "reading")
	defer bar.Done()
	return t.Load(bar.Step)
}

// openTree reads the configuration, takes the project lock and lists the
// tree's articles without reading them.
func openTree(s *streams, g *globalOptions, flags *pflag.FlagSet, writes bool) (*project.Tree, error) {
	cfg, err := config.Load(config.Options{Path: g.configPath, Flags: flags})
	if err != nil {
		return nil, err
	}
	unlock, err := project.Lock(cfg, writes, func(path string) {
		fmt.Fprintf(s.err, "healthi18n: waiting for another run to finish (%s)\n", path)
	})
	if err != nil {
		return nil, err
	}
	s.release = append(s.release, unlock)
	return project.Open(cfg)
}

// noArgs rejects positional arguments as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return &usageError{fmt.Errorf("%s takes no arguments, got %q", cmd.CommandPath(), args)}
	}
	return nil
}

// percent shows a completeness figure rounded down, as the check report
// does, so that an incomplete locale never reads 100.0%.
func percent(p float64) string {
	return fmt.Sprintf("%.1f%%", math.Floor(p*10)/10)
}

// count writes "1 file" or "2 files".
func count(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
