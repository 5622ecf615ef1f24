package project

import (
	"bytes"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/healthi18n/healthi18n/internal/batchwrite"
	"github.com/healthi18n/healthi18n/internal/bundle"
	"github.com/healthi18n/healthi18n/internal/cache"
	"github.com/healthi18n/healthi18n/internal/inputerr"
	"github.com/healthi18n/healthi18n/internal/locale"
	"github.com/healthi18n/healthi18n/internal/wire"
)

// FileChange is what a sync did to one translator file.
type FileChange struct {
	Path    string
	Locale  string
	Added   []string
	Stale   []string
	Orphans []string
	Pruned  bool
}

// Plan is the set of files a split (or accept) will write, computed in full
// before anything touches the disk.
type Plan struct {
	Writes  []Write
	Removes []string
	// Changes are what the sync does to translator files, a unit's
	// changes after another's, in the order of the units (a unit that
	// changes nothing has no entry): a warm split takes each unit's from
	// its cache and keeps them as they came, not copied into one list.
	Changes [][]FileChange
	// Counts for the summary.
	Articles, Messages, Safety int
}

// AllChanges yields the plan's file changes in order, unit after unit.
func (plan *Plan) AllChanges() iter.Seq[*FileChange] {
	return func(yield func(*FileChange) bool) {
		for _, cs := range plan.Changes {
			for i := range cs {
				if !yield(&cs[i]) {
					return
				}
			}
		}
	}
}

// Write is one file to write.
type Write struct {
	Path string
	Data []byte
}

// SplitOptions tunes Split.
type SplitOptions struct {
	// Prune removes orphaned messages and translator files.
	Prune bool
	// Accept maps locale → unit name → message IDs to mark current.
	Accept map[string]map[string]map[string]bool
	// Locales limits which translator files are synced (all if empty).
	Locales []locale.Locale
	// Cache, if not nil, remembers the units whose split changed no file,
	// so that they are not parsed again while their files keep the same
	// content (Tree.Split only). It must be opened with SplitCacheKey.
	Cache *cache.Cache `json:"-"`
}

// SplitCacheKey is what, besides the files, decides a unit's split: the
// program (an identity of the running binary), the configuration and the
// options.
func SplitCacheKey(program []byte, t *Tree, opts SplitOptions) []byte {
	return cache.Key(program, t.Config, opts)
}

// unchangedUnit is what Tree.Split keeps in its cache for a unit whose
// split changed no file: enough to count it, report its stale messages and
// find duplicate slugs and orphan files without parsing it. It is kept in
// the compact form of package wire (encodeUnchanged), which a warm split
// decodes for every article.
type unchangedUnit struct {
	Slug, Path                 string
	Articles, Messages, Safety int
	Changes                    []FileChange
}

// encodeUnchanged writes u as decodeUnchanged reads it.
func encodeUnchanged(u *unchangedUnit) []byte {
	var e wire.Encoder
	e.String(u.Slug)
	e.String(u.Path)
	e.Int(u.Articles)
	e.Int(u.Messages)
	e.Int(u.Safety)
	e.Int(len(u.Changes))
	for _, c := range u.Changes {
		e.String(c.Path)
		e.String(c.Locale)
		for _, ids := range [][]string{c.Added, c.Stale, c.Orphans} {
			e.Int(len(ids))
			for _, id := range ids {
				e.String(id)
			}
		}
		e.Bool(c.Pruned)
	}
	return e.Bytes()
}

// unchangedDecoders decode the settled articles of a warm split, reused
// from article to article.
var unchangedDecoders = sync.Pool{New: func() any { return new(wire.Decoder) }}

