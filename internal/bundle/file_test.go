package bundle

import (
	"testing"
	"unsafe"
)

// TestSubstringOf: a piece of data comes back as the same bytes of s, and
// anything else (an unescaped copy, an empty value) as its own text.
func TestSubstringOf(t *testing.T) {
	data := []byte(`k = "plain"` + "\n" + `e = "esc\"aped"`)
	s := string(data)
	if got := substringOf(s, data, data[5:10]); got != "plain" || unsafe.StringData(got) != unsafe.StringData(s[5:]) {
		t.Errorf("a piece of data: %q, copied: %v", got, unsafe.StringData(got) != unsafe.StringData(s[5:]))
	}
	other := []byte("esc\"aped, elsewhere")
	if got := substringOf(s, data, other[:8]); got != `esc"aped` {
		t.Errorf("another array: %q", got)
	}
	// A slice of another array whose capacity happens to match an offset
	// in data is still copied, not mistaken for data's bytes.
	big := make([]byte, len(data))
	copy(big, "XXXXXXXXXX")
	if got := substringOf(s, data, big[5:8]); got != "XXX" {
		t.Errorf("same capacity, other array: %q", got)
	}
	if got := substringOf(s, data, nil); got != "" {
		t.Errorf("empty: %q", got)
	}
}
