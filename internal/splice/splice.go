// Package splice lays out a check's text report from the one written
// before it: the lines of a unit whose outcome did not change (the same
// unit key and outcome sum, in a report of the same family) are copied
// from the kept report, and only the findings of the units that changed
// are decoded and rendered. A run after one article is edited then does
// the work of one article, not of the whole corpus. The index kept with
// the report says where each unit's groups of lines are.
//
// It decides nothing of what is found or how it is shown: check gives the
// summary and the findings, report lays the text out and renders findings,
// replay keeps the report and its index.
package splice

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/healthi18n/healthi18n/internal/cache"
	"github.com/healthi18n/healthi18n/internal/check"
	"github.com/healthi18n/healthi18n/internal/replay"
	"github.com/healthi18n/healthi18n/internal/report"
	"github.com/healthi18n/healthi18n/internal/spill"
)

// Findings gives the findings of a unit of a summary
// (check.Outcomes.Findings).
type Findings interface {
	Findings(*check.UnitSummary) ([]check.Finding, error)
}

// Plan is the text report of a check, laid out from its summary and a
// kept report. It is written once: a group copied from the kept report
// lets go of the bytes it read once it has been written.
type Plan struct {
	// Report is what report.WriteText writes.
	Report *report.TextReport
	// Reused and Rendered count the units whose lines are copied from
	// the kept report and those rendered from their findings.
	Reused, Rendered int
	units            []*check.UnitSummary
	// owner maps each group of Report to its unit and its place among
	// the unit's groups (unit -1 for the groups about the whole tree).
	owner []owned
	// fresh holds the changed units' lines until Close.
	fresh *rendering
}

// Close lets go of the lines rendered for the plan, once its report is
// written.
func (p *Plan) Close() {
	p.fresh.Close()
}

type owned struct{ unit, group int32 }

// maxRun is the most bytes of the kept report read at once: neighbouring
// groups copied from it are read together, not one read each.
const maxRun = 256 << 10

// runBuffers hold runs read: a report of tens of megabytes is read through
// a few of them rather than allocated anew.
var runBuffers = sync.Pool{New: func() any { b := make([]byte, 0, maxRun); return &b }}

