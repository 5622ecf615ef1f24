package check

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/healthi18n/healthi18n/internal/cache"
	"github.com/healthi18n/healthi18n/internal/inputerr"
	"github.com/healthi18n/healthi18n/internal/project"
	"github.com/healthi18n/healthi18n/internal/wire"
)

// TreeOptions adds what a streaming run needs to Options.
type TreeOptions struct {
	Options
	// Cache, if not nil, holds outcomes of earlier runs: a unit whose files
	// all have the recorded content is not parsed or checked again. It must
	// have been opened with CacheKey.
	Cache *cache.Cache
	// Progress, if not nil, is called once per unit done (from any
	// goroutine).
	Progress func()
	// Summarize says when Collect sums up the units it takes from the
	// cache for Summary, while their records are at hand, so that
	// Summary does not read them again.
	Summarize Summarize
}

// Summarize is when Collect sums up the units it takes from the cache.
type Summarize int

const (
	// SummarizeLater: Collect does not (a caller that wants a Result;
	// Summary, if called, reads every unit back).
	SummarizeLater Summarize = iota
	// SummarizeAfterMiss: from the first unit Collect checks afresh on.
	// For a caller that writes its kept report again when nothing
	// changed and needs a Summary only when something did.
	SummarizeAfterMiss
	// SummarizeAlways: every unit (a caller that calls Summary).
	SummarizeAlways
)

// CacheKey is what, besides the files, decides a unit's outcome: the
// program (program is an identity of the running binary), the
// configuration and the options. A cache opened under another key starts
// empty.
func CacheKey(program []byte, t *project.Tree, opts Options) []byte {
	opts.QA = nil // built from the configuration, which is in the key
	return cache.Key(program, t.Config, opts)
}

// RunTree checks a tree unit by unit without holding the parsed units: each
// is read, parsed, checked and dropped, so memory does not grow with the
// corpus beyond the findings themselves. It gives the same Result as Run on
// the loaded project, with or without a cache. Bad input is returned as an
// error after every unit has been read.
func RunTree(t *project.Tree, topts TreeOptions) (*Result, error) {
	o, err := Collect(t, topts)
	if err != nil {
		return nil, err
	}
	return o.Result()
}

// Outcomes is what checking a tree concluded about each unit, kept in
// their encoded form in the run's cache (or a scratch one, closed by
// Close): Summary, Findings and Result read them back as they need them.
// Between Collect and Result, a caller that kept the report of an earlier
// run with the same Digest can show that instead.
type Outcomes struct {
	t     *project.Tree
	opts  Options
	allow map[string]bool
	// cache keeps every unit's encoded outcome, read again when needed,
	// so that memory does not grow with the corpus: the run's cache, or a
	// scratch one. reuse is the run's cache (nil for none), where
	// outcomes of earlier runs are looked up.
	cache, reuse *cache.Cache
	// cached marks the units whose outcome Collect took from reuse.
	cached []bool
	// Per unit: the outcome checked again in this run after its encoding
	// turned out damaged (nil for the others, read from cache), the
	// SHA-256 of its encoding as the cache recorded it (when summed), and
	// its head.
	outs   []*outcome
	sums   []cache.Sum
	summed []bool
	heads  []head
	// What the whole tree needs: the translator files that belong to no
	// article.
	orphans []string
	hits    int
	mu      sync.Mutex // for hits, when units are checked again
	// decoded: every cached outcome was decoded; summarized: Summary was
	// called; done: Result was called (and let go of the outcomes).
	decoded, summarized, done bool
	// pre is what Collect summed up (nil unless TreeOptions.Summarize).
	pre *preTally
	// localeNames are the names of opts.Locales: the groups' locales
	// decoded from the cache are these strings.
	localeNames []string
}

// preTally is the units Collect summed up, for Summary: their groups, and
// the locales' counts summed over them.
type preTally struct {
	always bool
	missed atomic.Bool // a unit was checked afresh
	// groups are the groups of unit i, if tallied[i].
	groups  [][]Group
	tallied []bool
	mu      sync.Mutex
	totals  []Counts
	// spoiled: a tallied unit was checked again (its outcome damaged), so
	// the totals no longer hold.
	spoiled bool
}

// on reports whether Collect sums up the units it takes from the cache.
func (p *preTally) on() bool { return p != nil && (p.always || p.missed.Load()) }

