package main

import (
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/healthi18n/healthi18n/internal/cache"
	"github.com/healthi18n/healthi18n/internal/check"
	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/export"
	"github.com/healthi18n/healthi18n/internal/inputerr"
	"github.com/healthi18n/healthi18n/internal/project"
	"github.com/healthi18n/healthi18n/internal/qa"
	"github.com/healthi18n/healthi18n/internal/replay"
	"github.com/healthi18n/healthi18n/internal/report"
	"github.com/healthi18n/healthi18n/internal/splice"
)

type checkOptions struct {
	locales    []string
	format     string
	safetyOnly bool
	failOn     string
	noCache    bool
}

// addPolicyFlags declares the policy flags shared by check, export and
// build; config.Load reads them from the command's flag set.
func addPolicyFlags(cmd *cobra.Command) {
	cmd.Flags().String("safety", "", "safety policy: strict or fallback (overrides policy.safety)")
	cmd.Flags().String("missing", "", "missing-translation policy: fallback or omit (overrides policy.missing)")
	cmd.Flags().Float64("min-complete", 0, "percent of current translations each locale needs (overrides policy.min_complete)")
}

func newCheckCmd(s *streams, g *globalOptions) *cobra.Command {
	o := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check every locale: completeness, the safety gate and translation QA",
		Long: `check reports, per locale, what is missing, empty, stale, orphaned or left in
the source language, and runs the QA rules (placeholders, links, inline code,
emphasis, numbers and units, negation in safety messages, bidi and zero-width
characters, plural forms). A safety message that is missing, stale, untranslated
or fails a QA rule is always an error.

Exit status: 0 no finding at the --fail-on level; 1 findings at that level
(or a locale below --min-complete); 2 bad input or usage.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !validFormat(o.format) {
				return &usageError{fmt.Errorf("--format must be one of %s, got %q", strings.Join(report.Formats, ", "), o.format)}
			}
			failOn := check.Severity(o.failOn)
			if failOn != check.Error && failOn != check.Warning {
				return &usageError{fmt.Errorf("--fail-on must be error or warning, got %q", o.failOn)}
			}
			t, err := openTree(s, g, cmd.Flags(), false)
			if err == nil {
				err = runCheck(s, g, t, o, failOn)
			}
			if o.format == "github" {
				annotateInputErrors(s.out, err)
			}
			return err
		},
	}
	cmd.Flags().StringSliceVar(&o.locales, "locale", nil, "check only these locales (repeatable)")
	cmd.Flags().StringVar(&o.format, "format", "text", "output: "+strings.Join(report.Formats, ", "))
	cmd.Flags().BoolVar(&o.safetyOnly, "safety-only", false, "report findings on safety messages only")
	cmd.Flags().StringVar(&o.failOn, "fail-on", "error", "lowest severity that fails the run: error or warning")
	cmd.Flags().BoolVar(&o.noCache, "no-cache", false, "neither use nor update the result cache ("+cacheDir+"/)")
	addPolicyFlags(cmd)
	return cmd
}

// cacheDir holds the caches of check and split, beside the configuration
// file.
const cacheDir = ".healthi18n-cache"

// runCheck checks the tree and writes the report. When the outcome of
// every unit is the same as in the run that wrote the last report (the
// same digest under the same cache key and report options), that report
// is written again as it was kept, without assembling or rendering it.
// When only some units changed, a text report is laid out from the kept
// one (package splice): only the changed units' findings are rendered.
func runCheck(s *streams, g *globalOptions, t *project.Tree, o *checkOptions, failOn check.Severity) error {
	// A text report is laid out from the check's summary, which is not
	// needed when the kept report is written again whole (nothing
	// changed); the other formats are made from the whole result.
	summarize := check.SummarizeLater
	if o.format == "text" {
		summarize = check.SummarizeAfterMiss
		if o.noCache {
			summarize = check.SummarizeAlways
		}
	}
	outs, cacheKey, err := collectCheck(s, g, t, o, failOn, summarize)
	if err != nil {
		return err
	}
	ropts := reportOptions(s, t.Config.Dir, o.format)
	if cacheKey == nil && o.format == "text" {
		failed, err := splice.WriteFresh(s.out, outs, ropts)
		if err != nil {
			return err
		}
		return verdict(failed)
	}
	if cacheKey == nil {
		r, err := outs.Result()
		if err != nil {
			return err
		}
		if err := report.Write(s.out, o.format, r, ropts); err != nil {
			return err
		}
		return verdict(r.Failed())
	}
	// One record per format and colour, so that a terminal and a pipe, or
	// text and SARIF in one CI job, do not replace each other's.
	name := "check-report." + o.format
	colorFlag := []byte{0}
	if ropts.Color {
		name += "-color"
		colorFlag[0] = 1
	}
	path := filepath.Join(t.Config.Dir, cacheDir, name)
	// The family is what the report is made from but the outcomes: the
	// lines of a unit's findings in text reports of one family are the
	// same while its outcome is.
	family := replay.NewKey([]byte("check report v2"), cacheKey, []byte(o.format), colorFlag,
		[]byte(ropts.Tool), []byte(ropts.Version), []byte(ropts.SourceRoot))
	digest := outs.Digest()
	reportKey := replay.NewKey(family[:], digest[:])
	if o.format == "text" {
		done, err := splice.Write(s.out, outs, path, reportKey, family, ropts)
		if err != nil {
			return err
		}
		if done.Commit != nil {
			keepReport(s, done.Commit)
		}
		return verdict(done.Failed)
	}
	// The other formats are written whole or replayed whole.
	if failed, ok, err := replay.Replay(s.out, path, reportKey); err != nil {
		return err
	} else if ok {
		return verdict(failed)
	}
	r, err := outs.Result()
	if err != nil {
		return err
	}
	rec := replay.Record(s.out, path, reportKey, replay.Key{}, r.Failed())
	if err := report.Write(rec, o.format, r, ropts); err != nil {
		rec.Abort()
		return err
	}
	keepReport(s, func() error { return rec.Commit(nil) })
	return verdict(r.Failed())
}

// keepReport has the report's record made if the run succeeds (it is
// kept only if written whole, and saved with the caches).
func keepReport(s *streams, commit func() error) {
	s.onSuccess = append(s.onSuccess, commit)
}

// verdict is the error a finished check returns: none, or a policy
// failure (exit 1).
func verdict(failed bool) error {
	if failed {
		return &policyError{}
	}
	return nil
}

// runCheckTree checks the tree for the commands that export (export,
// build): the summary of the check, and its verdict as export reads it,
// which decodes each article's findings only when export writes the
// article.
func runCheckTree(s *streams, g *globalOptions, t *project.Tree, o *checkOptions, failOn check.Severity) (*check.Summary, *export.Checked, error) {
	outs, _, err := collectCheck(s, g, t, o, failOn, check.SummarizeAlways)
	if err != nil {
		return nil, nil, err
	}
	sum, err := outs.Summary()
	if err != nil {
		return nil, nil, err
	}
	return sum, export.FromSummary(sum, outs), nil
}

// collectCheck checks the tree unit by unit, through the result cache
// unless --no-cache, with a progress bar on a terminal, summing units up
// as summarize says. key is the cache's key (nil without a cache).
func collectCheck(s *streams, g *globalOptions, t *project.Tree, o *checkOptions, failOn check.Severity, summarize check.Summarize) (outs *check.Outcomes, key []byte, err error) {
	opts, err := checkOptionsFor(t.Config, o.locales, o.safetyOnly, failOn)
	if err != nil {
		return nil, nil, err
	}
	bar := newProgress(s, g, t.Units(), "checking")
	defer bar.Done()
	topts := check.TreeOptions{Options: opts, Progress: bar.Step, Summarize: summarize}
	if !o.noCache {
		key = check.CacheKey(programID(), t, opts)
		topts.Cache = openCache(s, t, "check", key)
	}
	outs, err = check.Collect(t, topts)
	if err == nil {
		s.release = append(s.release, outs.Close)
	}
	return outs, key, err
}

// openCache opens the cache file name under cacheDir, saying on stderr when
// a damaged one is ignored, and has it saved when the run does not end on
// bad input.
func openCache(s *streams, t *project.Tree, name string, key []byte) *cache.Cache {
	c := cache.Open(filepath.Join(t.Config.Dir, cacheDir, name), key)
	if c.Problem != "" {
		fmt.Fprintf(s.err, "healthi18n: ignoring the cache %s (%s); it is rebuilt\n", filepath.Join(cacheDir, name), c.Problem)
	}
	s.onSuccess = append(s.onSuccess, c.Save)
	s.release = append(s.release, func() { c.Close() })
	return c
}

// programID identifies the running program for the cache key, so that a
// rebuilt binary never reuses results of another: the Go build ID that the
// go command puts in its executable, which changes with the binary's
// content, or else a hash of the whole executable. Reading the ID rather
// than hashing 15 MB saves every run ~10 ms.
func programID() []byte {
	exe, err := os.Executable()
	if err == nil {
		if id := goBuildID(exe); id != "" {
			return []byte("go build ID " + id)
		}
		var f *os.File
		if f, err = os.Open(exe); err == nil {
			defer f.Close()
			h := sha256.New()
			if _, err = io.Copy(h, f); err == nil {
				return h.Sum(nil)
			}
		}
	}
	// Unknown program: a key that matches no cache.
	return []byte(fmt.Sprintf("unknown %d", time.Now().UnixNano()))
}

// goBuildID is the build ID the go command wrote in the ELF executable at
// path, or "". Only an ID of the go command's own shape counts: four
// 20-character hashes joined by slashes, the last of them a hash of the
// binary's content. Builders that pass a fixed -buildid (Bazel's rules_go
// and Nix write "redacted") leave one that does not change with the
// program, so the executable is hashed instead.
func goBuildID(path string) string {
	f, err := elf.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := f.Section(".note.go.buildid")
	if s == nil {
		return ""
	}
	data, err := s.Data()
	if err != nil {
		return ""
	}
	return buildIDNote(data, f.ByteOrder)
}

// buildIDNote reads the ID from an ELF note: name size, description size
// and type (4 for a Go build ID), the name "Go\x00\x00", the description.
func buildIDNote(note []byte, order binary.ByteOrder) string {
	if len(note) < 16 || order.Uint32(note[0:]) != 4 || order.Uint32(note[8:]) != 4 || string(note[12:16]) != "Go\x00\x00" {
		return ""
	}
	n := order.Uint32(note[4:])
	if uint64(n) > uint64(len(note)-16) {
		return ""
	}
	id := string(note[16 : 16+n])
	parts := strings.Split(id, "/")
	if len(parts) != 4 {
		return ""
	}
	for _, p := range parts {
		if len(p) != 20 || strings.Trim(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
			return ""
		}
	}
	return id
}

func validFormat(f string) bool {
	for _, x := range report.Formats {
		if f == x {
			return true
		}
	}
	return false
}

// checkOptionsFor turns the configuration's policy and the flags into
// check options.
func checkOptionsFor(cfg *config.Config, locales []string, safetyOnly bool, failOn check.Severity) (check.Options, error) {
	targets, err := (&project.Project{Config: cfg}).Targets(locales)
	if err != nil {
		return check.Options{}, err
	}
	return check.Options{
		Locales:           targets,
		SafetyOnly:        safetyOnly,
		FailOn:            failOn,
		MinComplete:       cfg.Policy.MinComplete,
		SafetyFallback:    cfg.Policy.Safety == "fallback",
		QA:                qa.New(cfg.Negation),
		SameAsSourceAllow: cfg.SameAsSourceAllow,
	}, nil
}

// reportOptions are the report options for a check of the project in dir
// written to the command's stdout.
func reportOptions(s *streams, dir, format string) report.Options {
	return report.Options{
		Color: format == "text" && color(s.out), Tool: "healthi18n", Version: version(), SourceRoot: dir,
	}
}

// annotateInputErrors turns bad input into GitHub annotations too, so that
// a broken translator file shows on the pull request, not only in the log.
func annotateInputErrors(w io.Writer, err error) {
	var list inputerr.List
	var one *inputerr.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = inputerr.List{one}
	default:
		return
	}
	esc := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	prop := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
	for _, e := range list {
		fmt.Fprintf(w, "::error file=%s", prop.Replace(e.Path))
		if e.Line > 0 {
			fmt.Fprintf(w, ",line=%d,col=%d", e.Line, max(e.Col, 1))
		}
		fmt.Fprintf(w, ",title=healthi18n bad input::%s\n", esc.Replace(e.Msg))
	}
}