// NewPlan lays out the text report of s. The lines of a unit are copied
// from kept (which may be nil) when its index has the unit with the same
// sum; the others' findings are taken from f and rendered now, so that a
// damaged outcome is an error before anything is written. The plan holds
// their lines (in memory or temporary files) until Close.
func NewPlan(s *check.Summary, f Findings, kept *replay.Kept, opts report.Options) (*Plan, error) {
	var old keptIndex // a damaged index, or none, reuses nothing
	if kept != nil {
		if x, err := decodeIndex(kept.Index, kept.Report.Size()); err == nil {
			old = x
		}
	}
	// The table lists locales by tag, as report.Write does.
	locales := slices.Clone(s.Result.Locales)
	slices.SortStableFunc(locales, func(a, b check.LocaleResult) int { return cmp.Compare(a.Locale, b.Locale) })
	p := &Plan{Report: &report.TextReport{Locales: locales, Units: s.Result.Units, FailOn: s.Result.FailOn}}
	// The report's groups, laid out in place: each group's unit, where
	// its lines are (src: the kept report, the changed units' rendering
	// of its locale, or a group about the whole tree, rendered as it is
	// written) and at what span.
	extra := check.GroupsOf(s.Result.Findings) // about the whole tree
	extraFindings := make([][]check.Finding, len(extra))
	fs := s.Result.Findings
	for j, g := range extra {
		extraFindings[j] = fs[:g.Size()]
		fs = fs[g.Size():]
	}
	// Each locale's groups get their part of the layout: the units'
	// groups, then those about the whole tree. Units come in the order of
	// their files, so the units' groups are mostly in order already (and
	// sorted only if they are not); the few others, sorted with the
	// summary's findings, are merged in.
	type part struct{ start, mid, next int }
	parts := map[string]*part{}
	var names []string
	count := func(locale string) {
		pt := parts[locale]
		if pt == nil {
			pt = &part{}
			parts[locale] = pt
			names = append(names, locale)
		}
		pt.next++
	}
	for _, u := range s.Units {
		for _, g := range u.Groups {
			count(g.Locale)
		}
	}
	for _, g := range extra {
		count(g.Locale)
	}
	slices.Sort(names)
	total := 0
	for _, l := range names {
		pt := parts[l]
		pt.start, pt.next, total = total, total, total+pt.next
	}
	l := layout{groups: make([]*check.Group, total), owner: make([]owned, total),
		src: make([]int32, total), spans: make([]report.Span, total)}
	var last *part
	place := func(g *check.Group, o owned, src int32, sp report.Span) {
		if last == nil || l.groups[last.start].Locale != g.Locale {
			last = parts[g.Locale]
		}
		k := last.next
		l.groups[k], l.owner[k], l.src[k], l.spans[k] = g, o, src, sp
		last.next++
	}
	p.units = make([]*check.UnitSummary, len(s.Units))
	keptAs := make([]int, len(s.Units)) // the unit's place in old, or -1
	var changed []int
	for ui := range s.Units {
		u := &s.Units[ui]
		p.units[ui] = u
		keptAs[ui] = old.find(u.Key)
		if k := keptAs[ui]; k < 0 || old.sum(k) != u.Sum || old.units[k].n != len(u.Groups) {
			keptAs[ui] = -1
			changed = append(changed, ui)
		}
	}
	fresh, err := render(f, s.Units, changed, opts)
	if err != nil {
		return nil, err
	}
	p.fresh = fresh
	// Where lines are read from: the kept report (source 0), or a
	// locale's rendering; a group about the whole tree has -1-j, for
	// extra[j].
	sources := []io.ReaderAt{nil}
	if kept != nil {
		sources[0] = kept.Report
	}
	sourceOf := map[string]int32{}
	for _, name := range slices.Sorted(maps.Keys(fresh.logs)) {
		sourceOf[name] = int32(len(sources))
		sources = append(sources, fresh.logs[name])
	}
	var keptSpans []report.Span
	for ui := range s.Units {
		u := &s.Units[ui]
		reused := keptAs[ui] >= 0
		var spans []report.Span
		if reused {
			p.Reused++
			keptSpans = old.spans(keptAs[ui], keptSpans[:0])
			spans = keptSpans
		} else {
			p.Rendered++
			spans = fresh.spans[ui]
		}
		for gi := range u.Groups {
			g := &u.Groups[gi]
			src := int32(0)
			if !reused {
				src = sourceOf[g.Locale]
			}
			place(g, owned{int32(ui), int32(gi)}, src, spans[gi])
		}
	}
	for _, name := range names {
		pt := parts[name]
		pt.mid = pt.next
	}
	for j := range extra {
		place(&extra[j], owned{-1, 0}, int32(-1-j), report.Span{})
	}
	groups := l.groups
	order := func(a, b int) int { return compareGroups(groups[a], groups[b]) }
	for _, name := range names {
		pt := parts[name]
		l.sort(pt.start, pt.mid, order)
		l.merge(pt.start, pt.mid, pt.next, order) // the summary's findings are sorted
	}
	for i := 1; i < len(groups); i++ {
		switch order(i-1, i) {
		case 1:
			fresh.Close()
			return nil, fmt.Errorf("splice: the groups of findings on %s and %s in %s are out of order", groups[i-1].File, groups[i].File, groups[i].Locale)
		case 0:
			// One group in a report, two here: the layout would differ
			// from the report of the findings.
			fresh.Close()
			return nil, fmt.Errorf("splice: two groups of findings on %s in %s", groups[i].File, groups[i].Locale)
		}
	}
	// Neighbouring groups in the kept report or a locale's rendering
	// are read together, in runs.
	runs := make([]*run, len(groups))
	var r *run
	for i, src := range l.src {
		if src < 0 {
			r = nil
			continue
		}
		sp := l.spans[i]
		if r == nil || sources[src] != r.from || sp.Offset < r.end || sp.Offset+sp.Length-r.start > maxRun {
			r = &run{from: sources[src], start: sp.Offset}
		}
		r.end = sp.Offset + sp.Length
		r.users.Add(1)
		runs[i] = r
	}
	p.Report.Groups, p.owner = groups, l.owner
	spans := l.spans
	p.Report.Write = func(i int, buf *bytes.Buffer) error {
		if runs[i] == nil {
			report.WriteTextFindings(buf, extraFindings[-1-l.src[i]], opts)
			return nil
		}
		return runs[i].write(buf, spans[i])
	}
	return p, nil
}

// compareGroups orders groups as the report does: by locale, then file.
func compareGroups(a, b *check.Group) int {
	return cmp.Or(cmp.Compare(a.Locale, b.Locale), cmp.Compare(a.File, b.File))
}

