package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/migrations/pgtest"
)

// search runs `csagent search` with args and returns its output.
func search(t *testing.T, getenv func(string) string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(t.Context(), append([]string{"csagent", "search"}, args...), getenv, nil, &out, &errOut)
	return out.String(), errOut.String(), err
}

// searchLines decodes the JSON lines of a search.
func searchLines(t *testing.T, out string) []searchLine {
	t.Helper()
	var lines []searchLine
	for l := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
		var s searchLine
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatalf("search line %q is not JSON: %v", l, err)
		}
		lines = append(lines, s)
	}
	return lines
}

// csagent search prints what the agent would find, in the reader's
// language, best first, with the citation the agent would write.
func TestSearchCommand(t *testing.T) {
	t.Parallel()
	_, dbURL := pgtest.NewWithURL(t)
	getenv := testEnv("DATABASE_URL", dbURL)
	if out, errOut, err := ingest(t, dbURL, "--quiet", filepath.Join("..", "..", "retrieval", "policies")); err != nil {
		t.Fatalf("ingest the demo policies: %v\n%s%s", err, out, errOut)
	}
	tests := []struct {
		name     string
		args     []string
		n        int
		citation string
		locale   string
	}{
		{"English", []string{"how many days do I have to ask for a refund after delivery?"}, 5, "[refunds §Refund window]", "en"},
		{"Korean", []string{"--locale", "ko", "--k", "3", "환불 신청 기간은?"}, 3, "[refunds §환불 신청 기간]", "ko"},
		{"full text only", []string{"--mode", "fulltext", "--k", "1", "who pays return shipping"}, 1, "[refunds §Return shipping costs]", "en"},
		{"vector only", []string{"--mode", "vector", "--k", "2", "who pays return shipping"}, 2, "", "en"},
		{"words split across arguments", strings.Fields("--k 1 how many days do I have to ask for a refund after delivery?"), 1, "[refunds §Refund window]", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, err := search(t, getenv, tt.args...)
			if err != nil {
				t.Fatalf("search %v = %v\n%s", tt.args, err, errOut)
			}
			lines := searchLines(t, out)
			if len(lines) != tt.n {
				t.Fatalf("search %v printed %d hits, want %d", tt.args, len(lines), tt.n)
			}
			for i, l := range lines {
				if l.Rank != i+1 || l.DocID == "" || l.Text == "" || l.HeadingPath == "" || l.Locale != tt.locale || l.Version < 1 {
					t.Errorf("hit %d = %+v, want a ranked %s passage with its document and heading", i, l, tt.locale)
				}
				if i > 0 && l.Score > lines[i-1].Score {
					t.Errorf("hit %d scores %v, above hit %d's %v", i, l.Score, i-1, lines[i-1].Score)
				}
			}
			if tt.citation != "" && lines[0].Citation != tt.citation {
				t.Errorf("search %v: first hit %s, want %s", tt.args, lines[0].Citation, tt.citation)
			}
		})
	}

	t.Run("audience", func(t *testing.T) {
		q := "How fast must a seller upload tracking numbers?"
		docs := func(args ...string) string {
			out, errOut, err := search(t, getenv, append(args, "--k", "10", q)...)
			if err != nil {
				t.Fatalf("search: %v\n%s", err, errOut)
			}
			var ids []string
			for _, l := range searchLines(t, out) {
				ids = append(ids, l.DocID)
			}
			return strings.Join(ids, " ")
		}
		if got := docs("--audience", "buyer"); strings.Contains(got, "seller-obligations") {
			t.Errorf("a buyer's search found seller-only documents: %s", got)
		}
		if got := docs("--audience", "seller"); !strings.Contains(got, "seller-obligations") {
			t.Errorf("a seller's search missed the seller obligations: %s", got)
		}
	})

	t.Run("text", func(t *testing.T) {
		out, _, err := search(t, getenv, "--text", "--k", "2", "how many days do I have to ask for a refund after delivery?")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		if len(lines) != 4 || !strings.HasPrefix(lines[0], " 1. [refunds §Refund window]  0.") || !strings.HasPrefix(lines[2], " 2. ") {
			t.Errorf("text output %q, want two ranked hits with citation, score and snippet", out)
		}
	})

	t.Run("nothing found", func(t *testing.T) {
		out, errOut, err := search(t, getenv, "--mode", "fulltext", "xylophone zeppelin")
		if err != nil || out != "" || !strings.Contains(errOut, "no policy passage matches") {
			t.Errorf("search for nothing = %v, printed %q and %q", err, out, errOut)
		}
	})
}

