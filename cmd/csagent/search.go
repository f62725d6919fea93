package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/csagent/csagent/internal/retrievalbench"
	"github.com/csagent/csagent/retrieval"
	"github.com/csagent/csagent/tools"
)

// embedConfig chooses the embedder of the policy documents: the built-in
// local one unless a model is named, then an OpenAI-compatible embeddings
// API. serve, seed, ingest and search must agree on it, since a query is
// only compared with chunks embedded by the same model (the store refuses
// anything else), so every one of them takes these flags.
type embedConfig struct {
	model          string
	dims           int
	baseURL        string
	omitDimensions bool
}

func (c *embedConfig) register(f *flags) {
	f.string(&c.model, "embed-model", "", "OpenAI-compatible embedding model for the policy documents, e.g. text-embedding-3-small; empty uses the built-in local embedder", "CSAGENT_EMBED_MODEL")
	f.int(&c.dims, "embed-dims", 1536, "length of the embedding model's vectors (sent as the dimensions parameter)", "CSAGENT_EMBED_DIMS")
	f.string(&c.baseURL, "embed-base-url", "", "embeddings API root; default the LLM's (--llm-base-url), else OpenAI", "CSAGENT_EMBED_BASE_URL", "CSAGENT_LLM_BASE_URL")
	f.bool(&c.omitDimensions, "embed-omit-dimensions", false, "leave the dimensions parameter out of requests, for models and servers that reject it", "CSAGENT_EMBED_OMIT_DIMENSIONS")
}

// store returns the policy store on db with the configured embedder.
// llmBaseURL is the LLM's API root, used when no embeddings root is set.
// The key comes from the environment only (CSAGENT_EMBED_API_KEY, else the
// LLM's), so it never shows in a process list.
func (c *embedConfig) store(db tools.DB, getenv func(string) string, llmBaseURL string) (*retrieval.Store, error) {
	if c.model == "" {
		return retrieval.NewStore(db), nil
	}
	base := c.baseURL
	if base == "" {
		base = llmBaseURL
	}
	key := getenv("CSAGENT_EMBED_API_KEY")
	for _, k := range []string{"CSAGENT_LLM_API_KEY", "OPENAI_API_KEY"} {
		if key == "" {
			key = getenv(k)
		}
	}
	e, err := retrieval.NewOpenAIEmbedder(retrieval.OpenAIConfig{
		BaseURL: base, APIKey: key, Model: c.model, Dims: c.dims, OmitDimensions: c.omitDimensions,
	})
	if err != nil {
		return nil, usageError{fmt.Sprintf("--embed-model: %v", err)}
	}
	return retrieval.NewStore(db, retrieval.WithEmbedder(e)), nil
}

// searchLine is one hit as `csagent search` prints it: a JSON line.
type searchLine struct {
	Rank        int     `json:"rank"`
	Citation    string  `json:"citation"`
	Score       float64 `json:"score"`
	DocID       string  `json:"doc_id"`
	Title       string  `json:"title"`
	Locale      string  `json:"locale"`
	Version     int     `json:"version"`
	HeadingPath string  `json:"heading_path"`
	Text        string  `json:"text"`
}

