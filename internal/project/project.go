// Package project owns the tree a configuration describes: it finds the
// source articles, parses them with the ID memory of their source bundles,
// reads every translator file of every target locale, and plans what split
// writes. It collects every input error before anything is written.
//
// It takes a validated config.Config and never reads configuration itself;
// it does not decide policy or exit codes.
package project

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/healthi18n/healthi18n/internal/article"
	"github.com/healthi18n/healthi18n/internal/bundle"
	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/inputerr"
	"github.com/healthi18n/healthi18n/internal/locale"
)

// UIName is the name of the pipeline's own strings: locales/<lang>/ui.<lang>.toml.
const UIName = "ui"

// Unit is one family of message files: an article (or the UI strings)
// with its source messages and every target's translator file.
type Unit struct {
	// Article is nil for the UI strings.
	Article *article.Article
	Source  *bundle.Source
	// SourcePath is the source bundle's path; OldSource its content before
	// this run (nil if absent).
	SourcePath string
	OldSource  *bundle.File
	// Files maps a target locale name to its translator file (nil if absent)
	// and Paths to where that file lives.
	Files map[string]*bundle.File
	Paths map[string]string
}

// Project is everything loaded from the tree.
type Project struct {
	Config *config.Config
	Units  []*Unit
	// OrphanFiles are translator files whose article no longer exists.
	OrphanFiles []string
}

// Targets returns the target locales, limited to only (if any given).
func (p *Project) Targets(only []string) ([]locale.Locale, error) {
	if len(only) == 0 {
		return p.Config.Targets, nil
	}
	var out []locale.Locale
	for _, name := range only {
		l, err := locale.Parse(name)
		if err != nil {
			return nil, inputerr.New("--locale", 0, 0, "%v", err)
		}
		found := false
		for _, t := range p.Config.Targets {
			if t.Name == l.Name {
				out = append(out, t)
				found = true
			}
		}
		if !found {
			return nil, inputerr.New("--locale", 0, 0, "%q is not a target locale of %s (targets: %s)", name, p.Config.File, names(p.Config.Targets))
		}
	}
	return out, nil
}

func names(ls []locale.Locale) string {
	var s []string
	for _, l := range ls {
		s = append(s, l.Name)
	}
	return strings.Join(s, ", ")
}

// BundlePath is where the file of name (a slug or "ui") for lang lives.
func (p *Project) BundlePath(lang, name string) string {
	return filepath.Join(p.Config.Path(p.Config.Locales), lang, name+"."+lang+".toml")
}

// Load reads the whole tree. Every bad file is reported (as an
// inputerr.List) before the caller writes anything.
func Load(cfg *config.Config) (*Project, error) {
	p := &Project{Config: cfg}
	det, err := cfg.Detector()
	if err != nil {
		return nil, err
	}
	files, err := contentFiles(cfg)
	if err != nil {
		return nil, err
	}
	var errs inputerr.List
	add := func(err error) {
		var e *inputerr.Error
		var l inputerr.List
		switch {
		case errors.As(err, &l):
			errs = append(errs, l...)
		case errors.As(err, &e):
			errs.Add(e)
		default:
			errs.Add(inputerr.Wrap("", 0, 0, err))
		}
	}
	// Files are parsed in parallel; results are merged in file order, so
	// the outcome (units, errors) does not depend on scheduling.
	type loaded struct {
		u   *Unit
		err error
	}
	arts := make([]loaded, len(files))
	ForEach(len(files), func(i int) {
		u, err := p.loadArticle(files[i], det)
		arts[i] = loaded{u, err}
	})
	slugs := map[string]string{}
	for i, r := range arts {
		if r.err != nil {
			add(r.err)
			continue
		}
		if other, dup := slugs[r.u.Source.Name]; dup {
			errs.Add(inputerr.New(p.rel(files[i]), 0, 0, "article slug %q is also used by %s; slugs must be unique", r.u.Source.Name, other))
			continue
		}
		slugs[r.u.Source.Name] = p.rel(files[i])
		p.Units = append(p.Units, r.u)
	}
	if u, err := p.loadUI(); err != nil {
		add(err)
	} else if u != nil {
		p.Units = append(p.Units, u)
	}
	type job struct {
		u    *Unit
		lang string
		path string
		f    *bundle.File
		err  error
	}
	var jobs []job
	for _, u := range p.Units {
		for _, t := range cfg.Targets {
			jobs = append(jobs, job{u: u, lang: t.Name, path: p.BundlePath(t.Name, u.Source.Name)})
		}
	}
	ForEach(len(jobs), func(i int) {
		jobs[i].f, jobs[i].err = readBundle(jobs[i].path, p.rel(jobs[i].path), cfg.Limits.MaxFileBytes)
	})
	for _, j := range jobs {
		j.u.Paths[j.lang] = j.path
		if j.err != nil {
			add(j.err)
			continue
		}
		j.u.Files[j.lang] = j.f
	}
	p.OrphanFiles = p.findOrphanFiles(slugs)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs.Err()
	}
	return p, nil
}

