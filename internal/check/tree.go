package check

import (
	"crypto/sha256"
	"encoding/binary"
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
}

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

// Outcomes is what checking a tree concluded about each unit, the units
// taken from the cache still in their encoded form: Result decodes and
// assembles them. Between Collect and Result, a caller that kept the
// report of an earlier run with the same Digest can show that instead.
type Outcomes struct {
	t     *project.Tree
	opts  Options
	allow map[string]bool
	cache *cache.Cache
	// Per unit: the outcome checked in this run (nil when taken from the
	// cache), its encoding (from the cache, or made for it; nil when there
	// is no cache), and whether the unit has nothing to check (no UI
	// strings).
	outs   []*outcome
	values [][]byte
	heads  []head
	// What the whole tree needs: each article's slug by unit key, and the
	// translator files that belong to no article.
	slugs   map[string]string
	orphans []string
	hits    int
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
	o := &Outcomes{t: t, opts: opts, allow: allow, cache: topts.Cache,
		outs: make([]*outcome, n), values: make([][]byte, n), heads: make([]head, n)}
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
			if v, ok := topts.Cache.Get(name); ok {
				// Only the head is read now; a value damaged further on
				// (in a way the checksum cannot see) is found by Result,
				// which checks that unit again.
				if h, err := decodeHead(v); err == nil {
					hits.Add(1)
					o.values[i], o.heads[i] = v, h
					return
				}
			}
		}
		oc, err := o.check(i)
		if err != nil {
			errs[i] = err
			return
		}
		o.outs[i], o.heads[i] = oc, headOf(oc)
		if topts.Cache != nil {
			o.values[i] = encodeOutcome(oc)
		}
	})
	o.hits = int(hits.Load())
	if err := o.acrossTree(errs); err != nil {
		return nil, err
	}
	return o, nil
}

// acrossTree gathers the units' input errors and does what concerns the
// whole tree: it finds duplicate slugs (bad input too), maps slugs by unit
// key and lists the orphan files.
func (o *Outcomes) acrossTree(errs []error) error {
	var list inputerr.List
	slugs := project.Slugs{}
	o.slugs = map[string]string{}
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
			continue
		}
		o.slugs[o.t.UnitKey(i)] = h.slug
	}
	if len(list) > 0 {
		list.Sort()
		return list.Err()
	}
	o.orphans = o.t.OrphanFiles(slugs)
	return nil
}

func headOf(oc *outcome) head {
	if oc == nil {
		return head{none: true}
	}
	return head{slug: oc.Slug, content: oc.Content}
}

// check loads and checks unit i, and puts its outcome in the cache; nil
// means the project has no UI strings.
func (o *Outcomes) check(i int) (*outcome, error) {
	u, reads, err := o.t.LoadUnit(i)
	if err != nil || u == nil {
		return nil, err
	}
	c := checkUnit(u, o.t.Rel, &o.opts, o.allow)
	if o.cache != nil {
		o.cache.Put(o.t.UnitKey(i), project.CacheInputs(reads), encodeOutcome(&c))
	}
	return &c, nil
}

// Hits is the number of units taken from the cache.
func (o *Outcomes) Hits() int { return o.hits }

// Digest identifies the outcomes: under one CacheKey, two runs with the
// same Digest have equal Results, and so equal reports. It covers every
// unit's encoded outcome in order, by unit key, and the orphan files. Units
// are hashed in parallel, then their hashes in order.
func (o *Outcomes) Digest() [sha256.Size]byte {
	sums := make([][sha256.Size]byte, len(o.values))
	project.ForEach(len(sums), func(i int) {
		v := o.values[i]
		if v == nil {
			v = encodeOutcome(o.outs[i])
		}
		sums[i] = sumOfParts([]byte(o.t.UnitKey(i)), v)
	})
	parts := [][]byte{[]byte("check outcomes v1")}
	for i := range sums {
		parts = append(parts, sums[i][:])
	}
	for _, f := range o.orphans {
		parts = append(parts, []byte(f))
	}
	return sumOfParts(parts...)
}

// sumOfParts hashes parts, each after its length, so that they cannot run
// into each other.
func sumOfParts(parts ...[]byte) [sha256.Size]byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(binary.AppendUvarint(nil, uint64(len(p))))
		h.Write(p)
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// Result decodes the outcomes taken from the cache and assembles the
// Result, as RunTree gives it. A unit whose cached outcome cannot be
// decoded is checked again (and is no longer counted as a hit); bad input
// found then is an error.
func (o *Outcomes) Result() (*Result, error) {
	n := len(o.outs)
	errs := make([]error, n)
	var rechecked atomic.Int64
	var headChanged atomic.Bool
	project.ForEach(n, func(i int) {
		if o.outs[i] != nil || o.heads[i].none {
			return
		}
		oc, err := decodeOutcome(o.values[i])
		if err == nil && oc != nil && len(oc.Units) == len(o.opts.Locales) {
			o.outs[i] = oc
			return
		}
		// A value of the wrong shape (damaged in a way the checksum
		// cannot see) is checked again.
		rechecked.Add(1)
		o.outs[i], errs[i] = o.check(i)
		if errs[i] == nil && headOf(o.outs[i]) != o.heads[i] {
			o.heads[i] = headOf(o.outs[i])
			headChanged.Store(true)
		}
	})
	o.hits -= int(rechecked.Load())
	if headChanged.Load() {
		// The slugs Collect worked from were not the unit's own.
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
	r.Slugs = o.slugs
	return r, nil
}

// decodeHead reads the start of an encoded outcome: the slug and content
// path, or none when the outcome is nil (no UI strings).
func decodeHead(b []byte) (head, error) {
	d := wire.NewHeadDecoder(b, 2) // encodeOutcome writes these two first
	switch d.Int() {
	case 0:
		return head{none: true}, d.Err()
	case 1:
		h := head{slug: d.String(), content: d.String()}
		return h, d.ReadErr()
	}
	return head{}, errBadOutcome
}