// layout is the report's groups laid out, and what goes with each, in
// parallel slices.
type layout struct {
	groups []*check.Group
	owner  []owned
	src    []int32
	spans  []report.Span
}

// put puts src's i-th group, and what goes with it, at l's j-th place.
func (l layout) put(j int, src layout, i int) {
	l.groups[j], l.owner[j], l.src[j], l.spans[j] = src.groups[i], src.owner[i], src.src[i], src.spans[i]
}

// slice is the layout of the groups [start, next), copied.
func (l layout) slice(start, next int) layout {
	return layout{slices.Clone(l.groups[start:next]), slices.Clone(l.owner[start:next]),
		slices.Clone(l.src[start:next]), slices.Clone(l.spans[start:next])}
}

// sort sorts the groups [start, next) by order (a stable sort), unless
// they are in order already.
func (l layout) sort(start, next int, order func(a, b int) int) {
	sorted := true
	for i := start + 1; i < next && sorted; i++ {
		sorted = order(i-1, i) <= 0
	}
	if sorted {
		return
	}
	perm := make([]int, next-start)
	for i := range perm {
		perm[i] = start + i
	}
	slices.SortStableFunc(perm, order)
	was := l.slice(start, next)
	for i, k := range perm {
		l.put(start+i, was, k-start)
	}
}

// merge merges the sorted groups [start, mid) and [mid, next) into one
// sorted run, the second's after the first's where order ties them. The
// second is short (the groups about the whole tree): it is copied aside,
// and the merge goes from the end.
func (l layout) merge(start, mid, next int, order func(a, b int) int) {
	if mid == start || mid == next || order(mid-1, mid) <= 0 {
		return
	}
	tail := l.slice(mid, next)
	i, j := mid-1, len(tail.groups)-1
	for w := next - 1; j >= 0; w-- {
		// The tail's groups are compared in the copy: their places are
		// written over.
		if i >= start && compareGroups(l.groups[i], tail.groups[j]) > 0 {
			l.put(w, l, i)
			i--
		} else {
			l.put(w, tail, j)
			j--
		}
	}
}

// rendering is the lines of the changed units' groups, rendered unit by
// unit (as many units at a time as there are CPUs) into a log per locale,
// in memory up to a few megabytes and then in a temporary file: a run
// that renders every unit (nothing kept, or --no-cache) holds the
// findings of a few units at a time, not the report. A locale's groups,
// which the report writes one after another, lie nearly in order in its
// log and are read back in runs.
type rendering struct {
	mu   sync.Mutex
	logs map[string]*spill.Log
	// spans are, per unit of the summary, where its groups are in their
	// locale's log (nil for a unit not rendered).
	spans [][]report.Span
}

// renderLimit is how many bytes of a locale's rendering are kept in
// memory before it moves to a file (tests make it small).
var renderLimit = 1 << 20

// render renders the groups of the changed units, taking their findings
// from f; the first error is returned.
func render(f Findings, units []check.UnitSummary, changed []int, opts report.Options) (*rendering, error) {
	rd := &rendering{logs: map[string]*spill.Log{}, spans: make([][]report.Span, len(units))}
	errs := make([]error, len(changed))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(changed)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for {
				i := int(next.Add(1)) - 1
				if i >= len(changed) {
					return
				}
				u := &units[changed[i]]
				fs, err := f.Findings(u)
				if err != nil {
					errs[i] = err
					continue
				}
				spans := make([]report.Span, len(u.Groups))
				for gi, g := range u.Groups {
					buf.Reset()
					report.WriteTextFindings(&buf, fs[:g.Size()], opts)
					fs = fs[g.Size():]
					spans[gi] = report.Span{Offset: rd.log(g.Locale).Append(buf.Bytes()), Length: int64(buf.Len())}
				}
				rd.spans[changed[i]] = spans
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			rd.Close()
			return nil, err
		}
	}
	return rd, nil
}

// log is the log of locale's groups.
func (rd *rendering) log(locale string) *spill.Log {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	l := rd.logs[locale]
	if l == nil {
		l = spill.New("", renderLimit)
		rd.logs[locale] = l
	}
	return l
}

// Close lets go of the logs and their files.
func (rd *rendering) Close() {
	for _, l := range rd.logs {
		l.Close()
	}
}