// rel shows a path relative to the configuration directory, as users
// wrote it, in messages.
func (p *Project) rel(path string) string {
	if r, err := filepath.Rel(p.Config.Dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

// Rel is rel for callers outside the package.
func (p *Project) Rel(path string) string { return p.rel(path) }

func (p *Project) loadArticle(path string, det *article.Detector) (*Unit, error) {
	rel := p.rel(path)
	data, err := readLimited(path, rel, p.Config.Limits.MaxFileBytes)
	if err != nil {
		return nil, err
	}
	slug, err := article.SlugFromPath(path)
	if err != nil {
		return nil, inputerr.Wrap(rel, 0, 0, err)
	}
	// The slug may be changed by front matter id:; look for the source
	// bundle under the file name first, then again under the new slug.
	srcLang := p.Config.Source.Name
	oldPath := p.BundlePath(srcLang, slug)
	old, err := readBundle(oldPath, p.rel(oldPath), p.Config.Limits.MaxFileBytes)
	if err != nil {
		return nil, err
	}
	a, err := article.Parse(rel, data, article.Options{Detector: det, Previous: bundle.Previous(old), MaxBytes: p.Config.Limits.MaxFileBytes})
	if err != nil {
		return nil, err
	}
	if a.Slug != slug {
		oldPath = p.BundlePath(srcLang, a.Slug)
		if old, err = readBundle(oldPath, p.rel(oldPath), p.Config.Limits.MaxFileBytes); err != nil {
			return nil, err
		}
		if a, err = article.Parse(rel, data, article.Options{Detector: det, Previous: bundle.Previous(old), MaxBytes: p.Config.Limits.MaxFileBytes}); err != nil {
			return nil, err
		}
	}
	for _, s := range a.Segments {
		if len(s.Text) > p.Config.Limits.MaxMessageBytes {
			return nil, inputerr.New(rel, s.Line, s.Col, "message is %d bytes, over the limit of %d (limits.max_message_bytes)", len(s.Text), p.Config.Limits.MaxMessageBytes)
		}
	}
	return &Unit{
		Article: a, Source: bundle.FromArticle(a, p.Config.Source),
		SourcePath: oldPath, OldSource: old,
		Files: map[string]*bundle.File{}, Paths: map[string]string{},
	}, nil
}

// loadUI reads the hand-written UI source bundle, if the project has one.
func (p *Project) loadUI() (*Unit, error) {
	path := p.BundlePath(p.Config.Source.Name, UIName)
	f, err := readBundle(path, p.rel(path), p.Config.Limits.MaxFileBytes)
	if err != nil || f == nil {
		return nil, err
	}
	src := bundle.FromUIFile(f, p.Config.Source)
	src.Path = p.rel(path)
	return &Unit{Source: src, SourcePath: path, OldSource: f, Files: map[string]*bundle.File{}, Paths: map[string]string{}}, nil
}

func readLimited(path, rel string, max int) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, inputerr.Wrap(rel, 0, 0, err)
	}
	if max > 0 && st.Size() > int64(max) {
		return nil, inputerr.New(rel, 0, 0, "file is %d bytes, over the limit of %d (limits.max_file_bytes)", st.Size(), max)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, inputerr.Wrap(rel, 0, 0, err)
	}
	return data, nil
}

// readBundle reads a message file if it exists, naming it by rel in errors.
// A symbolic link is refused: it could make split write outside the project.
func readBundle(path, rel string, max int) (*bundle.File, error) {
	st, err := os.Lstat(path)
	if os.IsNotExist(err) {
		if dst, err := os.Lstat(filepath.Dir(path)); err == nil && dst.Mode()&os.ModeSymlink != 0 {
			return nil, inputerr.New(filepath.Dir(rel), 0, 0, "is a symbolic link; locale directories must be real directories inside the project")
		}
		return nil, nil
	}
	if err == nil && st.Mode()&os.ModeSymlink != 0 {
		return nil, inputerr.New(rel, 0, 0, "is a symbolic link; translator files must be real files inside the project")
	}
	if dst, err := os.Lstat(filepath.Dir(path)); err == nil && dst.Mode()&os.ModeSymlink != 0 {
		return nil, inputerr.New(filepath.Dir(rel), 0, 0, "is a symbolic link; locale directories must be real directories inside the project")
	}
	data, err := readLimited(path, rel, max)
	if err != nil {
		return nil, err
	}
	f, err := bundle.Parse(rel, data)
	if err != nil {
		return nil, err
	}
	f.Path = path
	return f, nil
}

// contentFiles lists the .md and .txt files under the content directory,
// sorted. Symbolic links are not followed: a link could lead outside the
// project.
func contentFiles(cfg *config.Config) ([]string, error) {
	root := cfg.Path(cfg.Content)
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return inputerr.Wrap(path, 0, 0, err)
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return inputerr.New(path, 0, 0, "symbolic links are not followed in the content directory")
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".md", ".markdown", ".txt":
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}

// findOrphanFiles lists translator files of target locales that belong to
// no article.
func (p *Project) findOrphanFiles(slugs map[string]string) []string {
	var out []string
	for _, t := range p.Config.Targets {
		dir := filepath.Join(p.Config.Path(p.Config.Locales), t.Name)
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			name := e.Name()
			suffix := "." + t.Name + ".toml"
			if e.IsDir() || !strings.HasSuffix(name, suffix) {
				continue
			}
			base := strings.TrimSuffix(name, suffix)
			if _, ok := slugs[base]; ok || base == UIName {
				continue
			}
			out = append(out, filepath.Join(dir, name))
		}
	}
	sort.Strings(out)
	return out
}

// ForEach runs f(0) … f(n-1) on as many goroutines as there are CPUs;
// callers write results into slots by index so that the outcome does not
// depend on scheduling.
func ForEach(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}
