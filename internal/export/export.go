package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/healthi18n/healthi18n/internal/article"
	"github.com/healthi18n/healthi18n/internal/batchwrite"
	"github.com/healthi18n/healthi18n/internal/cache"
	"github.com/healthi18n/healthi18n/internal/check"
	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/locale"
	"github.com/healthi18n/healthi18n/internal/project"
)

// Options tunes an export run.
type Options struct {
	// Dist is the output directory.
	Dist string
	// Locales limits the run (all targets if empty).
	Locales []locale.Locale
	Policy  Policy
	// Cache, if not nil, remembers what each article gave in each locale
	// and the hash and mode of each file it wrote, so that an article whose
	// inputs and outputs in dist/ are unchanged is neither read nor
	// rendered again: its files are linked from the old output, and a run
	// that would change nothing leaves dist/ as it is. It needs
	// Units.Key, the reads, and a check result from check.RunTree on the
	// same tree (its Slugs; articles it did not see are not cached); open
	// it with CacheKey.
	Cache *cache.Cache `json:"-"`
}

// CacheKey is what, besides the files, decides an export: the program (an
// identity of the running binary), the configuration and the options.
func CacheKey(program []byte, cfg *config.Config, opts Options) []byte {
	return cache.Key(program, cfg, opts)
}

// Units is where export reads the units from: a loaded project, or a
// project.Tree read one unit at a time (see RunTree).
type Units struct {
	Config *config.Config
	// N is the number of articles, and Article(i) loads the i-th with the
	// files it was read from.
	N       int
	Article func(i int) (*project.Unit, []project.Read, error)
	// Key names the i-th article in the cache (needed with a cache).
	Key func(i int) string
	// UI is the pipeline's own strings (nil if the project has none), and
	// UIReads the files they were read from.
	UI      *project.Unit
	UIReads []project.Read
	// Progress, if not nil, is called once per article written.
	Progress func()
}

// Run exports every selected locale of a loaded project.
func Run(p *project.Project, r *check.Result, opts Options) (*Manifest, error) {
	src := Units{Config: p.Config}
	var arts []*project.Unit
	for _, u := range p.Units {
		if u.Article == nil {
			src.UI = u
			continue
		}
		arts = append(arts, u)
	}
	src.N = len(arts)
	src.Article = func(i int) (*project.Unit, []project.Read, error) { return arts[i], nil, nil }
	opts.Cache = nil // a loaded project has no reads to key it on
	return RunUnits(src, FromResult(r), opts)
}

// RunTree exports a tree, reading, writing and dropping one article at a
// time, so memory does not grow with the corpus beyond the manifest.
func RunTree(t *project.Tree, c *Checked, opts Options, progress func()) (*Manifest, error) {
	ui, uiReads, err := t.LoadUI()
	if err != nil {
		return nil, err
	}
	return RunUnits(Units{Config: t.Config, N: len(t.Content), UI: ui, UIReads: uiReads, Progress: progress,
		Article: t.LoadArticle, Key: t.UnitKey}, c, opts)
}

