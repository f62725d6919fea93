package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/migrations/pgtest"
)

// writePolicy writes a policy file under dir/locale and returns its path.
func writePolicy(t *testing.T, dir, locale, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, locale, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const giftCards = `---
id: gift-cards
title: Gift cards
locale: en
version: 1
effective: 2026-01-01
audience: buyer
---

# Gift cards

## Expiry

Maru Market gift cards never expire and can be used in every shop.

## Refunds of gift cards

A gift card cannot be exchanged for cash, except where the law requires it.
`

// ingest runs `csagent ingest` with args against dbURL and returns what it
// printed and its error.
func ingest(t *testing.T, dbURL string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(t.Context(), append([]string{"csagent", "ingest"}, args...), testEnv("DATABASE_URL", dbURL), nil, &out, &errOut)
	return out.String(), errOut.String(), err
}

// csagent ingest adds, skips, changes and retires documents, and says so.
func TestIngestCommand(t *testing.T) {
	t.Parallel()
	pool, dbURL := pgtest.NewWithURL(t)
	dir := t.TempDir()
	writePolicy(t, dir, "en", "gift-cards.md", giftCards)
	html := writePolicy(t, t.TempDir(), "es", "envios.html", `<html><head><title>Envíos</title></head><body>
		<h2>Plazos de entrega</h2><p>Los pedidos nacionales llegan en un plazo de cinco días hábiles.</p></body></html>`)

	steps := []struct {
		name string
		args []string
		want string
	}{
		{"HTML with flags", []string{"--audience", "both", "--id", "shipping", "--effective", "2026-01-01", html}, "1 read, 1 added, 0 changed, 0 unchanged"},
		{"folder", []string{dir}, "documents: 1 read, 1 added, 0 changed, 0 unchanged"},
		{"HTML again", []string{"--audience", "both", "--id", "shipping", "--effective", "2026-01-01", html},
			"documents: 1 read, 0 added, 0 changed, 1 unchanged, 0 retired; chunks: 0 added, 0 removed"},
		{"folder again", []string{dir}, "documents: 1 read, 0 added, 0 changed, 1 unchanged, 0 retired; chunks: 0 added, 0 removed"},
	}
	for _, s := range steps {
		out, errOut, err := ingest(t, dbURL, s.args...)
		if err != nil {
			t.Fatalf("%s: ingest %v = %v\n%s", s.name, s.args, err, errOut)
		}
		if !strings.Contains(out, s.want) {
			t.Errorf("%s: ingest printed %q, want %q", s.name, out, s.want)
		}
	}
	var n int
	if err := pool.QueryRow(t.Context(), `SELECT count(*) FROM policy_chunks WHERE doc_id = 'gift-cards' AND locale = 'en'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("gift-cards has %d chunks, want one per section (2)", n)
	}
	// The flags named the HTML document; its folder named its language.
	var title, audience string
	if err := pool.QueryRow(t.Context(), `SELECT title, audience FROM policy_documents WHERE doc_id = 'shipping' AND locale = 'es'`).Scan(&title, &audience); err != nil {
		t.Fatal(err)
	}
	if title != "Envíos" || audience != "both" {
		t.Errorf("HTML document stored with title %q, audience %q; want Envíos, both", title, audience)
	}

	// A changed document is rewritten; a deleted one is retired.
	writePolicy(t, dir, "en", "gift-cards.md", strings.Replace(giftCards, "never expire", "expire after five years", 1))
	out, errOut, err := ingest(t, dbURL, "--audience", "both", filepath.Join(dir, "en"))
	if err != nil || !strings.Contains(out, "1 read, 0 added, 1 changed") || !strings.Contains(out, "chunks: 2 added, 2 removed") {
		t.Errorf("changed ingest = %v, printed %q %s", err, out, errOut)
	}
	if err := os.Remove(filepath.Join(dir, "en", "gift-cards.md")); err != nil {
		t.Fatal(err)
	}
	writePolicy(t, dir, "en", "other.md", strings.NewReplacer("gift-cards", "other", "Gift cards", "Other").Replace(giftCards))
	out, errOut, err = ingest(t, dbURL, "--retire-missing", filepath.Join(dir, "en"))
	if err != nil || !strings.Contains(out, "1 retired") || !strings.Contains(out, "retired: gift-cards/en") {
		t.Errorf("retiring ingest = %v, printed %q %s", err, out, errOut)
	}
}

// A broken file is reported and skipped; the others are ingested and the
// command fails so a script notices.
func TestIngestCommandSkipsBrokenFiles(t *testing.T) {
	t.Parallel()
	pool, dbURL := pgtest.NewWithURL(t)
	dir := t.TempDir()
	writePolicy(t, dir, "en", "gift-cards.md", giftCards)
	writePolicy(t, dir, "en", "broken.md", "---\nid: [unclosed\n---\n# Broken\n\ntext\n")
	out, errOut, err := ingest(t, dbURL, dir)
	if err == nil || !strings.Contains(err.Error(), "1 file(s) could not be ingested") {
		t.Errorf("ingest with a broken file = %v, want an error naming one file", err)
	}
	if !strings.Contains(out, "1 read, 1 added") || !strings.Contains(errOut, "broken.md") {
		t.Errorf("printed %q and %q, want the good document added and the broken one named", out, errOut)
	}
	var n int
	if err := pool.QueryRow(t.Context(), `SELECT count(*) FROM policy_documents`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d documents stored, want the good one", n)
	}
}

func TestIngestCommandRefusesBadInput(t *testing.T) {
	t.Parallel()
	_, dbURL := pgtest.NewWithURL(t)
	dir := t.TempDir()
	file := writePolicy(t, dir, "en", "gift-cards.md", giftCards)
	tests := []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"no paths", nil, true, "usage: csagent ingest"},
		{"missing file", []string{filepath.Join(dir, "nope.md")}, false, "could not be ingested"},
		{"bad locale", []string{"--locale", "english", file}, true, "--locale"},
		{"bad audience", []string{"--audience", "everyone", file}, true, "--audience"},
		{"bad date", []string{"--effective", "June 1st", file}, true, "--effective"},
		{"negative version", []string{"--version", "-1", file}, true, "--version"},
		{"id for many files", []string{"--id", "x", file, file}, true, "single file"},
		{"retire with a file", []string{"--retire-missing", file}, false, "needs folders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, err := ingest(t, dbURL, tt.args...)
			var u usageError
			if err == nil || errors.As(err, &u) != tt.usage || !strings.Contains(err.Error()+errOut, tt.want) {
				t.Errorf("ingest %v = %v (usage error: %v), want %q", tt.args, err, errors.As(err, &u), tt.want)
			}
		})
	}
}

// A plain Markdown file (no front matter) needs one thing the command cannot
// guess, its audience: the first try names it (and nothing else missing is
// left for a second try), and the second, with the flag after the path as
// people type it, stores the document effective today.
func TestIngestPlainMarkdown(t *testing.T) {
	t.Parallel()
	pool, dbURL := pgtest.NewWithURL(t)
	file := writePolicy(t, t.TempDir(), "en", "some-policy.md", "# Loyalty points\n\n## Earning\n\nEvery order earns one point per dollar.\n")

	_, errOut, err := ingest(t, dbURL, file)
	if err == nil {
		t.Fatal("ingest of a file without an audience succeeded")
	}
	if !strings.Contains(errOut, "missing audience (front matter `audience:`, or --audience buyer|seller|both)") || strings.Contains(errOut, "effective") {
		t.Errorf("ingest without an audience printed %q, want one error naming only the audience and its flag", errOut)
	}

	out, errOut, err := ingest(t, dbURL, file, "--audience", "both")
	if err != nil || !strings.Contains(out, "1 added") {
		t.Fatalf("ingest PATH --audience both = %v, printed %q %s", err, out, errOut)
	}
	var effective time.Time
	if err := pool.QueryRow(t.Context(), `SELECT effective_at FROM policy_documents WHERE doc_id = 'some-policy'`).Scan(&effective); err != nil {
		t.Fatal(err)
	}
	if today := time.Now().UTC().Format(time.DateOnly); effective.Format(time.DateOnly) != today {
		t.Errorf("effective date %s, want today %s", effective.Format(time.DateOnly), today)
	}
}
