// Command reader shows how a Go app uses what "healthi18n export" writes: it
// loads dist/<lang>/<slug>.<lang>.json with go-i18n's Bundle, takes the
// reading order from dist/manifest.json, and prints the article with a
// Localizer.
//
//	go run ./examples/reader -dist dist -lang es -article prostate-milking
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// manifest is the part of dist/manifest.json this program needs.
type manifest struct {
	Source  string `json:"source"`
	Locales []struct {
		Locale   string `json:"locale"`
		Status   string `json:"status"`
		Articles []struct {
			Slug     string   `json:"slug"`
			Messages []string `json:"messages"`
		} `json:"articles"`
	} `json:"locales"`
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reader", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dist := fs.String("dist", "dist", "export directory")
	lang := fs.String("lang", "es", "locale to read")
	slug := fs.String("article", "prostate-milking", "article slug")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := read(stdout, *dist, *lang, *slug); err != nil {
		fmt.Fprintln(stderr, "reader:", err)
		return 1
	}
	return 0
}

func read(w io.Writer, dist, lang, slug string) error {
	data, err := os.ReadFile(filepath.Join(dist, "manifest.json"))
	if err != nil {
		return err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	var order []string
	for _, l := range m.Locales {
		if l.Locale != lang {
			continue
		}
		if l.Status == "refused" {
			return fmt.Errorf("%s was refused by the export policy: see dist/manifest.json", lang)
		}
		for _, a := range l.Articles {
			if a.Slug == slug {
				order = a.Messages
			}
		}
	}
	if order == nil {
		return fmt.Errorf("no article %q for %s in the manifest", slug, lang)
	}
	bundle := i18n.NewBundle(language.MustParse(m.Source))
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	// go-i18n reads the language from the file name: <slug>.<lang>.json.
	if _, err := bundle.LoadMessageFile(filepath.Join(dist, lang, slug+"."+lang+".json")); err != nil {
		return err
	}
	loc := i18n.NewLocalizer(bundle, lang)
	for _, id := range order {
		text, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id})
		var nf *i18n.MessageNotFoundErr
		if errors.As(err, &nf) {
			continue // omitted under policy missing: omit
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(w, text)
		fmt.Fprintln(w)
	}
	return nil
}
