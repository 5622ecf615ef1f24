package article

import (
	"os"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to both parsers. Invariants: no panic;
// either an input error or an article whose segments have unique, valid
// IDs; and a safety message of the source is still found when the text is
// parsed again with its own IDs as memory.
func FuzzParse(f *testing.F) {
	for _, p := range []string{seedPath, "testdata/paracetamol.md"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, strings.HasSuffix(p, ".md"))
		}
	}
	f.Add([]byte("---\ntitle: T\n---\n> [!WARNING]\n> Never.\n"), true)
	f.Add([]byte("T\n\n  1. a\n\n    b\n2. c {#x .not-safety}\n"), false)
	f.Add([]byte("# T\n\n| a | b |\n|---|---|\n| c | d |\n\n- x\n  - y\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, md bool) {
		path := "fuzz.txt"
		if md {
			path = "fuzz.md"
		}
		a, err := Parse(path, data, Options{})
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, s := range a.Segments {
			if !ValidID(s.ID) {
				t.Fatalf("invalid ID %q", s.ID)
			}
			if seen[s.ID] {
				t.Fatalf("duplicate ID %q", s.ID)
			}
			seen[s.ID] = true
		}
		b, err := Parse(path, data, Options{Previous: previousOf(a)})
		if err != nil {
			t.Fatalf("second parse failed: %v", err)
		}
		for i := range a.Segments {
			if a.Segments[i].ID != b.Segments[i].ID || a.Segments[i].Level != b.Segments[i].Level {
				t.Fatalf("segment %d changed on reparse: %s/%s → %s/%s", i, a.Segments[i].ID, a.Segments[i].Level, b.Segments[i].ID, b.Segments[i].Level)
			}
		}
	})
}
