package retrieval_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/csagent/csagent/retrieval"
)

func TestIngestIsIdempotent(t *testing.T) {
	s, pool := newStore(t)
	in := retrieval.NewIngester(s)
	var progress []retrieval.Progress
	opts := retrieval.IngestOptions{Progress: func(p retrieval.Progress) { progress = append(progress, p) }}

	first, err := in.IngestFS(t.Context(), retrieval.DemoPolicies(), opts)
	if err != nil || len(first.Errors) > 0 {
		t.Fatalf("IngestFS = %v, %v", err, first.Errors)
	}
	if first.Documents != 24 || first.Written != 24 || first.Added != 24 || first.Changed != 0 || first.Unchanged != 0 || first.ChunksAdded < 200 || first.Duration <= 0 {
		t.Errorf("first ingest = %+v, want 24 documents written with their chunks", first)
	}
	if len(progress) != 24 || progress[23].Done != 24 || progress[23].Total != 24 {
		t.Errorf("progress = %d calls ending %+v, want 24 ending 24/24", len(progress), progress[len(progress)-1])
	}

	var chunksBefore, maxID int64
	if err := pool.QueryRow(t.Context(), `SELECT count(*), max(id) FROM policy_chunks`).Scan(&chunksBefore, &maxID); err != nil {
		t.Fatal(err)
	}
	second, err := in.IngestFS(t.Context(), retrieval.DemoPolicies(), retrieval.IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if second.Written != 0 || second.Unchanged != 24 || second.ChunksAdded != 0 || second.ChunksRemoved != 0 {
		t.Errorf("second ingest = %+v, want everything unchanged", second)
	}
	var chunksAfter, maxIDAfter int64
	if err := pool.QueryRow(t.Context(), `SELECT count(*), max(id) FROM policy_chunks`).Scan(&chunksAfter, &maxIDAfter); err != nil {
		t.Fatal(err)
	}
	if chunksAfter != chunksBefore || maxIDAfter != maxID {
		t.Errorf("an unchanged ingest rewrote chunks: %d→%d rows, max id %d→%d", chunksBefore, chunksAfter, maxID, maxIDAfter)
	}
	// The same content embedded by another model is re-indexed, not
	// skipped.
	other := retrieval.NewStore(pool, retrieval.WithEmbedder(otherModel("other-model-v1")))
	third, err := retrieval.NewIngester(other).IngestFS(t.Context(), retrieval.DemoPolicies(), retrieval.IngestOptions{})
	if err != nil || third.Written != 24 || third.Changed != 24 {
		t.Errorf("ingest with another model = %+v, %v; want all 24 re-indexed", third, err)
	}
}

func TestIngestReplacesChangedDocument(t *testing.T) {
	s, pool := newStore(t)
	in := retrieval.NewIngester(s)
	v := policyDoc{id: "refunds", locale: "en", body: "## Window\n\nThirty days.\n\n## Timing\n\nFive days.\n\n## Limits\n\nThree refunds."}
	if _, err := in.IngestFS(t.Context(), folder(v), retrieval.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	v.body = "## Window\n\nForty days.\n\n## Timing\n\nFive days."
	sum, err := in.IngestFS(t.Context(), folder(v), retrieval.IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Written != 1 || sum.Changed != 1 || sum.Added != 0 || sum.ChunksAdded != 2 || sum.ChunksRemoved != 3 {
		t.Errorf("changed ingest = %+v, want 1 changed, 2 chunks added, 3 removed", sum)
	}
	var texts []string
	rows, _ := pool.Query(t.Context(), `SELECT text FROM policy_chunks ORDER BY ordinal`)
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		texts = append(texts, s)
	}
	if !slices.Equal(texts, []string{"Forty days.", "Five days."}) {
		t.Errorf("chunks after the change = %q", texts)
	}
}

func TestIngestReportsBrokenFilesAndGoesOn(t *testing.T) {
	s, _ := newStore(t)
	fsys := folder(policyDoc{id: "good", locale: "en", body: "Fine."})
	fsys["en/broken.md"] = &fstest.MapFile{Data: []byte("---\nid: broken\nlocale: en\n")}
	fsys["en/bad-audience.md"] = &fstest.MapFile{Data: []byte(strings.Replace(string(policyDoc{id: "bad-audience", locale: "en", body: "x"}.file()), "audience: both", "audience: everyone", 1))}
	fsys["en/image.png"] = &fstest.MapFile{Data: []byte{0x89}}
	sum, err := retrieval.NewIngester(s).IngestFS(t.Context(), fsys, retrieval.IngestOptions{RetireMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Written != 1 || sum.Documents != 1 {
		t.Errorf("ingest = %+v, want the good document written", sum)
	}
	var msgs []string
	for _, e := range sum.Errors {
		msgs = append(msgs, e.Error())
	}
	joined := strings.Join(msgs, "\n")
	if len(sum.Errors) != 3 || !strings.Contains(joined, "broken.md") || !strings.Contains(joined, "bad-audience.md") || !strings.Contains(joined, "no documents retired") {
		t.Errorf("errors = %q, want broken.md, bad-audience.md and the skipped retirement", msgs)
	}
	if hits := search(t, s, retrieval.Query{Text: "fine"}); len(hits) != 1 {
		t.Errorf("Search(fine) = %v, want the good document", hits)
	}
}

func TestIngestHTMLAndText(t *testing.T) {
	s, _ := newStore(t)
	fsys := fstest.MapFS{
		"es/envios.html": {Data: []byte(`<html><head><title>Envíos</title></head><body><h1>Envíos</h1>
			<h2>Plazo de envío</h2><p>El vendedor envía en 2 días hábiles.</p><h2>Envío gratuito</h2><p>Desde 50 EUR.</p></body></html>`)},
		"en/notes.txt": {Data: []byte("---\ntitle: Support notes\naudience: buyer\neffective: 2026-01-01\n---\n# Agents answer within one day.\n")},
	}
	sum, err := retrieval.NewIngester(s).IngestFS(t.Context(), fsys, retrieval.IngestOptions{
		Meta: retrieval.Metadata{Audience: "buyer", Effective: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	})
	if err != nil || len(sum.Errors) > 0 || sum.Written != 2 {
		t.Fatalf("ingest = %+v, %v", sum, err)
	}
	hits := search(t, s, retrieval.Query{Text: "envío gratuito", Locale: "es"})
	if len(hits) == 0 || hits[0].Citation() != "[envios §Envío gratuito]" || hits[0].HeadingPath != "Envíos > Envío gratuito" {
		t.Errorf("Search(es) = %+v, want [envios §Envío gratuito] first", hits)
	}
	hits = search(t, s, retrieval.Query{Text: "agents answer"})
	if len(hits) != 1 || hits[0].DocID != "notes" || hits[0].HeadingPath != "Support notes" || !strings.HasPrefix(hits[0].Text, "# Agents") {
		t.Errorf("Search(text) = %+v, want the notes as one chunk under their title", hits)
	}
}

func TestIngestRetiresMissingDocuments(t *testing.T) {
	s, _ := newStore(t)
	in := retrieval.NewIngester(s)
	a := policyDoc{id: "alpha", locale: "en", body: "Alpha rule."}
	b := policyDoc{id: "bravo", locale: "en", body: "Bravo rule."}
	c := policyDoc{id: "charlie", locale: "ko", body: "찰리 규칙."}
	if _, err := in.IngestFS(t.Context(), folder(a, b, c), retrieval.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	sum, err := in.IngestFS(t.Context(), folder(a), retrieval.IngestOptions{RetireMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sum.Retired, []string{"bravo/en"}) {
		t.Errorf("Retired = %v, want only bravo/en (the Korean folder was not ingested)", sum.Retired)
	}
	if hits := search(t, s, retrieval.Query{Text: "bravo rule"}); len(hits) != 0 && hits[0].DocID == "bravo" {
		t.Errorf("a retired document is still found: %v", hits)
	}
	if hits := search(t, s, retrieval.Query{Text: "찰리", Locale: "ko"}); len(hits) == 0 || hits[0].DocID != "charlie" {
		t.Errorf("the Korean document went missing: %v", hits)
	}
	// Ingesting it again puts it back.
	sum, err = in.IngestFS(t.Context(), folder(a, b), retrieval.IngestOptions{})
	if err != nil || sum.Written != 1 {
		t.Errorf("re-ingest = %+v, %v; want bravo written again", sum, err)
	}
	if hits := search(t, s, retrieval.Query{Text: "bravo rule"}); len(hits) == 0 || hits[0].DocID != "bravo" {
		t.Errorf("a re-ingested document is not found: %v", hits)
	}
}

func TestIngestFiles(t *testing.T) {
	s, _ := newStore(t)
	dir := t.TempDir()
	for _, d := range []policyDoc{{id: "alpha", locale: "en", body: "Alpha."}, {id: "bravo", locale: "ko", body: "브라보."}} {
		if err := os.MkdirAll(filepath.Join(dir, d.locale), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, d.locale, d.id+".md"), d.file(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A file without front matter takes its locale from its folder.
	if err := os.WriteFile(filepath.Join(dir, "ko", "charlie.md"), []byte("# 찰리\n\n내용."), 0o644); err != nil {
		t.Fatal(err)
	}
	in := retrieval.NewIngester(s)
	meta := retrieval.Metadata{Audience: "both", Effective: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	sum, err := in.IngestFiles(t.Context(), []string{filepath.Join(dir, "en"), filepath.Join(dir, "ko", "charlie.md"), filepath.Join(dir, "missing.md")},
		retrieval.IngestOptions{Meta: meta})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Written != 2 || len(sum.Errors) != 1 {
		t.Errorf("IngestFiles = %+v, want alpha and charlie written and missing.md reported", sum)
	}
	if hits := search(t, s, retrieval.Query{Text: "찰리", Locale: "ko"}); len(hits) == 0 || hits[0].DocID != "charlie" || hits[0].Locale != "ko" {
		t.Errorf("charlie = %+v, want it in Korean", hits)
	}
	if _, err := in.IngestFiles(t.Context(), []string{filepath.Join(dir, "ko", "charlie.md")}, retrieval.IngestOptions{RetireMissing: true}); err == nil {
		t.Error("IngestFiles(file, RetireMissing) succeeded; single files cannot define what is missing")
	}
}

func TestRetire(t *testing.T) {
	s, _ := newStore(t)
	put(t, s, policyDoc{id: "alpha", locale: "en", body: "Alpha rule."})
	if err := s.Retire(t.Context(), "alpha", "en"); err != nil {
		t.Fatal(err)
	}
	if hits := search(t, s, retrieval.Query{Text: "alpha rule"}); len(hits) != 0 {
		t.Errorf("Search after Retire = %v, want nothing", hits)
	}
	if err := s.Retire(t.Context(), "alpha", "en"); err != nil {
		t.Errorf("retiring twice = %v, want nil", err)
	}
	if err := s.Retire(t.Context(), "nope", "en"); !errors.Is(err, retrieval.ErrNotFound) {
		t.Errorf("Retire(unknown) = %v, want ErrNotFound", err)
	}
}

// A document replaced while searches run is seen whole: old or new, never
// some chunks of each, and never without chunks.
func TestReplacementIsAtomicForSearches(t *testing.T) {
	s, _ := newStore(t)
	gen := func(marker string, sections int) policyDoc {
		var b strings.Builder
		for i := range sections {
			fmt.Fprintf(&b, "## Section %d\n\nThe %s marker rule number %d.\n\n", i, marker, i)
		}
		return policyDoc{id: "atomic", locale: "en", body: b.String()}
	}
	versions := []policyDoc{gen("alpha", 3), gen("bravo", 5)}
	want := map[string]int{"alpha": 3, "bravo": 5}
	put(t, s, versions[0])

	var stop atomic.Bool
	var writes atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 1; !stop.Load(); i++ {
			if _, err := s.PutDocument(t.Context(), versions[i%2].document(t)); err != nil {
				t.Error(err)
				return
			}
			writes.Add(1)
		}
	})
	var searches atomic.Int64
	for _, mode := range retrieval.Modes() {
		wg.Go(func() {
			for !stop.Load() {
				hits, err := s.Search(t.Context(), retrieval.Query{Text: "marker rule alpha bravo", K: 10, Mode: mode})
				if err != nil {
					t.Error(err)
					return
				}
				searches.Add(1)
				seen := map[string]int{}
				for _, h := range hits {
					for m := range want {
						if strings.Contains(h.Text, m) {
							seen[m]++
						}
					}
				}
				ok := len(seen) == 1
				for m, n := range seen {
					ok = ok && n == want[m]
				}
				if !ok {
					t.Errorf("%s search saw %v: a mix or a part of the document", mode, seen)
					return
				}
			}
		})
	}
	time.Sleep(1500 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	if writes.Load() < 5 || searches.Load() < 20 {
		t.Errorf("only %d replacements and %d searches ran; the test proves little", writes.Load(), searches.Load())
	}
	t.Logf("%d replacements, %d searches", writes.Load(), searches.Load())
}