// decodeUnchanged reads what encodeUnchanged wrote; any damage is an
// error. Empty lists come back nil: what reads a plan takes them by
// length.
func decodeUnchanged(b []byte) (unchangedUnit, error) {
	d := unchangedDecoders.Get().(*wire.Decoder)
	defer unchangedDecoders.Put(d)
	d.Reset(b)
	u := unchangedUnit{Slug: d.String(), Path: d.String(), Articles: d.Int(), Messages: d.Int(), Safety: d.Int()}
	if n := d.Count(); n > 0 {
		u.Changes = make([]FileChange, n)
	}
	for i := range u.Changes {
		c := &u.Changes[i]
		c.Path, c.Locale = d.String(), d.String()
		for _, ids := range []*[]string{&c.Added, &c.Stale, &c.Orphans} {
			if n := d.Count(); n > 0 {
				*ids = make([]string, n)
				for k := range *ids {
					(*ids)[k] = d.String()
				}
			}
		}
		c.Pruned = d.Bool()
	}
	if err := d.Err(); err != nil {
		return unchangedUnit{}, err
	}
	return u, nil
}

// Split plans the source bundle of every article and the translator file
// of every target locale.
func (p *Project) Split(opts SplitOptions) *Plan {
	plan := &Plan{}
	// Source bundles are written last: if a run is killed between renames,
	// the old source bundle still holds the texts the not-yet-synced
	// translator files were made from, so the next split can show them.
	var sources []Write
	for _, u := range p.Units {
		sources = append(sources, p.splitUnit(plan, u, opts)...)
	}
	plan.Writes = append(plan.Writes, sources...)
	if opts.Prune {
		plan.Removes = append(plan.Removes, p.OrphanFiles...)
	}
	return plan
}

// splitUnit adds u's translator files, changes and counts to plan and
// returns its source bundle write (none for the UI strings).
func (p *Project) splitUnit(plan *Plan, u *Unit, opts SplitOptions) []Write {
	targets := opts.Locales
	if len(targets) == 0 {
		targets = p.Config.Targets
	}
	var source []Write
	if u.Article != nil {
		plan.Articles++
		plan.Messages += len(u.Source.Messages)
		for _, m := range u.Source.Messages {
			if m.Level.IsSafety() {
				plan.Safety++
			}
		}
		source = append(source, Write{Path: u.SourcePath, Data: bundle.RenderSource(u.Source, u.SourcePath)})
	}
	prev := bundle.PreviousTexts(u.OldSource)
	var changes []FileChange
	for _, t := range targets {
		res := bundle.Sync(u.Source, t, u.Files[t.Name], bundle.SyncOptions{
			PrevTexts: prev, Prune: opts.Prune, Accept: opts.Accept[t.Name][u.Source.Name],
		})
		path := u.Paths[t.Name]
		plan.Writes = append(plan.Writes, Write{Path: path, Data: res.Data})
		if len(res.Added)+len(res.Stale)+len(res.Orphans) > 0 {
			changes = append(changes, FileChange{Path: p.rel(path), Locale: t.Name, Added: res.Added, Stale: res.Stale, Orphans: res.Orphans, Pruned: res.Pruned})
		}
	}
	if len(changes) > 0 {
		plan.Changes = append(plan.Changes, changes)
	}
	return source
}

