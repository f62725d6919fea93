package retrieval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/csagent/csagent/tools"
)

// The limits of a search_policy call: small enough that the passages fit a
// model's context beside the conversation.
const (
	toolMaxQueryChars = 500
	toolMaxK          = 8
	toolDefaultK      = 5
	// toolSnippetChars is how much of each passage the text summary quotes;
	// the full passages are in the structured data.
	toolSnippetChars = 160
)

type searchArgs struct {
	Query  string `json:"query"`
	K      int    `json:"k,omitempty"`
	Locale string `json:"locale,omitempty"`
}

func (a *searchArgs) Validate() error {
	a.Query = strings.TrimSpace(a.Query)
	n := utf8.RuneCountInString(a.Query)
	switch {
	case n == 0:
		return errors.New("query must not be empty")
	case n > toolMaxQueryChars:
		return fmt.Errorf("query must be at most %d characters, not %d", toolMaxQueryChars, n)
	case !utf8.ValidString(a.Query):
		return errors.New("query must be valid UTF-8")
	case a.K < 0 || a.K > toolMaxK:
		return fmt.Errorf("k must be between 1 and %d", toolMaxK)
	case a.Locale != "" && !localePattern.MatchString(a.Locale):
		return fmt.Errorf("locale %q must be a two-letter code such as en or ko", truncateRunes(a.Locale, 16))
	}
	return nil
}

const searchSchema = `{
  "type": "object",
  "properties": {
    "query": {"type": "string", "minLength": 1, "maxLength": 500, "description": "The policy question, in the customer's words or your own, in any language."},
    "k": {"type": "integer", "minimum": 1, "maximum": 8, "description": "How many passages to return; default 5."},
    "locale": {"type": "string", "pattern": "^[a-z]{2}$", "description": "Two-letter language of the policies to search, e.g. ko; default the customer's language. English is searched where a policy has no translation."}
  },
  "required": ["query"],
  "additionalProperties": false
}`

// Settings change what search_policy does for one request, whatever the
// model asks: an experiment's variant sets them for its turns.
type Settings struct {
	// K, when set, is how many passages a search returns (1 to 8),
	// instead of the k the model asked for.
	K int
	// VectorWeight and TextWeight, when set, weigh the vector and
	// full-text rankings in fusion (Query).
	VectorWeight, TextWeight float64
}

type settingsKey struct{}

// WithSettings returns ctx with s for the search_policy calls run in it.
func WithSettings(ctx context.Context, s Settings) context.Context {
	return context.WithValue(ctx, settingsKey{}, s)
}

// ToolHit is one passage as search_policy returns it.
type ToolHit struct {
	// Citation is how the reply cites the passage: "[refunds §Refund window]".
	Citation string `json:"citation"`
	DocID    string `json:"doc_id"`
	Title    string `json:"title"`
	// Heading is the innermost heading, the one the citation names;
	// HeadingPath is the whole path, "Refunds and returns > Refund
	// window", which the local model and the reply's citations read.
	Heading     string  `json:"heading"`
	HeadingPath string  `json:"heading_path"`
	Version     int     `json:"version"`
	Locale      string  `json:"locale"`
	ChunkID     int64   `json:"chunk_id"`
	Text        string  `json:"text"`
	Score       float64 `json:"score"`
}

// ToolResult is the structured result of search_policy.
type ToolResult struct {
	Hits []ToolHit `json:"hits"`
}

// SearchTool returns the search_policy tool: hybrid search of the policies
// in force, for buyers and sellers. Who is asking decides what is searched,
// never the arguments: a buyer's search skips seller-only documents, and
// the language is the caller's unless the call names another one.
//
// The passages are platform text, but to the model they are data to quote
// and cite, never instructions; the agent's prompt says so, and the tool
// returns them in a field of their own rather than as free text.
func SearchTool(s *Store) tools.Tool { return SearchToolExpanding(s, nil) }

// SearchToolExpanding is SearchTool searching for expand(query, locale)
// instead of the query it is called with. Buyers and policies name the
// same things differently ("send it back" and "return shipping", "how
// long till I see the money" and "refund timing"), and whichever brain
// calls the tool passes on the buyer's words: the expander adds the
// policies' own words for them (local.PolicyQuery), so both brains are
// handed the passages that answer.
func SearchToolExpanding(s *Store, expand func(query, locale string) string) tools.Tool {
	if expand == nil {
		return SearchToolMulti(s, nil)
	}
	return SearchToolMulti(s, func(query, locale string) []string { return []string{expand(query, locale)} })
}

