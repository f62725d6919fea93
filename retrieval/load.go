package retrieval

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"
)

// Metadata describes a document where its file does not, or overrides what
// the file's front matter says: the flags of `csagent ingest`. Zero fields
// are not set.
type Metadata struct {
	ID        string
	Title     string
	Locale    string
	Version   int
	Effective time.Time
	Audience  string
	// DefaultEffective is the effective date of a document that names none
	// in front matter and gets none from Effective; zero leaves such a
	// document missing one.
	DefaultEffective time.Time
}

// supportedExt reports whether LoadFile reads files named like name.
func supportedExt(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown", ".txt", ".html", ".htm":
		return true
	}
	return false
}

var (
	unsafeIDChars = regexp.MustCompile(`[^a-z0-9-]+`)
	mdH1          = regexp.MustCompile(`(?m)^ {0,3}# +(.+?)[ #]*$`)
)

// LoadFile reads one policy document: Markdown (.md), plain text (.txt) or
// HTML (.html, whose tags are stripped and headings kept as Markdown
// headings). Any of them may start with front matter; meta overrides it.
// What neither gives is derived where that is safe: the id from the file
// name, the locale from a two-letter parent folder (policies/ko/refunds.md),
// the title from the first level-1 heading or the HTML <title>, version 1.
// The effective date and the audience are never guessed: a seller-only
// document published to buyers by default would be a leak.
func LoadFile(name string, data []byte, meta Metadata) (Document, error) {
	fm, body, err := splitFrontMatter(name, data)
	if err != nil {
		return Document{}, err
	}
	if fm == nil {
		fm = &frontMatter{}
	}
	d := Document{ID: fm.ID, Locale: fm.Locale, Version: fm.Version, Title: fm.Title, Audience: fm.Audience,
		Source: name, Format: FormatMarkdown}
	htmlTitle := ""
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown":
	case ".txt":
		d.Format = FormatText
	case ".html", ".htm":
		body, htmlTitle = htmlToMarkdown(body)
	default:
		return Document{}, fmt.Errorf("%s: not a Markdown, text or HTML file", name)
	}
	d.Body = strings.TrimSpace(body)

	if d.ID == "" {
		stem := strings.TrimSuffix(path.Base(name), path.Ext(name))
		d.ID = strings.Trim(unsafeIDChars.ReplaceAllString(strings.ToLower(stem), "-"), "-")
	}
	if d.Locale == "" {
		if dir := path.Base(path.Dir(name)); localePattern.MatchString(dir) {
			d.Locale = dir
		}
	}
	if d.Title == "" {
		d.Title = htmlTitle
	}
	if d.Title == "" && d.Format == FormatMarkdown {
		if m := mdH1.FindStringSubmatch(d.Body); m != nil {
			d.Title = plainHeading(m[1])
		}
	}
	if d.Version == 0 {
		d.Version = 1
	}
	var eff time.Time
	if fm.Effective != "" {
		if eff, err = parseEffective(name, fm.Effective); err != nil {
			return Document{}, err
		}
	}

	if meta.ID != "" {
		d.ID = meta.ID
	}
	if meta.Title != "" {
		d.Title = meta.Title
	}
	if meta.Locale != "" {
		d.Locale = meta.Locale
	}
	if meta.Version != 0 {
		d.Version = meta.Version
	}
	if !meta.Effective.IsZero() {
		eff = meta.Effective
	}
	if meta.Audience != "" {
		d.Audience = meta.Audience
	}

	if eff.IsZero() {
		eff = meta.DefaultEffective
	}
	// Everything missing is named at once, each with where to give it, so a
	// plain file is fixed in one edit rather than one error at a time.
	var missing []string
	if d.Title == "" {
		missing = append(missing, "title (front matter `title:`, a `# Heading`, or --title)")
	}
	if d.Locale == "" {
		missing = append(missing, "locale (front matter `locale:`, a parent folder such as ko/, or --locale)")
	}
	if d.Audience == "" {
		missing = append(missing, "audience (front matter `audience:`, or --audience buyer|seller|both)")
	}
	if eff.IsZero() {
		missing = append(missing, "effective date (front matter `effective:`, or --effective YYYY-MM-DD)")
	}
	if len(missing) > 0 {
		return Document{}, fmt.Errorf("%s: missing %s", name, strings.Join(missing, "; "))
	}
	if err := d.validate(); err != nil {
		return Document{}, err
	}
	d.Effective = time.Date(eff.Year(), eff.Month(), eff.Day(), 0, 0, 0, 0, time.UTC)
	d.Hash = d.contentHash()
	return d, nil
}