// Split plans a split unit by unit without holding the tree: each unit is
// read, synced and dropped, and only files whose content changes stay in
// the plan, so memory follows what changes, not the corpus. It returns the
// same plan as Project.Split (less the unchanged writes, which Apply skips
// anyway) and the orphan files, or every input error. progress, if not
// nil, is called once per unit.
func (t *Tree) Split(opts SplitOptions, progress func()) (*Plan, []string, error) {
	p := &Project{Config: t.Config}
	n := t.Units()
	// A part is what one unit adds to the plan: its writes (translator
	// files, then its source bundle), changes and counts.
	type part struct {
		writes, sources            []Write
		changes                    []FileChange
		slug, path                 string
		articles, messages, safety int
		err                        error
	}
	parts := make([]part, n)
	ForEach(n, func(i int) {
		if progress != nil {
			defer progress()
		}
		pt := &parts[i]
		name := t.UnitKey(i)
		if opts.Cache != nil {
			hit := false
			opts.Cache.Peek(name, func(v []byte, _ cache.Sum) {
				if c, err := decodeUnchanged(v); err == nil { // copies what it keeps
					pt.slug, pt.path, pt.changes = c.Slug, c.Path, c.Changes
					pt.articles, pt.messages, pt.safety = c.Articles, c.Messages, c.Safety
					hit = true
				}
			})
			if hit {
				return
			}
		}
		u, reads, err := t.LoadUnit(i)
		if err != nil || u == nil {
			pt.err = err
			return
		}
		if u.Article != nil {
			pt.slug, pt.path = u.Source.Name, u.Article.Path
		}
		var up Plan
		pt.sources = p.splitUnit(&up, u, opts)
		if len(up.Changes) > 0 {
			pt.changes = up.Changes[0]
		}
		pt.articles, pt.messages, pt.safety = up.Articles, up.Messages, up.Safety
		// Drop what would not change.
		have := map[string][]byte{}
		for _, r := range reads {
			if r.Info != nil {
				have[r.Path] = r.Data
			}
		}
		changed := func(ws []Write) []Write {
			var out []Write
			for _, w := range ws {
				if old, ok := have[w.Path]; !ok || !bytes.Equal(old, w.Data) {
					out = append(out, w)
				}
			}
			return out
		}
		pt.writes = changed(up.Writes)
		pt.sources = changed(pt.sources)
		if opts.Cache != nil && len(pt.writes)+len(pt.sources) == 0 {
			v := encodeUnchanged(&unchangedUnit{Slug: pt.slug, Path: pt.path, Changes: pt.changes,
				Articles: pt.articles, Messages: pt.messages, Safety: pt.safety})
			opts.Cache.Put(name, CacheInputs(reads), v)
		}
	})
	plan := &Plan{}
	nw, nc := 0, 0
	for _, pt := range parts {
		nw += len(pt.writes) + len(pt.sources)
		if len(pt.changes) > 0 {
			nc++
		}
	}
	plan.Writes, plan.Changes = make([]Write, 0, nw), make([][]FileChange, 0, nc) // grown once
	var sources []Write
	var errs inputerr.List
	slugs := make(Slugs, n)
	for _, pt := range parts {
		if pt.err == nil && pt.slug != "" {
			pt.err = slugs.AddSlug(pt.slug, pt.path)
		}
		if pt.err != nil {
			errs.AddErr(pt.err)
			continue
		}
		plan.Writes = append(plan.Writes, pt.writes...)
		if len(pt.changes) > 0 {
			plan.Changes = append(plan.Changes, pt.changes)
		}
		plan.Articles += pt.articles
		plan.Messages += pt.messages
		plan.Safety += pt.safety
		sources = append(sources, pt.sources...)
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, nil, errs.Err()
	}
	plan.Writes = append(plan.Writes, sources...)
	// A split that writes nothing keeps each locale's orphans with the
	// articles it remembers (a split that writes changes the directories
	// those entries would depend on).
	var orphans []string
	if len(plan.Writes) == 0 {
		orphans = t.OrphanFilesIn(slugs, opts.Cache)
	} else {
		orphans = t.OrphanFiles(slugs)
	}
	if opts.Prune {
		plan.Removes = append(plan.Removes, orphans...)
	}
	return plan, orphans, nil
}

