// Package retrieval answers policy questions from the platform's policy
// documents: it loads them (Markdown, text, HTML with front matter), splits
// and embeds them, stores them in Postgres with pgvector, and searches them.
//
// An Ingester loads files into a Store, one transaction per document,
// skipping what has not changed. Store.Search fuses a vector ranking (HNSW,
// per locale) and a full-text ranking by reciprocal rank fusion, over the
// document versions in force for the reader's language and audience.
// SearchTool is search_policy, the tool the agent calls; Evaluate measures
// quality, and internal/retrievalbench quality and speed at scale
// (`csagent bench retrieval`). Embeddings come from the
// built-in LocalEmbedder or an OpenAI-compatible API (OpenAIEmbedder).
package retrieval

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

//go:embed policies/*/*.md
var demoPolicies embed.FS

// DemoPolicies returns the demo policy documents that ship in the binary,
// one folder per locale.
func DemoPolicies() fs.FS {
	sub, err := fs.Sub(demoPolicies, "policies")
	if err != nil {
		panic("retrieval: embedded policies: " + err.Error()) // fixed at build time
	}
	return sub
}

// Document is one policy document in one locale and version.
type Document struct {
	ID        string
	Locale    string
	Version   int
	Title     string
	Audience  string
	Effective time.Time
	Body      string
	// Format is how Body is written: FormatMarkdown (the default, also
	// used for converted HTML) or FormatText, whose lines are never
	// headings.
	Format string
	// Hash identifies the content; re-ingesting an unchanged document is a
	// no-op.
	Hash   string
	Source string
}

// The formats of a Document's Body.
const (
	FormatMarkdown = "markdown"
	FormatText     = "text"
)

func (d *Document) format() string {
	if d.Format == "" {
		return FormatMarkdown
	}
	return d.Format
}

type frontMatter struct {
	ID        string `yaml:"id"`
	Title     string `yaml:"title"`
	Locale    string `yaml:"locale"`
	Version   int    `yaml:"version"`
	Effective string `yaml:"effective"`
	Audience  string `yaml:"audience"`
}

var (
	docIDPattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	localePattern = regexp.MustCompile(`^[a-z]{2}$`)
)

// ErrNoFrontMatter is returned for a document without a front matter block.
var ErrNoFrontMatter = errors.New("no front matter")

// ParseDocument reads a document with YAML front matter between "---" lines.
// source names it in errors.
func ParseDocument(source string, data []byte) (Document, error) {
	fm, body, err := splitFrontMatter(source, data)
	if err != nil {
		return Document{}, err
	}
	if fm == nil {
		return Document{}, fmt.Errorf("%s: %w", source, ErrNoFrontMatter)
	}
	d := Document{ID: fm.ID, Locale: fm.Locale, Version: fm.Version, Title: fm.Title, Audience: fm.Audience,
		Body: strings.TrimSpace(body), Source: source}
	if err := d.validate(); err != nil {
		return Document{}, err
	}
	eff, err := parseEffective(source, fm.Effective)
	if err != nil {
		return Document{}, err
	}
	d.Effective = eff
	d.Hash = d.contentHash()
	return d, nil
}

// splitFrontMatter separates a YAML front matter block from the text after
// it. fm is nil when data does not start with one.
func splitFrontMatter(source string, data []byte) (fm *frontMatter, body string, err error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		return nil, text, nil
	}
	end := strings.Index(text[4:], "\n---")
	if end < 0 {
		return nil, "", fmt.Errorf("%s: front matter is not closed by ---", source)
	}
	head, rest := text[4:4+end], text[4+end+4:]
	rest = strings.TrimLeft(rest, "-")
	fm = new(frontMatter)
	dec := yaml.NewDecoder(strings.NewReader(head))
	dec.KnownFields(true)
	if err := dec.Decode(fm); err != nil && !errors.Is(err, io.EOF) {
		return nil, "", fmt.Errorf("%s: front matter: %w", source, err)
	}
	return fm, rest, nil
}

func parseEffective(source, s string) (time.Time, error) {
	eff, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: effective %q must be a date like 2026-01-31", source, s)
	}
	return eff, nil
}

// validate checks everything but the effective date, which callers parse
// from text or take from a flag.
func (d *Document) validate() error {
	source := d.Source
	switch {
	case !docIDPattern.MatchString(d.ID):
		return fmt.Errorf("%s: id %q must be lower-case letters, digits and dashes", source, d.ID)
	case !localePattern.MatchString(d.Locale):
		return fmt.Errorf("%s: locale %q must be a two-letter code", source, d.Locale)
	case d.Version < 1:
		return fmt.Errorf("%s: version must be a positive integer", source)
	case d.Title == "":
		return fmt.Errorf("%s: title is missing", source)
	case d.Audience != "buyer" && d.Audience != "seller" && d.Audience != "both":
		return fmt.Errorf("%s: audience %q must be buyer, seller or both", source, d.Audience)
	case d.Body == "":
		return fmt.Errorf("%s: the document has no text", source)
	case d.Format != "" && d.Format != FormatMarkdown && d.Format != FormatText:
		return fmt.Errorf("%s: format %q must be markdown or text", source, d.Format)
	}
	return nil
}

// contentHash covers everything a reader of the document could notice, and
// nothing else (not the file's name or the layout of its front matter).
func (d *Document) contentHash() string {
	h := sha256.New()
	for _, f := range []string{d.ID, d.Locale, strconv.Itoa(d.Version), d.Title, d.Audience,
		d.Effective.Format(time.DateOnly), d.format(), d.Body} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// LoadDir parses every .md file under fsys. A file that does not parse is
// reported in errs and skipped, so one broken document does not stop the
// rest.
func LoadDir(fsys fs.FS) (docs []Document, errs []error) {
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		if d.IsDir() || path.Ext(p) != ".md" {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs = append(errs, fmt.Errorf("read %s: %w", p, err))
			return nil
		}
		doc, err := ParseDocument(p, data)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		docs = append(docs, doc)
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	return docs, errs
}
