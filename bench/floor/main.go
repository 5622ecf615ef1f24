// Command floor is the lower bound that bench/compare.sh sets beside
// healthi18n check: it reads every *.toml file under a directory and parses
// each once with github.com/pelletier/go-toml/v2 into a map[string]any,
// nothing more (no validation, no checks, no output but a count). It uses a
// worker per GOMAXPROCS, like healthi18n, and exits non-zero on the first
// file that cannot be read or parsed.
//
//	go build -o /tmp/floor ./bench/floor && /tmp/floor locales
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	toml "github.com/pelletier/go-toml/v2"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: floor [-q] DIR\n\nParses every *.toml file under DIR once, with a worker per GOMAXPROCS.\n")
		flag.PrintDefaults()
	}
	quiet := flag.Bool("q", false, "print nothing on success")
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	files, bytes, err := parseAll(flag.Arg(0), runtime.GOMAXPROCS(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	if !*quiet {
		fmt.Printf("floor: parsed %d TOML files, %d bytes, %d workers\n", files, bytes, runtime.GOMAXPROCS(0))
	}
}

// parseAll walks dir and parses its *.toml files on workers goroutines. It
// returns the number of files and bytes parsed, or the first error.
func parseAll(dir string, workers int) (int64, int64, error) {
	paths := make(chan string, 4*workers)
	var (
		files, bytes atomic.Int64
		failed       atomic.Bool
		errOnce      sync.Once
		firstErr     error
		wg           sync.WaitGroup
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err })
		failed.Store(true)
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range paths {
				if failed.Load() {
					continue // drain
				}
				data, err := os.ReadFile(path)
				if err != nil {
					fail(err)
					continue
				}
				var m map[string]any
				if err := toml.Unmarshal(data, &m); err != nil {
					var de *toml.DecodeError
					if errors.As(err, &de) {
						row, col := de.Position()
						err = fmt.Errorf("%s:%d:%d: %v", path, row, col, err)
					} else {
						err = fmt.Errorf("%s: %v", path, err)
					}
					fail(err)
					continue
				}
				files.Add(1)
				bytes.Add(int64(len(data)))
			}
		}()
	}
	walkErr := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if failed.Load() {
			return filepath.SkipAll
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".toml") {
			paths <- path
		}
		return nil
	})
	close(paths)
	wg.Wait()
	if walkErr != nil {
		return 0, 0, walkErr
	}
	if firstErr != nil {
		return 0, 0, firstErr
	}
	return files.Load(), bytes.Load(), nil
}