// add records unit i's groups and counts.
func (p *preTally) add(i int, groups []Group, counts func(li int) Counts) {
	p.groups[i], p.tallied[i] = groups, true
	p.mu.Lock()
	for li := range p.totals {
		p.totals[li].add(counts(li))
	}
	p.mu.Unlock()
}

// head is the start of an outcome: what the tree-wide checks need. none
// means the unit has nothing to check (no UI strings).
type head struct {
	slug, content string
	none          bool
}

// Collect checks every unit of a tree, or takes its outcome from the
// cache, and finds the tree's duplicate slugs and orphan files. Bad input
// is returned as an error after every unit has been read.
func Collect(t *project.Tree, topts TreeOptions) (*Outcomes, error) {
	opts, allow := topts.Options.withDefaults(t.Config.Targets)
	n := t.Units()
	// Without a cache, outcomes are kept in a scratch one (not in
	// memory, past a few megabytes) and nothing is looked up.
	store := topts.Cache
	if store == nil {
		store = cache.Scratch()
	}
	o := &Outcomes{t: t, opts: opts, allow: allow, cache: store, reuse: topts.Cache,
		outs: make([]*outcome, n), heads: make([]head, n), cached: make([]bool, n),
		sums: make([]cache.Sum, n), summed: make([]bool, n)}
	for _, l := range opts.Locales {
		o.localeNames = append(o.localeNames, l.Name)
	}
	if topts.Summarize != SummarizeLater {
		o.pre = &preTally{always: topts.Summarize == SummarizeAlways,
			groups: make([][]Group, n), tallied: make([]bool, n), totals: make([]Counts, len(opts.Locales))}
	}
	errs := make([]error, n)
	var hits atomic.Int64
	project.ForEach(n, func(i int) {
		name := t.UnitKey(i)
		defer func() {
			if topts.Progress != nil {
				topts.Progress()
			}
		}()
		if topts.Cache != nil {
			hit := false
			topts.Cache.Peek(name, func(v []byte, sum cache.Sum) {
				// Only the head is read now; a value damaged further on
				// (in a way the checksum cannot see) is found when it
				// is decoded, and that unit is checked again.
				if h, err := decodeHead(v); err == nil {
					hit = true
					o.heads[i] = h
					o.sums[i], o.summed[i] = sum, true
					if !h.none && o.pre.on() {
						o.tallyFrom(i, v)
					}
				}
			})
			if hit {
				hits.Add(1)
				o.cached[i] = true
				return
			}
		}
		if o.pre != nil {
			o.pre.missed.Store(true)
		}
		oc, sum, err := o.checkUnitAt(i)
		o.heads[i], errs[i] = headOf(oc), err
		o.sums[i], o.summed[i] = sum, err == nil
		if err == nil && oc != nil && o.pre != nil {
			o.pre.add(i, oc.Groups, func(li int) Counts { return oc.Units[li].Counts })
		}
	})
	o.hits = int(hits.Load())
	if err := o.acrossTree(errs); err != nil {
		// The heads taken from the cache on trust may be wrong (a value
		// damaged in a way its checksum cannot see): before calling the
		// input bad, decode those outcomes whole.
		if o.hits == 0 || !o.decodeAll(errs) {
			return nil, err
		}
		if err := o.acrossTree(errs); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// acrossTree gathers the units' input errors and does what concerns the
// whole tree: it finds duplicate slugs (bad input too) and lists the
// orphan files.
func (o *Outcomes) acrossTree(errs []error) error {
	var list inputerr.List
	slugs := make(project.Slugs, len(o.heads))
	for i, h := range o.heads {
		if errs[i] != nil {
			list.AddErr(errs[i])
			continue
		}
		if h.none || h.content == "" {
			continue
		}
		if err := slugs.AddSlug(h.slug, h.content); err != nil {
			list.AddErr(err)
		}
	}
	if len(list) > 0 {
		list.Sort()
		return list.Err()
	}
	o.orphans = o.t.OrphanFilesIn(slugs, o.reuse)
	return nil
}

// slugs maps each article's unit key to its slug, for a Result: a run
// that shows a kept report needs none (a megabyte at 10,000 articles).
func (o *Outcomes) slugs() map[string]string {
	m := make(map[string]string, len(o.heads))
	for i, h := range o.heads {
		if !h.none && h.content != "" {
			m[o.t.UnitKey(i)] = h.slug
		}
	}
	return m
}

func headOf(oc *outcome) head {
	if oc == nil {
		return head{none: true}
	}
	return head{slug: oc.Slug, content: oc.Content}
}

// checkUnitAt loads and checks unit i, and puts its outcome in the cache;
// nil means the project has no UI strings (which is kept in the cache
// too). sum is the SHA-256 of the outcome's encoding.
func (o *Outcomes) checkUnitAt(i int) (oc *outcome, sum cache.Sum, err error) {
	u, reads, err := o.t.LoadUnit(i)
	if err != nil {
		return nil, sum, err
	}
	if u != nil {
		c := checkUnit(u, o.t.Rel, &o.opts, o.allow)
		oc = &c
	}
	value := encodeOutcome(oc)
	o.cache.Put(o.t.UnitKey(i), project.CacheInputs(reads), value)
	return oc, sha256.Sum256(value), nil
}

// Close lets go of the scratch cache that holds the outcomes of a run
// without a cache (the run's own cache is its owner's to close).
func (o *Outcomes) Close() {
	if o.reuse == nil {
		o.cache.Close()
	}
}

// Digest identifies the outcomes: under one CacheKey, two runs with the
// same Digest have equal Results, and so equal reports. It covers every
// unit's encoded outcome in order (by unit key and the encoding's SHA-256,
// which the cache recorded for what it holds), and the orphan files. Units
// are hashed in parallel, then their hashes in order. It must be called
// before Result, which lets go of the outcomes.
func (o *Outcomes) Digest() [sha256.Size]byte {
	if o.done {
		panic("check: Outcomes.Digest after Result")
	}
	sums := make([][sha256.Size]byte, len(o.heads))
	project.ForEach(len(sums), func(i int) {
		var buf [128]byte // most keys fit: no allocation
		b := appendPart(buf[:0], o.t.UnitKey(i))
		sums[i] = sha256.Sum256(appendPart(b, string(o.sums[i][:])))
	})
	var all parts
	all.add("check outcomes v2")
	all.add(string(binary.AppendUvarint(nil, uint64(len(sums)))))
	for i := range sums {
		all.add(string(sums[i][:]))
	}
	for _, f := range o.orphans {
		all.add(f)
	}
	return all.sum()
}

// appendPart appends p after its length, as parts writes it.
func appendPart(b []byte, p string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(p))), p...)
}

