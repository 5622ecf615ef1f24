// Package textfile turns the bytes of an input file into text the parsers
// can trust: it drops a UTF-8 byte order mark, turns CRLF (and lone CR)
// into LF, and rejects UTF-16, binary data and invalid UTF-8 with the
// position of the first bad byte.
//
// It imports nothing of this project but inputerr and reads no files.
package textfile

import (
	"bytes"
	"unicode/utf8"

	"github.com/healthi18n/healthi18n/internal/inputerr"
)

// Decode checks data and returns it as LF-terminated UTF-8 text. Errors are
// *inputerr.Error naming path, line and column.
func Decode(path string, data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, inputerr.New(path, 1, 1, "file is UTF-16; save it as UTF-8")
	}
	for bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) { // editors have been seen to write two
		data = data[3:]
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		l, c := inputerr.LineCol(data, i)
		return nil, inputerr.New(path, l, c, "NUL byte: this looks like a binary file, not text")
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		l, c := inputerr.LineCol(data, i)
		return nil, inputerr.New(path, l, c, "invalid UTF-8 (byte 0x%02X); save the file as UTF-8", data[i])
	}
	if bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	}
	return data, nil
}
