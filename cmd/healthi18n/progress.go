package main

import (
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progressDelay: runs shorter than this show no bar at all.
const progressDelay = time.Second

// progress is a bar on standard error for long runs: it appears only on a
// terminal, without --quiet, and once the run has taken progressDelay.
type progress struct {
	mu      sync.Mutex
	s       *streams
	what    string
	total   int
	done    int
	start   time.Time
	bar     *progressbar.ProgressBar
	enabled bool
}

// newProgress starts counting total steps of what ("checking", …).
func newProgress(s *streams, g *globalOptions, total int, what string) *progress {
	return &progress{s: s, what: what, total: total, start: time.Now(),
		enabled: !g.quiet && isTerminal(s.err)}
}

// Step counts one step done; it is safe for concurrent use.
func (p *progress) Step() {
	if p == nil || !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if p.bar == nil {
		if time.Since(p.start) < progressDelay {
			return
		}
		p.bar = progressbar.NewOptions(p.total,
			progressbar.OptionSetWriter(p.s.err),
			progressbar.OptionSetDescription(p.what),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionUseANSICodes(true),
		)
		p.bar.Set(p.done)
		return
	}
	p.bar.Add(1)
}

// Done clears the bar (if one was shown) before the command prints.
func (p *progress) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
	p.enabled = false
}
