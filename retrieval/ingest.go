package retrieval

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Ingester loads policy documents from files into a Store: it parses them,
// splits, embeds and stores each in one transaction, skips the unchanged
// ones, and can retire the ones that are gone.
type Ingester struct {
	store *Store
}

// NewIngester returns an Ingester into s, which splits and embeds with its
// own Splitter and Embedder.
func NewIngester(s *Store) *Ingester { return &Ingester{store: s} }

// IngestOptions configures one ingest.
type IngestOptions struct {
	// Paths, when set, are the only files of the folder to read, e.g. the
	// files named on a command line; otherwise every .md, .markdown, .txt,
	// .html and .htm file under it is read.
	Paths []string
	// Meta overrides every file's front matter (the command line's flags).
	Meta Metadata
	// RetireMissing retires the documents of the ingested locales that no
	// file of this ingest holds any more. It is skipped when a file failed,
	// since the broken file may well be one of the "missing" documents.
	RetireMissing bool
	// Progress, when set, is called after each file.
	Progress func(Progress)
}

// Progress reports how far an ingest has come.
type Progress struct {
	// Done files of Total have been handled; Source is the last one.
	Done, Total int
	Source      string
}

// Summary is what an ingest did.
type Summary struct {
	// Documents is how many documents were read without error.
	Documents int `json:"documents"`
	// Written documents were new or changed and were stored: Added of them
	// were versions not stored before, Changed ones replaced a stored
	// version's content.
	Written int `json:"written"`
	Added   int `json:"added"`
	Changed int `json:"changed"`
	// Unchanged documents were already stored as they are.
	Unchanged int `json:"unchanged"`
	// ChunksAdded and ChunksRemoved count chunks written and replaced.
	ChunksAdded   int `json:"chunks_added"`
	ChunksRemoved int `json:"chunks_removed"`
	// Retired lists the documents retired as missing, as "id/locale".
	Retired []string `json:"retired,omitempty"`
	// Errors are the files that could not be ingested; the others were.
	Errors   []error       `json:"-"`
	Duration time.Duration `json:"duration"`
}

// docKey names a document in one locale, all versions.
type docKey struct{ id, locale string }

// source is one file to ingest, in the folder it is read from.
type source struct {
	fsys fs.FS
	name string
}

// IngestFS ingests the documents of fsys. A file that cannot be read, parsed
// or stored is reported in Summary.Errors and skipped; the error result is
// only for what stops the whole ingest: a cancelled context, an unreadable
// folder, a failed retirement.
func (i *Ingester) IngestFS(ctx context.Context, fsys fs.FS, opts IngestOptions) (Summary, error) {
	start := time.Now()
	var sum Summary
	var sources []source
	for _, p := range opts.Paths {
		sources = append(sources, source{fsys, p})
	}
	if len(opts.Paths) == 0 {
		var err error
		if sources, err = walk(fsys, sources, &sum); err != nil {
			sum.Duration = time.Since(start)
			return sum, fmt.Errorf("ingest: %w", err)
		}
	}
	err := i.run(ctx, sources, opts, &sum)
	sum.Duration = time.Since(start)
	return sum, err
}

// walk appends the supported files under fsys to sources.
func walk(fsys fs.FS, sources []source, sum *Summary) ([]source, error) {
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			sum.Errors = append(sum.Errors, err)
			return nil
		}
		if !d.IsDir() && supportedExt(p) && !isReadme(p) {
			sources = append(sources, source{fsys, p})
		}
		return nil
	})
	return sources, err
}

// isReadme reports whether p is a folder's README, which describes the
// folder (retrieval/policies has one) and is no policy; named on its own
// it is read like any file.
func isReadme(p string) bool {
	base := path.Base(p)
	return strings.EqualFold(strings.TrimSuffix(base, path.Ext(base)), "readme")
}

