package local

import (
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// toldOnly reports whether the buyer's message, read as a refund request
// of its own (not the completion of an earlier one), names neither a
// problem with the goods nor money back or a return in any of the four
// languages, and comes after no problem told and no card: "received the
// tea set and two scarves three days ago" tells what happened. A refund is then only asked about, never proposed; the
// buyer's next words say what they want.
func (d *dialogue) toldOnly(cur nlu.Result) bool {
	if d.intent != nlu.RefundRequest || d.carried || cur.Intent != nlu.RefundRequest || d.slots.Reason != "" || cur.Slots.Amount != nil ||
		len(d.reasons) > 0 || len(d.cards) > 0 {
		return false
	}
	return !containsAny(" "+nlu.Fold(strings.ToLower(nlu.Cyrillic(d.text))), moneyBackCues)
}

// moneyBackCues ask for money back or a return, folded, at a word's start
// where a space leads them.
var moneyBackCues = []string{
	" refund", " return", " money", " reimburs", " repay", " send back", " send it back", " give back", " pay back", " back my",
	" reembols", " devol", " devuelv", " dinero", " plata", " retorn", " regres",
	" возврат", " вернут", " вернит", " верни", " вернуть", " деньг", " сдать", " сдам", " компенс",
	"환불", "반품", "돈", "반납", "교환", "돌려", "환급", "값만",
}
