package local

import (
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// A move is often the story behind a request ("we just moved into a tiny
// flat, so cancel ORD-… and refund the lamp", "이사 가서요… 환불해 주세요",
// "con la mudanza… quiero cancelar el pedido"), and its words are also
// those of a change of delivery address (addressCues). A clause of a
// several-request message that asks for a cancellation or a refund in so
// many words asks for that, whatever move it tells of: read as an address
// change, the cancellation was never proposed and the buyer was told the
// address could not be changed.

// cancelStems are the words of a cancellation, folded.
var cancelStems = foldAll([]string{"cancel", "취소", "anul", "отмен"})

// movedButAsks returns the request a clause that tells of a move asks for
// in so many words, cancellation first (its money comes back with it):
// ok is false when it asks for neither, and the move is the address
// change it seems.
func movedButAsks(r nlu.Result, text string) (intent nlu.Intent, ok bool) {
	q := " " + nlu.Fold(strings.ToLower(text)) + " "
	switch {
	case states(q, cancelWants), r.Intent == nlu.CancelOrder && r.Confidence >= nlu.ActionThreshold && containsAny(q, cancelStems):
		// "I need to cancel order …": the classifier's sure reading,
		// with the word said.
		return nlu.CancelOrder, true
	case asksRefund(r, text) || asksItemRefund(r, text) || asksGoodsBack(r, text) || containsAny(q, refundWords) && states(q, foldedWantCues):
		return nlu.RefundRequest, true
	}
	return "", false
}
