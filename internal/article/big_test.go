package article

import (
	"strings"
	"testing"
)

// TestLargeInputs parses large, repetitive articles of every shape the
// parsers handle. It asserts the segment counts; quadratic behaviour would
// show as a test timeout, and BenchmarkParse measures the speed.
func TestLargeInputs(t *testing.T) {
	const n = 20000
	tests := []struct {
		name, text string
		segs       int
	}{
		{"items.txt", "T\n\n" + strings.Repeat("1. x\n", n), n + 1},
		{"paras.txt", "T\n\n" + strings.Repeat("x y\n\n", n), n + 1},
		{"indent.txt", "T\n\n1. a\n\n" + strings.Repeat("    x\n\n", n), n + 2},
		{"same.txt", "T\n\n" + strings.Repeat("same\n\n", n), n + 1},
		{"heads.md", "# T\n\n" + strings.Repeat("## h\n\n", n), n + 1},
		{"stars.md", "# T\n\n" + strings.Repeat("*a ", n), 2},
		{"nested.md", "# T\n\n" + strings.Repeat("- ", 2000) + "x\n", 2},
		{"table.md", "# T\n\n|a|b|\n|-|-|\n" + strings.Repeat("|c|d|\n", n), 2*n + 3},
		{"longline.txt", "T\n\n" + strings.Repeat("word ", 100000), 2},
		{"alerts.md", "# T\n\n" + strings.Repeat("> [!WARNING]\n> x\n\n", n), n + 1},
	}
	for _, tt := range tests {
		a, err := Parse(tt.name, []byte(tt.text), Options{})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if len(a.Segments) != tt.segs {
			t.Errorf("%s: %d segments, want %d", tt.name, len(a.Segments), tt.segs)
		}
		if _, err := Parse(tt.name, []byte(tt.text), Options{Previous: previousOf(a)}); err != nil {
			t.Errorf("%s reparse: %v", tt.name, err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	data := []byte("T\n\n" + strings.Repeat("Do not take more than 4 g in 24 hours. Never give it to children under 12.\n\n  1. Swallow it whole.\n\n", 100))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("bench.txt", data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