// run ingests sources one by one, then retires what is missing if asked.
func (i *Ingester) run(ctx context.Context, sources []source, opts IngestOptions, sum *Summary) error {
	seen := map[docKey]bool{}
	seenVersion := map[string]string{}
	locales := map[string]bool{}
	for n, src := range sources {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := i.ingestFile(ctx, src, opts.Meta, sum, seen, seenVersion, locales); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			sum.Errors = append(sum.Errors, err)
		}
		if opts.Progress != nil {
			opts.Progress(Progress{Done: n + 1, Total: len(sources), Source: src.name})
		}
	}
	if !opts.RetireMissing {
		return nil
	}
	if len(sum.Errors) > 0 {
		sum.Errors = append(sum.Errors, fmt.Errorf("no documents retired: %d files failed, and a broken file is not a deleted document", len(sum.Errors)))
		return nil
	}
	retired, err := i.retireMissing(ctx, locales, seen)
	sum.Retired = retired
	return err
}

func (i *Ingester) ingestFile(ctx context.Context, src source, meta Metadata, sum *Summary,
	seen map[docKey]bool, seenVersion map[string]string, locales map[string]bool) error {
	name := src.name
	data, err := fs.ReadFile(src.fsys, name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	d, err := LoadFile(name, data, meta)
	if err != nil {
		return err
	}
	// Two files claiming one version would overwrite each other on every
	// ingest, so the second is refused.
	if prev, dup := seenVersion[docName(d)]; dup {
		return fmt.Errorf("%s: %s is also in %s", name, docName(d), prev)
	}
	seenVersion[docName(d)] = name
	seen[docKey{d.ID, d.Locale}] = true
	locales[d.Locale] = true
	sum.Documents++
	r, err := i.store.put(ctx, d)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if !r.written {
		sum.Unchanged++
		return nil
	}
	sum.Written++
	if r.created {
		sum.Added++
	} else {
		sum.Changed++
	}
	sum.ChunksAdded += r.added
	sum.ChunksRemoved += r.removed
	return nil
}

// retireMissing retires the documents in force in the ingested locales
// that the ingest did not see. Locales the ingest did not touch are left
// alone: ingesting only the Korean folder must not retire English.
func (i *Ingester) retireMissing(ctx context.Context, locales map[string]bool, seen map[docKey]bool) ([]string, error) {
	if len(locales) == 0 {
		return nil, nil
	}
	var ls []string
	for l := range locales {
		ls = append(ls, l)
	}
	rows, err := i.store.db.Query(ctx, `
		SELECT DISTINCT doc_id, locale FROM policy_documents
		WHERE locale = ANY($1) AND retired_at IS NULL ORDER BY doc_id, locale`, ls)
	if err != nil {
		return nil, fmt.Errorf("ingest: find missing documents: %w", err)
	}
	stored, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (docKey, error) {
		var k docKey
		return k, r.Scan(&k.id, &k.locale)
	})
	if err != nil {
		return nil, fmt.Errorf("ingest: find missing documents: %w", err)
	}
	var retired []string
	for _, k := range stored {
		if seen[k] {
			continue
		}
		if err := i.store.Retire(ctx, k.id, k.locale); err != nil && !errors.Is(err, ErrNotFound) {
			return retired, fmt.Errorf("ingest: %w", err)
		}
		retired = append(retired, k.id+"/"+k.locale)
	}
	return retired, nil
}

// IngestFiles ingests files named by operating-system paths, as given on a
// command line: folders are walked, files are read as they are, and the
// parent folder of a file still names its locale (ko/refunds.md). With
// RetireMissing every path must be a folder: "missing" means missing from
// the folders, and a list of single files would retire everything else.
func (i *Ingester) IngestFiles(ctx context.Context, paths []string, opts IngestOptions) (Summary, error) {
	start := time.Now()
	var sum Summary
	var sources []source
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			sum.Errors = append(sum.Errors, err)
			continue
		}
		if st.IsDir() {
			if sources, err = walk(os.DirFS(p), sources, &sum); err != nil {
				sum.Errors = append(sum.Errors, fmt.Errorf("read %s: %w", p, err))
			}
			continue
		}
		if opts.RetireMissing {
			return sum, fmt.Errorf("ingest: retiring missing documents needs folders, and %s is a file", p)
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			sum.Errors = append(sum.Errors, err)
			continue
		}
		dir, file := filepath.Split(abs)
		parent, folder := filepath.Split(filepath.Clean(dir))
		if parent == "" || folder == "" {
			parent, folder = dir, ""
		}
		sources = append(sources, source{os.DirFS(parent), path.Join(folder, file)})
	}
	err := i.run(ctx, sources, opts, &sum)
	sum.Duration = time.Since(start)
	return sum, err
}
