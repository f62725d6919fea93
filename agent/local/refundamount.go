package local

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// "How much am I getting back?" asked while a refund or cancellation card
// waits for the buyer, or right after they confirmed one, is about that
// card: the answer is its items and amount, copied from the tool's preview
// or result, not a policy passage and not the card sent again. The
// transcript holds no call for a card still waiting (the agent keeps it
// apart until the buyer decides), so the model reads those from the
// request's pending actions.

// card is an action the buyer was shown, waiting or just done, as the
// amount follow-up answers from it.
type card struct {
	tool    string
	preview tools.ActionPreview
	// done is the executed refund or cancellation, nil while waiting.
	refund *tools.Refund
	cancel *tools.Cancellation
}

// order is the order the card is about.
func (c card) order() string {
	switch {
	case c.refund != nil:
		return c.refund.OrderID
	case c.cancel != nil:
		return c.cancel.OrderID
	}
	return c.preview.OrderID
}

// names are the item names the card lists.
func (c card) names() []string {
	items := c.preview.Items
	if c.refund != nil {
		items = c.refund.Items
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Name
	}
	return out
}

// readCards notes the cards the amount follow-up answers from: the
// actions waiting for the buyer (pending), and the refunds and
// cancellations executed since the buyer's message before this one (at
// index last of msgs).
func (d *dialogue) readCards(pending []agent.PendingAction, msgs []agent.Message, last int) {
	d.cards = nil
	for _, p := range pending {
		var pv tools.ActionPreview
		if json.Unmarshal(p.Details, &pv) != nil || pv.OrderID == "" {
			continue
		}
		if pv.Action != "refund" && pv.Action != "cancel" {
			continue
		}
		d.cards = append(d.cards, card{tool: p.Tool, preview: pv})
	}
	if len(d.cards) > 0 || last < 1 {
		return
	}
	prev := -1
	for i := last - 1; i >= 0; i-- {
		if msgs[i].Role == agent.RoleUser {
			prev = i
			break
		}
	}
	if prev < 0 {
		return
	}
	for _, m := range msgs[prev+1 : last] {
		if m.Role != agent.RoleTool || (m.Name != "request_refund" && m.Name != "cancel_order") {
			continue
		}
		// This turn's result comes whole; an earlier turn's is its data
		// alone, as the audit log keeps it (a failed call kept no
		// refund or cancellation).
		var r agent.ToolResult
		if json.Unmarshal([]byte(m.Content), &r) != nil || r.PendingConfirmation || r.Error != nil {
			continue
		}
		if r.Data == nil {
			r.Data = json.RawMessage(m.Content)
		}
		c := card{tool: m.Name}
		switch m.Name {
		case "request_refund":
			var rf tools.Refund
			if json.Unmarshal(r.Data, &rf) != nil || rf.ID == "" {
				continue
			}
			c.refund = &rf
		case "cancel_order":
			var cn tools.Cancellation
			if json.Unmarshal(r.Data, &cn) != nil || cn.OrderID == "" {
				continue
			}
			c.cancel = &cn
		}
		d.cards = append(d.cards, c)
	}
}

// amountFollowUp answers a question about how much the buyer gets back
// with the card it is about. ok is false when the message is no such
// question, or no card is waiting or just done, or the message names an
// order or goods no card is about (a new request, served as such).
//
// About the one refund card waiting, the card is shown again (the same call,
// which the agent's store keeps as the one action waiting), and
// amountAgain words the reply: the buyer reads the sum where they
// confirm, not in a bare sentence that leaves them looking for the card.
func (d *dialogue) amountFollowUp() (agent.Message, bool) {
	if len(d.results) > 0 {
		return agent.Message{}, false
	}
	about := d.amountCards()
	if len(about) == 0 {
		return agent.Message{}, false
	}
	if w, ok := d.waitingCard(); ok && len(about) == 1 && about[0].refund == nil && about[0].cancel == nil && w.tool == "request_refund" {
		// A cancellation's money is answered with when it comes too
		// (pendingCancelAnswer): refunded automatically on cancelling.
		if a := d.action; a != nil && a.decision == "" && len(a.args) > 0 && a.tool == w.tool && a.order == w.order() {
			return call(a.tool, a.args), true
		}
	}
	return d.amountReply(about)
}

// amountAgain is the reply to a question how much the buyer gets back
// once the card it is about was shown again (amountFollowUp): what the
// card gives back, said as a bare answer would say it. Shown again with
// its own words the card would read as the model repeating itself.
func (d *dialogue) amountAgain() (agent.Message, bool) {
	if len(d.results) != 1 || !d.results[0].result.PendingConfirmation || !consequentialTools[d.results[0].name] {
		return agent.Message{}, false
	}
	var about []card
	for _, c := range d.amountCards() {
		if c.refund == nil && c.cancel == nil && c.tool == d.results[0].name && c.order() == orderIDIn(d.results[0].args) {
			about = append(about, c)
		}
	}
	return d.amountReply(about)
}

