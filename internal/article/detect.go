package article

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Rule is one risk-language pattern of the safety detector.
type Rule struct {
	// ID names the rule in reasons and config (e.g. "never").
	ID string `mapstructure:"id" yaml:"id"`
	// Pattern is a Go regular expression, matched case-insensitively.
	Pattern string `mapstructure:"pattern" yaml:"pattern"`
	// Level is the safety level a match implies.
	Level Level `mapstructure:"level" yaml:"level"`
}

// DefaultRules are the shipped English risk-language rules. They err toward
// safety: a false positive costs a translator a careful read, a false
// negative could cost a reader a warning. Authors overrule a false positive
// with {.not-safety}.
func DefaultRules() []Rule {
	return []Rule{
		{ID: "never", Pattern: `\bnever\b`, Level: Danger},
		{ID: "do-not", Pattern: `\b(?:do not|don't|must not|mustn't|may not be|cannot be)\b`, Level: Warning},
		{ID: "should-not", Pattern: `\b(?:should not|shouldn't|should never|ought not)\b`, Level: Warning},
		{ID: "avoid", Pattern: `\bavoid(?:s|ed|ing)?\b`, Level: Caution},
		{ID: "stop", Pattern: `\bstop (?:taking|using|immediately)\b`, Level: Warning},
		{ID: "see-doctor", Pattern: `\b(?:consult|see|ask|tell|contact|call|talk to|speak to|speak with|check with|visit)\s+(?:your|a|the)\s+(?:own\s+)?(?:doctor|physician|gp|pharmacist|nurse|midwife|dentist|specialist|health ?care (?:provider|professional))s?\b`, Level: Caution},
		{ID: "seek-help", Pattern: `\bseek (?:immediate |urgent |emergency |prompt )?(?:medical )?(?:help|attention|advice|care|treatment)\b`, Level: Warning},
		{ID: "emergency", Pattern: `\b(?:call|dial) (?:911|999|112|000|an ambulance|emergency services)\b|\b(?:life-threatening|fatal|poisoning)\b`, Level: Danger},
		{ID: "can-result-in", Pattern: `\b(?:can|could|may|might|will) (?:\w+ )?(?:result in|lead to|cause)\b`, Level: Warning},
		{ID: "risk", Pattern: `\b(?:risks?|risky|dangerous|danger|hazard(?:ous)?)\b`, Level: Caution},
		{ID: "overdose", Pattern: `\boverdos(?:e|es|ed|ing)\b`, Level: Danger},
		{ID: "do-not-exceed", Pattern: `\b(?:do not|don't|never) (?:exceed|take more than|use more than|give more than)\b|\bmaximum (?:daily |single )?dose\b`, Level: Danger},
		{ID: "contraindicated", Pattern: `\bcontra-?indicat(?:ed|ion|ions)\b`, Level: Danger},
		{ID: "allergic", Pattern: `\b(?:allergic|allergy|allergies|anaphyla\w*)\b`, Level: Warning},
		{ID: "pregnant", Pattern: `\b(?:pregnan(?:t|cy)|breast-?feeding)\b`, Level: Warning},
		{ID: "children-under", Pattern: `\b(?:children|child|infants?|babies|baby|kids) (?:under|younger than|below|aged under)\b`, Level: Warning},
		{ID: "dose-interval", Pattern: `\b(?:at least|no more than|not more than|up to|every|no more often than)\s+(?:\d+|one|two|three|four|five|six|eight|twelve)\s*(?:hours?|days?|times|doses?)\b|\bbetween doses\b`, Level: Caution},
		{ID: "dosage", Pattern: `\b\d+(?:[.,]\d+)?\s?(?:mg|mcg|µg|μg|g|kg|ml|mL|l|IU|units?|tablets?|capsules?|drops?|puffs?|doses?)\b`, Level: Caution},
	}
}

// Detector classifies segments with a set of compiled rules.
type Detector struct {
	rules []compiledRule
}