// parts hashes parts, each after its length, so that they cannot run
// into each other.
type parts struct {
	h   hash.Hash
	buf []byte
}

func (ps *parts) add(p string) {
	if ps.h == nil {
		ps.h = sha256.New()
	}
	ps.buf = appendPart(ps.buf[:0], p)
	ps.h.Write(ps.buf)
}

func (ps *parts) sum() (sum [sha256.Size]byte) {
	if ps.h == nil {
		ps.h = sha256.New()
	}
	ps.h.Sum(sum[:0])
	return sum
}

// tallyFrom sums up unit i from v, its encoded outcome as Collect reads it
// from the cache; a unit that cannot be is left to Summary.
func (o *Outcomes) tallyFrom(i int, v []byte) {
	t := tallies.Get().(*tally)
	defer tallies.Put(t)
	t.counts = slices.Grow(t.counts[:0], len(o.opts.Locales))[:len(o.opts.Locales)]
	if groups, err := decodeTally(v, &t.d, t.counts, o.localeNames); err == nil {
		o.pre.add(i, groups, func(li int) Counts { return t.counts[li] })
	}
}

// decode reads unit i's encoded outcome again from the cache and decodes
// it. An outcome that cannot be read back, is not the one summed, or does
// not decode to one for every locale is an error: that unit is then
// checked again.
func (o *Outcomes) decode(i int) (*outcome, error) {
	var oc *outcome
	err := errBadOutcome
	o.reread(i, func(v []byte) { oc, err = decodeOutcome(v) })
	if err == nil && (oc == nil || len(oc.Units) != len(o.opts.Locales)) {
		err = errBadOutcome
	}
	return oc, err
}

// reread gives f unit i's encoded outcome, read again from the cache
// where Collect found or put it, if it is the one summed.
func (o *Outcomes) reread(i int, f func(value []byte)) {
	o.cache.Reread(o.t.UnitKey(i), func(v []byte, sum cache.Sum) {
		if o.summed[i] && sum == o.sums[i] {
			f(v)
		}
	})
}

