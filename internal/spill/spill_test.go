package spill

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestLogReadsBackWhatWasAppended: pieces of every size, across the move
// to the file and straddling it, read back as appended, in any order and
// from several goroutines; nothing is left in the directory, and reads
// outside the log or after Close fail.
func TestLogReadsBackWhatWasAppended(t *testing.T) {
	for _, limit := range []int{1, 100, 1 << 20} {
		t.Run(fmt.Sprint("limit ", limit), func(t *testing.T) {
			dir := t.TempDir()
			l := New(filepath.Join(dir, "sub"), limit)
			r := rand.New(rand.NewPCG(1, uint64(limit)))
			var pieces [][]byte
			var at []int64
			for i := range 300 {
				p := bytes.Repeat([]byte{byte(i)}, r.IntN(700))
				at = append(at, l.Append(p))
				pieces = append(pieces, p)
			}
			done := make(chan error)
			for g := range 4 {
				go func() {
					for i := g; i < len(pieces); i += 4 {
						got, err := l.Read(nil, at[i], len(pieces[i]))
						if err != nil || !bytes.Equal(got, pieces[i]) {
							done <- fmt.Errorf("piece %d: %d bytes, %v", i, len(got), err)
							return
						}
					}
					done <- nil
				}()
			}
			for range 4 {
				if err := <-done; err != nil {
					t.Fatal(err)
				}
			}
			// Two pieces read as one, across whatever lies between.
			whole, err := l.Read(nil, at[10], int(at[12]-at[10])+len(pieces[12]))
			if err != nil || !bytes.Equal(whole, bytes.Join(pieces[10:13], nil)) {
				t.Errorf("pieces 10 to 12 read together: %v", err)
			}
			if limit < 1<<20 && l.file == nil {
				t.Error("the log never moved to a file")
			}
			if _, err := l.Read(nil, l.Size()-1, 2); err == nil {
				t.Error("a read past the end succeeded")
			}
			left, _ := os.ReadDir(filepath.Join(dir, "sub"))
			if len(left) != 0 {
				t.Errorf("left in the directory: %v", left)
			}
			l.Close()
			if _, err := l.Read(nil, 0, 1); err == nil {
				t.Error("a read after Close succeeded")
			}
		})
	}
}
