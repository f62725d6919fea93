package retrieval_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/csagent/csagent/retrieval"
)

func TestSplitHeadingPaths(t *testing.T) {
	body := "# Refunds and returns\n\nIntro text.\n\n## Refund window\n\nThirty days.\n\n" +
		"## Cancelling\n\n### Orders awaiting payment\n\nCancel freely.\n\n```\n# not a heading\n```\n\n" +
		"## **Return** shipping [costs](http://x)\n\n| Reason | Who pays |\n|---|---|\n| Damaged | Seller |\n"
	chunks, err := retrieval.NewSplitter().Split("Ignored title", body)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ path, contains string }{
		{"Refunds and returns", "Intro text."},
		{"Refunds and returns > Refund window", "Thirty days."},
		{"Refunds and returns > Cancelling > Orders awaiting payment", "# not a heading"},
		{"Refunds and returns > Return shipping costs", "| Reason | Who pays |"},
	}
	if len(chunks) != len(want) {
		t.Fatalf("Split gave %d chunks, want %d: %+v", len(chunks), len(want), chunks)
	}
	for i, w := range want {
		c := chunks[i]
		if c.Ordinal != i || c.HeadingPath != w.path || !strings.Contains(c.Text, w.contains) {
			t.Errorf("chunk %d = %d %q %q, want path %q containing %q", i, c.Ordinal, c.HeadingPath, c.Text, w.path, w.contains)
		}
	}
	if got := chunks[1].Heading(); got != "Refund window" {
		t.Errorf("Heading() = %q, want Refund window", got)
	}
}

func TestSplitWithoutH1UsesTitle(t *testing.T) {
	chunks, err := retrieval.NewSplitter().Split("Payments", "Intro.\n\n## Methods\n\nCards.")
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) != 2 || chunks[0].HeadingPath != "Payments" || chunks[1].HeadingPath != "Payments > Methods" {
		t.Errorf("Split = %+v, want paths Payments and Payments > Methods", chunks)
	}
}

func TestSplitLongSectionOverlaps(t *testing.T) {
	var sentences []string
	for i := range 60 {
		sentences = append(sentences, "Sentence number "+strings.Repeat("x", i%7)+" of the long section")
	}
	body := "# T\n\n## Long\n\n" + strings.Join(sentences, ". ") + "."
	chunks, err := retrieval.NewSplitter().Split("T", body)
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) < 2 {
		t.Fatalf("a %d-character section gave %d chunks, want several", len(body), len(chunks))
	}
	for i, c := range chunks {
		if n := utf8.RuneCountInString(c.Text); n > 900 {
			t.Errorf("chunk %d has %d characters, want at most about 800", i, n)
		}
		if c.HeadingPath != "T > Long" {
			t.Errorf("chunk %d path = %q, want T > Long", i, c.HeadingPath)
		}
	}
	// Overlap: the start of each later chunk appears in the one before.
	for i := 1; i < len(chunks); i++ {
		head := chunks[i].Text[:20]
		if !strings.Contains(chunks[i-1].Text, head) {
			t.Errorf("chunk %d starts with %q, which chunk %d does not end with: no overlap", i, head, i-1)
		}
	}
}

func TestSplitPlainIgnoresHashes(t *testing.T) {
	chunks, err := retrieval.NewSplitter().SplitPlain("Notes", "# not a heading\nplain text")
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) != 1 || chunks[0].HeadingPath != "Notes" || !strings.HasPrefix(chunks[0].Text, "# not a heading") {
		t.Errorf("SplitPlain = %+v, want one chunk under Notes keeping the # line", chunks)
	}
}

func TestDemoPoliciesChunkByHeading(t *testing.T) {
	docs, errs := retrieval.LoadDir(retrieval.DemoPolicies())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	sp := retrieval.NewSplitter()
	for _, d := range docs {
		chunks, err := sp.Split(d.Title, d.Body)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range chunks {
			if !strings.HasPrefix(c.HeadingPath, d.Title) {
				t.Errorf("%s/%s: path %q does not start with the title %q", d.ID, d.Locale, c.HeadingPath, d.Title)
			}
		}
		if d.ID == "refunds" && d.Locale == "en" {
			found := false
			for _, c := range chunks {
				found = found || (c.HeadingPath == "Refunds and returns > Return shipping costs" && strings.Contains(c.Text, "Who pays return shipping"))
			}
			if !found {
				t.Error("refunds/en: no chunk keeps the return-shipping table with its header row")
			}
		}
	}
}