// decodeAll decodes every outcome (read back from the cache), once. A unit
// whose outcome cannot be decoded is checked again (and no longer counted
// as a hit); its input error, if any, goes to errs. It reports whether a
// unit's head turned out not to be what the cache said, in which case the
// tree-wide checks must be done again.
func (o *Outcomes) decodeAll(errs []error) (headChanged bool) {
	if o.decoded {
		return false
	}
	o.decoded = true
	var changed atomic.Bool
	project.ForEach(len(o.outs), func(i int) {
		if o.outs[i] != nil || o.heads[i].none {
			return
		}
		if oc, err := o.decode(i); err == nil {
			o.outs[i] = oc
			return
		}
		if o.recheck(i, errs) {
			changed.Store(true)
		}
	})
	return changed.Load()
}

// recheck checks unit i again, its encoded outcome being of the wrong
// shape or unreadable (damaged in a way the checksum cannot see): if it
// came from the cache it is no longer counted as a hit; its input error,
// if any, goes to errs. It reports whether the unit's head turned out not
// to be what the cache said. Units are rechecked in parallel, each by one
// goroutine.
func (o *Outcomes) recheck(i int, errs []error) (headChanged bool) {
	o.outs[i], o.sums[i], errs[i] = o.checkUnitAt(i)
	o.summed[i] = errs[i] == nil
	o.mu.Lock()
	if o.cached[i] {
		o.cached[i] = false
		o.hits--
	}
	if o.pre != nil && o.pre.tallied[i] {
		o.pre.spoiled = true
	}
	o.mu.Unlock()
	if errs[i] == nil && headOf(o.outs[i]) != o.heads[i] {
		o.heads[i] = headOf(o.outs[i])
		return true
	}
	return false
}

// Summary is a check's Result without the units' findings. A caller that
// needs the findings of some units only (a report laid out from the one
// kept before, export writing the articles its cache misses) takes them
// one unit at a time with Outcomes.Findings.
type Summary struct {
	// Result is the Result that Outcomes.Result gives, but for its
	// Findings, only those about the whole tree (orphan files, locales
	// below min-complete), sorted; and its Units, nil (a unit-by-locale
	// table, which no report laid out from a summary needs, is tens of
	// megabytes at 10,000 articles).
	Result *Result
	// Units are the units that have something to check, in unit order.
	Units []UnitSummary
}

// Failed reports whether any finding reaches the fail-on severity.
func (s *Summary) Failed() bool {
	for _, u := range s.Units {
		for _, g := range u.Groups {
			if g.Fails(s.Result.FailOn) {
				return true
			}
		}
	}
	return s.Result.Failed()
}

// UnitSummary is one unit's part of a Summary.
type UnitSummary struct {
	// Key is the unit's key (project.Tree.UnitKey), and Sum the SHA-256
	// of its encoded outcome: under one CacheKey, a unit with the same key
	// and sum has the same findings.
	Key string
	Sum cache.Sum
	// Groups are its findings' groups, in order.
	Groups []Group
	index  int
}

// Summary sums the units up from the brief of every outcome (not its
// findings): what Collect summed up as it read them (TreeOptions.
// Summarize), and the others' read back from the cache. A unit whose
// brief cannot be decoded is checked again; bad input found then is an
// error. It must be called before Result, and may be called once.
func (o *Outcomes) Summary() (*Summary, error) {
	if o.done || o.summarized {
		return nil, errors.New("check: Outcomes.Summary after Result or twice")
	}
	o.summarized = true
	n := len(o.outs)
	errs := make([]error, n)
	has := make([]bool, n) // unit i has something to check
	var changed atomic.Bool
	var mu sync.Mutex
	totals := make([]Counts, len(o.opts.Locales))
	// What Collect summed up is taken as it is, unless a unit it summed
	// up was checked again since.
	pre := o.pre
	if pre != nil && pre.spoiled {
		pre = nil
	}
	var groups [][]Group
	if pre != nil {
		groups = pre.groups
		copy(totals, pre.totals)
	} else {
		groups = make([][]Group, n)
	}
	add := func(counts func(li int) Counts) {
		mu.Lock()
		for li := range totals {
			totals[li].add(counts(li))
		}
		mu.Unlock()
	}
	project.ForEach(n, func(i int) {
		if pre != nil && pre.tallied[i] {
			has[i] = true
			return
		}
		if o.outs[i] == nil && !o.heads[i].none {
			t := tallies.Get().(*tally)
			defer tallies.Put(t)
			if g, err := o.tally(i, t); err == nil {
				groups[i], has[i] = g, true
				add(func(li int) Counts { return t.counts[li] })
				return
			}
			if o.recheck(i, errs) {
				changed.Store(true)
			}
		}
		if oc := o.outs[i]; oc != nil {
			groups[i], has[i] = oc.Groups, true
			add(func(li int) Counts { return oc.Units[li].Counts })
		}
	})
	if changed.Load() {
		if err := o.acrossTree(errs); err != nil {
			return nil, err
		}
	}
	var list inputerr.List
	s := &Summary{Units: make([]UnitSummary, 0, n)}
	failing := map[string]bool{}
	for i := range n {
		if errs[i] != nil {
			list.AddErr(errs[i])
			continue
		}
		if !has[i] {
			continue
		}
		for _, g := range groups[i] {
			if g.Fails(o.opts.FailOn) {
				failing[g.Locale] = true
			}
		}
		s.Units = append(s.Units, UnitSummary{Key: o.t.UnitKey(i), Sum: o.sums[i], Groups: groups[i], index: i})
	}
	if len(list) > 0 {
		list.Sort()
		return nil, list.Err()
	}
	r, extra := summarize(totals, failing, o.orphans, o.t.Rel, (&project.Project{Config: o.t.Config}).BundlePath, &o.opts)
	r.Findings = sortedByLocale(nil, extra)
	r.CacheHits = o.hits
	r.Slugs = o.slugs()
	s.Result = r
	return s, nil
}

