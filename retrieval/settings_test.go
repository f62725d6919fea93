package retrieval_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"testing"

	"github.com/csagent/csagent/retrieval"
	"github.com/csagent/csagent/tools"
)

// TestSearchToolSettings: an experiment variant's settings, carried in the
// context, decide how many passages search_policy returns whatever k the
// model asked, and how the two rankings weigh in fusion.
func TestSearchToolSettings(t *testing.T) {
	s, pool := newStore(t)
	if _, err := retrieval.NewIngester(s).IngestFS(t.Context(), retrieval.DemoPolicies(), retrieval.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	reg, err := tools.NewRegistry(slog.New(slog.NewTextHandler(io.Discard, nil)), tools.NewAudit(pool), retrieval.SearchTool(s))
	if err != nil {
		t.Fatal(err)
	}
	buyer := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: "b1", Locale: "en"})
	search := func(set *retrieval.Settings) retrieval.ToolResult {
		t.Helper()
		ctx := buyer
		if set != nil {
			ctx = retrieval.WithSettings(ctx, *set)
		}
		out := reg.Call(ctx, tools.Call{ID: "c1", Name: "search_policy", TurnID: "t1",
			Arguments: json.RawMessage(`{"query": "how many days do I have to ask for a refund after delivery?", "k": 8}`)})
		if out.Err != nil {
			t.Fatalf("search_policy = %v", out.Err)
		}
		var res retrieval.ToolResult
		if err := json.Unmarshal(out.Data, &res); err != nil {
			t.Fatal(err)
		}
		return res
	}
	def := search(nil)
	if len(def.Hits) < 2 {
		t.Fatalf("the default search found %d passages, want several", len(def.Hits))
	}
	if got := search(&retrieval.Settings{K: 1}); len(got.Hits) != 1 || got.Hits[0].ChunkID != def.Hits[0].ChunkID {
		t.Errorf("with k 1: %d hits, want the default's first alone", len(got.Hits))
	}
	score := func(r retrieval.ToolResult, chunk int64) float64 {
		for _, h := range r.Hits {
			if h.ChunkID == chunk {
				return h.Score
			}
		}
		return -1
	}
	heavy := search(&retrieval.Settings{VectorWeight: 5, TextWeight: 0.5})
	top := def.Hits[0].ChunkID
	if score(heavy, top) == score(def, top) {
		t.Errorf("fusion weights changed nothing: chunk %d scores %v both ways", top, score(def, top))
	}
}
