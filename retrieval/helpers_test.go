package retrieval_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/retrieval"
)

// newStore returns a store with the built-in embedder on a database of its
// own.
func newStore(tb testing.TB) (*retrieval.Store, *pgxpool.Pool) {
	tb.Helper()
	pool := pgtest.New(tb)
	return retrieval.NewStore(pool), pool
}

// policyDoc is a Markdown policy file with front matter.
type policyDoc struct {
	id, locale, audience, effective string
	version                         int
	body                            string
}

func (d policyDoc) file() []byte {
	if d.audience == "" {
		d.audience = "both"
	}
	if d.effective == "" {
		d.effective = "2026-01-01"
	}
	if d.version == 0 {
		d.version = 1
	}
	title := strings.ToUpper(d.id[:1]) + d.id[1:]
	return fmt.Appendf(nil, "---\nid: %s\ntitle: %s\nlocale: %s\nversion: %d\neffective: %s\naudience: %s\n---\n# %s\n\n%s\n",
		d.id, title, d.locale, d.version, d.effective, d.audience, title, d.body)
}

func (d policyDoc) document(tb testing.TB) retrieval.Document {
	tb.Helper()
	doc, err := retrieval.ParseDocument(d.id+".md", d.file())
	if err != nil {
		tb.Fatalf("ParseDocument(%s): %v", d.id, err)
	}
	return doc
}

// folder lays out docs as <locale>/<id>-v<version>.md.
func folder(docs ...policyDoc) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, d := range docs {
		v := max(d.version, 1)
		fsys[fmt.Sprintf("%s/%s-v%d.md", d.locale, d.id, v)] = &fstest.MapFile{Data: d.file()}
	}
	return fsys
}

func put(tb testing.TB, s *retrieval.Store, docs ...policyDoc) {
	tb.Helper()
	for _, d := range docs {
		if _, err := s.PutDocument(context.Background(), d.document(tb)); err != nil {
			tb.Fatalf("PutDocument(%s/%s): %v", d.id, d.locale, err)
		}
	}
}

func search(tb testing.TB, s *retrieval.Store, q retrieval.Query) []retrieval.Hit {
	tb.Helper()
	hits, err := s.Search(context.Background(), q)
	if err != nil {
		tb.Fatalf("Search(%+v): %v", q, err)
	}
	return hits
}

// docsOf lists the distinct "id/locale vN" of hits, in order.
func docsOf(hits []retrieval.Hit) []string {
	var out []string
	for _, h := range hits {
		name := fmt.Sprintf("%s/%s v%d", h.DocID, h.Locale, h.Version)
		if len(out) == 0 || out[len(out)-1] != name {
			found := false
			for _, o := range out {
				found = found || o == name
			}
			if !found {
				out = append(out, name)
			}
		}
	}
	return out
}

// fakeEmbedder is an Embedder whose behaviour a test sets.
type fakeEmbedder struct {
	model func() string
	dims  func() int
	embed func(ctx context.Context, texts []string) ([][]float32, error)
}

func (f fakeEmbedder) Model() string { return f.model() }
func (f fakeEmbedder) Dims() int     { return f.dims() }
func (f fakeEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	return f.embed(ctx, texts)
}

// otherModel is an embedder of another model that answers like the local
// one, so only its name differs.
func otherModel(name string) fakeEmbedder {
	local := retrieval.NewLocalEmbedder()
	return fakeEmbedder{
		model: func() string { return name },
		dims:  local.Dims,
		embed: local.Embed,
	}
}
