package check

import (
	"sync/atomic"

	"github.com/healthi18n/healthi18n/internal/cache"
	"github.com/healthi18n/healthi18n/internal/inputerr"
	"github.com/healthi18n/healthi18n/internal/project"
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
	opts, allow := topts.Options.withDefaults(t.Config.Targets)
	n := t.Units()
	outs := make([]*outcome, n)
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
				// A value of the wrong shape (damaged in a way the
				// checksum cannot see) is a miss.
				if o, err := decodeOutcome(v); err == nil && (o == nil || len(o.Units) == len(opts.Locales)) {
					hits.Add(1)
					outs[i] = o
					return
				}
			}
		}
		u, reads, err := t.LoadUnit(i)
		if err != nil {
			errs[i] = err
			return
		}
		var o *outcome // nil: the project has no UI strings
		if u != nil {
			c := checkUnit(u, t.Rel, &opts, allow)
			o = &c
		}
		outs[i] = o
		if topts.Cache != nil {
			topts.Cache.Put(name, project.CacheInputs(reads), encodeOutcome(o))
		}
	})
	var list inputerr.List
	slugs := project.Slugs{}
	byKey := map[string]string{}
	var kept []outcome
	for i, o := range outs {
		if errs[i] != nil {
			list.AddErr(errs[i])
			continue
		}
		if o == nil {
			continue
		}
		if o.Content != "" {
			if err := slugs.AddSlug(o.Slug, o.Content); err != nil {
				list.AddErr(err)
				continue
			}
			byKey[t.UnitKey(i)] = o.Slug
		}
		kept = append(kept, *o)
		outs[i] = nil // kept holds it now; assemble drops its findings as it goes
	}
	if len(list) > 0 {
		list.Sort()
		return nil, list.Err()
	}
	r := assemble(kept, t.OrphanFiles(slugs), t.Rel, (&project.Project{Config: t.Config}).BundlePath, &opts)
	r.CacheHits = int(hits.Load())
	r.Slugs = byKey
	return r, nil
}
