// Package retrieval answers policy questions from the platform's policy
// documents: it loads them (Markdown, text, HTML with front matter), splits
// and embeds them, stores them in Postgres with pgvector, and searches them.
package retrieval

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
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
	// Hash identifies the content; re-ingesting an unchanged document is a
	// no-op.
	Hash   string
	Source string
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
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		return Document{}, fmt.Errorf("%s: %w", source, ErrNoFrontMatter)
	}
	end := strings.Index(text[4:], "\n---")
	if end < 0 {
		return Document{}, fmt.Errorf("%s: front matter is not closed by ---", source)
	}
	head, body := text[4:4+end], text[4+end+4:]
	body = strings.TrimLeft(body, "-")
	var fm frontMatter
	dec := yaml.NewDecoder(strings.NewReader(head))
	dec.KnownFields(true)
	if err := dec.Decode(&fm); err != nil {
		return Document{}, fmt.Errorf("%s: front matter: %w", source, err)
	}
	d := Document{ID: fm.ID, Locale: fm.Locale, Version: fm.Version, Title: fm.Title, Audience: fm.Audience,
		Body: strings.TrimSpace(body), Source: source}
	switch {
	case !docIDPattern.MatchString(d.ID):
		return Document{}, fmt.Errorf("%s: id %q must be lower-case letters, digits and dashes", source, d.ID)
	case !localePattern.MatchString(d.Locale):
		return Document{}, fmt.Errorf("%s: locale %q must be a two-letter code", source, d.Locale)
	case d.Version < 1:
		return Document{}, fmt.Errorf("%s: version must be a positive integer", source)
	case d.Title == "":
		return Document{}, fmt.Errorf("%s: title is missing", source)
	case d.Audience != "buyer" && d.Audience != "seller" && d.Audience != "both":
		return Document{}, fmt.Errorf("%s: audience %q must be buyer, seller or both", source, d.Audience)
	case d.Body == "":
		return Document{}, fmt.Errorf("%s: the document has no text", source)
	}
	eff, err := time.Parse(time.DateOnly, fm.Effective)
	if err != nil {
		return Document{}, fmt.Errorf("%s: effective %q must be a date like 2026-01-31", source, fm.Effective)
	}
	d.Effective = eff
	sum := sha256.Sum256([]byte(head + "\x00" + d.Body))
	d.Hash = hex.EncodeToString(sum[:])
	return d, nil
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
