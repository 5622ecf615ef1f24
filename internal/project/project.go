// Package project owns the tree a configuration describes: it finds the
// source articles, parses them with the ID memory of their source bundles,
// reads every translator file of every target locale, and plans what split
// writes. It collects every input error before anything is written.
//
// It takes a validated config.Config and never reads configuration itself;
// it does not decide policy or exit codes.
package project

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/healthi18n/healthi18n/internal/article"
	"github.com/healthi18n/healthi18n/internal/bundle"
	"github.com/healthi18n/healthi18n/internal/cache"
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
	SourcePath    string
	OldSource     *bundle.File
	OldSourceData []byte
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
func (p *Project) BundlePath(lang, name string) string { return bundlePath(p.Config, lang, name) }

func bundlePath(cfg *config.Config, lang, name string) string {
	return filepath.Join(cfg.Path(cfg.Locales), lang, name+"."+lang+".toml")
}

// Read is one file as loading a unit read it: the check cache keys its
// results on exactly these. Info and Data are nil when the file does not
// exist.
type Read struct {
	Path string
	Info fs.FileInfo
	Data []byte
}

// Tree is a project's inputs, listed but not yet parsed: the source
// articles in path order. Units are loaded one at a time from it, so that a
// caller can stream over a large corpus without holding it all.
type Tree struct {
	Config *config.Config
	// Content lists the source articles, sorted.
	Content []string
	det     *article.Detector
}

// Open lists the tree's source articles and checks that the locale
// directories are real directories (a link could lead outside the project).
func Open(cfg *config.Config) (*Tree, error) {
	det, err := cfg.Detector()
	if err != nil {
		return nil, err
	}
	files, err := contentFiles(cfg)
	if err != nil {
		return nil, err
	}
	t := &Tree{Config: cfg, Content: files, det: det}
	var errs inputerr.List
	for _, lang := range append([]locale.Locale{cfg.Source}, cfg.Targets...) {
		dir := filepath.Join(cfg.Path(cfg.Locales), lang.Name)
		if st, err := os.Lstat(dir); err == nil && st.Mode()&os.ModeSymlink != 0 {
			errs.Add(inputerr.New(t.rel(dir), 0, 0, "is a symbolic link; locale directories must be real directories inside the project"))
		}
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	return t, nil
}

// Load reads the whole tree. Every bad file is reported (as an
// inputerr.List) before the caller writes anything.
func Load(cfg *config.Config) (*Project, error) {
	t, err := Open(cfg)
	if err != nil {
		return nil, err
	}
	return t.Load(nil)
}

// Load reads every unit of the tree, calling progress (if not nil) once
// per unit read. Every bad file is reported (as an inputerr.List) before
// the caller writes anything.
func (t *Tree) Load(progress func()) (*Project, error) {
	cfg := t.Config
	p := &Project{Config: cfg}
	var errs inputerr.List
	// Articles are loaded in parallel; results are merged in file order,
	// so the outcome (units, errors) does not depend on scheduling.
	type loaded struct {
		u   *Unit
		err error
	}
	arts := make([]loaded, len(t.Content))
	ForEach(len(t.Content), func(i int) {
		u, _, err := t.LoadArticle(i)
		arts[i] = loaded{u, err}
		if progress != nil {
			progress()
		}
	})
	slugs := Slugs{}
	for _, r := range arts {
		if r.err == nil {
			r.err = slugs.Add(r.u)
		}
		if r.err != nil {
			errs.AddErr(r.err)
			continue
		}
		p.Units = append(p.Units, r.u)
	}
	if u, _, err := t.LoadUI(); err != nil {
		errs.AddErr(err)
	} else if u != nil {
		p.Units = append(p.Units, u)
	}
	p.OrphanFiles = t.OrphanFiles(slugs)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs.Err()
	}
	return p, nil
}

// Slugs maps each article slug to the content file that uses it.
type Slugs map[string]string

// Add records u's slug, or fails if another article already uses it.
func (s Slugs) Add(u *Unit) error { return s.AddSlug(u.Source.Name, u.Article.Path) }

// AddSlug records that the article at path (relative) has slug name. The
// slug of the pipeline's own strings is not an article's: their translator
// files would be the same.
func (s Slugs) AddSlug(name, path string) error {
	if name == UIName {
		return inputerr.New(path, 0, 0, "article slug %q is taken by the pipeline's own strings (locales/<lang>/%s.<lang>.toml); rename the file or give it another id", name, UIName)
	}
	if other, dup := s[name]; dup {
		return inputerr.New(path, 0, 0, "article slug %q is also used by %s; slugs must be unique", name, other)
	}
	s[name] = path
	return nil
}

