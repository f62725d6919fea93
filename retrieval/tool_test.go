package retrieval_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/csagent/csagent/retrieval"
	"github.com/csagent/csagent/tools"
)

func TestSearchTool(t *testing.T) {
	s, pool := newStore(t)
	if _, err := retrieval.NewIngester(s).IngestFS(t.Context(), retrieval.DemoPolicies(), retrieval.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	reg, err := tools.NewRegistry(logger, tools.NewAudit(pool), retrieval.SearchTool(s))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := reg.Lookup("search_policy"); !ok {
		t.Fatal("search_policy is not registered")
	}
	for _, role := range []tools.Role{tools.RoleBuyer, tools.RoleSeller} {
		if len(reg.Specs(role)) != 1 {
			t.Errorf("%s cannot call search_policy", role)
		}
	}
	buyer := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: "b1", Locale: "ko"})
	seller := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleSeller, ID: "s1", ShopID: "shop1", Locale: "en"})
	call := func(ctx context.Context, args string) tools.Outcome {
		return reg.Call(ctx, tools.Call{ID: "c1", Name: "search_policy", Arguments: json.RawMessage(args), TurnID: "t1"})
	}
	hitsOf := func(t *testing.T, out tools.Outcome) retrieval.ToolResult {
		t.Helper()
		if out.Err != nil {
			t.Fatalf("search_policy = %v", out.Err)
		}
		var res retrieval.ToolResult
		if err := json.Unmarshal(out.Data, &res); err != nil {
			t.Fatal(err)
		}
		return res
	}

	t.Run("argument errors", func(t *testing.T) {
		for _, args := range []string{
			`{}`,
			`{"query": ""}`,
			`{"query": "` + strings.Repeat("가", 501) + `"}`,
			`{"query": "refund", "k": 9}`,
			`{"query": "refund", "k": -1}`,
			`{"query": "refund", "locale": "korean"}`,
			`{"query": "refund", "audience": "seller"}`,
			`{"query": 5}`,
		} {
			out := call(buyer, args)
			if out.Err == nil || out.Err.Code != tools.CodeInvalidArgument {
				t.Errorf("search_policy(%.60s) = %+v, want invalid_argument", args, out.Err)
			}
		}
	})

	t.Run("the buyer's language", func(t *testing.T) {
		res := hitsOf(t, call(buyer, `{"query": "환불 신청 기간은?", "k": 3}`))
		if len(res.Hits) != 3 {
			t.Fatalf("k=3 gave %d hits", len(res.Hits))
		}
		if h := res.Hits[0]; h.Locale != "ko" || h.Citation != "[refunds §환불 신청 기간]" || h.Text == "" {
			t.Errorf("first hit = %+v, want the Korean refund window", h)
		}
		// The local model and the reply's citations read the whole heading
		// path, under the key they decode.
		if h := res.Hits[0]; !strings.HasSuffix(h.HeadingPath, " > "+h.Heading) {
			t.Errorf("heading path %q does not end in the heading %q", h.HeadingPath, h.Heading)
		}
		out := call(buyer, `{"query": "환불 신청 기간은?", "k": 1}`)
		var raw struct {
			Hits []map[string]any `json:"hits"`
		}
		if err := json.Unmarshal(out.Data, &raw); err != nil || len(raw.Hits) != 1 {
			t.Fatalf("data %s: %v", out.Data, err)
		}
		for _, key := range []string{"doc_id", "heading_path", "text", "citation", "locale"} {
			if s, _ := raw.Hits[0][key].(string); s == "" {
				t.Errorf("hit %v has no %s", raw.Hits[0], key)
			}
		}
		// The arguments may name another language.
		res = hitsOf(t, call(buyer, `{"query": "refund window", "locale": "en"}`))
		if len(res.Hits) != 5 || res.Hits[0].Locale != "en" {
			t.Errorf("locale en gave %+v", res.Hits)
		}
	})

	t.Run("authority", func(t *testing.T) {
		q := `{"query": "How fast must a seller answer buyer messages and upload tracking numbers?", "k": 8, "locale": "en"}`
		docs := func(res retrieval.ToolResult) []string {
			var out []string
			for _, h := range res.Hits {
				out = append(out, h.DocID)
			}
			return out
		}
		if got := docs(hitsOf(t, call(buyer, q))); slices.Contains(got, "seller-obligations") {
			t.Errorf("a buyer's search found seller-only documents: %v", got)
		}
		if got := docs(hitsOf(t, call(seller, q))); !slices.Contains(got, "seller-obligations") {
			t.Errorf("a seller's search missed the seller obligations: %v", got)
		}
	})

	t.Run("text form", func(t *testing.T) {
		out := call(seller, `{"query": "Who pays return shipping?", "k": 2}`)
		if out.Err != nil {
			t.Fatal(out.Err)
		}
		lines := strings.Split(out.Text, "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], "2 policy passages") || !strings.HasPrefix(lines[1], "[refunds §Return shipping costs] ") {
			t.Errorf("text = %q", out.Text)
		}
	})

	t.Run("no caller", func(t *testing.T) {
		if out := call(t.Context(), `{"query": "refund"}`); out.Err == nil || out.Err.Code != tools.CodeUnauthorized {
			t.Errorf("search_policy without a caller = %+v, want unauthorized", out.Err)
		}
	})

	t.Run("schema matches the arguments", func(t *testing.T) {
		spec, _ := reg.Lookup("search_policy")
		var schema struct {
			Properties map[string]json.RawMessage `json:"properties"`
			Required   []string                   `json:"required"`
		}
		if err := json.Unmarshal(spec.Parameters, &schema); err != nil {
			t.Fatal(err)
		}
		var props []string
		for p := range schema.Properties {
			props = append(props, p)
		}
		slices.Sort(props)
		if !slices.Equal(props, []string{"k", "locale", "query"}) || !slices.Equal(schema.Required, []string{"query"}) {
			t.Errorf("schema properties %v, required %v", props, schema.Required)
		}
	})
}

