// Package local is csagent's built-in model: a deterministic brain that needs
// nothing outside the binary. It reads the buyer's message with a trained
// intent classifier and slot extractor (package nlu), keeps the dialogue's
// state from the transcript, calls the same tools an LLM would, and answers
// from localized templates filled with the tools' results, or, for policy
// questions, with sentences taken from the retrieved policy text and cited.
//
// It is the default when no LLM is configured, the fallback when the LLM
// fails, and the engine CI's eval suites run on.
package local

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// Name is the model name the local model reports in usage records.
const Name = "local"

// minConfidence is the classifier confidence below which the model does not
// act on an intent: it asks the buyer to rephrase, or reads the message as
// the answer to its own earlier question.
const minConfidence = 0.45

// bareSlotConfidence is the classifier's ceiling for a message that is
// little more than an id or an amount.
const bareSlotConfidence = 0.5

// Model is the built-in model. It is safe for concurrent use.
type Model struct {
	nlu *nlu.Classifier
}

// New returns the local model reading messages with c.
func New(c *nlu.Classifier) *Model { return &Model{nlu: c} }

var _ agent.Model = (*Model)(nil)

// Generate answers req: with a tool call when the buyer's request needs data
// or an action, or with text built from this turn's tool results.
func (m *Model) Generate(ctx context.Context, req agent.Request, onDelta func(string) error) (agent.Response, error) {
	if err := ctx.Err(); err != nil {
		return agent.Response{}, err
	}
	d := m.read(req)
	msg := d.respond()
	if msg.Content != "" && onDelta != nil {
		if err := onDelta(msg.Content); err != nil {
			return agent.Response{}, err
		}
	}
	msg.Role = agent.RoleAssistant
	return agent.Response{Message: msg, Model: Name}, nil
}

// toolOutcome is one tool result of the current turn.
type toolOutcome struct {
	name   string
	args   json.RawMessage
	result agent.ToolResult
}

// dialogue is what the model knows at this step: the buyer's message read
// in the light of the conversation so far, and what the tools said this turn.
type dialogue struct {
	locale string
	text   string
	tools  []agent.ToolSpec
	// intent and slots are the request being served: this message's, or
	// the earlier one it completes.
	intent nlu.Intent
	conf   float64
	slots  nlu.Slots
	// carried is set when the intent came from an earlier message that
	// this one completes ("which order?" → "ORD-10042").
	carried bool
	// lastOrder is the order the conversation was last about, for "it".
	lastOrder string
	// results are this turn's tool outcomes, in order.
	results []toolOutcome
	// unclear counts the buyer's recent messages the model could not read.
	unclear int
}

func (m *Model) read(req agent.Request) *dialogue {
	d := &dialogue{locale: req.Locale, tools: req.Tools}
	last := -1
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if req.Messages[i].Role == agent.RoleUser {
			last = i
			break
		}
	}
	if last < 0 {
		d.intent = nlu.Greeting
		d.conf = 1
		return d
	}
	d.text = req.Messages[last].Content
	cur := m.nlu.Parse(d.text, req.Locale)
	if d.locale == "" {
		d.locale = cur.Locale
	}
	d.intent, d.conf, d.slots = cur.Intent, cur.Confidence, cur.Slots

	// This turn's tool calls and results, matched by call id.
	args := map[string]json.RawMessage{}
	for _, msg := range req.Messages[last+1:] {
		for _, c := range msg.ToolCalls {
			args[c.ID] = c.Arguments
		}
		if msg.Role == agent.RoleTool {
			var r agent.ToolResult
			if json.Unmarshal([]byte(msg.Content), &r) == nil {
				d.results = append(d.results, toolOutcome{name: msg.Name, args: args[msg.ToolCallID], result: r})
			}
		}
	}

	// The conversation before this message: the order it was about, and a
	// request the model asked a question about and has not acted on yet.
	var open *nlu.Result
	acted := false
	for i := last - 1; i >= 0; i-- {
		msg := req.Messages[i]
		for _, c := range msg.ToolCalls {
			acted = true
			if d.lastOrder == "" {
				d.lastOrder = orderIDIn(c.Arguments)
			}
		}
		if msg.Role != agent.RoleUser {
			continue
		}
		r := m.nlu.Parse(msg.Content, req.Locale)
		if d.lastOrder == "" {
			d.lastOrder = r.Slots.OrderID
		}
		if r.Confidence < minConfidence {
			if open == nil && !acted {
				d.unclear++
			}
			continue
		}
		if open == nil && !acted && isTask(r.Intent) {
			open = &r
		}
		if open != nil || acted {
			break
		}
	}
	if cur.Confidence < minConfidence {
		d.unclear++
	}

	// A message that is not a clear new request completes the open one: an
	// order id, a reason, "the shoes one".
	if open != nil && answers(cur, d.text) {
		d.intent, d.conf, d.carried = open.Intent, open.Confidence, true
		d.slots = merge(open.Slots, cur.Slots)
	}
	return d
}