// RunUnits exports every selected locale. The whole new output, with the
// manifest, is staged beside dist/, each article verified there, and then
// swapped with dist/ in one atomic step, so that dist/ always holds either
// the old or the new complete output. A locale that policy refuses (or that
// fails verification) gets no files: an earlier export of it is dropped, as
// it could lack a new warning. Locales outside this run are carried over.
//
// Articles are written in parallel, each in every locale; a locale's
// decision (strict refusals, verification) is taken once all are done.
// Check's findings are taken one article at a time from c, when the
// article is written, and dropped after it.
func RunUnits(src Units, c *Checked, opts Options) (*Manifest, error) {
	cfg := src.Config
	locales := opts.Locales
	if len(locales) == 0 {
		locales = cfg.Targets
	}
	parent, base := filepath.Dir(opts.Dist), filepath.Base(opts.Dist)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	cleanLeftovers(parent, base)
	stage, err := os.MkdirTemp(parent, "."+base+".new-")
	if err != nil {
		return nil, err
	}
	// After a successful swap the stage holds the old output.
	defer os.RemoveAll(stage)
	if err := os.Chmod(stage, 0o755); err != nil {
		return nil, err
	}
	uiProbs, err := c.problems(project.UIName, project.UIName)
	if err != nil {
		return nil, err
	}
	inRun := map[string]bool{"manifest.json": true}
	for _, lang := range locales {
		inRun[lang.Name] = true
	}
	// The manifest export left in dist/, if the cache knows it and it
	// holds no locale outside this run, need not be read: this run's
	// entries replace all of it.
	var recalled *[sha256.Size]byte
	man := &Manifest{Tool: "healthi18n"}
	if digest, locales, ok := recallManifest(opts.Cache, filepath.Join(opts.Dist, "manifest.json")); ok && allIn(locales, inRun) {
		recalled = &digest
	} else {
		man = readManifest(opts.Dist, inRun)
	}
	man.Source = cfg.Source.Name
	man.Policy = ManifestPolicy{Safety: opts.Policy.Safety, Missing: opts.Policy.Missing, MinComplete: opts.Policy.MinComplete}

	targets := make([]*target, len(locales))
	defer func() {
		for _, tg := range targets {
			if tg != nil {
				tg.entries.close()
			}
		}
	}()
	// slugs[i] is article i's slug, once it has an entry in a locale: its
	// files there are articleFiles of it.
	slugs := make([]string, src.N)
	for i, lang := range locales {
		tg := &target{lang: lang, dir: filepath.Join(stage, lang.Name),
			lm:      &LocaleManifest{Locale: lang.Name, Dir: lang.Direction(), Completeness: c.completeness(lang.Name)},
			entries: newEntries(stage, src.N), refusals: make([][]Refusal, src.N), verr: make([]*VerifyError, src.N)}
		targets[i] = tg
		if tg.lm.Completeness < opts.Policy.MinComplete {
			tg.lm.Reasons = append(tg.lm.Reasons, fmt.Sprintf("completeness %.2f%% is below the required %.0f%%", tg.lm.Completeness, opts.Policy.MinComplete))
			continue
		}
		tg.active = true
		tg.loc = newLocalizer(cfg, src.UI, lang, uiProbs)
		tg.n = notices{
			safetyLabel:  tg.loc.text("safety_label", nil),
			fallback:     tg.loc.text("fallback_notice", nil),
			untranslated: tg.loc.text("untranslated_notice", nil),
			withheld:     tg.loc.text("withheld_notice", nil),
		}
		if err := mkdirPlain(tg.dir); err != nil {
			return nil, err
		}
	}
	// reused[i]: article i came whole from the cache; its files are linked
	// from dist/ below, unless the run changes nothing at all.
	reused := make([]bool, src.N)
	errs := make([]error, src.N)
	// Every article shows the UI strings (labels, notices), so their files
	// and check's findings on them are named in each cache entry's name
	// rather than listed as its dependencies: a change to them misses every
	// entry, as it must. The article's own findings are named too: they
	// come from check's reading of the files, which an edit between check
	// and export could make differ from export's.
	uiTag := ""
	if opts.Cache != nil {
		tag, err := c.tag(project.UIName, project.UIName, locales)
		if err != nil {
			return nil, err
		}
		uiTag = "@ui:" + readsTag(src.UIReads) + tag
	}
	entryName := func(i int) (string, bool, error) {
		slug, ok := c.Slugs[src.Key(i)]
		if !ok {
			return "", false, nil // check did not see this article: no cache
		}
		tag, err := c.tag(src.Key(i), slug, locales)
		return src.Key(i) + uiTag + "@findings:" + tag, true, err
	}
	project.ForEach(src.N, func(i int) {
		if src.Progress != nil {
			defer src.Progress()
		}
		name, cached := "", false
		if opts.Cache != nil {
			var err error
			if name, cached, err = entryName(i); err != nil {
				errs[i] = err
				return
			}
		}
		if cached && reuseArticle(opts.Cache, name, targets, slugs, i) {
			reused[i] = true
			return
		}
		u, reads, err := src.Article(i)
		if err != nil {
			errs[i] = err
			return
		}
		key := ""
		if src.Key != nil {
			key = src.Key(i)
		}
		probs, err := c.problems(key, u.Source.Name)
		if err != nil {
			errs[i] = err
			return
		}
		// What the article gave in each locale, and the files written for
		// it, for the cache.
		recs := map[string]articleRecord{}
		var outputs []cache.Input
		var messages []string // listed by the last locale
		for _, tg := range targets {
			if !tg.active {
				continue
			}
			pieces := choose(u, tg.lang, probs, opts.Policy)
			if opts.Policy.Safety == "strict" {
				if tg.refusals[i] = refusals(map[string][]Piece{u.Source.Name: pieces}); len(tg.refusals[i]) > 0 {
					recs[tg.lang.Name] = articleRecord{Refusals: tg.refusals[i]}
					continue
				}
			}
			am, files, err := writeArticle(tg.dir, u.Article, pieces, tg.lang, cfg.Source.Name, tg.n, tg.loc)
			var verr *VerifyError
			if errors.As(err, &verr) {
				tg.verr[i] = verr
				recs[tg.lang.Name] = articleRecord{Verify: verr}
				continue
			}
			if err != nil {
				errs[i] = err
				return
			}
			am.Messages = sharedStrings(am.Messages, &messages)
			tg.entries.put(i, am)
			slugs[i] = am.Slug
			recs[tg.lang.Name] = articleRecord{Manifest: am}
			if cached {
				// Recorded under their dist/ path: the swap renames the
				// directory, so the files keep their identity.
				for _, f := range am.Files {
					info, err := os.Lstat(filepath.Join(stage, f))
					if err != nil {
						errs[i] = err
						return
					}
					outputs = append(outputs, cache.Input{Path: filepath.Join(opts.Dist, f), Info: info, Data: files[path.Base(f)]})
				}
			}
		}
		if cached {
			opts.Cache.Put(name, append(project.CacheInputs(reads), outputs...), encodeRecords(recs))
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	uiBundles := make([][]byte, len(targets))
	for ti, tg := range targets {
		lm := tg.lm
		if tg.active {
			for _, rs := range tg.refusals {
				lm.Refusals = append(lm.Refusals, rs...)
			}
			// By article slug, as the manifest documents.
			sort.SliceStable(lm.Refusals, func(i, j int) bool { return lm.Refusals[i].Article < lm.Refusals[j].Article })
			if len(lm.Refusals) > 0 {
				lm.Reasons = append(lm.Reasons, fmt.Sprintf("%d safety message(s) not translated and clean under safety: strict", len(lm.Refusals)))
			}
			for _, v := range tg.verr {
				if v != nil && len(lm.Reasons) == 0 {
					// Not published: the locale is refused with the reason.
					lm.Reasons = append(lm.Reasons, v.Error())
				}
			}
		}
		if len(lm.Reasons) > 0 {
			lm.Status = StatusRefused
		} else {
			lm.Status = StatusComplete
			lm.stored, lm.storedFallbacks = tg.entries, int(tg.entries.fallbacks.Load())
			if lm.storedFallbacks > 0 {
				lm.Status = StatusPartial
			}
			if src.UI != nil {
				if uiBundles[ti], err = renderUIBundle(src.UI, tg.lang, uiProbs); err != nil {
					return nil, err
				}
			}
		}
		man.set(*lm)
	}
	if opts.Cache != nil && !slices.Contains(reused, false) {
		if holds, seen := distHolds(opts.Dist, inRun, targets, slugs, uiBundles, man, recalled); holds {
			// Every article came from the cache with its files intact in
			// dist/, and the manifest and UI bundles are the same: dist/
			// is already this run's output.
			if seen != nil {
				rememberManifest(opts.Cache, filepath.Join(opts.Dist, "manifest.json"), seen.info, seen.sum, man)
			}
			return man.unstored(), nil
		}
	}
	for ti, tg := range targets {
		if tg.lm.Status == StatusRefused {
			if err := os.RemoveAll(tg.dir); err != nil {
				return nil, err
			}
			continue
		}
		if err := linkReused(opts.Dist, stage, tg, slugs, reused); err != nil {
			return nil, err
		}
		if uiBundles[ti] != nil {
			if err := writePlain(filepath.Join(tg.dir, uiBundleName(tg.lang)), uiBundles[ti]); err != nil {
				return nil, err
			}
		}
	}
	if err := carryOver(opts.Dist, stage, inRun); err != nil {
		return nil, err
	}
	manSum, err := man.write(filepath.Join(stage, "manifest.json"))
	if err != nil {
		return nil, err
	}
	manInfo, err := os.Lstat(filepath.Join(stage, "manifest.json"))
	if err != nil {
		return nil, err
	}
	if err := batchwrite.Flush(stage); err != nil {
		return nil, err
	}
	if err := swap(stage, opts.Dist); err != nil {
		return nil, err
	}
	// Recorded under its dist/ path, as the articles' files are.
	rememberManifest(opts.Cache, filepath.Join(opts.Dist, "manifest.json"), manInfo, manSum, man)
	return man.unstored(), nil
}

// reuseArticle takes article i from the cache if its inputs and dist/
// files are unchanged and it has a well-formed record for every active
// locale. The cache compares the files' modes too: a dist/ file whose mode
// was changed is written again, as a full run would.
func reuseArticle(c *cache.Cache, name string, targets []*target, slugs []string, i int) bool {
	v, ok := c.Get(name)
	if !ok {
		return false
	}
	recs, err := decodeRecords(v)
	if err != nil {
		return false
	}
	for _, tg := range targets {
		if !tg.active {
			continue
		}
		if r, ok := recs[tg.lang.Name]; !ok || !r.wellFormed(tg.lang.Name) {
			return false
		}
	}
	for _, tg := range targets {
		if tg.active {
			r := recs[tg.lang.Name]
			if r.Manifest != nil {
				tg.entries.put(i, r.Manifest)
				slugs[i] = r.Manifest.Slug
			}
			tg.refusals[i], tg.verr[i] = r.Refusals, r.Verify
		}
	}
	return true
}

// findingsTag is a hash of check's findings on the messages of unit slug
// in the given locales: what choose decides by.
func findingsTag(probs problems, slug string, locales []locale.Locale) string {
	h := sha256.New()
	for _, lang := range locales {
		byID := probs[lang.Name][slug]
		ids := make([]string, 0, len(byID))
		for id := range byID {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		fmt.Fprintf(h, "%q{", lang.Name)
		for _, id := range ids {
			for _, f := range byID[id] {
				fmt.Fprintf(h, "%q %q %q %q %t;", f.MessageID, f.Rule, f.Severity, f.Message, f.Safety)
			}
		}
		h.Write([]byte("}"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// readsTag is a hash of the files in reads (their paths and contents, or
// absence).
func readsTag(reads []project.Read) string {
	h := sha256.New()
	for _, r := range reads {
		fmt.Fprintf(h, "%d:%s", len(r.Path), r.Path)
		if r.Info == nil {
			h.Write([]byte{0})
			continue
		}
		fmt.Fprintf(h, "\x01%d:", len(r.Data))
		h.Write(r.Data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// plainDir reports whether path is a directory with mode 0755, as export
// makes them.
func plainDir(path string) bool {
	info, err := os.Lstat(path)
	return err == nil && info.IsDir() && info.Mode().Perm() == 0o755
}

// linkReused links the files of the articles taken from the cache from
// dist/ into the stage, in tg's locale.
func linkReused(dist, stage string, tg *target, slugs []string, reused []bool) error {
	errs := make([]error, len(reused))
	project.ForEach(len(reused), func(i int) {
		if !reused[i] || !tg.entries.has(i) {
			return
		}
		for _, f := range articleFiles(tg.lang.Name, slugs[i]) {
			if err := linkFile(filepath.Join(dist, f), filepath.Join(stage, f)); err != nil {
				errs[i] = err
				return
			}
		}
	})
	return errors.Join(errs...)
}

// distHolds reports whether dist/ holds exactly what this run would swap in
// for its locales (inRun, with manifest.json): the same manifest, each
// refused locale absent, each exported one with exactly its articles' files
// (whose content and mode the cache has just confirmed) and the same UI
// bundle. seen is the manifest as found, when it was compared by reading
// it (not by its recalled digest).
func distHolds(dist string, inRun map[string]bool, targets []*target, slugs []string, uiBundles [][]byte, man *Manifest, recalled *[sha256.Size]byte) (holds bool, seen *manifestFile) {
	if !plainDir(dist) {
		return false, nil
	}
	// What this run does not write must be what carryOver would make of
	// it: directories and regular files only.
	entries, err := os.ReadDir(dist)
	if err != nil {
		return false, nil
	}
	for _, e := range entries {
		if inRun[e.Name()] {
			continue
		}
		if !e.IsDir() && !e.Type().IsRegular() {
			return false, nil
		}
		if e.IsDir() && filepath.WalkDir(filepath.Join(dist, e.Name()), func(p string, d os.DirEntry, err error) error {
			if err != nil || (d.IsDir() && !plainDir(p)) || (!d.IsDir() && !d.Type().IsRegular()) {
				return errors.New("not as carried over")
			}
			return nil
		}) != nil {
			return false, nil
		}
	}
	same, seen := sameManifest(dist, man, recalled)
	if !same {
		return false, nil
	}
	for ti, tg := range targets {
		dir := filepath.Join(dist, tg.lang.Name)
		if tg.lm.Status == StatusRefused {
			if _, err := os.Lstat(dir); !errors.Is(err, os.ErrNotExist) {
				return false, nil
			}
			continue
		}
		if !plainDir(dir) {
			return false, nil
		}
		want := map[string]bool{}
		for i := range slugs {
			if tg.entries.has(i) {
				for _, f := range articleFiles(tg.lang.Name, slugs[i]) {
					want[path.Base(f)] = true
				}
			}
		}
		if uiBundles[ti] != nil {
			want[uiBundleName(tg.lang)] = true
			ui := filepath.Join(dir, uiBundleName(tg.lang))
			if info, err := os.Lstat(ui); err != nil || info.Mode() != 0o644 {
				return false, nil
			}
			if old, err := os.ReadFile(ui); err != nil || !bytes.Equal(old, uiBundles[ti]) {
				return false, nil
			}
		}
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) != len(want) {
			return false, nil
		}
		for _, e := range entries {
			if !want[e.Name()] || !e.Type().IsRegular() {
				return false, nil
			}
		}
	}
	return true, seen
}

// sameManifest reports whether dist/manifest.json is a plain 0644 file
// with what man renders: by digest when the cache recalled the file's (it
// has not changed since), else by rendering man and hashing both, and then
// seen is the file as compared, for the cache to remember.
func sameManifest(dist string, man *Manifest, recalled *[sha256.Size]byte) (same bool, seen *manifestFile) {
	path := filepath.Join(dist, "manifest.json")
	info, err := os.Lstat(path) // before reading, as the cache wants
	if err != nil || info.Mode() != 0o644 {
		return false, nil
	}
	if recalled != nil {
		if d, ok := man.digest(); ok {
			return d == *recalled, nil
		}
	}
	old, err := fileSum(path)
	if err != nil {
		return false, nil
	}
	if sum, err := man.sum(); err != nil || sum != old {
		return false, nil
	}
	return true, &manifestFile{info: info, sum: old}
}

// manifestFile is dist/manifest.json as found: its stat, taken before it
// was read, and the hash of what was read.
type manifestFile struct {
	info fs.FileInfo
	sum  [sha256.Size]byte
}

// manifestEntry names, in the export cache, the record of the manifest
// export left at path: its digest and its locales. No article's entry has
// such a name (theirs have "@ui:" in them).
func manifestEntry(path string) string { return "manifest:" + path }

// rememberManifest records in c (if any) that the file at path, with info
// and content hash sum, renders man.
func rememberManifest(c *cache.Cache, path string, info fs.FileInfo, sum [sha256.Size]byte, man *Manifest) {
	if c == nil {
		return
	}
	d, ok := man.digest()
	if !ok {
		return
	}
	value := append([]byte(nil), d[:]...)
	for _, lm := range man.Locales {
		value = append(value, lm.Locale...)
		value = append(value, '\n')
	}
	s := cache.Sum(sum)
	c.Put(manifestEntry(path), []cache.Input{{Path: path, Info: info, Sum: &s}}, value)
}

// recallManifest returns what c (if any) recorded of the manifest at path,
// if the file is still as recorded: its digest and its locales.
func recallManifest(c *cache.Cache, path string) (digest [sha256.Size]byte, locales []string, ok bool) {
	if c == nil {
		return digest, nil, false
	}
	v, ok := c.Get(manifestEntry(path))
	if !ok || len(v) < len(digest) || (len(v) > len(digest) && v[len(v)-1] != '\n') {
		return digest, nil, false
	}
	copy(digest[:], v)
	if rest := string(v[len(digest):]); rest != "" {
		locales = strings.Split(strings.TrimSuffix(rest, "\n"), "\n")
	}
	return digest, locales, true
}

// allIn reports whether every name is in set.
func allIn(names []string, set map[string]bool) bool {
	for _, n := range names {
		if !set[n] {
			return false
		}
	}
	return true
}

// target is one locale of an export run: the manifest so far, whether it
// is still being written, and what it needs to write.
type target struct {
	lang   locale.Locale
	lm     *LocaleManifest
	active bool
	dir    string
	n      notices
	loc    *localizer
	// Per article: its manifest entry, strict refusals, a verification
	// failure.
	entries  *entries
	refusals [][]Refusal
	verr     []*VerifyError
}

// writeArticle writes and verifies the three files of one article.
func writeArticle(dir string, a *article.Article, pieces []Piece, lang locale.Locale, srcLang string, n notices, loc *localizer) (*ArticleManifest, map[string][]byte, error) {
	am := &ArticleManifest{Slug: a.Slug}
	safety, fallbacks := 0, 0
	for _, pc := range pieces {
		am.Messages = append(am.Messages, pc.Msg.ID)
		switch {
		case pc.Omitted:
			am.Omitted++
		case pc.Fallback:
			am.Fallback++
		default:
			am.Translated++
		}
		if pc.Fallback || pc.Omitted {
			fallbacks++
			am.Fallbacks = append(am.Fallbacks, Fallback{MessageID: pc.Msg.ID, Safety: pc.Safety(), Omitted: pc.Omitted, Reason: pc.Reason})
		}
		if pc.Safety() {
			safety++
		}
	}
	d := renderMarkdown(a, pieces, n, lang.Name)
	pg := page{Lang: lang.Name, Dir: lang.Direction(), Title: plainText(&pieces[0], n)}
	if safety > 0 {
		pg.SafetyCount = loc.text("safety_count", map[string]any{"Count": safety})
	}
	if fallbacks > 0 {
		pg.FallbackCount = loc.text("fallback_count", map[string]any{"Count": fallbacks})
	}
	if a.Reviewed != "" {
		pg.Reviewed = loc.text("reviewed_on", map[string]any{"Date": a.Reviewed})
	}
	html, err := renderHTML(d, pg, n, srcLang)
	if err != nil {
		return nil, nil, err
	}
	jsonData, err := renderBundle(pieces, n)
	if err != nil {
		return nil, nil, err
	}
	mdName, htmlName, jsonName := articleNames(lang.Name, a.Slug)
	files := map[string][]byte{mdName: d.File, htmlName: html, jsonName: jsonData}
	for name, data := range files {
		if err := writePlain(filepath.Join(dir, name), data); err != nil {
			return nil, nil, err
		}
	}
	am.Files = articleFiles(lang.Name, a.Slug)
	if err := verify(dir, a.Slug, lang.Name, pieces, d); err != nil {
		return nil, nil, err
	}
	return am, files, nil
}

// articleFiles are the files of article slug in locale lang, relative to
// dist/, in order: what writeArticle writes, and what a cached entry must
// list.
func articleFiles(lang, slug string) []string {
	md, html, json := articleNames(lang, slug)
	files := []string{lang + "/" + md, lang + "/" + html, lang + "/" + json}
	sort.Strings(files)
	return files
}

// articleNames are the names of article slug's files in locale lang's
// directory: its Markdown, its HTML and its JSON bundle.
func articleNames(lang, slug string) (md, html, json string) {
	return slug + ".md", slug + ".html", slug + "." + lang + ".json"
}

// VerifyError reports that an exported file lacks a safety message.
type VerifyError struct {
	File, MessageID, Problem string
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("export verification failed: %s: safety message %s %s", e.File, e.MessageID, e.Problem)
}

// verify re-reads what was written and checks that every safety message of
// the source is present in the Markdown, the HTML and the JSON bundle.
func verify(dir, slug, lang string, pieces []Piece, d *mdDoc) error {
	md, err := os.ReadFile(filepath.Join(dir, slug+".md"))
	if err != nil {
		return err
	}
	html, err := os.ReadFile(filepath.Join(dir, slug+".html"))
	if err != nil {
		return err
	}
	jsonName := slug + "." + lang + ".json"
	jsonData, err := os.ReadFile(filepath.Join(dir, jsonName))
	if err != nil {
		return err
	}
	mf, err := i18n.ParseMessageFileBytes(jsonData, jsonName, nil)
	if err != nil {
		return &VerifyError{File: jsonName, Problem: "bundle does not load in go-i18n: " + err.Error()}
	}
	inBundle := map[string]string{}
	for _, m := range mf.Messages {
		inBundle[m.ID] = m.Other
	}
	for _, pc := range pieces {
		if !pc.Safety() {
			continue
		}
		id := pc.Msg.ID
		if pc.Omitted || pc.Text == "" {
			return &VerifyError{File: slug, MessageID: id, Problem: "was omitted"}
		}
		want, ok := d.inserted[id]
		if !ok || !bytes.Contains(md, []byte(want)) {
			return &VerifyError{File: slug + ".md", MessageID: id, Problem: "is missing"}
		}
		if pc.Msg.Kind != article.KindAlt && !bytes.Contains(html, []byte(`data-hi18n-msg="`+id+`"`)) {
			return &VerifyError{File: slug + ".html", MessageID: id, Problem: "is missing"}
		}
		if strings.TrimSpace(inBundle[id]) == "" {
			return &VerifyError{File: jsonName, MessageID: id, Problem: "is missing"}
		}
	}
	return nil
}

// carryOver links everything of the old output that this run does not
// replace (other locales, files a publisher put there) into the stage.
func carryOver(dist, stage string, inRun map[string]bool) error {
	entries, err := os.ReadDir(dist)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if inRun[e.Name()] {
			continue
		}
		if err := linkTree(filepath.Join(dist, e.Name()), filepath.Join(stage, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// linkFile links src at dst, or copies it where linking fails.
func linkFile(src, dst string) error {
	if os.Link(src, dst) == nil {
		return nil
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return writePlain(dst, data)
}

// writePlain writes a dist/ file with mode 0644 whatever the umask, and
// mkdirPlain makes a dist/ directory 0755: every run, cached or not and
// under any umask, leaves the same modes (which the cache and distHolds
// compare).
func writePlain(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func mkdirPlain(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.Chmod(dir, 0o755)
}

// linkTree recreates src at dst with hard links (a copy where linking
// fails), so carrying a locale over costs no copy of its bytes.
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return mkdirPlain(target)
		case d.Type().IsRegular():
			return linkFile(path, target)
		}
		return nil // symbolic links and devices are not carried over
	})
}

// cleanLeftovers removes what a killed run left beside dist/: staged trees
// that were never swapped in, and old trees that were swapped out.
func cleanLeftovers(parent, base string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, "."+base+".new-") || strings.HasPrefix(name, "."+base+".old-") {
			os.RemoveAll(filepath.Join(parent, name))
		}
	}
}

// jsonMessage is one message of an exported go-i18n JSON bundle.
type jsonMessage struct {
	Description string `json:"description,omitempty"`
	Hash        string `json:"hash,omitempty"`
	Other       string `json:"other"`
	LeftDelim   string `json:"leftDelim"`
	RightDelim  string `json:"rightDelim"`
}

// renderBundle writes a go-i18n JSON bundle of an article. Article text
// holds no placeholders, so each message gets template delimiters that
// do not occur in its text: go-i18n then treats it as plain text, and a
// translation containing "{{template}}" stays inert data.
func renderBundle(pieces []Piece, n notices) ([]byte, error) {
	out := map[string]jsonMessage{}
	for i := range pieces {
		pc := &pieces[i]
		if pc.Omitted {
			continue
		}
		text := pc.Text
		desc := ""
		if pc.Fallback {
			text += " (" + n.forPiece(pc) + ")"
			desc = "fallback: source text shown because " + pc.Reason
		}
		l, r := delims(text)
		out[pc.Msg.ID] = jsonMessage{Description: desc, Hash: pc.Msg.Hash(), Other: text, LeftDelim: l, RightDelim: r}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(true)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// delims returns template delimiters absent from text.
func delims(text string) (string, string) {
	l, r := "⟦hi18n⟦", "⟧hi18n⟧"
	for strings.Contains(text, l) || strings.Contains(text, r) {
		l, r = l+"⟦", r+"⟧"
	}
	return l, r
}