// rel shows a path relative to the configuration directory, as users
// wrote it, in messages.
func (p *Project) rel(path string) string { return rel(p.Config, path) }

func rel(cfg *config.Config, path string) string {
	if r, err := filepath.Rel(cfg.Dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

// Rel is rel for callers outside the package.
func (p *Project) Rel(path string) string { return p.rel(path) }

func (t *Tree) rel(path string) string { return rel(t.Config, path) }

// Rel is rel for callers outside the package.
func (t *Tree) Rel(path string) string { return t.rel(path) }

// bundlePath is Project.BundlePath for a tree.
func (t *Tree) bundlePath(lang, name string) string { return bundlePath(t.Config, lang, name) }

// Units is the number of units: the articles, then the UI strings.
func (t *Tree) Units() int { return len(t.Content) + 1 }

// UnitKey names unit i in caches: "article:" and the article's path
// relative to the project, or "ui".
func (t *Tree) UnitKey(i int) string {
	if i < len(t.Content) {
		return "article:" + t.rel(t.Content[i])
	}
	return "ui"
}

// CacheInputs gives the files a unit was read from as cache inputs.
func CacheInputs(reads []Read) []cache.Input {
	inputs := make([]cache.Input, len(reads))
	for j, r := range reads {
		inputs[j] = cache.Input{Path: r.Path, Info: r.Info, Data: r.Data}
	}
	return inputs
}

// LoadUnit loads unit i: the i-th article, or for the last index the UI
// strings (nil, with no error, when the project has none).
func (t *Tree) LoadUnit(i int) (*Unit, []Read, error) {
	if i < len(t.Content) {
		return t.LoadArticle(i)
	}
	return t.LoadUI()
}

// reader reads a unit's files, remembering each (and each absence).
type reader struct {
	t     *Tree
	reads []Read
}

// file reads path, refusing symbolic links and files over the size limit;
// a missing file gives nil data and no error.
func (r *reader) file(path string) ([]byte, error) {
	rel := r.t.rel(path)
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		r.reads = append(r.reads, Read{Path: path})
		return nil, nil
	}
	if err != nil {
		return nil, inputerr.Wrap(rel, 0, 0, err)
	}
	if st.Mode()&os.ModeSymlink != 0 {
		return nil, inputerr.New(rel, 0, 0, "is a symbolic link; %s must be a real file inside the project", what(rel))
	}
	if max := r.t.Config.Limits.MaxFileBytes; max > 0 && st.Size() > int64(max) {
		return nil, inputerr.New(rel, 0, 0, "file is %d bytes, over the limit of %d (limits.max_file_bytes)", st.Size(), max)
	}
	// The cache records the stat of the very file read, taken before
	// reading it.
	read, data, err := cache.ReadFile(path)
	if err != nil {
		return nil, inputerr.Wrap(rel, 0, 0, err)
	}
	r.reads = append(r.reads, Read{Path: path, Info: read, Data: data})
	return data, nil
}

// what names a file in messages.
func what(rel string) string {
	if strings.HasSuffix(rel, ".toml") {
		return "a translator file"
	}
	return "an article"
}

// data is what file read from path (nil if absent or not read).
func (r *reader) data(path string) []byte {
	for i := len(r.reads) - 1; i >= 0; i-- {
		if r.reads[i].Path == path {
			return r.reads[i].Data
		}
	}
	return nil
}

// bundle reads and parses a message file if it exists.
func (r *reader) bundle(path string) (*bundle.File, error) {
	data, err := r.file(path)
	if err != nil || data == nil {
		return nil, err
	}
	f, err := bundle.Parse(r.t.rel(path), data)
	if err != nil {
		return nil, err
	}
	f.Path = path
	return f, nil
}

// LoadArticle reads and parses the i-th article with its source bundle and
// every target's translator file, and returns the files it read.
func (t *Tree) LoadArticle(i int) (*Unit, []Read, error) {
	path := t.Content[i]
	r := &reader{t: t}
	rel := t.rel(path)
	data, err := r.file(path)
	if err != nil {
		return nil, nil, err
	}
	if data == nil {
		return nil, nil, inputerr.New(rel, 0, 0, "disappeared while reading the project")
	}
	slug, err := article.SlugFromPath(path)
	if err != nil {
		return nil, nil, inputerr.Wrap(rel, 0, 0, err)
	}
	// The slug may be changed by front matter id:; look for the source
	// bundle under the file name first, then again under the new slug.
	cfg := t.Config
	srcLang := cfg.Source.Name
	oldPath := t.bundlePath(srcLang, slug)
	old, err := r.bundle(oldPath)
	if err != nil {
		return nil, nil, err
	}
	a, err := article.Parse(rel, data, article.Options{Detector: t.det, Previous: bundle.Previous(old), MaxBytes: cfg.Limits.MaxFileBytes})
	if err != nil {
		return nil, nil, err
	}
	if a.Slug != slug {
		oldPath = t.bundlePath(srcLang, a.Slug)
		if old, err = r.bundle(oldPath); err != nil {
			return nil, nil, err
		}
		if a, err = article.Parse(rel, data, article.Options{Detector: t.det, Previous: bundle.Previous(old), MaxBytes: cfg.Limits.MaxFileBytes}); err != nil {
			return nil, nil, err
		}
	}
	for _, s := range a.Segments {
		if len(s.Text) > cfg.Limits.MaxMessageBytes {
			return nil, nil, inputerr.New(rel, s.Line, s.Col, "message is %d bytes, over the limit of %d (limits.max_message_bytes)", len(s.Text), cfg.Limits.MaxMessageBytes)
		}
	}
	u := &Unit{
		Article: a, Source: bundle.FromArticle(a, cfg.Source),
		SourcePath: oldPath, OldSource: old, OldSourceData: r.data(oldPath),
	}
	if err := t.loadTargets(r, u); err != nil {
		return nil, nil, err
	}
	return u, r.reads, nil
}

// LoadUI reads the hand-written UI source bundle and its translations, if
// the project has one (nil otherwise).
func (t *Tree) LoadUI() (*Unit, []Read, error) {
	r := &reader{t: t}
	path := t.bundlePath(t.Config.Source.Name, UIName)
	f, err := r.bundle(path)
	if err != nil || f == nil {
		return nil, r.reads, err
	}
	src := bundle.FromUIFile(f, t.Config.Source)
	src.Path = t.rel(path)
	u := &Unit{Source: src, SourcePath: path, OldSource: f}
	if err := t.loadTargets(r, u); err != nil {
		return nil, nil, err
	}
	return u, r.reads, nil
}

// loadTargets reads u's translator file in every target locale, reporting
// every bad one.
func (t *Tree) loadTargets(r *reader, u *Unit) error {
	u.Files, u.Paths = map[string]*bundle.File{}, map[string]string{}
	var errs inputerr.List
	for _, lang := range t.Config.Targets {
		path := t.bundlePath(lang.Name, u.Source.Name)
		u.Paths[lang.Name] = path
		f, err := r.bundle(path)
		if err != nil {
			errs.AddErr(err)
			continue
		}
		u.Files[lang.Name] = f
	}
	if len(errs) > 0 {
		return errs.Err()
	}
	return nil
}

// contentFiles lists the .md and .txt files under the content directory,
// sorted. Symbolic links are not followed: a link could lead outside the
// project. Directories whose name starts with a dot are skipped.
func contentFiles(cfg *config.Config) ([]string, error) {
	return listContent(cfg.Path(cfg.Content))
}

// listContent lists the content files under root (contentFiles).
func listContent(root string) ([]string, error) {
	info, err := os.Lstat(root)
	switch {
	case err != nil:
		return nil, inputerr.Wrap(root, 0, 0, err)
	case info.Mode()&fs.ModeSymlink != 0:
		return nil, inputerr.New(root, 0, 0, "symbolic links are not followed in the content directory")
	case !info.IsDir():
		if isContentName([]byte(filepath.Base(root))) {
			return []string{root}, nil
		}
		return nil, nil
	}
	var l contentList
	if err := l.walk(root); err != nil {
		return nil, err
	}
	sort.Strings(l.paths)
	return l.paths, nil
}

// contentList gathers the paths of content files. The list grows by
// doubling: append grows a long slice by a quarter at a time, which for
// 10,000 paths allocates about five times what it keeps.
type contentList struct {
	paths []string
}

// walk adds the content files under dir. Its symbolic links and
// subdirectories are then taken in name order, as filepath.WalkDir takes
// them: a link is an error, a subdirectory is walked, and the first
// problem met in that order is the one reported.
func (l *contentList) walk(dir string) error {
	// Join(dir, name) for a name without separators: dir as Join cleans
	// it, then a separator unless dir is "." or the root.
	prefix := filepath.Join(dir, "x")
	prefix = prefix[:len(prefix)-1]
	type special struct {
		path string
		link bool
	}
	var specials []special
	err := eachEntry(dir, func(name []byte, typ fs.FileMode) error {
		switch {
		case typ&fs.ModeSymlink != 0:
			specials = append(specials, special{prefix + string(name), true})
		case typ.IsDir():
			if name[0] != '.' {
				specials = append(specials, special{prefix + string(name), false})
			}
		case isContentName(name):
			if len(l.paths) == cap(l.paths) {
				l.paths = slices.Grow(l.paths, max(len(l.paths), 256))
			}
			l.paths = append(l.paths, prefix+string(name))
		}
		return nil
	})
	if err != nil {
		return inputerr.Wrap(dir, 0, 0, err)
	}
	slices.SortFunc(specials, func(a, b special) int { return strings.Compare(a.path, b.path) })
	for _, sp := range specials {
		if sp.link {
			return inputerr.New(sp.path, 0, 0, "symbolic links are not followed in the content directory")
		}
		if err := l.walk(sp.path); err != nil {
			return err
		}
	}
	return nil
}

// isContentName reports whether a file of that name is an article: its
// extension is .md, .markdown or .txt, in any case.
func isContentName(name []byte) bool {
	i := bytes.LastIndexByte(name, '.')
	if i < 0 {
		return false
	}
	ext := name[i:]
	return bytes.EqualFold(ext, []byte(".md")) || bytes.EqualFold(ext, []byte(".markdown")) || bytes.EqualFold(ext, []byte(".txt"))
}

// OrphanFiles lists translator files of target locales that belong to no
// article. The locales' directories are read in parallel, each in
// directory order (the list is sorted once at the end).
func (tr *Tree) OrphanFiles(slugs Slugs) []string {
	return tr.OrphanFilesIn(slugs, nil)
}

// OrphanFilesIn is OrphanFiles, with each locale's orphans kept in c: a
// directory whose stat is the one recorded (and not racy) has had no file
// added, removed or renamed since, so its orphans for the same slugs are
// the recorded ones, and it is not read again. The entry's name holds a
// digest of the slugs, so other articles make another entry. A nil c reads
// every directory.
func (tr *Tree) OrphanFilesIn(slugs Slugs, c *cache.Cache) []string {
	prefix := ""
	if c != nil {
		prefix = "orphans " + slugsDigest(slugs) + " "
	}
	found := make([][]string, len(tr.Config.Targets))
	ForEach(len(found), func(i int) {
		t := tr.Config.Targets[i]
		dir := filepath.Join(tr.Config.Path(tr.Config.Locales), t.Name)
		name := prefix + t.Name
		if c != nil {
			if v, ok := c.Get(name); ok {
				found[i] = joinEach(dir, v)
				return
			}
		}
		names, info := orphansIn(dir, "."+t.Name+".toml", slugs)
		value := []byte(strings.Join(names, "\x00"))
		if c != nil {
			// A directory that could not be read is recorded as absent.
			c.Put(name, []cache.Input{{Path: dir, Info: info}}, value)
		}
		found[i] = joinEach(dir, value)
	})
	var out []string
	for _, f := range found {
		out = append(out, f...)
	}
	sort.Strings(out)
	return out
}

// orphansIn lists the names of the translator files in dir (named
// <slug><suffix>) whose slug is not in slugs, with the directory's stat
// taken before reading it (nil if it cannot be read: none are listed).
func orphansIn(dir, suffix string, slugs Slugs) (names []string, info fs.FileInfo) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil || !info.IsDir() {
		return nil, nil
	}
	// Names only: a DirEntry for each of thousands of files would be
	// allocated to look at a few.
	all, err := f.Readdirnames(-1)
	if err != nil {
		return nil, nil
	}
	for _, name := range all {
		if !strings.HasSuffix(name, suffix) {
			continue
		}
		base := strings.TrimSuffix(name, suffix)
		if _, ok := slugs[base]; ok || base == UIName {
			continue
		}
		if st, err := os.Lstat(filepath.Join(dir, name)); err == nil && st.IsDir() {
			continue // a directory with a translator file's name
		}
		names = append(names, name)
	}
	return names, info
}

// joinEach turns names separated by NUL bytes into paths under dir.
func joinEach(dir string, names []byte) []string {
	if len(names) == 0 {
		return nil
	}
	var out []string
	for _, name := range strings.Split(string(names), "\x00") {
		out = append(out, filepath.Join(dir, name))
	}
	return out
}

// slugsDigest identifies a set of slugs.
func slugsDigest(slugs Slugs) string {
	keys := make([]string, 0, len(slugs))
	for k := range slugs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		h.Write([]byte(k))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
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