// perAskHits is how many passages each further query of SearchToolMulti
// adds.
const perAskHits = 2

// SearchToolMulti is SearchToolExpanding with an expander that may make
// several queries of one question: the whole question first, then each
// thing it asks ("the mug arrived broken, what do I do, do you need
// photos and is there a deadline?" asks for a procedure, for evidence and
// for a time limit). The first query's passages come first, as many as
// asked for; each further query adds after them its best passages not
// found yet, so the passage that answers each ask is among those
// returned.
func SearchToolMulti(s *Store, expand func(query, locale string) []string) tools.Tool {
	return tools.New("search_policy",
		"Search Maru Market's policy documents (refunds, shipping, disputes, payments, prohibited items, seller obligations) "+
			"and return the passages that answer a question, each with a citation like [refunds §Refund window]. "+
			"Call it before stating any policy, answer from the passages and cite the ones you use.",
		searchSchema, []tools.Role{tools.RoleBuyer, tools.RoleSeller},
		func(ctx context.Context, a searchArgs) (tools.Result, error) {
			c, _ := tools.CallerFrom(ctx)
			locale := a.Locale
			if locale == "" && localePattern.MatchString(c.Locale) {
				locale = c.Locale
			}
			k := a.K
			if k == 0 {
				k = toolDefaultK
			}
			set, _ := ctx.Value(settingsKey{}).(Settings)
			if set.K > 0 {
				k = min(set.K, toolMaxK)
			}
			queries := []string{a.Query}
			if expand != nil {
				if qs := expand(a.Query, locale); len(qs) > 0 {
					queries = qs
				}
			}
			var hits, extra []Hit
			for i, query := range queries {
				found, err := s.Search(ctx, Query{Text: query, Locale: locale, Audience: string(c.Role), K: k,
					VectorWeight: set.VectorWeight, TextWeight: set.TextWeight})
				switch {
				case errors.Is(err, ErrInvalidQuery):
					return tools.Result{}, &tools.Error{Code: tools.CodeInvalidArgument, Message: strings.TrimPrefix(err.Error(), ErrInvalidQuery.Error()+": ")}
				case errors.Is(err, ErrModelMismatch):
					// An operator's configuration problem: the model is
					// told the search is unavailable, the log gets the
					// detail.
					return tools.Result{}, &tools.Error{Code: tools.CodeUnavailable, Message: "policy search is not available right now", Err: err}
				case err != nil:
					return tools.Result{}, err
				}
				found = onTopic(query, found)
				if i == 0 {
					hits = found
					continue
				}
				added := 0
				for _, h := range found {
					if added == perAskHits {
						break
					}
					if !hasChunk(hits, h.ChunkID) && !hasChunk(extra, h.ChunkID) {
						extra = append(extra, h)
						added++
					}
				}
			}
			hits = append(hits, extra...)
			res := ToolResult{Hits: make([]ToolHit, 0, len(hits))}
			for _, h := range hits {
				res.Hits = append(res.Hits, ToolHit{Citation: h.Citation(), DocID: h.DocID, Title: h.Title, Heading: h.Heading(),
					HeadingPath: h.HeadingPath, Version: h.Version, Locale: h.Locale, ChunkID: h.ChunkID, Text: h.Text, Score: math.Round(h.Score*1e4) / 1e4})
			}
			return tools.Result{Data: res, Text: summarizeHits(hits)}, nil
		})
}

func hasChunk(hits []Hit, id int64) bool {
	for _, h := range hits {
		if h.ChunkID == id {
			return true
		}
	}
	return false
}

// onTopic keeps the hits that share a distinctive word with the question
// (see relevance.go), in their order.
func onTopic(question string, hits []Hit) []Hit {
	stems := distinctive(question)
	kept := hits[:0:0]
	for _, h := range hits {
		if relevant(stems, h) {
			kept = append(kept, h)
		}
	}
	return kept
}

// summarizeHits is the short text form: one line per passage, its citation
// and the start of its text.
func summarizeHits(hits []Hit) string {
	if len(hits) == 0 {
		return "No policy passage matches this question."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d policy passages found:", len(hits))
	for _, h := range hits {
		snippet := strings.Join(strings.Fields(h.Text), " ")
		fmt.Fprintf(&b, "\n%s %s", h.Citation(), truncateRunes(snippet, toolSnippetChars))
	}
	return b.String()
}

// truncateRunes shortens s to at most n characters, marking a cut with an
// ellipsis.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