func TestSearchToolHidesModelMismatch(t *testing.T) {
	s, pool := newStore(t)
	put(t, s, policyDoc{id: "refunds", locale: "en", body: "Refunds within thirty days."})
	other := retrieval.NewStore(pool, retrieval.WithEmbedder(otherModel("other-model")))
	reg, err := tools.NewRegistry(slog.New(slog.NewTextHandler(io.Discard, nil)), nil, retrieval.SearchTool(other))
	if err != nil {
		t.Fatal(err)
	}
	ctx := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: "b1"})
	out := reg.Call(ctx, tools.Call{Name: "search_policy", Arguments: json.RawMessage(`{"query":"refunds"}`)})
	if out.Err == nil || out.Err.Code != tools.CodeUnavailable || strings.Contains(out.Err.Message, "other-model") {
		t.Errorf("search_policy with the wrong model = %+v, want unavailable without internal detail", out.Err)
	}
}

// SearchToolExpanding searches for what its expander makes of the query
// (the policies' words for the buyer's), and keeps the passages on the
// expanded query's topic; the plain tool searches for the words given.
func TestSearchToolExpanding(t *testing.T) {
	s, pool := newStore(t)
	if _, err := retrieval.NewIngester(s).IngestFS(t.Context(), retrieval.DemoPolicies(), retrieval.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	var asked []string
	expand := func(query, locale string) string {
		asked = append(asked, locale+":"+query)
		if query == "zorblax?" {
			return "zorblax? refund window days after delivery"
		}
		return query
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	plain, err := tools.NewRegistry(logger, tools.NewAudit(pool), retrieval.SearchTool(s))
	if err != nil {
		t.Fatal(err)
	}
	expanding, err := tools.NewRegistry(logger, tools.NewAudit(pool), retrieval.SearchToolExpanding(s, expand))
	if err != nil {
		t.Fatal(err)
	}
	ctx := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: "b1", Locale: "en"})
	search := func(reg *tools.Registry) []string {
		out := reg.Call(ctx, tools.Call{ID: "c1", Name: "search_policy", Arguments: json.RawMessage(`{"query": "zorblax?"}`), TurnID: "t1"})
		if out.Err != nil {
			t.Fatalf("search_policy = %v", out.Err)
		}
		var res retrieval.ToolResult
		if err := json.Unmarshal(out.Data, &res); err != nil {
			t.Fatal(err)
		}
		var cites []string
		for _, h := range res.Hits {
			cites = append(cites, h.Citation)
		}
		return cites
	}
	if got := search(plain); len(got) != 0 {
		t.Errorf("plain search for a word no policy has = %v, want no passage", got)
	}
	got := search(expanding)
	if !slices.Contains(got, "[refunds §Refund window]") {
		t.Errorf("expanding search = %v, want [refunds §Refund window] among them", got)
	}
	if !slices.Equal(asked, []string{"en:zorblax?"}) {
		t.Errorf("expander called with %q, want the query in the caller's locale once", asked)
	}
}

// SearchToolMulti searches for each query its expander makes of the
// question: the first query's passages, as many as asked for, then each
// further query's best passages not found yet, so the passage that
// answers every ask of the message is returned.
func TestSearchToolMultiAddsEachAsksPassages(t *testing.T) {
	s, pool := newStore(t)
	if _, err := retrieval.NewIngester(s).IngestFS(t.Context(), retrieval.DemoPolicies(), retrieval.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	expand := func(query, locale string) []string {
		return []string{"refund window days after delivery", "dispute evidence photos of the damaged item"}
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	reg, err := tools.NewRegistry(logger, tools.NewAudit(pool), retrieval.SearchToolMulti(s, expand))
	if err != nil {
		t.Fatal(err)
	}
	ctx := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: "b1", Locale: "en"})
	out := reg.Call(ctx, tools.Call{ID: "c1", Name: "search_policy", Arguments: json.RawMessage(`{"query": "my mug broke", "k": 2}`), TurnID: "t1"})
	if out.Err != nil {
		t.Fatalf("search_policy = %v", out.Err)
	}
	var res retrieval.ToolResult
	if err := json.Unmarshal(out.Data, &res); err != nil {
		t.Fatal(err)
	}
	var cites []string
	for _, h := range res.Hits {
		cites = append(cites, h.Citation)
	}
	if len(cites) < 3 || len(cites) > 4 || cites[0] != "[refunds §Refund window]" || !slices.Contains(cites, "[disputes §Evidence]") {
		t.Errorf("search_policy = %v, want the first query's two passages, Refund window first, then the second's best, Evidence among them", cites)
	}
	if len(cites) != len(slices.Compact(slices.Clone(cites))) {
		t.Errorf("search_policy = %v, want no passage twice", cites)
	}
}