// Apply writes the plan in two phases (internal/batchwrite), so that a
// failed run (a full disk) writes nothing and a killed one leaves every
// file whole: changed files go to temporary files first, are flushed to
// disk together, and are renamed into place only when all are written.
// Unchanged files are not touched, so an up-to-date tree keeps its
// modification times. It returns the paths it wrote or removed.
func (plan *Plan) Apply() ([]string, error) {
	var b batchwrite.Batch
	cleaned := map[string]bool{}
	for _, w := range plan.Writes {
		if dir := filepath.Dir(w.Path); !cleaned[dir] {
			batchwrite.CleanTemps(dir) // what a killed run left
			cleaned[dir] = true
		}
		if old, err := os.ReadFile(w.Path); err == nil && bytes.Equal(old, w.Data) {
			continue
		}
		if err := b.Add(w.Path, w.Data, 0o644); err != nil {
			b.Abort()
			return nil, fmt.Errorf("writing %s: %w", w.Path, err)
		}
	}
	done, err := b.Commit()
	if err != nil {
		return done, err
	}
	for _, r := range plan.Removes {
		if err := os.Remove(r); err != nil && !os.IsNotExist(err) {
			return done, fmt.Errorf("removing %s: %w", r, err)
		}
		done = append(done, r)
	}
	return done, nil
}

// Accept plans marking the named messages of one locale current. Each ref
// is an ID, or "slug:ID" where an ID is in several articles. An unknown ID,
// a message without translation or an ambiguous ID is an input error.
//
// A translation that has not changed since its source did is refused
// unless unchanged is set: the translator must say that it still fits.
func (p *Project) Accept(lang locale.Locale, refs []string, unchanged bool) (*Plan, []string, error) {
	acc := map[string]map[string]bool{}
	var notes []string
	var errs inputerr.List
	for _, ref := range refs {
		unitName, id, qualified := strings.Cut(ref, ":")
		if !qualified {
			id, unitName = unitName, ""
		}
		var hits []*Unit
		for _, u := range p.Units {
			if (unitName == "" || u.Source.Name == unitName) && u.Source.Message(id) != nil {
				hits = append(hits, u)
			}
		}
		switch {
		case len(hits) == 0:
			errs.Add(inputerr.New("accept", 0, 0, "no message %q in any article", ref))
			continue
		case len(hits) > 1:
			var names []string
			for _, h := range hits {
				names = append(names, h.Source.Name+":"+id)
			}
			sort.Strings(names)
			errs.Add(inputerr.New("accept", 0, 0, "message ID %q is in several articles; name one of: %s", id, strings.Join(names, ", ")))
			continue
		}
		u := hits[0]
		e := u.Files[lang.Name].Entry(id)
		path := p.rel(u.Paths[lang.Name])
		if e == nil || !e.Translated() {
			errs.Add(inputerr.New(path, 0, 0, "message %q has no %s translation to accept; translate it first", id, lang))
			continue
		}
		if e.Hash == u.Source.Message(id).Hash() {
			notes = append(notes, fmt.Sprintf("%s: %s is already current", path, id))
			continue
		}
		// The source changed; a translation nobody touched since cannot
		// be accepted by accident: a new warning could go unpublished.
		if !unchanged && e.StaleTranslation != "" && e.StaleTranslation == e.TranslationHash() {
			errs.Add(inputerr.New(path, e.Line, e.Col, "the %s translation of %s has not changed since its source did; update it first, or pass --unchanged if it already says what the new source says", lang, id))
			continue
		}
		if acc[u.Source.Name] == nil {
			acc[u.Source.Name] = map[string]bool{}
		}
		acc[u.Source.Name][id] = true
		notes = append(notes, fmt.Sprintf("%s: %s accepted as current", path, id))
	}
	if len(errs) > 0 {
		return nil, nil, errs.Err()
	}
	plan := p.Split(SplitOptions{Accept: map[string]map[string]map[string]bool{lang.Name: acc}, Locales: []locale.Locale{lang}})
	// Accept touches only this locale's files: the source bundles keep the
	// texts other locales' stale messages were made from until split runs.
	mine := map[string]bool{}
	for _, u := range p.Units {
		mine[u.Paths[lang.Name]] = true
	}
	var keep []Write
	for _, w := range plan.Writes {
		if mine[w.Path] {
			keep = append(keep, w)
		}
	}
	plan.Writes = keep
	return plan, notes, nil
}