// amountCards are the cards a question how much the buyer gets back is
// about: every card waiting or just done, or those of the order or goods
// it names; none when the message asks no such thing.
func (d *dialogue) amountCards() []card {
	if len(d.cards) == 0 || !asksAmountBack(d.text) {
		return nil
	}
	var about []card
	for _, c := range d.cards {
		if id := d.slots.OrderID; id != "" && id != c.order() {
			continue
		}
		if terms := nlu.ItemTerms(d.text); len(terms) > 0 && !namesAny(d.text, c.names()) {
			continue
		}
		about = append(about, c)
	}
	return about
}

// amountReply says what the cards in about give back, each once.
func (d *dialogue) amountReply(about []card) (agent.Message, bool) {
	var parts []string
	for _, c := range about {
		if s := d.cardAmount(c); s != "" && !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return agent.Message{}, false
	}
	d.said = "amount_card"
	return agent.Message{Content: strings.Join(parts, "\n")}, true
}

// namesAny reports whether text refers to any of the item names.
func namesAny(text string, names []string) bool {
	for _, n := range names {
		if nlu.ItemScore(text, n) > 0 {
			return true
		}
	}
	return false
}

// cardAmount says what card c gives back, item by item, in the buyer's
// language; "" when it moves no money the buyer can be told of.
func (d *dialogue) cardAmount(c card) string {
	switch {
	case c.refund != nil:
		r := c.refund
		s := render(d.locale, "amount_refund_done", r.ID, r.OrderID, money(d.locale, r.Amount), itemsWithAmounts(d.locale, r.Items), localStatus(d.locale, r.Status))
		if r.ExpectedBy != nil {
			s += " " + render(d.locale, "amount_expected_by", d.day(*r.ExpectedBy))
		}
		return s
	case c.cancel != nil:
		if c.cancel.Refund == nil || c.cancel.Refund.Amount.Minor <= 0 {
			return render(d.locale, "amount_cancel_nothing", c.cancel.OrderID)
		}
		return render(d.locale, "amount_cancel_done", c.cancel.OrderID, money(d.locale, c.cancel.Refund.Amount))
	}
	p := c.preview
	if p.Amount == nil {
		if p.Action == "cancel" {
			return render(d.locale, "amount_cancel_nothing", p.OrderID)
		}
		return ""
	}
	items := itemsWithAmounts(d.locale, p.Items)
	if p.Action == "cancel" {
		return render(d.locale, "amount_cancel_pending", p.OrderID, money(d.locale, *p.Amount), items)
	}
	return render(d.locale, "amount_refund_pending", money(d.locale, *p.Amount), p.OrderID, items)
}

// itemsWithAmounts lists items as a card does: each with its quantity and,
// where it has one, its amount.
func itemsWithAmounts(locale string, items []tools.ActionItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it.Name + " ×" + strconv.Itoa(it.Quantity)
		if it.Amount != nil {
			parts[i] += ": " + money(locale, *it.Amount)
		}
	}
	return strings.Join(parts, ", ")
}

// amountCues ask for an amount, folded; backCues say the amount is money
// coming back to the buyer. Both are needed ("how much is shipping?" asks
// for no refund), except in a message of a few words that only asks how
// much ("how much?", "얼마예요?", "¿cuánto?", "сколько?").
var (
	amountCues = []string{
		"how much", "amount", "what would i get", "what will i get", "what do i get", "what i would get", "what i'd get", "what i get back", "what's the refund", "what is the refund", "what would the refund", "what will the refund", "the sum", "what sum", "which sum", "the total", "what total",
		"얼마", "금액",
		"cuanto", "importe", "monto", "cantidad", "que suma", "la suma", "el total",
		"сколько", "скок", "сумм", "какая сумма", "какую сумму",
	}
	amountBackCues = []string{
		"back", "refund", "return", "receive", "get ", "getting", "credit", "reimburs", "card",
		"환불", "들어", "돌려", "받", "입금", "나와", "나오",
		"devuelv", "devolv", "reembols", "recib", "vuelve", "regres", "abon", "reintegr", "tarjeta",
		"верн", "возвра", "получ", "прид", "придё", "зачисл", "карт",
		// The buyer's bank statement, which they check the amount
		// against: "tell me the exact amount, I'll check my statement".
		"statement", "bank", "extracto", "banco", "выписк", "банк", "카드", "명세", "통장",
	}
)

// asksAmountBack reports whether text asks how much money the buyer gets
// back.
func asksAmountBack(text string) bool {
	t := " " + nlu.Fold(strings.ToLower(nlu.Cyrillic(text))) + " "
	if !containsAny(t, amountCues) {
		return false
	}
	if containsAny(t, amountBackCues) {
		return true
	}
	return len(strings.Fields(text)) <= 3
}
