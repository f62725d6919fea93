package local

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// Every reply below states only what the tool result in front of it says:
// ids, amounts, dates and states are copied, never computed or promised.

func day(t time.Time) string { return t.Format("2006-01-02") }

func (d *dialogue) orderReply(data json.RawMessage) agent.Message {
	var o tools.Order
	if json.Unmarshal(data, &o) != nil {
		return d.say("tool_failed")
	}
	switch {
	case o.Status == "pending":
		return d.say("order_pending", o.ID, o.ShopName, day(o.PlacedAt))
	case o.Status == "paid" && o.PaidAt != nil:
		return d.say("order_paid", o.ID, o.ShopName, day(*o.PaidAt))
	case o.Status == "shipped" && o.ShippedAt != nil:
		return d.say("order_shipped", o.ID, o.ShopName, day(*o.ShippedAt), o.Carrier, o.TrackingNumber)
	case o.Status == "delivered" && o.DeliveredAt != nil:
		return d.say("order_delivered", o.ID, o.ShopName, day(*o.DeliveredAt))
	case o.Status == "cancelled" && o.CancelledAt != nil:
		msg := d.say("order_cancelled", o.ID, day(*o.CancelledAt))
		if o.Refunded.Minor > 0 {
			msg.Content += " " + render(d.locale, "order_refunded", o.Refunded.String())
		}
		return msg
	}
	return d.say("tool_failed")
}

func (d *dialogue) shipmentReply(data json.RawMessage) agent.Message {
	var s tools.Shipment
	if json.Unmarshal(data, &s) != nil {
		return d.say("tool_failed")
	}
	if s.DeliveredAt != nil {
		return d.say("shipment_delivered", s.OrderID, s.Carrier, s.TrackingNumber, day(*s.DeliveredAt))
	}
	msg := d.say("shipment_in_transit", s.OrderID, day(s.ShippedAt), s.Carrier, s.TrackingNumber)
	if s.Status == "delayed" && s.NotReceivedUntil != nil {
		msg.Content += " " + render(d.locale, "shipment_delayed", day(*s.NotReceivedUntil))
	}
	return msg
}

func (d *dialogue) refundReply(data json.RawMessage) agent.Message {
	var r tools.Refund
	if json.Unmarshal(data, &r) != nil || r.ID == "" {
		return d.say("tool_failed")
	}
	return d.say("refund_done", r.ID, r.Amount.String(), r.OrderID, localStatus(d.locale, r.Status))
}

func (d *dialogue) refundStatusReply(data json.RawMessage) agent.Message {
	var list tools.RefundList
	if json.Unmarshal(data, &list) == nil && list.OrderID != "" {
		if len(list.Refunds) == 0 {
			return d.say("no_refunds", list.OrderID)
		}
		var b strings.Builder
		for _, r := range list.Refunds {
			b.WriteString("\n- " + render(d.locale, "refund_line", r.ID, r.Amount.String(), localStatus(d.locale, r.Status), day(r.CreatedAt)))
		}
		return d.say("refund_status", list.OrderID, b.String())
	}
	var r tools.Refund
	if json.Unmarshal(data, &r) != nil || r.ID == "" {
		return d.say("tool_failed")
	}
	return d.say("refund_status", r.OrderID, "\n- "+render(d.locale, "refund_line", r.ID, r.Amount.String(), localStatus(d.locale, r.Status), day(r.CreatedAt)))
}

func (d *dialogue) disputeReply(data json.RawMessage, opened bool) agent.Message {
	var list tools.DisputeList
	if json.Unmarshal(data, &list) == nil && list.OrderID != "" && list.Disputes != nil {
		if len(list.Disputes) == 0 {
			return d.say("no_disputes", list.OrderID)
		}
		data, _ = json.Marshal(list.Disputes[0])
	}
	var x tools.Dispute
	if json.Unmarshal(data, &x) != nil || x.ID == "" {
		return d.say("tool_failed")
	}
	if opened {
		return d.say("dispute_opened", x.ID, x.OrderID, day(x.SellerRespondBy), day(x.DecideBy))
	}
	return d.say("dispute_status", x.ID, x.OrderID, localStatus(d.locale, x.Status), day(x.DecideBy))
}

func (d *dialogue) cancelReply(data json.RawMessage) agent.Message {
	var c tools.Cancellation
	if json.Unmarshal(data, &c) != nil || c.OrderID == "" {
		return d.say("tool_failed")
	}
	msg := d.say("cancel_done", c.OrderID)
	if c.Refund != nil {
		msg.Content += " " + render(d.locale, "cancel_refunded", c.Refund.Amount.String())
	}
	return msg
}

