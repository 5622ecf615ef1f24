package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestBadInputCorpus runs every case of testdata/badinput: each archive is
// a project, and its comment says which command to run, the exit status
// and what standard error must match. A case that exits 2 must leave every
// file exactly as it was and add none: bad input loses nothing and writes
// nothing. Some cases need a set-up that cannot live in an archive (a 50 MB
// file, a symbolic link out of the project, a full disk).
func TestBadInputCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/badinput/*.txtar")
	if err != nil || len(files) < 40 {
		t.Fatalf("want at least 40 bad-input cases, found %d (%v)", len(files), err)
	}
	var bin string
	outer := t
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			spec := parseSpec(t, string(ar.Comment))
			dir := t.TempDir()
			for _, f := range ar.Files {
				path := filepath.Join(dir, f.Name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
				t.Fatal(err)
			}
			setupCase(t, spec["setup"], dir)
			before := snapshotTree(t, dir)
			args := append([]string{"--config", filepath.Join(dir, "healthi18n.yaml")}, strings.Fields(spec["args"])...)
			var code int
			var stderr string
			if strings.HasPrefix(spec["setup"], "fsize") {
				if bin == "" {
					bin = buildBinary(outer) // outlives this subtest
				}
				// A disk that fills up: the shell caps file size for the
				// child, whose writes then fail (EFBIG), as on a full disk.
				cmd := exec.Command("sh", append([]string{"-c", `ulimit -f 1 && exec "$0" "$@"`, bin}, args...)...)
				var errb bytes.Buffer
				cmd.Stderr = &errb
				err := cmd.Run()
				code = cmd.ProcessState.ExitCode()
				if err != nil && code < 0 {
					t.Fatal(err)
				}
				stderr = errb.String()
			} else {
				var out, errb bytes.Buffer
				code = Main(args, &out, &errb)
				stderr = errb.String()
			}
			want, _ := strconv.Atoi(spec["exit"])
			if code != want {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, want, stderr)
			}
			re := regexp.MustCompile("(?m)" + spec["stderr"])
			if !re.MatchString(stderr) {
				t.Errorf("stderr does not match %q:\n%s", spec["stderr"], stderr)
			}
			if code == exitInput {
				after := snapshotTree(t, dir)
				for path, data := range after {
					if old, ok := before[path]; !ok {
						t.Errorf("bad input, yet %s was written", path)
					} else if old != data {
						t.Errorf("bad input, yet %s was changed", path)
					}
				}
				for path := range before {
					if _, ok := after[path]; !ok {
						t.Errorf("bad input, yet %s was removed", path)
					}
				}
			}
		})
	}
}

// parseSpec reads "key: value" lines.
func parseSpec(t *testing.T, comment string) map[string]string {
	spec := map[string]string{}
	for _, line := range strings.Split(comment, "\n") {
		if k, v, ok := strings.Cut(line, ": "); ok {
			spec[k] = v
		} else if k, ok := strings.CutSuffix(line, ":"); ok {
			spec[k] = ""
		}
	}
	if spec["args"] == "" || spec["exit"] == "" {
		t.Fatalf("case comment needs args: and exit: lines, got %q", comment)
	}
	return spec
}

// snapshotTree reads every file under dir (not following links), leaving
// out the lock file, which any run may create.
func snapshotTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		switch {
		case rel == ".healthi18n.lock":
		case info.Mode()&os.ModeSymlink != 0:
			target, _ := os.Readlink(path)
			out[rel] = "symlink:" + target
		case info.IsDir():
			out[rel+"/"] = "dir"
		default:
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			out[rel] = string(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// setupCase makes what an archive cannot hold.
func setupCase(t *testing.T, setup, dir string) {
	t.Helper()
	write := func(rel string, data []byte) {
		path := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outside := t.TempDir() // a place outside the project
	switch setup {
	case "":
	case "big-article":
		write("content/big.txt", bytes.Repeat([]byte("Never do this.\n\n"), 50<<20/16))
	case "big-paragraph":
		write("content/para.txt", append([]byte("Title\n\n"), bytes.Repeat([]byte("word "), 1<<20/5+1)[:1<<20]...))
	case "big-locale-file":
		write("locales/es/dose.es.toml", append([]byte("[title]\nother = \"x\"\n"), bytes.Repeat([]byte("# padding padding padding\n"), 11<<20/26)...))
	case "deep-nesting":
		var b strings.Builder
		b.WriteString("# Deep\n\n")
		for i := 0; i < 2000; i++ {
			b.WriteString(strings.Repeat("  ", i) + "- level " + strconv.Itoa(i) + "\n")
		}
		write("content/deep.md", []byte(b.String()))
	case "symlink-content":
		if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("Secret\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "content", "secret.txt")); err != nil {
			t.Fatal(err)
		}
	case "symlink-locales":
		if err := os.Symlink(outside, filepath.Join(dir, "locales")); err != nil {
			t.Fatal(err)
		}
	case "symlink-locale-file":
		if err := os.MkdirAll(filepath.Join(dir, "locales", "es"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(outside, "x.toml"), []byte("[title]\nother = \"x\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(outside, "x.toml"), filepath.Join(dir, "locales", "es", "dose.es.toml")); err != nil {
			t.Fatal(err)
		}
	case "symlink-dist":
		if err := os.Symlink(outside, filepath.Join(dir, "dist")); err != nil {
			t.Fatal(err)
		}
	case "dist-is-file":
		// A dist/ that cannot be written: a plain file in its place (the
		// tests run as root, for whom a read-only directory is writable).
		write("dist", []byte("not a directory\n"))
	case "fsize":
	case "fsize-seed":
		seed, err := os.ReadFile("../../content/prostate-milking.txt")
		if err != nil {
			t.Fatal(err)
		}
		write("content/prostate-milking.txt", seed)
	default:
		t.Fatalf("unknown setup %q", setup)
	}
}
