package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"github.com/csagent/csagent/retrieval"
)

// runIngest loads policy documents from files and folders into the store:
// new and changed ones are split, embedded and stored, unchanged ones
// skipped, and with --retire-missing the documents no longer in the folders
// are retired. A broken file is reported and skipped; the command then
// fails, after the rest were ingested, so a script notices.
func runIngest(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg common
	var emb embedConfig
	var meta retrieval.Metadata
	var effective string
	var retire, quiet bool
	f := newFlags("ingest", getenv, stderr)
	cfg.register(f)
	emb.register(f)
	f.StringVar(&meta.Locale, "locale", "", "language of every document (overrides front matter and the folder name)")
	f.StringVar(&meta.Audience, "audience", "", "audience of every document: buyer, seller or both (overrides front matter)")
	f.StringVar(&meta.ID, "id", "", "document id (only with a single file)")
	f.StringVar(&meta.Title, "title", "", "document title (only with a single file)")
	f.IntVar(&meta.Version, "version", 0, "document version (overrides front matter)")
	f.StringVar(&effective, "effective", "", "date the documents take effect, YYYY-MM-DD (overrides front matter; a document naming none takes effect today)")
	f.BoolVar(&retire, "retire-missing", false, "retire the documents of the ingested languages that the folders no longer hold")
	f.BoolVar(&quiet, "quiet", false, "no progress bar")
	if err := f.Parse(args); err != nil {
		return err
	}
	paths := f.Args()
	if err := checkIngestFlags(paths, &meta, effective); err != nil {
		return err
	}
	pool, m, err := cfg.openMigrated(ctx, nil)
	if err != nil {
		return err
	}
	defer pool.Close()
	defer m.Close()
	store, err := emb.store(pool, getenv, "")
	if err != nil {
		return err
	}
	if meta.Effective.IsZero() {
		// A plain file takes effect today, UTC like every effective date;
		// front matter or --effective pins another day.
		meta.DefaultEffective = time.Now().UTC().Truncate(24 * time.Hour)
	}
	opts := retrieval.IngestOptions{Meta: meta, RetireMissing: retire}
	bar := newProgressBar(stderr)
	if !quiet && bar != nil {
		opts.Progress = bar.show
	}
	sum, err := retrieval.NewIngester(store).IngestFiles(ctx, paths, opts)
	bar.done()
	printSummary(stdout, sum)
	for _, e := range sum.Errors {
		fmt.Fprintf(stderr, "skipped: %v\n", e)
	}
	if err != nil {
		return err
	}
	if len(sum.Errors) > 0 {
		return fmt.Errorf("%d file(s) could not be ingested; the others were", len(sum.Errors))
	}
	return nil
}

// checkIngestFlags refuses a command line that cannot be right before any
// file is read.
func checkIngestFlags(paths []string, meta *retrieval.Metadata, effective string) error {
	if len(paths) == 0 {
		return usageError{"usage: csagent ingest [--locale L] [--audience buyer|seller|both] [--retire-missing] PATH..."}
	}
	if (meta.ID != "" || meta.Title != "") && len(paths) != 1 {
		return usageError{"--id and --title name one document: give a single file"}
	}
	if meta.Locale != "" && !isLocale(meta.Locale) {
		return usageError{fmt.Sprintf("--locale %q: want a two-letter language code such as en or ko", meta.Locale)}
	}
	switch meta.Audience {
	case "", "buyer", "seller", "both":
	default:
		return usageError{fmt.Sprintf("--audience %q: want buyer, seller or both", meta.Audience)}
	}
	if meta.Version < 0 {
		return usageError{fmt.Sprintf("--version %d: want 1 or more", meta.Version)}
	}
	if effective != "" {
		day, err := time.Parse(time.DateOnly, effective)
		if err != nil {
			return usageError{fmt.Sprintf("--effective %q: want a date like 2026-01-31", effective)}
		}
		meta.Effective = day
	}
	return nil
}

// printSummary prints what an ingest did in one line an operator can read
// and a script can grep.
func printSummary(w io.Writer, s retrieval.Summary) {
	fmt.Fprintf(w, "documents: %d read, %d added, %d changed, %d unchanged, %d retired; chunks: %d added, %d removed; %d error(s); %s\n",
		s.Documents, s.Added, s.Changed, s.Unchanged, len(s.Retired), s.ChunksAdded, s.ChunksRemoved, len(s.Errors),
		s.Duration.Round(time.Millisecond))
	if len(s.Retired) > 0 {
		fmt.Fprintf(w, "retired: %s\n", strings.Join(s.Retired, ", "))
	}
}

// progressBar draws an ingest's progress on a terminal, rewriting one line.
type progressBar struct {
	w     io.Writer
	drawn bool
}

// newProgressBar returns a bar on w when w is a terminal, else nil: a log
// file or a pipe gets the summary only, not a line of carriage returns.
func newProgressBar(w io.Writer) *progressBar {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return &progressBar{w: w}
}

const barWidth = 30

func (b *progressBar) show(p retrieval.Progress) {
	if p.Total == 0 {
		return
	}
	n := barWidth * p.Done / p.Total
	fmt.Fprintf(b.w, "\r[%s%s] %d/%d %-40.40s", strings.Repeat("=", n), strings.Repeat(" ", barWidth-n), p.Done, p.Total, path.Base(p.Source))
	b.drawn = true
}

// done ends the bar's line; it is safe on a nil bar.
func (b *progressBar) done() {
	if b != nil && b.drawn {
		fmt.Fprintln(b.w)
	}
}
