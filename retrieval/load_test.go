package retrieval_test

import (
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/retrieval"
)

func TestLoadFile(t *testing.T) {
	eff := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	full := retrieval.Metadata{Audience: "buyer", Effective: eff}
	tests := []struct {
		name    string
		file    string
		data    string
		meta    retrieval.Metadata
		check   func(retrieval.Document) bool
		wantErr string
	}{
		{"markdown with front matter", "en/refunds.md", string(policyDoc{id: "refunds", locale: "en", body: "Text."}.file()), retrieval.Metadata{},
			func(d retrieval.Document) bool {
				return d.ID == "refunds" && d.Locale == "en" && d.Format == retrieval.FormatMarkdown
			}, ""},
		{"flags override front matter", "en/refunds.md", string(policyDoc{id: "refunds", locale: "en", body: "Text."}.file()),
			retrieval.Metadata{Version: 7, Audience: "seller"},
			func(d retrieval.Document) bool { return d.Version == 7 && d.Audience == "seller" }, ""},
		{"markdown without front matter takes names from the path", "ko/Return Policy.md", "# 반품 정책\n\n내용.", full,
			func(d retrieval.Document) bool {
				return d.ID == "return-policy" && d.Locale == "ko" && d.Title == "반품 정책" && d.Version == 1 && d.Effective.Equal(eff)
			}, ""},
		{"plain text", "en/notes.txt", "# first line\nSecond line.", retrieval.Metadata{Title: "Notes", Audience: "both", Effective: eff},
			func(d retrieval.Document) bool {
				return d.Format == retrieval.FormatText && strings.HasPrefix(d.Body, "# first line")
			}, ""},
		{"html", "es/envios.html", `<html><head><title>Envíos</title><style>p{}</style><script>x()</script></head><body>
			<nav>menu</nav><h1>Envíos</h1><p>Intro &amp; más.</p><h2>Plazos</h2><ul><li>Uno</li><li>Dos</li></ul>
			<table><tr><th>Moneda</th><th>Importe</th></tr><tr><td>EUR</td><td>50</td></tr></table></body></html>`, full,
			func(d retrieval.Document) bool {
				return d.Title == "Envíos" && strings.Contains(d.Body, "# Envíos") && strings.Contains(d.Body, "## Plazos") &&
					strings.Contains(d.Body, "Intro & más.") && strings.Contains(d.Body, "- Uno") &&
					strings.Contains(d.Body, "| Moneda | Importe") && !strings.Contains(d.Body, "x()") && !strings.Contains(d.Body, "menu")
			}, ""},
		{"no audience", "en/a.md", "# A\n\nText.", retrieval.Metadata{Effective: eff}, nil, "missing audience (front matter `audience:`, or --audience buyer|seller|both)"},
		{"no effective date", "en/a.md", "# A\n\nText.", retrieval.Metadata{Audience: "both"}, nil, "missing effective date (front matter `effective:`, or --effective YYYY-MM-DD)"},
		{"a default effective date fills in", "en/a.md", "# A\n\nText.", retrieval.Metadata{Audience: "both", DefaultEffective: eff},
			func(d retrieval.Document) bool { return d.Effective.Equal(eff) }, ""},
		{"front matter's effective date beats the default", "en/a.md", "---\neffective: 2025-01-02\naudience: buyer\n---\n# A\n\nText.",
			retrieval.Metadata{DefaultEffective: eff},
			func(d retrieval.Document) bool { return d.Effective.Format("2006-01-02") == "2025-01-02" }, ""},
		{"everything missing is named at once", "misc/a.txt", "Text.", retrieval.Metadata{}, nil,
			"misc/a.txt: missing title (front matter `title:`, a `# Heading`, or --title); locale (front matter `locale:`, a parent folder such as ko/, or --locale); audience (front matter `audience:`, or --audience buyer|seller|both); effective date (front matter `effective:`, or --effective YYYY-MM-DD)"},
		{"no locale", "misc/a.md", "# A\n\nText.", full, nil, "locale"},
		{"no title", "en/a.txt", "Text.", full, nil, "missing title"},
		{"unsupported", "en/a.pdf", "x", full, nil, "not a Markdown"},
		{"broken front matter", "en/a.md", "---\nid: [\n---\n# A", full, nil, "front matter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := retrieval.LoadFile(tt.file, []byte(tt.data), tt.meta)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("LoadFile(%s) = %v, want an error mentioning %q", tt.file, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadFile(%s) = %v", tt.file, err)
			}
			if !tt.check(d) {
				t.Errorf("LoadFile(%s) = %+v", tt.file, d)
			}
			if d.Hash == "" {
				t.Errorf("LoadFile(%s) has no hash", tt.file)
			}
		})
	}
}

func TestContentHashIgnoresLayout(t *testing.T) {
	a := policyDoc{id: "x", locale: "en", body: "Same."}.file()
	b := []byte(strings.Replace(string(a), "id: x\n", "id:   x   \n", 1))
	da, err := retrieval.ParseDocument("a.md", a)
	if err != nil {
		t.Fatal(err)
	}
	db, err := retrieval.ParseDocument("b.md", b)
	if err != nil {
		t.Fatal(err)
	}
	if da.Hash != db.Hash {
		t.Error("reformatting the front matter changed the content hash")
	}
	c := []byte(strings.Replace(string(a), "Same.", "Different.", 1))
	dc, _ := retrieval.ParseDocument("c.md", c)
	if dc.Hash == da.Hash {
		t.Error("changing the body kept the content hash")
	}
}
