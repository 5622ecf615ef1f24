package bundle

import (
	"testing"
)

// FuzzParse feeds arbitrary bytes to the locale-file parser. Invariants: no
// panic; a file that parses can be synced against a source with the same
// messages, the result parses again, and every translated form survives
// with exactly the same text (sync never alters a translator's text).
func FuzzParse(f *testing.F) {
	f.Add([]byte("[a]\ndescription = \"d\"\nhash = \"sha1-x\"\nother = \"x\"\n"))
	f.Add([]byte("# c\n[a]\nother = '''\nmulti\nline'''\n# note\n[b]\none = \"1\"\nother = \"n\"\n"))
	f.Add([]byte("#| was: \"old\"\n[a]\nhash = \"h\"\nother = \"\\u00e9\\n\"\n"))
	f.Add([]byte("[\"quoted key\"]\nother = \"\"\"\nx\"\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("f.toml", data)
		if err != nil {
			return
		}
		src := FromUIFile(file, en)
		out := Sync(src, es, file, SyncOptions{})
		again, err := Parse("f.toml", out.Data)
		if err != nil {
			t.Fatalf("synced file does not parse: %v\n%s", err, out.Data)
		}
		for _, e := range file.Entries {
			e2 := again.Entry(e.ID)
			if e2 == nil {
				t.Fatalf("entry %q lost", e.ID)
			}
			for _, f := range e.Forms {
				if e2.Forms.Text(f.Name) != f.Text {
					t.Fatalf("entry %q form %s changed: %q → %q", e.ID, f.Name, f.Text, e2.Forms.Text(f.Name))
				}
			}
		}
	})
}