// answers reports whether a message reads as the answer to the model's
// question rather than a new request: little more than an id (the
// classifier caps those at 0.5), no request at all, or a few words naming
// an order, an amount, a reason or an item without a confident new intent.
func answers(r nlu.Result, text string) bool {
	switch {
	case r.Confidence <= bareSlotConfidence:
		return true
	case !isTask(r.Intent):
		return r.Intent != nlu.HumanAgent && r.Intent != nlu.Greeting && r.Intent != nlu.Thanks
	}
	short := len(strings.Fields(text)) <= 5
	return short && r.Confidence < 0.9 && (hasSlot(r.Slots) || len(itemTerms(text)) > 0)
}

// isTask reports whether i asks the model to look something up or act.
func isTask(i nlu.Intent) bool {
	switch i {
	case nlu.OrderStatus, nlu.ListOrders, nlu.DeliveryProblem, nlu.RefundRequest, nlu.RefundStatus,
		nlu.OpenDispute, nlu.DisputeStatus, nlu.CancelOrder, nlu.PolicyQuestion, nlu.Translate:
		return true
	}
	return false
}

func hasSlot(s nlu.Slots) bool {
	return s.OrderID != "" || s.RefundID != "" || s.DisputeID != "" || s.Reason != "" || s.Amount != nil || s.Language != ""
}

func merge(old, cur nlu.Slots) nlu.Slots {
	if cur.OrderID == "" {
		cur.OrderID = old.OrderID
	}
	if cur.RefundID == "" {
		cur.RefundID = old.RefundID
	}
	if cur.DisputeID == "" {
		cur.DisputeID = old.DisputeID
	}
	if cur.Amount == nil {
		cur.Amount = old.Amount
	}
	if cur.Reason == "" {
		cur.Reason = old.Reason
	}
	if cur.Language == "" {
		cur.Language = old.Language
	}
	return cur
}

func orderIDIn(args json.RawMessage) string {
	var a struct {
		OrderID string `json:"order_id"`
	}
	if json.Unmarshal(args, &a) == nil && strings.HasPrefix(a.OrderID, "ORD-") {
		return a.OrderID
	}
	return ""
}

func (d *dialogue) has(tool string) bool {
	return slices.ContainsFunc(d.tools, func(t agent.ToolSpec) bool { return t.Name == tool })
}

func (d *dialogue) say(key string, args ...any) agent.Message {
	return agent.Message{Content: render(d.locale, key, args...)}
}

func call(name string, args any) agent.Message {
	b, _ := json.Marshal(args)
	return agent.Message{ToolCalls: []agent.ToolCall{{ID: "call_" + name, Name: name, Arguments: b}}}
}

// Confirmations reads a typed "yes" or "no" with the classifier. It is the
// agent's way to take a typed answer to a pending action whichever brain
// runs the conversation.
type Confirmations struct {
	nlu *nlu.Classifier
}

// NewConfirmations returns Confirmations reading with c.
func NewConfirmations(c *nlu.Classifier) Confirmations { return Confirmations{nlu: c} }

// minDecisionConfidence is high on purpose: a message read as "yes" runs a
// refund, so only a clear yes counts.
const minDecisionConfidence = 0.6

// Confirmation reports whether text clearly says yes or no.
func (c Confirmations) Confirmation(text, locale string) (yes, no bool) {
	r := c.nlu.Parse(text, locale)
	if r.Confidence < minDecisionConfidence {
		return false, false
	}
	return r.Intent == nlu.Affirm, r.Intent == nlu.Deny
}
