package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/healthi18n/healthi18n/internal/check"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"healthi18n": func() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end scenarios in testdata/script: each
// .txtar file is a readable spec of the real binary's behaviour.
func TestScripts(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("REPO", repo)
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"replace": cmdReplace,
			"mtime":   cmdMtime,
			"damage":  cmdDamage,
		},
	})
}

// cmdReplace edits a file as a person would in an editor:
//
//	replace FILE OLD NEW
//
// OLD and NEW are Go-quoted strings when they start with a double quote
// (so they can hold newlines); OLD must occur in the file.
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	unq := func(s string) string {
		if strings.HasPrefix(s, `"`) {
			u, err := strconv.Unquote(s)
			ts.Check(err)
			return u
		}
		return s
	}
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	old, new := unq(args[1]), unq(args[2])
	if !strings.Contains(string(data), old) {
		ts.Fatalf("replace: %q not found in %s", old, args[0])
	}
	ts.Check(os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644))
}

// cmdMtime saves or compares the modification times of files:
//
//	mtime save FILE...    remember them
//	mtime same FILE...    fail if any changed since save
func cmdMtime(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: mtime save|same FILE...")
	}
	for _, f := range args[1:] {
		st, err := os.Stat(ts.MkAbs(f))
		ts.Check(err)
		key := "MTIME_" + strings.NewReplacer("/", "_", ".", "_", "-", "_").Replace(f)
		now := fmt.Sprint(st.ModTime().UnixNano())
		switch args[0] {
		case "save":
			ts.Setenv(key, now)
		case "same":
			if was := ts.Getenv(key); was != now {
				ts.Fatalf("%s was modified (mtime %s → %s)", f, was, now)
			}
		default:
			ts.Fatalf("usage: mtime save|same FILE...")
		}
	}
}

// cmdDamage overwrites every file in a directory (a cache's shards) with
// a copy of one file:
//
//	damage FROM DIR
func cmdDamage(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: damage FROM DIR")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	ents, err := os.ReadDir(ts.MkAbs(args[1]))
	ts.Check(err)
	if len(ents) == 0 {
		ts.Fatalf("%s is empty: nothing to damage", args[1])
	}
	for _, e := range ents {
		ts.Check(os.WriteFile(filepath.Join(ts.MkAbs(args[1]), e.Name()), data, 0o644))
	}
}

func TestStatusCellColour(t *testing.T) {
	tests := []struct {
		c    check.Counts
		want string
	}{
		{check.Counts{Messages: 2, Translated: 2, Safety: 1, SafetyOK: 1}, ansiGreen + "2/2 ✔" + ansiReset},
		{check.Counts{Messages: 2, Translated: 1, Missing: 1, Safety: 1, SafetyOK: 1}, ansiYellow + "1/2 m1 ✔" + ansiReset},
		{check.Counts{Messages: 3, Translated: 1, Stale: 1, Missing: 1, Safety: 2}, ansiRed + "1/3 s1 m1 ✘2" + ansiReset},
	}
	for _, tt := range tests {
		if got := statusCell(tt.c, true); got != tt.want {
			t.Errorf("statusCell(%+v) = %q, want %q", tt.c, got, tt.want)
		}
		if got := statusCell(tt.c, false); strings.Contains(got, "\x1b") {
			t.Errorf("plain cell has an escape: %q", got)
		}
	}
}

// TestProgramID: the running binary (a Go ELF executable here) is known by
// its Go build ID, the same on every call; a file that is not an ELF
// executable has none, and the whole file is then hashed.
func TestProgramID(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip("no executable path:", err)
	}
	id := goBuildID(exe)
	if runtime.GOOS == "linux" && id == "" {
		t.Fatalf("%s: no Go build ID found", exe)
	}
	if a, b := programID(), programID(); string(a) != string(b) || (id != "" && string(a) != "go build ID "+id) {
		t.Errorf("programID = %q then %q, want the build ID %q both times", a, b, id)
	}
	other := filepath.Join(t.TempDir(), "script")
	os.WriteFile(other, []byte("#!/bin/sh\n"), 0o755)
	if goBuildID(other) != "" {
		t.Error("a shell script has a Go build ID")
	}
}

// TestBuildIDNote: only an ID of the go command's shape is taken; a fixed
// one (as Bazel and Nix write) or a damaged note means hashing the binary.
func TestBuildIDNote(t *testing.T) {
	note := func(name string, typ uint32, desc string) []byte {
		b := binary.LittleEndian.AppendUint32(nil, uint32(len(name)))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(desc)))
		b = binary.LittleEndian.AppendUint32(b, typ)
		return append(append(b, name...), desc...)
	}
	good := "8ZTcXiK6HIFDYPK0jdq5/HgwzvaYNVV5ywq39VTZl/fjZzIAEMwzhdVRr1NMBn/eZB3KEru49vsxvub4RJ3"
	for name, c := range map[string]struct {
		note []byte
		want string
	}{
		"go command":    {note("Go\x00\x00", 4, good), good},
		"redacted":      {note("Go\x00\x00", 4, "redacted"), ""},
		"empty":         {note("Go\x00\x00", 4, ""), ""},
		"two parts":     {note("Go\x00\x00", 4, good[:41]), ""},
		"other owner":   {note("GNU\x00", 4, good), ""},
		"other type":    {note("Go\x00\x00", 3, good), ""},
		"short":         {note("Go\x00\x00", 4, good)[:40], ""},
		"odd character": {note("Go\x00\x00", 4, strings.Replace(good, "Z", "+", 1)), ""},
		"truncated":     {[]byte("Go"), ""},
	} {
		if got := buildIDNote(c.note, binary.LittleEndian); got != c.want {
			t.Errorf("%s: buildIDNote = %q, want %q", name, got, c.want)
		}
	}
}