func TestSearchCommandRefusesBadInput(t *testing.T) {
	t.Parallel()
	// No database: every one of these is refused before connecting.
	getenv := testEnv("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no question", nil, "usage: csagent search"},
		{"blank question", []string{"  "}, "usage: csagent search"},
		{"unknown mode", []string{"--mode", "semantic", "refund"}, "--mode"},
		{"k zero", []string{"--k", "0", "refund"}, "--k 0"},
		{"k too large", []string{"--k", "51", "refund"}, "--k 51"},
		{"bad locale", []string{"--locale", "korean", "refund"}, "--locale"},
		{"bad audience", []string{"--audience", "admin", "refund"}, "--audience"},
		{"bad date", []string{"--at", "tomorrow", "refund"}, "--at"},
		{"long question", []string{strings.Repeat("refund ", 400)}, "at most 2000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := search(t, getenv, tt.args...)
			var u usageError
			if !errors.As(err, &u) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("search %v = %v, want a usage error about %q", tt.args, err, tt.want)
			}
		})
	}
}

// With --embed-model the documents and queries are embedded by an
// OpenAI-compatible API; a search with another embedder is refused rather
// than compared across models.
func TestEmbedModelFlag(t *testing.T) {
	t.Parallel()
	_, dbURL := pgtest.NewWithURL(t)
	llm := httptest.NewServer(fakellm.New(fakellm.Options{APIKey: "sk-embed"}))
	t.Cleanup(llm.Close)
	remote := testEnv("DATABASE_URL", dbURL, "CSAGENT_EMBED_MODEL", "fake-embedding", "CSAGENT_EMBED_DIMS", "64",
		"CSAGENT_LLM_BASE_URL", llm.URL+"/v1", "CSAGENT_LLM_API_KEY", "sk-embed")
	dir := t.TempDir()
	writePolicy(t, dir, "en", "gift-cards.md", giftCards)

	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"csagent", "ingest", dir}, remote, nil, &out, &errOut); err != nil {
		t.Fatalf("ingest with the API embedder: %v\n%s", err, errOut.String())
	}
	got, errs, err := search(t, remote, "--mode", "vector", "do gift cards expire?")
	if err != nil {
		t.Fatalf("search with the API embedder: %v\n%s", err, errs)
	}
	if lines := searchLines(t, got); len(lines) != 2 || lines[0].DocID != "gift-cards" {
		t.Errorf("search with the API embedder = %+v, want both gift-card sections", lines)
	}
	_, _, err = search(t, testEnv("DATABASE_URL", dbURL), "--mode", "vector", "do gift cards expire?")
	if err == nil || !strings.Contains(err.Error(), "embedding model mismatch") {
		t.Errorf("search with the local embedder over API-embedded documents = %v, want a model mismatch", err)
	}
	if strings.Contains(errOut.String()+errs, "sk-embed") {
		t.Error("the API key was printed")
	}
}

// csagent bench retrieval prints the quality and latency tables and writes
// them as JSON with --out.
func TestBenchRetrievalCommand(t *testing.T) {
	t.Parallel()
	_, dbURL := pgtest.NewWithURL(t)
	getenv := testEnv("DATABASE_URL", dbURL)
	outFile := filepath.Join(t.TempDir(), "retrieval.json")
	var out, errOut bytes.Buffer
	err := run(t.Context(), []string{"csagent", "bench", "retrieval", "--sizes", "1000", "--queries", "10", "--out", outFile}, getenv, nil, &out, &errOut)
	if err != nil {
		t.Fatalf("bench retrieval: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"hybrid", "fulltext", "vector", "recall@5", "HNSW recall@10"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("bench retrieval printed %q, missing %q", out.String(), want)
		}
	}
	b, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Quality struct {
			Rows []struct {
				Mode      string  `json:"mode"`
				Locale    string  `json:"locale"`
				Questions int     `json:"questions"`
				RecallAt5 float64 `json:"recall_at_5"`
			} `json:"rows"`
		} `json:"quality"`
		Sizes []struct {
			Chunks int `json:"chunks"`
		} `json:"sizes"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("--out wrote %q: %v", b, err)
	}
	locales := map[string]bool{}
	for _, r := range rep.Quality.Rows {
		if r.Mode == "hybrid" && r.Questions >= 40 && r.RecallAt5 > 0.5 {
			locales[r.Locale] = true
		}
	}
	for _, l := range []string{"en", "ko", "es", "ru", "all"} {
		if !locales[l] {
			t.Errorf("no hybrid row of 40+ questions with recall@5 over 0.5 for %s in %s", l, b)
		}
	}
	if len(rep.Sizes) != 1 || rep.Sizes[0].Chunks != 1000 {
		t.Errorf("sizes = %+v, want the 1000-chunk run", rep.Sizes)
	}

	for _, args := range [][]string{{"--sizes", "ten"}, {"--sizes", "50"}, {"--queries", "0"}} {
		err := run(t.Context(), append([]string{"csagent", "bench", "retrieval"}, args...), getenv, nil, &out, &errOut)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("bench retrieval %v = %v, want a usage error", args, err)
		}
	}
}
