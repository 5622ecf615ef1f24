// Package corpus generates synthetic healthi18n projects for benchmarks and
// load tests: articles like the seed (front matter, paragraphs, a numbered
// list, warnings with doses) and translator files with a chosen share
// translated, stale and broken. The same options always give the same bytes.
package corpus

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"

	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/project"
)

// Options describes a corpus.
type Options struct {
	Articles   int
	Locales    int     // at most len(Targets)
	Translated float64 // share of messages translated
	Stale      float64 // share of articles whose source then changes
	Broken     float64 // share of translations with a changed number
	Seed       int64
}

// negation is a word each target's negation list accepts.
var negation = map[string]string{
	"es": "no", "de": "nicht", "fr": "ne pas", "ar": "لا", "ru": "не", "ja": "ない", "zh-Hans": "不",
	"it": "non", "pt-BR": "não", "pl": "nie", "nl": "niet", "sv": "inte", "tr": "değil", "uk": "не", "ko": "않",
}

// Targets are the locales a corpus uses, in order.
var Targets = []string{"es", "de", "fr", "ar", "ru", "ja", "zh-Hans", "it", "pt-BR", "pl", "nl", "sv", "tr", "uk", "ko"}

var (
	topics  = []string{"paracetamol", "ibuprofen", "aspirin", "antihistamines", "antibiotics", "insulin", "statins", "inhalers", "antacids", "iron tablets"}
	intro   = []string{"is a common medicine used to treat", "helps many people manage", "is often prescribed for", "can be bought without a prescription to relieve"}
	targetW = []string{"mild pain", "fever", "allergies", "infections", "high cholesterol", "asthma", "heartburn", "anaemia"}
	steps   = []string{"Take the tablets with a glass of water.", "Take it with or just after food.", "Swallow the capsules whole; do not chew them.", "Keep a note of the times you take it.", "Store it out of the sight and reach of children.", "Use the measuring spoon that comes with the medicine."}
	filler  = []string{"Most people do not get side effects", "The leaflet inside the packet lists every ingredient", "Your pharmacist can explain how it works", "It usually starts to work within an hour", "Some people need a lower dose", "The effect lasts for several hours"}
)

// Generate writes a corpus into dir: healthi18n.yaml, content/ and every
// translator file.
func Generate(dir string, o Options) error {
	n, l, translated, stale, broken, seed := o.Articles, o.Locales, o.Translated, o.Stale, o.Broken, o.Seed
	if l > len(Targets) {
		return fmt.Errorf("at most %d locales", len(Targets))
	}
	r := rand.New(rand.NewSource(seed))
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		return err
	}
	cfg := fmt.Sprintf("source: en\ntargets: [%s]\npolicy: {safety: fallback}\n", strings.Join(Targets[:l], ", "))
	if err := os.WriteFile(filepath.Join(dir, "healthi18n.yaml"), []byte(cfg), 0o644); err != nil {
		return err
	}
	var articles [][]byte
	for i := 0; i < n; i++ {
		a := article(r, i)
		articles = append(articles, a)
		if err := os.WriteFile(filepath.Join(dir, "content", fmt.Sprintf("article-%05d.md", i)), a, 0o644); err != nil {
			return err
		}
	}
	// Split once to create every translator file with its IDs.
	c, err := config.Load(config.Options{Path: filepath.Join(dir, "healthi18n.yaml"), Environ: []string{}})
	if err != nil {
		return err
	}
	p, err := project.Load(c)
	if err != nil {
		return err
	}
	if _, err := p.Split(project.SplitOptions{}).Apply(); err != nil {
		return err
	}
	// Translate: a fake but QA-clean translation keeps numbers and has a
	// negation from the language's own list, so that only the broken share
	// fails QA, as in a real corpus.
	for _, lang := range Targets[:l] {
		files, _ := filepath.Glob(filepath.Join(dir, "locales", lang, "article-*."+lang+".toml"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			var b strings.Builder
			lines := strings.Split(string(data), "\n")
			src := ""
			for _, line := range lines {
				if s, ok := strings.CutPrefix(line, "#. source: "); ok {
					src = s
				}
				if line == `other = ""` && r.Float64() < translated {
					text := "[" + lang + "] " + negation[lang] + ": " + src
					if r.Float64() < broken {
						text = strings.Replace(text, "4", "40", 1)
					}
					line = fmt.Sprintf("other = %q", text)
				}
				b.WriteString(line + "\n")
			}
			if err := os.WriteFile(f, []byte(strings.TrimSuffix(b.String(), "\n")), 0o644); err != nil {
				return err
			}
		}
	}
	// Make a share of translations stale: edit their source paragraphs.
	for i, a := range articles {
		if r.Float64() >= stale {
			continue
		}
		edited := strings.Replace(string(a), "Most people", "Many people", 1)
		if err := os.WriteFile(filepath.Join(dir, "content", fmt.Sprintf("article-%05d.md", i)), []byte(edited), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// article writes one ~4 KB article like the seed.
func article(r *rand.Rand, i int) []byte {
	pick := func(xs []string) string { return xs[r.Intn(len(xs))] }
	topic := pick(topics)
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s for %s, part %d\ndescription: How to use %s safely.\nreviewed: 2026-%02d-%02d\n---\n\n", strings.ToUpper(topic[:1])+topic[1:], pick(targetW), i, topic, 1+r.Intn(12), 1+r.Intn(28))
	fmt.Fprintf(&b, "%s %s %s. %s, and %s.\n\n", strings.ToUpper(topic[:1])+topic[1:], pick(intro), pick(targetW), pick(filler), strings.ToLower(pick(filler)))
	fmt.Fprintf(&b, "## How to take it\n\nThe usual dose for adults is %d mg up to %d times in 24 hours. %s.\n\n", 100*(1+r.Intn(9)), 2+r.Intn(3), pick(filler))
	for s := 1; s <= 4+r.Intn(4); s++ {
		fmt.Fprintf(&b, "%d. %s %s.\n", s, pick(steps), pick(filler))
	}
	fmt.Fprintf(&b, "\n> [!WARNING]\n> Do not take more than %d g in 24 hours. Taking too much can seriously damage your liver.\n\n", 2+r.Intn(3))
	fmt.Fprintf(&b, "## Side effects\n\n%s. %s. %s.\n\n", pick(filler), pick(filler), pick(filler))
	if r.Intn(2) == 0 {
		fmt.Fprintf(&b, "Never give %s to children under %d years old. See your doctor if the symptoms last more than %d days.\n\n", topic, 12+r.Intn(5), 3+r.Intn(5))
	}
	for p := 0; p < 6; p++ {
		fmt.Fprintf(&b, "%s, %s, and %s. %s.\n\n", pick(filler), strings.ToLower(pick(filler)), strings.ToLower(pick(filler)), pick(filler))
	}
	return []byte(b.String())
}
