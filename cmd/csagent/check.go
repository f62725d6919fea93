package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/csagent/csagent/guardrails"
)

// checkLine is one line of `csagent check` input: a reply to check against
// its evidence ("output"), or a message to check for injection and
// personal data ("input").
type checkLine struct {
	Kind     string   `json:"kind"`
	Text     string   `json:"text"`
	Evidence []string `json:"evidence"`
	Locale   string   `json:"locale"`
	Audience string   `json:"audience"`
}

// checkResult is one line of its output.
type checkResult struct {
	Line int    `json:"line"`
	Kind string `json:"kind,omitempty"`
	// Output checks.
	Verdict guardrails.Verdict `json:"verdict,omitempty"`
	Shown   *string            `json:"text,omitempty"`
	// Unjudged are policy statements the support score could not judge.
	Unjudged []string `json:"unjudged,omitempty"`
	// Both.
	Violations []guardrails.Violation `json:"violations,omitempty"`
	Score      *float64               `json:"score,omitempty"`
	// Input checks.
	Injection *bool  `json:"injection,omitempty"`
	Redacted  string `json:"redacted,omitempty"`
	Error     string `json:"error,omitempty"`
}

// runCheck reads JSON lines from stdin and prints the guardrails' verdict
// on each:
//
//	{"kind":"output","text":"…","evidence":["…"],"locale":"en","audience":"buyer"}
//	  → {"line":1,"kind":"output","verdict":"pass|rewritten|fallback","text":"what to show","violations":[…],"score":0.93}
//	{"kind":"input","text":"…"}
//	  → {"line":2,"kind":"input","injection":false,"score":0.02,"redacted":"…","violations":[…]}
//
// A line that cannot be read gets an error line; the rest go on. --config
// checks with a banned-phrase file instead of the built-in list.
func runCheck(_ context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	f := newFlags("check", getenv, stderr)
	var configPath string
	f.string(&configPath, "config", "", "banned-phrase configuration (YAML); the built-in list when empty", "CSAGENT_GUARDRAILS_CONFIG")
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usageError{`usage: csagent check [--config FILE] < lines.jsonl  (each line {"kind":"output","text":"…","evidence":["…"],"locale":"en"} or {"kind":"input","text":"…"})`}
	}
	c, err := newGuardrails(configPath)
	if err != nil {
		return err
	}
	return jsonLines(stdin, stdout, 4<<20, func(raw []byte, n int) any { return checkOne(c, raw, n) })
}

func checkOne(c *guardrails.Checker, raw []byte, n int) checkResult {
	var l checkLine
	res := checkResult{Line: n}
	if err := json.Unmarshal(raw, &l); err != nil || l.Text == "" {
		res.Error = `want a JSON object with "kind" ("output" or "input") and a non-empty "text"`
		return res
	}
	res.Kind = l.Kind
	switch l.Kind {
	case "output":
		audience := l.Audience
		if audience == "" {
			audience = "buyer"
		}
		r := c.CheckOutput(l.Text, l.Locale, audience, guardrails.Evidence{Texts: l.Evidence})
		res.Verdict, res.Shown, res.Violations, res.Score, res.Unjudged = r.Verdict, &r.Text, r.Violations, &r.Score, r.Unjudged
	case "input":
		r := c.CheckInput(l.Text, l.Locale)
		res.Injection, res.Score, res.Redacted, res.Violations = &r.Injection, &r.Score, r.Redacted, r.Violations
	default:
		res.Error = fmt.Sprintf(`unknown kind %q; want "output" or "input"`, l.Kind)
	}
	return res
}
