package local

import (
	"encoding/json"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// "How many days until the ORD-10178 refund reaches my card?" asks two
// things: how long refunds take (the policy) and where this order's refund
// stands (its amount, its state, since when). The policy alone leaves the
// buyer to guess whether their refund was made at all, and the order's
// refund window, which a policy answer about the buyer's order adds, is
// beside the point for money already refunded. The model looks the
// order's refunds up, then the policy, and answers with both; an order
// with no refund gets the answer it got before.

// refundArrivalCues ask when money comes or how long it takes, folded.
var refundArrivalCues = []string{
	"how long", "how many days", "when will", "when do i", "when does", "take to", "to arrive", "to reach", "show up", "hit my", "get it back",
	"며칠", "언제", "들어와", "입금", "걸려", "걸리", "반영",
	"cuanto tarda", "cuanto tiempo", "cuantos dias", "cuando", "en llegar", "tardara", "tarda",
	"сколько", "когда", "придут", "придет", "придёт", "поступ", "вернутся", "ждать",
	// The refund's money missing, asked where or said not there ("where is
	// my money?? it was refunded 2 weeks ago and NOTHING on my card"): the
	// same question, asked angrily.
	"where is", "where's", "wheres", "nothing on", "not on my", "not in my", "haven't received", "havent received", "haven't got", "havent got",
	"not received", "hasn't arrived", "hasnt arrived", "not arrived", "not showing", "no sign", "still nothing", "never got", "never received",
	"어디", "안 들어", "안들어", "안 왔", "안왔", "못 받", "안 보여", "입금 안", "입금이 안",
	"donde", "no me ha llegado", "no me llega", "no ha llegado", "no aparece", "no veo", "no se refleja", "ni rastro", "nada en",
	"где", "не приш", "не получ", "не вижу", "не видно", "не зачисл", "не отобража", "на карте ноль", "на карте пусто", "на карте ничего", "ноль на карте",
}

// refundMoneyWords name a refund's money, folded.
var refundMoneyWords = []string{"refund", "money back", "환불", "reembols", "dinero", "возврат", "деньги"}

// asksRefundArrival reports whether text asks when a refund's money comes.
func asksRefundArrival(text string) bool {
	t := nlu.Fold(strings.ToLower(text))
	return containsAny(t, refundMoneyWords) && containsAny(t, refundArrivalCues)
}

// refundArrivalOrder returns the order whose refund's arrival this message
// asks about, "" for none.
func (d *dialogue) refundArrivalOrder() string {
	if d.intent != nlu.PolicyQuestion || !asksRefundArrival(d.text) ||
		!d.has("get_refund_status") || !d.has("search_policy") {
		return ""
	}
	if id := d.slots.OrderID; id != "" {
		return normOrder(id)
	}
	if d.refersToEarlierOrder() && d.pendingCancel == nil && len(d.cards) == 0 {
		// A card waiting or just done is what "when does the money
		// come?" is about (refundamount.go, cancelrequest.go).
		return d.lastOrder
	}
	return ""
}

// refundArrivalStep is the next call that answers a refund's arrival: the
// order's refunds, then the policy. ok is false once both are in, or
// when the order has no refund (the answer is then the policy's, as for
// any order, ownDeadlineStep).
func (d *dialogue) refundArrivalStep() (agent.Message, bool) {
	order := d.refundArrivalOrder()
	if order == "" {
		return agent.Message{}, false
	}
	r, looked := d.resultOf("get_refund_status", -1)
	switch {
	case !looked:
		return call("get_refund_status", map[string]string{"order_id": order}), true
	case !r.OK || d.calledThisTurn("get_order"):
		// Refused (not the buyer's order): said as any refusal is; or
		// the order's own answer under way.
		return agent.Message{}, false
	case len(refundsIn(r)) == 0:
		return d.ownDeadlineStep()
	case !d.calledThisTurn("search_policy"):
		return call("search_policy", map[string]any{"query": d.text, "k": policySearchK, "locale": d.locale}), true
	}
	return agent.Message{}, false
}

// refundsIn returns the refunds of a get_refund_status result.
func refundsIn(r agent.ToolResult) []tools.Refund {
	if !r.OK {
		return nil
	}
	var list tools.RefundList
	if json.Unmarshal(r.Data, &list) == nil && list.OrderID != "" {
		return list.Refunds
	}
	var one tools.Refund
	if json.Unmarshal(r.Data, &one) == nil && one.ID != "" {
		return []tools.Refund{one}
	}
	return nil
}

// withRefunds adds to msg, a policy answer, the refunds this turn looked
// up for a refund's arrival: the amount and state the buyer waits for.
func (d *dialogue) withRefunds(msg agent.Message) agent.Message {
	if msg.Content == "" || len(msg.ToolCalls) > 0 || d.refundArrivalOrder() == "" {
		return msg
	}
	r, ok := d.resultOf("get_refund_status", -1)
	refunds := refundsIn(r)
	if !ok || len(refunds) == 0 {
		return msg
	}
	var b strings.Builder
	for _, f := range refunds {
		b.WriteString("\n- " + render(d.locale, "refund_line", f.ID, money(d.locale, f.Amount), localStatus(d.locale, f.Status), d.day(f.CreatedAt)))
	}
	msg.Content = strings.TrimRight(msg.Content, "\n ") + "\n\n" + render(d.locale, "refund_status", refunds[0].OrderID, b.String())
	return msg
}
