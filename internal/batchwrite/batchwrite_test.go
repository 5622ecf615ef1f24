package batchwrite

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCommitAndAbort(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(old, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	var b Batch
	if err := b.Add(old, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := b.Add(filepath.Join(dir, "x", "y", "b.txt"), []byte("b"), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(old); string(data) != "old" {
		t.Fatal("a file changed before Commit")
	}
	done, err := b.Commit()
	if err != nil || len(done) != 2 {
		t.Fatalf("Commit: %v %v", done, err)
	}
	if data, _ := os.ReadFile(old); string(data) != "new" {
		t.Errorf("a.txt = %q", data)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "x", "y", "b.txt")); string(data) != "b" {
		t.Errorf("b.txt = %q", data)
	}

	var c Batch
	if err := c.Add(old, []byte("newer"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := c.Add(filepath.Join(dir, "p", "q", "c.txt"), []byte("c"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.Abort()
	if data, _ := os.ReadFile(old); string(data) != "new" {
		t.Errorf("Abort changed a.txt: %q", data)
	}
	if _, err := os.Stat(filepath.Join(dir, "p")); !os.IsNotExist(err) {
		t.Errorf("Abort left the directories it made")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "a.txt" && e.Name() != "x" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
