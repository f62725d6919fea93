package retrieval

import (
	"flag"
	"os"
	"testing"
)

var updateIDF = flag.Bool("update-idf", false, "regenerate local_idf.bin.gz from the demo policies")

// idfCorpus is what the IDF table is fitted on: the embedding inputs of the
// demo policies' chunks, exactly as ingestion makes them.
func idfCorpus(tb testing.TB) []string {
	tb.Helper()
	docs, errs := LoadDir(DemoPolicies())
	if len(errs) > 0 {
		tb.Fatalf("demo policies: %v", errs)
	}
	sp := NewSplitter()
	var texts []string
	for _, d := range docs {
		chunks, err := sp.Split(d.Title, d.Body)
		if err != nil {
			tb.Fatal(err)
		}
		for _, c := range chunks {
			texts = append(texts, embedInput(c.HeadingPath, c.Text))
		}
	}
	return texts
}

// TestLocalIDFTable checks the frozen table decodes to the pinned digest.
// With -update-idf it refits the table instead and prints the digest to pin
// (together with a new LocalModel name if vectors are already stored).
func TestLocalIDFTable(t *testing.T) {
	if *updateIDF {
		table := fitIDF(idfCorpus(t))
		gz, err := encodeIDF(table)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("local_idf.bin.gz", gz, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote local_idf.bin.gz (%d bytes); set localIDFDigest = %q", len(gz), idfDigest(table))
		return
	}
	idf, err := decodeIDF(localIDFTable)
	if err != nil {
		t.Fatalf("decodeIDF(local_idf.bin.gz) = %v", err)
	}
	lo, hi := idf[0], idf[0]
	for _, v := range idf {
		lo, hi = min(lo, v), max(hi, v)
	}
	if lo < 0.9 || hi > 8 || hi-lo < 3 {
		t.Errorf("IDF weights span [%.2f, %.2f], want roughly [1, 7]", lo, hi)
	}
}
