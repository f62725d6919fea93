package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/csagent/csagent/agent/local/nlu"
)

// nluLine is one line of `csagent nlu` input.
type nluLine struct {
	Text   string `json:"text"`
	Locale string `json:"locale"`
}

// nluResult is one line of its output.
type nluResult struct {
	Text       string     `json:"text"`
	Intent     nlu.Intent `json:"intent,omitempty"`
	Confidence float64    `json:"confidence"`
	Locale     string     `json:"locale,omitempty"`
	Slots      *nluSlots  `json:"slots,omitempty"`
	Error      string     `json:"error,omitempty"`
	Line       int        `json:"line"`
}

type nluSlots struct {
	OrderID   string     `json:"order_id,omitempty"`
	RefundID  string     `json:"refund_id,omitempty"`
	DisputeID string     `json:"dispute_id,omitempty"`
	Amount    *nluAmount `json:"amount,omitempty"`
	Reason    string     `json:"reason,omitempty"`
	Language  string     `json:"language,omitempty"`
}

type nluAmount struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"`
}

// runNLU reads JSON lines {"text":…,"locale":…} from stdin and prints the
// local model's reading of each: intent, confidence, locale and slots. A
// line that is not such an object gets an error line; the rest go on.
func runNLU(_ context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	f := newFlags("nlu", getenv, stderr)
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usageError{"usage: csagent nlu < lines.jsonl  (each line {\"text\":\"…\",\"locale\":\"ko\"})"}
	}
	c, err := nlu.New()
	if err != nil {
		return fmt.Errorf("train the local model: %w", err)
	}
	return jsonLines(stdin, stdout, 1<<20, func(raw []byte, n int) any { return nluOne(c, raw, n) })
}

// nluOne is the local model's reading of one input line.
func nluOne(c *nlu.Classifier, raw []byte, n int) nluResult {
	var l nluLine
	res := nluResult{Line: n}
	if err := json.Unmarshal(raw, &l); err != nil || l.Text == "" {
		res.Error = "want a JSON object with a non-empty \"text\""
		return res
	}
	r := c.Parse(l.Text, l.Locale)
	res.Text, res.Intent, res.Locale = l.Text, r.Intent, r.Locale
	res.Confidence = math.Round(r.Confidence*1000) / 1000
	s := nluSlots{OrderID: r.Slots.OrderID, RefundID: r.Slots.RefundID, DisputeID: r.Slots.DisputeID,
		Reason: r.Slots.Reason, Language: r.Slots.Language}
	if r.Slots.Amount != nil {
		s.Amount = &nluAmount{Minor: r.Slots.Amount.Minor, Currency: r.Slots.Amount.Currency}
	}
	if s != (nluSlots{}) {
		res.Slots = &s
	}
	return res
}
