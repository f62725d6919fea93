// Package local is csagent's built-in model: a deterministic brain that needs
// nothing outside the binary. It reads the buyer's message with a trained
// intent classifier and slot extractor (package nlu), keeps the dialogue's
// state from the transcript, calls the same tools an LLM would, and answers
// from localized templates filled with the tools' results.
//
// It is the default when no LLM is configured, the fallback when the LLM
// fails, and the engine CI's eval suites run on.
package local

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// Name is the model name the local model reports in usage records.
const Name = "local"

// minConfidence is the classifier confidence below which the model asks the
// buyer to rephrase rather than guess.
const minConfidence = 0.35

// Model is the built-in model. It is safe for concurrent use.
type Model struct {
	nlu *nlu.Classifier
}

// New returns the local model reading messages with c.
func New(c *nlu.Classifier) *Model { return &Model{nlu: c} }

var _ agent.Model = (*Model)(nil)

// Generate answers req: with a tool call when the buyer's request needs data,
// or with text built from the tool results of this turn.
func (m *Model) Generate(ctx context.Context, req agent.Request, onDelta func(string) error) (agent.Response, error) {
	if err := ctx.Err(); err != nil {
		return agent.Response{}, err
	}
	st := m.state(req)
	msg := m.respond(st, req)
	if msg.Content != "" && onDelta != nil {
		if err := onDelta(msg.Content); err != nil {
			return agent.Response{}, err
		}
	}
	msg.Role = agent.RoleAssistant
	return agent.Response{Message: msg, Model: Name}, nil
}

// state is what the model knows of the dialogue at this step.
type state struct {
	locale string
	text   string
	parsed nlu.Result
	// results are this turn's tool results so far, by tool name.
	results map[string]agent.ToolResult
	// earlier is the buyer's previous messages in this conversation, newest
	// first: the dialogue's memory of what was asked before.
	earlier []nlu.Result
}

func (m *Model) state(req agent.Request) state {
	st := state{locale: req.Locale, results: map[string]agent.ToolResult{}}
	last := -1
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if req.Messages[i].Role == agent.RoleUser {
			last = i
			break
		}
	}
	if last < 0 {
		return st
	}
	st.text = req.Messages[last].Content
	st.parsed = m.nlu.Parse(st.text, req.Locale)
	if st.locale == "" {
		st.locale = st.parsed.Locale
	}
	for _, msg := range req.Messages[last+1:] {
		if msg.Role == agent.RoleTool {
			var r agent.ToolResult
			if json.Unmarshal([]byte(msg.Content), &r) == nil {
				st.results[msg.Name] = r
			}
		}
	}
	for i := last - 1; i >= 0 && len(st.earlier) < 4; i-- {
		if req.Messages[i].Role == agent.RoleUser {
			st.earlier = append(st.earlier, m.nlu.Parse(req.Messages[i].Content, req.Locale))
		}
	}
	return st
}

func (m *Model) respond(st state, req agent.Request) agent.Message {
	if st.text == "" {
		return text(st.locale, "greeting")
	}
	if r, ok := st.results["get_order"]; ok {
		return orderReply(st.locale, r)
	}

	intent, slots := st.parsed.Intent, st.parsed.Slots
	// A bare order id answers the question the buyer's previous message
	// raised ("where is my order?" → "which one?" → "ORD-10042").
	if slots.OrderID != "" && (st.parsed.Confidence < minConfidence || !needsOrder(intent)) {
		for _, e := range st.earlier {
			if needsOrder(e.Intent) && e.Slots.OrderID == "" {
				intent = e.Intent
				break
			}
		}
	}
	if st.parsed.Confidence < minConfidence && slots.OrderID == "" {
		return text(st.locale, "clarify")
	}

	switch intent {
	case nlu.OrderStatus, nlu.DeliveryProblem:
		if slots.OrderID == "" {
			return text(st.locale, "ask_order_id")
		}
		if !hasTool(req, "get_order") {
			return text(st.locale, "cannot_help")
		}
		return callTool("get_order", map[string]string{"order_id": slots.OrderID})
	case nlu.Greeting:
		return text(st.locale, "greeting")
	case nlu.Thanks:
		return text(st.locale, "thanks")
	case nlu.HumanAgent:
		return text(st.locale, "offer_human")
	case nlu.OutOfScope:
		return text(st.locale, "out_of_scope")
	default:
		return text(st.locale, "cannot_help")
	}
}

func needsOrder(i nlu.Intent) bool {
	switch i {
	case nlu.OrderStatus, nlu.DeliveryProblem, nlu.RefundRequest, nlu.OpenDispute, nlu.CancelOrder:
		return true
	}
	return false
}

func hasTool(req agent.Request, name string) bool {
	return slices.ContainsFunc(req.Tools, func(t agent.ToolSpec) bool { return t.Name == name })
}

func callTool(name string, args any) agent.Message {
	b, _ := json.Marshal(args)
	return agent.Message{ToolCalls: []agent.ToolCall{{ID: "call_" + name, Name: name, Arguments: b}}}
}

func text(locale, key string, args ...any) agent.Message {
	return agent.Message{Content: render(locale, key, args...)}
}

// orderReply describes an order from get_order's result, or explains why
// there is none.
func orderReply(locale string, r agent.ToolResult) agent.Message {
	if !r.OK {
		if r.Error != nil && r.Error.Code == string(tools.CodeNotFound) {
			return text(locale, "order_not_found")
		}
		return text(locale, "tool_failed")
	}
	var o tools.Order
	if err := json.Unmarshal(r.Data, &o); err != nil {
		return text(locale, "tool_failed")
	}
	day := func(t interface{ Format(string) string }) string { return t.Format("2006-01-02") }
	switch o.Status {
	case "pending":
		return text(locale, "order_pending", o.ID, o.ShopName, day(o.PlacedAt))
	case "paid":
		return text(locale, "order_paid", o.ID, o.ShopName, day(*o.PaidAt))
	case "shipped":
		return text(locale, "order_shipped", o.ID, o.ShopName, day(*o.ShippedAt), o.Carrier, o.TrackingNumber)
	case "delivered":
		return text(locale, "order_delivered", o.ID, o.ShopName, day(*o.DeliveredAt))
	case "cancelled":
		msg := text(locale, "order_cancelled", o.ID, day(*o.CancelledAt))
		if o.Refunded.Minor > 0 {
			msg.Content += " " + render(locale, "order_refunded", o.Refunded.String())
		}
		return msg
	}
	return text(locale, "tool_failed")
}

func render(locale, key string, args ...any) string {
	set, ok := templates[locale]
	if !ok {
		set = templates["en"]
	}
	t, ok := set[key]
	if !ok {
		t = templates["en"][key]
	}
	return fmt.Sprintf(t, args...)
}