// tally is what Summary decodes a unit's outcome with: a decoder and the
// unit's counts per locale, reused from unit to unit.
type tally struct {
	d      wire.Decoder
	counts []Counts
}

var tallies = sync.Pool{New: func() any { return new(tally) }}

// tally reads unit i's counts (into t) and groups back from the cache, as
// decode reads its outcome.
func (o *Outcomes) tally(i int, t *tally) ([]Group, error) {
	t.counts = slices.Grow(t.counts[:0], len(o.opts.Locales))[:len(o.opts.Locales)]
	var groups []Group
	err := errBadOutcome
	o.reread(i, func(v []byte) { groups, err = decodeTally(v, &t.d, t.counts, o.localeNames) })
	return groups, err
}

// Findings are the findings of a unit of the Summary, in order: those of
// its groups. A unit whose cached findings cannot be decoded (damage the
// checksum cannot see) is checked again; an error then means its files
// changed during the run, or are bad input. It is safe to call from
// several goroutines, before Result.
func (o *Outcomes) Findings(u *UnitSummary) ([]Finding, error) {
	if o.done {
		return nil, errors.New("check: Outcomes.Findings after Result")
	}
	if oc := o.outs[u.index]; oc != nil {
		return oc.Findings, nil
	}
	oc, err := o.decode(u.index)
	if err == nil && slices.Equal(oc.Groups, u.Groups) {
		return oc.Findings, nil
	}
	oc, _, err = o.checkUnitAt(u.index)
	if err != nil {
		return nil, err
	}
	if oc == nil || !slices.Equal(oc.Groups, u.Groups) {
		return nil, fmt.Errorf("%s changed while it was checked: run check again", u.Key)
	}
	return oc.Findings, nil
}

// Result decodes the outcomes, read back from the cache, and assembles the
// Result, as RunTree gives it. A unit whose cached outcome cannot be
// decoded is checked again; bad input found then is an error. It may be
// called once.
func (o *Outcomes) Result() (*Result, error) {
	if o.done {
		return nil, errors.New("check: Outcomes.Result called twice")
	}
	o.done = true
	n := len(o.outs)
	errs := make([]error, n)
	if o.decodeAll(errs) {
		// The slugs Collect worked from were not the units' own.
		if err := o.acrossTree(errs); err != nil {
			return nil, err
		}
	}
	var list inputerr.List
	kept := make([]outcome, 0, n)
	for i, oc := range o.outs {
		if errs[i] != nil {
			list.AddErr(errs[i])
			continue
		}
		if oc != nil {
			kept = append(kept, *oc)
			o.outs[i] = nil // kept holds it now; assemble drops its findings as it goes
		}
	}
	if len(list) > 0 {
		list.Sort()
		return nil, list.Err()
	}
	r := assemble(kept, o.orphans, o.t.Rel, (&project.Project{Config: o.t.Config}).BundlePath, &o.opts)
	r.CacheHits = o.hits
	r.Slugs = o.slugs()
	return r, nil
}