// runSearch prints the policy passages a question finds, best first, so
// an operator sees what the agent would be given: JSON lines, or with
// --text a ranked list with a snippet of each.
func runSearch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg common
	var emb embedConfig
	var locale, audience, mode, at string
	var k int
	var text bool
	f := newFlags("search", getenv, stderr)
	cfg.register(f)
	emb.register(f)
	f.StringVar(&locale, "locale", "en", "the reader's language; documents missing in it are searched in English")
	f.StringVar(&audience, "audience", "", "who reads: buyer (buyer and shared documents) or seller (all); empty searches everything")
	f.IntVar(&k, "k", retrieval.DefaultK, fmt.Sprintf("how many passages to print, 1 to %d", retrieval.MaxK))
	f.StringVar(&mode, "mode", "hybrid", "hybrid, vector or fulltext")
	f.StringVar(&at, "at", "", "search the policies in force on this date (YYYY-MM-DD) instead of now")
	f.BoolVar(&text, "text", false, "print a ranked list with snippets instead of JSON lines")
	if err := f.Parse(args); err != nil {
		return err
	}
	question := strings.TrimSpace(strings.Join(f.Args(), " "))
	q, err := searchQuery(question, locale, audience, mode, at, k)
	if err != nil {
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
	hits, err := store.Search(ctx, q)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if len(hits) == 0 {
		fmt.Fprintln(stderr, "no policy passage matches; is anything ingested? (csagent seed --demo, csagent ingest)")
		return nil
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for i, h := range hits {
		if text {
			fmt.Fprintf(stdout, "%2d. %s  %.4f  %s (%s, v%d)\n    %s\n", i+1, h.Citation(), h.Score, h.Title, h.Locale, h.Version, snippet(h.Text, 200))
			continue
		}
		if err := enc.Encode(searchLine{Rank: i + 1, Citation: h.Citation(), Score: h.Score, DocID: h.DocID, Title: h.Title,
			Locale: h.Locale, Version: h.Version, HeadingPath: h.HeadingPath, Text: h.Text}); err != nil {
			return err
		}
	}
	return nil
}

// searchQuery checks the command line's query before any connection is
// made, so a typo is a usage error, not a database round trip.
func searchQuery(question, locale, audience, mode, at string, k int) (retrieval.Query, error) {
	var q retrieval.Query
	if question == "" {
		return q, usageError{`usage: csagent search [--locale L] [--audience A] [--k N] [--mode hybrid|vector|fulltext] "question"`}
	}
	if n := utf8.RuneCountInString(question); n > retrieval.MaxQueryChars {
		return q, usageError{fmt.Sprintf("the question has %d characters; at most %d", n, retrieval.MaxQueryChars)}
	}
	if k < 1 || k > retrieval.MaxK {
		return q, usageError{fmt.Sprintf("--k %d: want 1 to %d", k, retrieval.MaxK)}
	}
	md, err := retrieval.ParseMode(mode)
	if err != nil {
		return q, usageError{"--mode: " + err.Error()}
	}
	if !isLocale(locale) {
		return q, usageError{fmt.Sprintf("--locale %q: want a two-letter language code such as en or ko", locale)}
	}
	switch audience {
	case "", "buyer", "seller":
	default:
		return q, usageError{fmt.Sprintf("--audience %q: want buyer or seller", audience)}
	}
	q = retrieval.Query{Text: question, Locale: locale, Audience: audience, K: k, Mode: md}
	if at != "" {
		day, err := time.Parse(time.DateOnly, at)
		if err != nil {
			return q, usageError{fmt.Sprintf("--at %q: want a date like 2026-01-31", at)}
		}
		q.At = day
	}
	return q, nil
}

func isLocale(s string) bool {
	return len(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z'
}

// snippet is text on one line, cut to n characters.
func snippet(text string, n int) string {
	s := strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// retrievalBenchConfig are the settings of `csagent bench retrieval`.
type retrievalBenchConfig struct {
	common
	sizes   string
	queries int
}

func (c *retrievalBenchConfig) register(f *flags) {
	c.common.register(f)
	f.StringVar(&c.sizes, "sizes", "10000,100000", "synthetic corpus sizes (chunks) to time searches at, comma-separated")
	f.IntVar(&c.queries, "queries", 300, "searches timed per size and mode")
}

// benchRetrieval runs retrievalbench.Run in temporary tables of the
// database (the real policies are not touched), prints its tables and
// returns the report for --out.
func benchRetrieval(ctx context.Context, c retrievalBenchConfig, stdout, stderr io.Writer) (retrievalbench.Report, error) {
	opts := retrievalbench.Options{Queries: c.queries, Progress: func(s string) { fmt.Fprintln(stderr, s) }}
	for s := range strings.SplitSeq(c.sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 100 || n > 1_000_000 {
			return retrievalbench.Report{}, usageError{fmt.Sprintf("--sizes %q: want chunk counts from 100 to 1000000, separated by commas", c.sizes)}
		}
		opts.Sizes = append(opts.Sizes, n)
	}
	if c.queries < 1 {
		return retrievalbench.Report{}, usageError{fmt.Sprintf("--queries %d: want at least 1", c.queries)}
	}
	pool, m, err := c.openMigrated(ctx, nil)
	if err != nil {
		return retrievalbench.Report{}, err
	}
	defer pool.Close()
	defer m.Close()
	rep, err := retrievalbench.Run(ctx, pool, opts)
	if err != nil {
		return retrievalbench.Report{}, fmt.Errorf("bench retrieval: %w", err)
	}
	return rep, rep.WriteText(stdout)
}