// summarize is the buyer-facing description of a pending action, from the
// tool's structured preview, in the buyer's language.
func summarize(locale, tool string, details json.RawMessage) string {
	var p tools.ActionPreview
	if json.Unmarshal(details, &p) != nil || p.OrderID == "" {
		return render(locale, "sum_generic", tool)
	}
	var s string
	switch p.Action {
	case "refund":
		amount := ""
		if p.Amount != nil {
			amount = p.Amount.String()
		}
		s = render(locale, "sum_refund", amount, p.OrderID)
	case "cancel":
		s = render(locale, "sum_cancel", p.OrderID)
		if p.Amount != nil && p.Amount.Minor > 0 {
			s += render(locale, "sum_cancel_refund", p.Amount.String())
		}
	case "dispute":
		s = render(locale, "sum_dispute", p.OrderID, localReason(locale, p.Reason))
	default:
		return render(locale, "sum_generic", tool)
	}
	if len(p.Items) > 0 {
		names := make([]string, len(p.Items))
		for i, it := range p.Items {
			names[i] = fmt.Sprintf("%s ×%d", it.Name, it.Quantity)
		}
		s += " (" + strings.Join(names, ", ") + ")"
	}
	return s
}

// Summaries describes pending actions in the buyer's language; the agent
// shows them in confirmation requests whichever brain proposed the action.
type Summaries struct{}

// Summary describes a pending action of tool in locale from its preview.
func (Summaries) Summary(locale, tool string, details json.RawMessage) string {
	return summarize(locale, tool, details)
}

// pickOrder returns the one order whose items the text describes ("the
// kettle order"), among the buyer's own orders as list_orders returned
// them; none or a tie is no pick.
func pickOrder(text string, orders []tools.OrderRow) (string, bool) {
	best, bestScore, tie := "", 0, false
	for _, o := range orders {
		score := nlu.ItemScore(text, o.Items)
		switch {
		case score > bestScore:
			best, bestScore, tie = o.ID, score, false
		case score == bestScore && score > 0:
			tie = true
		}
	}
	return best, bestScore > 0 && !tie
}

// policyHit is the part of a search_policy hit the local model reads.
type policyHit struct {
	DocID       string  `json:"doc_id"`
	Title       string  `json:"title"`
	HeadingPath string  `json:"heading_path"`
	Text        string  `json:"text"`
	Citation    string  `json:"citation"`
	Score       float64 `json:"score"`
}

// policyReply answers with sentences taken word for word from the best
// passage, the ones sharing most with the question, and cites it.
func (d *dialogue) policyReply(data json.RawMessage) agent.Message {
	var res struct {
		Hits []policyHit `json:"hits"`
	}
	if json.Unmarshal(data, &res) != nil || len(res.Hits) == 0 {
		return d.say("policy_none")
	}
	h := res.Hits[0]
	answer := extract(d.text, h.Text, 2)
	if answer == "" {
		return d.say("policy_none")
	}
	cite := h.Citation
	if cite == "" {
		heading := h.HeadingPath
		if i := strings.LastIndex(heading, ">"); i >= 0 {
			heading = strings.TrimSpace(heading[i+1:])
		}
		cite = fmt.Sprintf("[%s §%s]", h.DocID, heading)
	}
	return d.say("policy_answer", answer, cite)
}

// extract returns up to n sentences of passage, in their order, that share
// the most character bigrams with question (bigrams, so Korean works
// without a word splitter).
func extract(question, passage string, n int) string {
	sentences := splitSentences(passage)
	if len(sentences) == 0 {
		return ""
	}
	q := bigrams(question)
	type scored struct {
		i     int
		score float64
	}
	var ranked []scored
	for i, s := range sentences {
		b := bigrams(s)
		common := 0
		for g := range b {
			if q[g] {
				common++
			}
		}
		ranked = append(ranked, scored{i, float64(common) / float64(len(b)+8)})
	}
	// Pick the n best, then restore reading order.
	for i := 0; i < len(ranked); i++ {
		for j := i + 1; j < len(ranked); j++ {
			if ranked[j].score > ranked[i].score {
				ranked[i], ranked[j] = ranked[j], ranked[i]
			}
		}
	}
	if len(ranked) > n {
		ranked = ranked[:n]
	}
	keep := map[int]bool{}
	for _, r := range ranked {
		keep[r.i] = true
	}
	var out []string
	for i, s := range sentences {
		if keep[i] {
			out = append(out, s)
		}
	}
	return strings.Join(out, " ")
}

func bigrams(s string) map[string]bool {
	var rs []rune
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			rs = append(rs, r)
		} else if len(rs) > 0 && rs[len(rs)-1] != ' ' {
			rs = append(rs, ' ')
		}
	}
	out := map[string]bool{}
	for i := 0; i+1 < len(rs); i++ {
		if rs[i] != ' ' && rs[i+1] != ' ' {
			out[string(rs[i:i+2])] = true
		}
	}
	return out
}

// splitSentences cuts a passage into sentences, dropping Markdown headings
// and list markers so the reply reads as prose.
func splitSentences(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") {
			continue // a heading: the citation names it
		}
		line = strings.TrimLeft(line, "-*> ")
		if line == "" || strings.HasPrefix(line, "|") {
			continue
		}
		line = strings.ReplaceAll(line, "**", "")
		start := 0
		rs := []rune(line)
		for i, r := range rs {
			end := r == '.' || r == '!' || r == '?' || r == '。'
			if end && (i+1 == len(rs) || rs[i+1] == ' ') {
				if s := strings.TrimSpace(string(rs[start : i+1])); len([]rune(s)) > 3 {
					out = append(out, s)
				}
				start = i + 1
			}
		}
		if s := strings.TrimSpace(string(rs[start:])); len([]rune(s)) > 3 {
			out = append(out, s)
		}
	}
	return out
}
