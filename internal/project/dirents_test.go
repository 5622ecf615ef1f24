package project

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/healthi18n/healthi18n/internal/inputerr"
)

// walkContent is how content files were listed before listContent, with
// filepath.WalkDir: the reference listContent must agree with.
func walkContent(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return inputerr.Wrap(path, 0, 0, err)
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return inputerr.New(path, 0, 0, "symbolic links are not followed in the content directory")
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".md", ".markdown", ".txt":
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}

// TestListContentIsWalkDir lists trees of every shape both ways: the same
// paths, or the same error.
func TestListContentIsWalkDir(t *testing.T) {
	type tree map[string]string // path → "" (file), "dir" or a link target
	cases := []struct {
		name string
		tree tree
		root string
	}{
		{"flat", tree{"a.md": "", "b.txt": "", "c.markdown": "", "d.toml": "", "E.MD": "", "f.Txt": "", "g.": "", "h": "", ".dot.md": ""}, "content"},
		{"nested", tree{"a.md": "", "x/b.md": "", "x/y/c.txt": "", "x/y/z/d.md": "", "w/e.md": "", "w/notes": ""}, "content"},
		{"dot directories are skipped", tree{"a.md": "", ".git/b.md": "", "x/.cache/c.md": "", "x/d.md": ""}, "content"},
		{"a dot root is not", tree{"a.md": "", "x/b.md": ""}, ".content"},
		{"empty", tree{}, "content"},
		{"a directory named like an article", tree{"a.md/b.md": "", "c.md": ""}, "content"},
		{"a link", tree{"a.md": "", "x/b.md": "", "x/l.md": "../a.md"}, "content"},
		{"a link to a directory", tree{"a.md": "", "d": "x", "x/b.md": ""}, "content"},
		{"two links", tree{"b.md": "a.md", "a.md": "", "c.md": "a.md"}, "content"},
		{"a link in a subdirectory before a link beside it", tree{"a/l.md": "../x.md", "z.md": "x.md", "x.md": ""}, "content"},
		{"a link beside a subdirectory with a link", tree{"z/l.md": "../x.md", "b.md": "x.md", "x.md": ""}, "content"},
		{"a root with a trailing separator", tree{"a.md": "", "x/b.md": ""}, "content/"},
		{"a root given with dots", tree{"a.md": "", "x/b.md": ""}, "./content/../content"},
		{"a missing root", nil, "content"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := t.TempDir()
			t.Chdir(base)
			root := strings.TrimSuffix(c.root, "/")
			if strings.Contains(root, "..") {
				root = "content"
			}
			if c.tree != nil {
				if err := os.MkdirAll(root, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for path, what := range c.tree {
				p := filepath.Join(root, path)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				var err error
				switch what {
				case "":
					err = os.WriteFile(p, []byte("x"), 0o644)
				case "dir":
					err = os.MkdirAll(p, 0o755)
				default:
					err = os.Symlink(what, p)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			for _, r := range []string{c.root, filepath.Join(base, c.root)} {
				want, werr := walkContent(r)
				got, gerr := listContent(r)
				if fmt.Sprint(werr) != fmt.Sprint(gerr) || !slices.Equal(got, want) {
					t.Errorf("listContent(%q) = %q, %v\nWalkDir gives %q, %v", r, got, gerr, want, werr)
				}
			}
		})
	}
}

// TestListContentOfAFile: a content path naming a file lists that file if
// it is an article, as WalkDir did.
func TestListContentOfAFile(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.md", "b.toml"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		want, werr := walkContent(p)
		got, gerr := listContent(p)
		if werr != nil || gerr != nil || !slices.Equal(got, want) {
			t.Errorf("listContent(%s) = %q, %v; WalkDir gives %q, %v", name, got, gerr, want, werr)
		}
	}
}
