package corpus

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/project"
)

// Editor makes the random edits a project goes through (translations
// changed or emptied, files deleted or added, articles edited, broken and
// repaired translator files, policy changes) and damages cache files, so
// that tests can show a cache never changes a result. Several edits keep a
// file's size and modification time, so that only its change time and
// content tell.
type Editor struct {
	dir    string
	caches []string
	rng    *rand.Rand
	broken []string // translator files made invalid, to repair
}

// NewEditor edits the corpus in dir; caches are the caches (directories
// of shard files) it may damage.
func NewEditor(dir string, seed int64, caches ...string) *Editor {
	return &Editor{dir: dir, caches: caches, rng: rand.New(rand.NewSource(seed))}
}

var otherValue = regexp.MustCompile(`(?m)^other = "\[[a-z-A-Z]+\] ([^"]*)"$`)

func (e *Editor) glob(pattern string) []string {
	m, _ := filepath.Glob(filepath.Join(e.dir, pattern))
	return m
}

func (e *Editor) pick(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[e.rng.Intn(len(xs))]
}

// cacheFile picks one of the caches and, if it is a directory of shard
// files, one of its files.
func (e *Editor) cacheFile() string {
	c := e.pick(e.caches)
	ents, err := os.ReadDir(c)
	if err != nil || len(ents) == 0 {
		return c
	}
	return filepath.Join(c, ents[e.rng.Intn(len(ents))].Name())
}

// keepTimes rewrites a file keeping its size and modification time.
func keepTimes(path string, edit func([]byte) []byte) {
	st, err := os.Stat(path)
	if err != nil {
		return
	}
	data, _ := os.ReadFile(path)
	os.WriteFile(path, edit(data), 0o644)
	os.Chtimes(path, st.ModTime(), st.ModTime())
}

type edit struct {
	name string
	do   func(e *Editor)
}

