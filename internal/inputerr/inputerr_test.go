package inputerr

import (
	"errors"
	"fmt"
	"testing"
)

func TestError(t *testing.T) {
	tests := []struct {
		e    *Error
		want string
	}{
		{New("content/x.md", 12, 3, "unclosed front matter"), "content/x.md:12:3: unclosed front matter"},
		{New("content/x.md", 12, 0, "m"), "content/x.md:12:1: m"},
		{New("content/x.md", 0, 0, "too big"), "content/x.md: too big"},
		{New("", 0, 0, "bare"), "bare"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestListAndIs(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Error("empty list is an error")
	}
	l.Add(New("b", 1, 1, "x"))
	l.Add(New("a", 9, 1, "y"))
	l.Add(New("a", 2, 5, "z"))
	l.Sort()
	if got := l.Error(); got != "a:2:5: z\na:9:1: y\nb:1:1: x" {
		t.Errorf("sorted list = %q", got)
	}
	if !Is(fmt.Errorf("wrapped: %w", l.Err())) || !Is(l[0]) || Is(errors.New("plain")) {
		t.Error("Is does not tell bad input from other errors")
	}
	cause := errors.New("cause")
	if w := Wrap("f", 1, 2, cause); !errors.Is(w, cause) {
		t.Error("Wrap loses its cause")
	}
}

func TestLineCol(t *testing.T) {
	data := []byte("ab\ncd\n")
	for off, want := range map[int][2]int{0: {1, 1}, 1: {1, 2}, 3: {2, 1}, 4: {2, 2}, 6: {3, 1}, 99: {3, 1}} {
		if l, c := LineCol(data, off); l != want[0] || c != want[1] {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", off, l, c, want[0], want[1])
		}
	}
}
