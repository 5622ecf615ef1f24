package textfile

import (
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name, in, want, err string
	}{
		{"plain", "a\nb\n", "a\nb\n", ""},
		{"bom", "\xEF\xBB\xBFa\n", "a\n", ""},
		{"crlf", "a\r\nb\r\n", "a\nb\n", ""},
		{"lone cr", "a\rb", "a\nb", ""},
		{"utf-16le", "\xFF\xFEa\x00", "", "f:1:1: file is UTF-16"},
		{"utf-16be", "\xFE\xFF\x00a", "", "f:1:1: file is UTF-16"},
		{"nul", "ab\n\x00", "", "f:2:1: NUL byte"},
		{"invalid", "ok\nbad \xC3(", "", "f:2:5: invalid UTF-8 (byte 0xC3)"},
		{"truncated", "é\xC3", "", "f:1:3: invalid UTF-8"},
	}
	for _, tt := range tests {
		got, err := Decode("f", []byte(tt.in))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("a\r\nb"))
	f.Add([]byte("\xEF\xBB\xBF\xC3"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := Decode("f", data)
		if err != nil {
			return
		}
		if strings.ContainsAny(string(out), "\r\x00") || strings.HasPrefix(string(out), "\uFEFF") {
			t.Fatalf("Decode left CR, NUL or a BOM: %q", out)
		}
	})
}