var edits = []edit{
	{"nothing", func(*Editor) {}},
	{"swap a digit in a translation, same size and mtime", func(e *Editor) {
		keepTimes(e.pick(e.glob("locales/[a-df-z]*/*.toml")), func(b []byte) []byte {
			loc := otherValue.FindAllSubmatchIndex(b, -1)
			if len(loc) == 0 {
				return b
			}
			i := loc[e.rng.Intn(len(loc))][2]
			if b[i] == 'X' {
				b[i] = 'Y'
			} else {
				b[i] = 'X'
			}
			return b
		})
	}},
	{"empty a translation", func(e *Editor) {
		keepTimes(e.pick(e.glob("locales/[a-df-z]*/*.toml")), func(b []byte) []byte {
			return []byte(otherValue.ReplaceAllStringFunc(string(b), func(s string) string {
				if e.rng.Intn(3) == 0 {
					return `other = ""`
				}
				return s
			}))
		})
	}},
	{"delete a translator file", func(e *Editor) { os.Remove(e.pick(e.glob("locales/[a-df-z]*/*.toml"))) }},
	// Orphans are named to sort before the articles' files: a report
	// lists them with the files of their locale, in order.
	{"add an orphan translator file", func(e *Editor) {
		os.WriteFile(filepath.Join(e.dir, "locales", "es", fmt.Sprintf("a-old-%d.es.toml", e.rng.Intn(3))), []byte("[a]\nother = \"b\"\n"), 0o644)
	}},
	{"remove or rename an orphan translator file", func(e *Editor) {
		old := e.glob("locales/es/a-old-*.es.toml")
		if len(old) == 0 {
			return
		}
		f := e.pick(old)
		if e.rng.Intn(2) == 0 {
			os.Remove(f)
		} else {
			os.Rename(f, filepath.Join(e.dir, "locales", "es", fmt.Sprintf("a-old-%d.es.toml", 3+e.rng.Intn(3))))
		}
	}},
	{"edit a source article", func(e *Editor) {
		keepTimes(e.pick(e.glob("content/*.md")), func(b []byte) []byte {
			return []byte(strings.Replace(string(b), "Most people", "Mostly people", 1))
		})
	}},
	{"add a paragraph to an article", func(e *Editor) {
		f := e.pick(e.glob("content/*.md"))
		data, _ := os.ReadFile(f)
		os.WriteFile(f, append(data, "\nNever take it with alcohol.\n"...), 0o644)
	}},
	{"add and remove an article", func(e *Editor) {
		os.WriteFile(filepath.Join(e.dir, "content", "new.md"), []byte("# New\n\nDo not drive.\n"), 0o644)
		if e.rng.Intn(2) == 0 {
			os.Remove(filepath.Join(e.dir, "content", "new.md"))
		}
	}},
	// Its unit comes after the others (content/zz/), its translator
	// files before theirs (aa-early): a report's groups are not in the
	// order of the units.
	{"add or remove an article in a subdirectory", func(e *Editor) {
		dir := filepath.Join(e.dir, "content", "zz")
		if e.rng.Intn(2) == 0 {
			os.RemoveAll(dir)
			return
		}
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "aa-early.md"), []byte("# Early\n\nNever double the dose.\n"), 0o644)
	}},
	{"break a translator file (bad input)", func(e *Editor) {
		for _, f := range e.broken {
			os.Remove(f) // repaired by removal: split recreates it
		}
		e.broken = e.glob("locales/de/*.toml")
		f := e.pick(e.broken)
		data, _ := os.ReadFile(f)
		os.WriteFile(f, append(data, "\n[unclosed\n"...), 0o644)
	}},
	{"edit a source bundle", func(e *Editor) {
		keepTimes(e.pick(e.glob("locales/en/*.toml")), func(b []byte) []byte {
			return []byte(strings.Replace(string(b), "#. ", "#, ", 1))
		})
	}},
	{"change the policy", func(e *Editor) {
		f := filepath.Join(e.dir, config.FileName)
		data, _ := os.ReadFile(f)
		s := string(data)
		if strings.Contains(s, "fallback") {
			s = strings.Replace(s, "fallback", "strict", 1)
		} else {
			s = strings.Replace(s, "strict", "fallback", 1)
		}
		os.WriteFile(f, []byte(s), 0o644)
	}},
	{"truncate a cache", func(e *Editor) {
		c := e.cacheFile()
		data, _ := os.ReadFile(c)
		os.WriteFile(c, data[:len(data)/3], 0o644)
	}},
	{"flip a byte of a cache", func(e *Editor) {
		c := e.cacheFile()
		data, _ := os.ReadFile(c)
		if len(data) > 0 {
			data[e.rng.Intn(len(data))] ^= byte(1 + e.rng.Intn(255))
			os.WriteFile(c, data, 0o644)
		}
	}},
	{"replace a cache with garbage", func(e *Editor) {
		os.WriteFile(e.cacheFile(), []byte("healthi18n-cache-v3\ngarbage"), 0o644)
	}},
	{"delete a cache file", func(e *Editor) { os.Remove(e.cacheFile()) }},
	{"delete a cache", func(e *Editor) { os.RemoveAll(e.pick(e.caches)) }},
}

// Step makes one random edit and returns its name. Half the time after an
// edit that did not break it, a broken translator file is repaired.
func (e *Editor) Step() string {
	ed := edits[e.rng.Intn(len(edits))]
	if strings.Contains(ed.name, "cache") && len(e.caches) == 0 {
		ed = edits[0]
	}
	ed.do(e)
	if !strings.HasPrefix(ed.name, "break") && len(e.broken) > 0 && e.rng.Intn(2) == 0 {
		for _, f := range e.broken {
			data, _ := os.ReadFile(f)
			os.WriteFile(f, []byte(strings.ReplaceAll(string(data), "\n[unclosed\n", "")), 0o644)
		}
		e.broken = nil
	}
	return ed.name
}

// Open loads the configuration of the project in dir (ignoring the
// environment, so that tests and benchmarks see only the files) and opens
// its tree.
func Open(dir string) (*config.Config, *project.Tree, error) {
	cfg, err := config.Load(config.Options{Path: filepath.Join(dir, config.FileName), Environ: []string{}})
	if err != nil {
		return nil, nil, err
	}
	t, err := project.Open(cfg)
	return cfg, t, err
}