// run is a stretch of the kept report holding the lines of neighbouring
// groups: read once, when the first of them is written, and let go of
// when the last one is.
type run struct {
	from       io.ReaderAt
	start, end int64
	users      atomic.Int64 // groups not written yet
	once       sync.Once
	data       atomic.Pointer[[]byte]
	err        error
}

// write appends the lines at span s of the run to buf, reading the run
// first if no group has.
func (r *run) write(buf *bytes.Buffer, s report.Span) error {
	r.once.Do(func() {
		data := runBuffers.Get().(*[]byte)
		*data = slices.Grow((*data)[:0], int(r.end-r.start))[:r.end-r.start]
		if _, err := r.from.ReadAt(*data, r.start); err != nil {
			r.err = fmt.Errorf("reading the report's lines: %w", err)
		}
		r.data.Store(data)
	})
	if r.err != nil {
		return r.err
	}
	data := r.data.Load()
	buf.Write((*data)[s.Offset-r.start : s.Offset-r.start+s.Length])
	if r.users.Add(-1) == 0 {
		// The last of its groups is written: the buffer serves another
		// run.
		r.data.Store(nil)
		runBuffers.Put(data)
	}
	return nil
}

// WriteIndex writes the index to keep with the report written from the
// plan: where each unit's groups are in it (spans, as report.WriteText
// gave them), under the unit's key and sum. It is written as it is made
// (at 10,000 articles it is 2.5 MB).
func (p *Plan) WriteIndex(w io.Writer, spans []report.Span) error {
	// Where unit i's groups are in the report: at[first[i]+g].
	first := make([]int, len(p.units)+1)
	for i, u := range p.units {
		first[i+1] = first[i] + len(u.Groups)
	}
	at := make([]int32, first[len(p.units)])
	for i, o := range p.owner {
		if o.unit >= 0 {
			at[first[o.unit]+int(o.group)] = int32(i)
		}
	}
	// A unit at a time: w is buffered (replay.Recorder.IndexWriter).
	var b []byte
	b = append(b, indexMagic...)
	b = binary.AppendUvarint(b, uint64(len(p.units)))
	for i, u := range p.units {
		b = binary.AppendUvarint(b, uint64(len(u.Key)))
		b = append(b, u.Key...)
		b = append(b, u.Sum[:]...)
		b = binary.AppendUvarint(b, uint64(len(u.Groups)))
		for _, k := range at[first[i]:first[i+1]] {
			b = binary.AppendUvarint(b, uint64(spans[k].Offset))
			b = binary.AppendUvarint(b, uint64(spans[k].Length))
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		b = b[:0]
	}
	return nil
}

const indexMagic = "splice index v1\n"

// keptIndex is a kept report's index, decoded in place: a unit's key is
// a view of the index's bytes, and its spans are read from them when the
// unit is reused. (Decoded into a map of keys and span lists, the index
// of 10,000 articles took 3 MB.)
type keptIndex struct {
	b     []byte
	units []keptUnit // by key
}

// keptUnit is where a unit is in a kept index: its key, the offsets of
// its sum and spans in the index, and its number of spans.
type keptUnit struct {
	key            string
	sumAt, spansAt int
	n              int
}

// find is the place of the unit of that key, or -1.
func (x *keptIndex) find(key string) int {
	i, ok := slices.BinarySearchFunc(x.units, key, func(u keptUnit, key string) int { return strings.Compare(u.key, key) })
	if !ok {
		return -1
	}
	return i
}

// sum is the sum of the k-th unit.
func (x *keptIndex) sum(k int) cache.Sum {
	return cache.Sum(x.b[x.units[k].sumAt:])
}

// spans appends the spans of the k-th unit to into (decodeIndex checked
// them all).
func (x *keptIndex) spans(k int, into []report.Span) []report.Span {
	b := x.b[x.units[k].spansAt:]
	for range x.units[k].n {
		off, n1 := binary.Uvarint(b)
		length, n2 := binary.Uvarint(b[n1:])
		b = b[n1+n2:]
		into = append(into, report.Span{Offset: int64(off), Length: int64(length)})
	}
	return into
}

var errIndex = errors.New("damaged index")

// decodeIndex reads what WriteIndex wrote, for a report of size bytes; any
// damage, a span outside the report, or a key twice is an error. The
// index keeps b: it must not change after.
func decodeIndex(b []byte, size int64) (keptIndex, error) {
	if !bytes.HasPrefix(b, []byte(indexMagic)) || size < 0 {
		return keptIndex{}, errIndex
	}
	at := len(indexMagic)
	fail := false
	num := func() uint64 {
		n, k := binary.Uvarint(b[at:])
		if k <= 0 {
			fail = true
			return 0
		}
		at += k
		return n
	}
	skip := func(n uint64) int {
		if fail || n > uint64(len(b)-at) {
			fail = true
			return at
		}
		from := at
		at += int(n)
		return from
	}
	units := num()
	if units > uint64(len(b)) {
		return keptIndex{}, errIndex
	}
	x := keptIndex{b: b, units: make([]keptUnit, units)}
	for i := range x.units {
		u := &x.units[i]
		n := num()
		if from := skip(n); !fail {
			u.key = unsafe.String(unsafe.SliceData(b[from:]), int(n))
		}
		u.sumAt = skip(uint64(len(cache.Sum{})))
		spans := num()
		if fail || spans > uint64(len(b)) {
			return keptIndex{}, errIndex
		}
		u.spansAt, u.n = at, int(spans)
		for range spans {
			off, length := num(), num()
			if fail || off > uint64(size) || length > uint64(size)-off {
				return keptIndex{}, errIndex
			}
		}
	}
	if fail || at != len(b) {
		return keptIndex{}, errIndex
	}
	// WriteIndex writes units in the order of the summary, which is by key:
	// sorted only if not.
	byKey := func(a, b keptUnit) int { return strings.Compare(a.key, b.key) }
	if !slices.IsSortedFunc(x.units, byKey) {
		slices.SortFunc(x.units, byKey)
	}
	for i := 1; i < len(x.units); i++ {
		if x.units[i-1].key == x.units[i].key {
			return keptIndex{}, errIndex
		}
	}
	return x, nil
}

// Written is what Write did.
type Written struct {
	// Failed tells whether a finding reaches the fail-on severity.
	Failed bool
	// Commit, called once the run has succeeded, makes the record; it is
	// nil when the record already was the report written.
	Commit func() error
	// Reused and Rendered count the units whose lines were copied from
	// the record and those rendered (both 0 when the record was copied
	// whole).
	Reused, Rendered int
}

// Write writes the text report of outs to w and keeps it, with its
// index, in the record at path, under key in family (replay): the key
// names everything the report is made from, the family all of that but
// the outcomes. When the record holds the report of key, it is copied as
// it is; else the report is laid out from the record's parts (NewPlan).
func Write(w io.Writer, outs *check.Outcomes, path string, key, family replay.Key, opts report.Options) (Written, error) {
	kept, ok := replay.Open(path, key, family)
	if ok {
		defer kept.Close()
		if kept.Whole {
			return Written{Failed: kept.Failed}, kept.WriteReport(w)
		}
	} else {
		kept = nil
	}
	sum, err := outs.Summary()
	if err != nil {
		return Written{}, err
	}
	plan, err := NewPlan(sum, outs, kept, opts)
	if err != nil {
		return Written{}, err
	}
	defer plan.Close()
	failed := sum.Failed()
	rec := replay.Record(w, path, key, family, failed)
	spans, err := report.WriteText(rec, plan.Report, opts)
	if err != nil {
		rec.Abort()
		return Written{}, err
	}
	// The index is kept now, so that the plan (and the changed units'
	// findings) need not live until the run commits. (A failure to keep
	// it, as one to keep the report, fails the Commit, not the report.)
	_ = plan.WriteIndex(rec.IndexWriter(), spans) // the index writer keeps its error for Commit
	return Written{Failed: failed, Commit: func() error { return rec.Commit(nil) },
		Reused: plan.Reused, Rendered: plan.Rendered}, nil
}

// WriteFresh writes the text report of outs to w with nothing kept from
// an earlier run, nor kept for a later one (check --no-cache): every unit
// is rendered, a few at a time, and its lines read back in the order of
// the report. It reports whether a finding reaches the fail-on severity.
func WriteFresh(w io.Writer, outs *check.Outcomes, opts report.Options) (failed bool, err error) {
	sum, err := outs.Summary()
	if err != nil {
		return false, err
	}
	plan, err := NewPlan(sum, outs, nil, opts)
	if err != nil {
		return false, err
	}
	defer plan.Close()
	if _, err := report.WriteText(w, plan.Report, opts); err != nil {
		return false, err
	}
	return sum.Failed(), nil
}
