package retrieval_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/retrieval"
)

const validDoc = `---
id: refunds
title: Refunds
locale: en
version: 2
effective: 2026-01-01
audience: buyer
---
# Refunds

Thirty days.
`

func TestParseDocument(t *testing.T) {
	d, err := retrieval.ParseDocument("refunds.md", []byte(validDoc))
	if err != nil {
		t.Fatalf("ParseDocument(valid) = %v", err)
	}
	if d.ID != "refunds" || d.Locale != "en" || d.Version != 2 || d.Audience != "buyer" || !strings.HasPrefix(d.Body, "# Refunds") {
		t.Errorf("ParseDocument(valid) = %+v", d)
	}
	if d.Effective.Format("2006-01-02") != "2026-01-01" {
		t.Errorf("Effective = %v, want 2026-01-01", d.Effective)
	}

	bad := []struct {
		name, doc, want string
	}{
		{"no front matter", "# Refunds\n", "no front matter"},
		{"unclosed front matter", "---\nid: x\n", "not closed"},
		{"unknown key", strings.Replace(validDoc, "audience: buyer", "audience: buyer\nowner: bob", 1), "owner"},
		{"bad id", strings.Replace(validDoc, "id: refunds", "id: Refunds Policy", 1), "id"},
		{"bad locale", strings.Replace(validDoc, "locale: en", "locale: english", 1), "locale"},
		{"bad version", strings.Replace(validDoc, "version: 2", "version: 0", 1), "version"},
		{"bad audience", strings.Replace(validDoc, "audience: buyer", "audience: everyone", 1), "audience"},
		{"bad date", strings.Replace(validDoc, "effective: 2026-01-01", "effective: soon", 1), "effective"},
		{"empty body", strings.Split(validDoc, "# Refunds")[0], "no text"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := retrieval.ParseDocument("x.md", []byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseDocument = %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
	if _, err := retrieval.ParseDocument("x.md", []byte("# x")); !errors.Is(err, retrieval.ErrNoFrontMatter) {
		t.Errorf("ParseDocument(no front matter) = %v, want ErrNoFrontMatter", err)
	}
}

func TestLoadDirSkipsBrokenFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"en/refunds.md": {Data: []byte(validDoc)},
		"en/broken.md":  {Data: []byte("no front matter")},
		"en/notes.txt":  {Data: []byte("ignored")},
	}
	docs, errs := retrieval.LoadDir(fsys)
	if len(docs) != 1 || docs[0].ID != "refunds" {
		t.Errorf("LoadDir docs = %v, want the one valid document", docs)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "broken.md") {
		t.Errorf("LoadDir errs = %v, want one naming broken.md", errs)
	}
}

func TestDemoPoliciesParseAndStoreIdempotently(t *testing.T) {
	docs, errs := retrieval.LoadDir(retrieval.DemoPolicies())
	if len(errs) > 0 {
		t.Fatalf("demo policies: %v", errs)
	}
	if len(docs) < 6 {
		t.Fatalf("only %d demo policy documents", len(docs))
	}
	store := retrieval.NewStore(pgtest.New(t))
	for round, wantWritten := range []bool{true, false} {
		for _, d := range docs {
			wrote, err := store.PutDocument(t.Context(), d)
			if err != nil {
				t.Fatalf("PutDocument(%s/%s): %v", d.ID, d.Locale, err)
			}
			if wrote != wantWritten {
				t.Errorf("round %d: PutDocument(%s/%s) wrote = %v, want %v", round+1, d.ID, d.Locale, wrote, wantWritten)
			}
		}
	}
}