type compiledRule struct {
	Rule
	re  *regexp.Regexp
	pre prefilter
}

// NewDetector compiles rules. A bad pattern, a missing ID, a duplicate ID or
// an unknown level is an error naming the rule.
func NewDetector(rules []Rule) (*Detector, error) {
	d := &Detector{}
	seen := map[string]bool{}
	for i, r := range rules {
		if r.ID == "" {
			return nil, fmt.Errorf("detector rule %d has no id", i+1)
		}
		if seen[r.ID] {
			return nil, fmt.Errorf("detector rule %q is defined twice", r.ID)
		}
		seen[r.ID] = true
		if r.Level == "" {
			r.Level = Warning
		}
		if l, ok := ParseLevel(string(r.Level)); !ok || !l.IsSafety() {
			return nil, fmt.Errorf("detector rule %q: level %q is not one of caution, warning, danger", r.ID, r.Level)
		}
		re, err := regexp.Compile("(?i)" + r.Pattern)
		if err != nil {
			return nil, fmt.Errorf("detector rule %q: bad pattern: %v", r.ID, err)
		}
		d.rules = append(d.rules, compiledRule{Rule: r, re: re, pre: newPrefilter("(?i)" + r.Pattern)})
	}
	return d, nil
}

// DefaultDetector returns a detector with DefaultRules (compiled once,
// safe to share).
var DefaultDetector = sync.OnceValue(func() *Detector {
	d, err := NewDetector(DefaultRules())
	if err != nil {
		panic(err) // the shipped rules are tested
	}
	return d
})

// Match returns a reason for every rule that matches text.
func (d *Detector) Match(text string) []Reason {
	var out []Reason
	folded := foldString(text)
	for _, r := range d.rules {
		if !r.pre.mayMatch(folded) {
			continue
		}
		if m := r.re.FindString(text); m != "" {
			out = append(out, Reason{Source: "rule", Rule: r.ID, Match: m, Level: r.Level})
		}
	}
	return out
}

// Classify sets Level and Why on every segment: explicit markers already in
// Why (alerts, {.safety} sections) are kept; detector rules are added unless
// the author wrote {.not-safety}; and the items of a list whose lead-in
// paragraph is safety and ends with a colon inherit its safety, because a
// warning that announces "serious consequences:" warns through its items.
func (d *Detector) Classify(segs []Segment) {
	for i := range segs {
		s := &segs[i]
		if !s.NotSafety {
			s.Why = append(s.Why, d.Match(s.Text)...)
		}
		s.Level = levelOf(s.Why)
	}
	leads := map[int]int{} // list ID -> index of its lead-in segment (-1: none)
	for i := range segs {
		s := &segs[i]
		if s.Kind != KindItem || s.Number == 0 || s.NotSafety {
			continue
		}
		lead, ok := leads[s.ListID]
		if !ok {
			lead = leadIn(segs, i)
			leads[s.ListID] = lead
		}
		if lead < 0 || !segs[lead].Level.IsSafety() || !strings.HasSuffix(strings.TrimSpace(segs[lead].Text), ":") {
			continue
		}
		s.Why = append(s.Why, Reason{Source: "lead-in", Rule: fmt.Sprintf("list introduced by %s %d:%d", segs[lead].Kind, segs[lead].Line, segs[lead].Col), Level: segs[lead].Level})
		s.Level = levelOf(s.Why)
	}
}

// leadIn returns the index of the segment that introduces the list holding
// segs[i], or -1.
func leadIn(segs []Segment, i int) int {
	first := i
	for first > 0 && segs[first-1].Kind == KindItem && segs[first-1].ListID == segs[i].ListID {
		first--
	}
	if first == 0 {
		return -1
	}
	prev := first - 1
	switch segs[prev].Kind {
	case KindParagraph, KindQuote, KindItem:
		return prev
	}
	return -1
}

func levelOf(why []Reason) Level {
	l := Normal
	for _, r := range why {
		l = Max(l, r.Level)
	}
	return l
}
