package guardrails

import (
	"strings"
	"testing"
)

// TestBlobHas checks blobHas against the joined blob it stands for, with
// ids inside one text, across one join and across texts shorter than
// the id.
func TestBlobHas(t *testing.T) {
	evs := [][]string{
		{"order ORD-10101 shipped"},
		{"order OR", "D-10101 shipped"},
		{"see O", "R", "D", "-1", "0101", " today"},
		{"ORD", "10101"},
		{"tracking 1Z999", "AA1 0123 4567 84", "…"},
		{"nothing here", "", "at all"},
		{"a", "b"},
	}
	ids := []string{"ORD10101", "ORD", "10101", "1Z999AA10123456784", "Z999AA1", "AB", "B", "NOTHERE", "ORD10102", "DAT", "HEREAT", "A"}
	for _, texts := range evs {
		for _, id := range ids {
			e := newEvidence(Evidence{Texts: texts}, "en", newTextCache())
			got := e.blobHas(id)
			if want := strings.Contains(alnumUpper(strings.Join(texts, "\n\n")), id); got != want {
				t.Errorf("blobHas(%q) over %q = %v, want %v", id, texts, got, want)
			}
			if want := strings.Contains(e.idBlob(), id); got != want {
				t.Errorf("blobHas(%q) over %q = %v, but the joined blob says %v", id, texts, got, want)
			}
		}
	}
}
