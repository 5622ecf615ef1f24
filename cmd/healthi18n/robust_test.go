package main

import (
	"bytes"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/project"
)

// newProject writes a small project with the seed article and returns its
// directory.
func newProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	seed, err := os.ReadFile("../../content/prostate-milking.txt")
	if err != nil {
		t.Fatal(err)
	}
	para, err := os.ReadFile("../../content/paracetamol.md")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"healthi18n.yaml":              []byte("source: en\ntargets: [es, de, fr]\npolicy: {safety: fallback}\n"),
		"content/prostate-milking.txt": seed,
		"content/paracetamol.md":       para,
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// run runs the command in-process in dir.
func run(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(append([]string{"--config", filepath.Join(dir, "healthi18n.yaml")}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestLock(t *testing.T) {
	dir := newProject(t)
	cfg, err := config.Load(config.Options{Path: filepath.Join(dir, "healthi18n.yaml"), Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	saved := project.LockWait
	defer func() { project.LockWait = saved }()

	// Another run holds the lock and does not let go: give up, exit 2.
	unlock, err := project.Lock(cfg, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	project.LockWait = 300 * time.Millisecond
	code, _, stderr := run(t, dir, "split")
	if code != exitInput || !strings.Contains(stderr, "waiting for another run to finish") || !strings.Contains(stderr, "another healthi18n run holds") {
		t.Errorf("split under a held lock: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "locales")); !os.IsNotExist(err) {
		t.Errorf("split wrote while another run held the lock")
	}
	// A reader (check) is also kept out while a writer runs.
	if code, _, _ := run(t, dir, "check"); code != exitInput {
		t.Errorf("check ran during a write: exit %d", code)
	}

	// The other run finishes soon: wait, then go ahead.
	project.LockWait = 10 * time.Second
	go func() {
		time.Sleep(200 * time.Millisecond)
		unlock()
	}()
	code, stdout, stderr := run(t, dir, "split")
	if code != exitOK || !strings.Contains(stderr, "waiting for another run") || !strings.Contains(stdout, "split:") {
		t.Errorf("split after the lock was released: exit %d\n%s\n%s", code, stdout, stderr)
	}

	// Two readers share the lock.
	r1, err := project.Lock(cfg, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r1()
	project.LockWait = 300 * time.Millisecond
	if code, _, stderr := run(t, dir, "status"); code != exitOK {
		t.Errorf("status beside another reader: exit %d %s", code, stderr)
	}
}

// buildBinary builds healthi18n for tests that must kill a real process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "healthi18n")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// tree reads every file under dir into a map (paths relative to dir).
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if info.IsDir() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		out[rel] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// fillSpanish writes a Spanish translation (tagged with version) into
// every empty message of the project's es files.
func fillSpanish(t *testing.T, dir, version string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "locales", "es", "*.es.toml"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.ReplaceAll(string(data), "\nother = \"\"\n", "\nother = \"No ("+version+").\"\n")
		s = strings.ReplaceAll(s, "\nother = \"No (v1).\"\n", "\nother = \"No ("+version+").\"\n")
		if err := os.WriteFile(f, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	for rel, data := range tree(t, src) {
		path := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// killAt starts the binary and kills it with SIGKILL after d.
func killAt(t *testing.T, bin, dir string, d time.Duration, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--config", filepath.Join(dir, "healthi18n.yaml")}, args...)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-done
	}
}

// TestKillExport kills export with SIGKILL at random points: dist/ always
// holds either the old or the new complete output, never a mix.
func TestKillExport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it repeatedly")
	}
	bin := buildBinary(t)
	dir := newProject(t)
	if code, _, e := run(t, dir, "split"); code != 0 {
		t.Fatal(e)
	}
	fillSpanish(t, dir, "v1")
	if code, _, e := run(t, dir, "export"); code != 0 {
		t.Fatal(e)
	}
	old := tree(t, filepath.Join(dir, "dist"))

	// The new output, computed in a copy of the project.
	fillSpanish(t, dir, "v2")
	other := t.TempDir()
	copyDir(t, dir, other)
	if err := os.RemoveAll(filepath.Join(other, "dist")); err != nil {
		t.Fatal(err)
	}
	if code, _, e := run(t, other, "export"); code != 0 {
		t.Fatal(e)
	}
	want := tree(t, filepath.Join(other, "dist"))
	if sameTree(old, want) {
		t.Fatal("old and new outputs are the same; the test would prove nothing")
	}

	// How long a whole export takes, to kill inside that window.
	restore := func() {
		if err := os.RemoveAll(filepath.Join(dir, "dist")); err != nil {
			t.Fatal(err)
		}
		for rel, data := range old {
			path := filepath.Join(dir, "dist", rel)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	start := time.Now()
	killAt(t, bin, dir, time.Minute, "export") // not killed: it finishes first
	window := time.Since(start)
	restore()

	r := rand.New(rand.NewSource(7))
	sawOld, sawNew := 0, 0
	for i := 0; i < 30; i++ {
		killAt(t, bin, dir, time.Duration(r.Int63n(int64(window))), "export")
		got := tree(t, filepath.Join(dir, "dist"))
		switch {
		case sameTree(got, old):
			sawOld++
		case sameTree(got, want):
			sawNew++
		default:
			t.Fatalf("kill %d left dist/ neither old nor new (%d files)", i, len(got))
		}
		restore() // every kill starts from the old output
	}
	t.Logf("30 kills within a %v export: %d left the old output, %d the new", window, sawOld, sawNew)
	if sawOld == 0 {
		t.Errorf("no kill landed before the swap; the test did not interrupt an export")
	}
	if code, _, e := run(t, dir, "export"); code != 0 || !sameTree(tree(t, filepath.Join(dir, "dist")), want) {
		t.Fatalf("a full export after the kills did not give the new output: %s", e)
	}
}

// TestKillSync kills split while it rewrites translator files: every file
// is always either its old or its new version, never truncated.
func TestKillSync(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it repeatedly")
	}
	bin := buildBinary(t)
	dir := newProject(t)
	if code, _, e := run(t, dir, "split"); code != 0 {
		t.Fatal(e)
	}
	fillSpanish(t, dir, "v1")
	old := tree(t, filepath.Join(dir, "locales"))
	// Editing the source makes split rewrite every translator file.
	src := filepath.Join(dir, "content", "prostate-milking.txt")
	data, _ := os.ReadFile(src)
	edited := strings.Replace(string(data), "never use undue force", "never use any undue force", 1)
	if err := os.WriteFile(src, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	copyDir(t, dir, other)
	if code, _, e := run(t, other, "split"); code != 0 {
		t.Fatal(e)
	}
	want := tree(t, filepath.Join(other, "locales"))
	restore := func() {
		for rel, data := range old {
			if err := os.WriteFile(filepath.Join(dir, "locales", rel), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	start := time.Now()
	killAt(t, bin, dir, time.Minute, "split")
	window := time.Since(start)
	restore()
	r := rand.New(rand.NewSource(9))
	mixed := 0 // kills that left some files old and some new: interrupted mid-write
	for i := 0; i < 30; i++ {
		killAt(t, bin, dir, time.Duration(r.Int63n(int64(window))), "split")
		got := tree(t, filepath.Join(dir, "locales"))
		newFiles := 0
		for name, data := range got {
			if strings.Contains(name, ".tmp-") {
				continue // a temporary file, never a translator file; the next run removes it
			}
			if data != old[name] && data != want[name] {
				t.Fatalf("kill %d: %s is neither its old nor its new version (%d bytes)", i, name, len(data))
			}
			if data != old[name] {
				newFiles++
			}
		}
		for name := range old {
			if _, ok := got[name]; !ok {
				t.Fatalf("kill %d: %s disappeared", i, name)
			}
		}
		if newFiles > 0 && newFiles < len(want) {
			mixed++
		}
		restore()
	}
	t.Logf("30 kills within a %v split; %d stopped between two renames", window, mixed)
	if code, _, e := run(t, dir, "split"); code != 0 {
		t.Fatal(e)
	}
	for name, data := range tree(t, filepath.Join(dir, "locales")) {
		if strings.Contains(name, ".tmp-") {
			t.Errorf("a full split left the temporary file %s", name)
		} else if data != want[name] {
			t.Errorf("after a full split %s is not its new version", name)
		}
	}
}
