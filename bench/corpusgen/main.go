// Command corpusgen writes a synthetic healthi18n project for benchmarks:
// N articles like the seed (front matter, paragraphs, a numbered list,
// warnings with doses) and translator files for L locales with a chosen
// share translated, stale and broken. The same flags always give the same
// bytes.
//
//	go run ./bench/corpusgen -out /tmp/corpus -articles 1000 -locales 10
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"

	"github.com/healthi18n/healthi18n/internal/config"
	"github.com/healthi18n/healthi18n/internal/project"
)

var targets = []string{"es", "de", "fr", "ar", "ru", "ja", "zh-Hans", "it", "pt-BR", "pl", "nl", "sv", "tr", "uk", "ko"}

func main() {
	out := flag.String("out", "corpus", "directory to create")
	n := flag.Int("articles", 1000, "number of articles")
	l := flag.Int("locales", 10, "number of target locales (at most 15)")
	translated := flag.Float64("translated", 0.9, "share of messages translated")
	stale := flag.Float64("stale", 0.02, "share of translated messages whose source then changes")
	broken := flag.Float64("broken", 0.01, "share of translated messages with a changed number")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	if err := generate(*out, *n, *l, *translated, *stale, *broken, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "corpusgen:", err)
		os.Exit(1)
	}
}

var (
	topics  = []string{"paracetamol", "ibuprofen", "aspirin", "antihistamines", "antibiotics", "insulin", "statins", "inhalers", "antacids", "iron tablets"}
	intro   = []string{"is a common medicine used to treat", "helps many people manage", "is often prescribed for", "can be bought without a prescription to relieve"}
	targetW = []string{"mild pain", "fever", "allergies", "infections", "high cholesterol", "asthma", "heartburn", "anaemia"}
	steps   = []string{"Take the tablets with a glass of water.", "Take it with or just after food.", "Swallow the capsules whole; do not chew them.", "Keep a note of the times you take it.", "Store it out of the sight and reach of children.", "Use the measuring spoon that comes with the medicine."}
	filler  = []string{"Most people do not get side effects", "The leaflet inside the packet lists every ingredient", "Your pharmacist can explain how it works", "It usually starts to work within an hour", "Some people need a lower dose", "The effect lasts for several hours"}
)

func generate(dir string, n, l int, translated, stale, broken float64, seed int64) error {
	if l > len(targets) {
		return fmt.Errorf("at most %d locales", len(targets))
	}
	r := rand.New(rand.NewSource(seed))
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		return err
	}
	cfg := fmt.Sprintf("source: en\ntargets: [%s]\npolicy: {safety: fallback}\n", strings.Join(targets[:l], ", "))
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
	// negation in every language's list ("no" is one in es, it, pt…; the
	// check sees a few broken ones in the others, like real corpora).
	for _, lang := range targets[:l] {
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
					text := "[" + lang + "] no: " + src
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
		if r.Float64() >= stale*5 { // about one paragraph in five articles' worth
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
