package local

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools/l10n"
)

// A request the buyer took back stays taken back. The conversation says
// what was proposed and what became of it (the agent shows each proposal
// again with its stored fate, agent/decided.go), and whether the buyer
// withdrew a request before anything was proposed; a buyer who then checks
// ("so it's still coming, nothing got cancelled?") is told that nothing
// was done and the order stays as it was, and the dropped action is never
// proposed again on the strength of such a check.

// pastAction is the newest consequential request of the conversation and
// what became of it: decision is "" while it waits, else declined,
// expired, executed or failed (agent.ToolResult's Decision), or withdrawn
// when the buyer took the request back before anything was proposed.
type pastAction struct {
	tool, order, decision string
	// args are the call's arguments, which a card shown again is
	// proposed with (cardagain.go).
	args json.RawMessage
}

// dropped reports whether the action was called off and nothing was done.
func (p *pastAction) dropped() bool {
	return p != nil && (p.decision == "declined" || p.decision == "expired" || p.decision == "withdrawn")
}

// consequentialTools are the tools whose calls wait for the buyer's yes.
var consequentialTools = map[string]bool{"request_refund": true, "cancel_order": true, "open_dispute": true}

// noteAction records a consequential call made before this message, from
// its result's JSON content: a proposal shown again with its fate, or a
// call that ran.
func (d *dialogue) noteAction(name string, args json.RawMessage, content string) {
	if !consequentialTools[name] {
		return
	}
	var r agent.ToolResult
	if json.Unmarshal([]byte(content), &r) != nil {
		return
	}
	decision := r.Decision
	if decision == "" && !r.PendingConfirmation {
		decision = "executed"
		if r.Error != nil {
			decision = "failed"
		}
	}
	d.action = &pastAction{tool: name, order: orderIDIn(args), decision: decision, args: args}
}

// noteWithdrawal records a buyer's message before this one that took back
// the consequential request the conversation was on (r is its reading),
// when no proposal waited for it: the agent calls a waiting one off
// itself, and the proposal then shows as declined.
func (d *dialogue) noteWithdrawal(r nlu.Result, text string) {
	if d.withdraws(r, text) && !d.action.dropped() {
		tool := needsOrder[d.served]
		if d.action != nil && d.action.decision == "" {
			tool = d.action.tool
		}
		d.action = &pastAction{tool: tool, order: d.lastDiscussed(), decision: "withdrawn"}
	}
}

// withdraws reports whether a buyer's message (r its reading) takes back
// the consequential request the conversation is on: a withdrawal that
// names no order or amount of its own ("no wait, cancel ORD-10043
// instead" is a request).
func (d *dialogue) withdraws(r nlu.Result, text string) bool {
	if r.Slots.OrderID != "" || r.Slots.Amount != nil || !withdrawsText(text) {
		return false
	}
	if !nlu.Consequential(d.served) {
		// The request was never read ("zvonil prodavcu… vozvrat"), yet
		// the buyer calls off a refund, a return or a cancellation by
		// name ("стоп, отмени возврат"): that nothing was started is
		// what they need to hear, not a handoff or "I didn't understand".
		// Only an earlier message can have asked what is called off,
		// about an order the conversation named.
		t := cueText(text)
		// A question ("could I still call it off and get the money
		// back?") asks for what it names, and is not taken for this.
		return d.action == nil && d.lastDiscussed() != "" && r.Act != nlu.ActQuestion && !strings.ContainsAny(text, "?？") &&
			(containsAny(t, goodsCancelCues) || containsAny(t, goodsRefundCues))
	}
	// A withdrawal often reads as a cancellation ("없던 걸로 할게요",
	// "call it off"): only a confident request of another kind that is
	// not a cancellation makes a request of its own.
	return !(nlu.Consequential(r.Intent) && r.Intent != d.served && r.Intent != nlu.CancelOrder && r.Confidence >= nlu.ActionThreshold)
}

// lastDiscussed is the newest order the conversation named so far.
func (d *dialogue) lastDiscussed() string {
	if n := len(d.discussed); n > 0 {
		return d.discussed[n-1]
	}
	return ""
}

// afterDropped answers a message about a request the buyer took back: the
// withdrawal itself, when nothing was proposed for it yet, and a check
// that nothing happened after an action was called off.
func (d *dialogue) afterDropped() (agent.Message, bool) {
	if msg, ok := d.afterDone(); ok {
		return msg, true
	}
	if d.withdraws(d.cur, d.text) && !d.action.dropped() {
		if order := d.dropOrder(); order != "" && d.knowsOrder(order) {
			return d.say("withdrawn_order", order), true
		}
		return d.say("withdrawn"), true
	}
	a := d.action
	// A withdrawal said again after the drop ("yeah leave it as it is,
	// dont cancel") is the same check: what stays as it was, not "Okay".
	again := d.cur.Slots.OrderID == "" && d.cur.Slots.Amount == nil && withdrawsText(d.text)
	if !a.dropped() || !(asksNothingChanged(d.text) || keepsAsIs(d.text) || again) {
		return agent.Message{}, false
	}
	if o := d.slots.OrderID; o != "" && a.order != "" && o != a.order {
		// A check about another order than the one dropped.
		return agent.Message{}, false
	}
	if a.order == "" || droppedKeys[a.tool] == "" {
		// What was taken back is not known for sure (it was never
		// read): nothing was requested in this chat, whatever it was.
		d.said = "nothing_started"
		return agent.Message{Content: droppedLine(d.locale, "nothing_started")}, true
	}
	msg := d.say(droppedKeys[a.tool], a.order)
	if o, ok := d.looked[a.order]; ok && o.Status == "paid" {
		// "…and it will ship as planned?": a paid order is being
		// prepared, which is what the buyer checks, not the word "paid".
		msg.Content += " " + droppedLine(d.locale, "dropped_unshipped")
	} else if ok && o.Status != "" {
		msg.Content += " " + render(d.locale, "dropped_status", localStatus(d.locale, o.Status))
	}
	return msg, true
}

// afterDone answers a buyer who takes back, or checks that nothing came
// of, an action already carried out ("oh no wait, never mind", "nothing got
// cancelled, right?"): it was done, and saying "nothing was requested"
// would mislead them about their order and their money. The reply says
// what was done and what is still possible.
func (d *dialogue) afterDone() (agent.Message, bool) {
	a := d.action
	if a == nil || a.decision != "executed" || a.order == "" || doneKeys[a.tool] == "" {
		return agent.Message{}, false
	}
	if o := d.slots.OrderID; o != "" && o != a.order {
		return agent.Message{}, false
	}
	if !d.withdraws(d.cur, d.text) && !asksNothingChanged(d.text) {
		return agent.Message{}, false
	}
	d.said = doneKeys[a.tool]
	return agent.Message{Content: droppedLine(d.locale, doneKeys[a.tool], a.order)}, true
}

// doneKeys are the replies that say an action of each tool was already
// carried out.
var doneKeys = map[string]string{"request_refund": "already_refunded", "cancel_order": "already_cancelled", "open_dispute": "already_disputed"}

// knowsOrder reports whether a withdrawal's reply may name order: the
// request withdrawn was served (its order is the one it was about), or a
// tool found the order. A request the model never read names an order
// only the buyer typed, which the reply does not vouch for.
func (d *dialogue) knowsOrder(order string) bool {
	_, looked := d.looked[order]
	return nlu.Consequential(d.served) || looked
}

// droppedKeys are the replies that say an action of each tool was
// called off and nothing was done.
var droppedKeys = map[string]string{"request_refund": "dropped_refund", "cancel_order": "dropped_cancel", "open_dispute": "dropped_dispute"}

// dropOrder is the order of the request being withdrawn now.
func (d *dialogue) dropOrder() string {
	if d.action != nil && d.action.decision == "" && d.action.order != "" {
		return d.action.order
	}
	return d.lastOrder
}

// nothingChangedCues are words of a buyer checking that the request they
// took back left things as they were: nothing happened, it still comes,
// nothing was charged or refunded, nothing more to do. Folded (accents
// and ё off); a cue padded with a space matches at a word's edge.
var nothingChangedCues = []string{
	" nothing ", " still coming", " still on ", " still going", " still active", " still be ", " still arriving",
	" not cancel", " wasn t cancel", " wasnt cancel", " isn t cancel", " not been cancel", " not refunded", " not charged",
	" as it was", " same as before", " unchanged", " as is ",
	" nada", " sigue igual", " todo igual", " sigue en pie", " sigue activ", " sigue llegando", " sigue en camino",
	" no se ha cancelado", " no se cancelo", " como estaba", " no hace falta hacer",
	" ничего", " в силе", " как было", " не отмен", " не списа", " остается", " по-прежнему", " по прежнему",
	" все так же", " так же едет", " не надо ничего",
	"아무것도", "그대로", "취소 안", "취소안", "안 된 거", "안된거", "안 한 거", "안한거", "변경 없", "유지되",
	" has not been", " hasn t been", " not been refunded", " will ship as", " ship as planned", " ship as originally",
	" no quedo nada", " no se cancelo", " no se ha reembolsado", " sigue vigente", " se enviara con normalidad",
	" не запустил", " не оформлен", " остается в силе", " будет отправлен",
	"취소 아니", "취소가 아니", "취소되지 않", "취소 안 됐", "취소 안됐", "접수 안", "진행 안",
	" isn t going through", " not going through", " no refund was", " didn t cancel", " didnt cancel", " didn t refund", " didnt refund",
	" wasn t refunded", " no quedo ningun", " ningun reembolso", " ninguna devolucion", " ninguna cancelacion",
}

// notChangedExceptions are "nothing" phrases that say there is nothing
// more to ask, not a check of what happened.
var notChangedExceptions = []string{" nothing else", " nada mas", " ничего больше", " больше ничего", " thats all", " eso es todo"}

// asksNothingChanged reports whether text checks that nothing happened.
func asksNothingChanged(text string) bool {
	t := cueText(text)
	return containsAny(t, nothingChangedCues) && !containsAny(t, notChangedExceptions)
}

// cueText is text lower-cased and folded, with every run of characters
// that are neither letters nor digits made one space, padded with spaces:
// "nothing's changed?" → " nothing s changed ".
func cueText(text string) string {
	words := strings.FieldsFunc(nlu.Fold(strings.ToLower(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	})
	return " " + strings.Join(words, " ") + " "
}

// droppedLines are this file's replies, by key and language.
var droppedLines = map[string]map[string]string{
	"already_cancelled": {
		"en": "I can't undo that: order %s was already cancelled when you confirmed it, and what you paid is on its way back to your original payment method. If you still want the item, you can place a new order, or I can connect you with a member of our support team.",
		"ko": "이미 처리되어 되돌릴 수 없습니다. 주문 %s은(는) 확인하신 시점에 취소되었고, 결제하신 금액은 원래 결제 수단으로 환불되고 있습니다. 상품이 여전히 필요하시면 새로 주문하시거나, 원하시면 상담원을 연결해 드릴 수 있습니다.",
		"es": "No puedo deshacerlo: el pedido %s ya se canceló cuando lo confirmó, y lo que pagó está volviendo a su método de pago original. Si aún quiere el artículo, puede hacer un pedido nuevo, o puedo ponerle en contacto con una persona de nuestro equipo de soporte.",
		"ru": "Отменить это уже нельзя: заказ %s был отменён, когда вы подтвердили отмену, и оплаченная сумма уже возвращается на исходный способ оплаты. Если товар всё ещё нужен, можно оформить новый заказ, или я могу соединить вас с сотрудником службы поддержки.",
	},
	"already_refunded": {
		"en": "I can't undo that: the refund for order %s was already approved when you confirmed it, and the money is on its way back to your original payment method. If you'd rather keep the item and not be refunded, a member of our support team can look into it; I can connect you.",
		"ko": "이미 처리되어 되돌릴 수 없습니다. 주문 %s의 환불은 확인하신 시점에 승인되었고, 금액은 원래 결제 수단으로 돌아가고 있습니다. 환불 없이 상품을 그대로 가지시려면 상담원이 확인해 드릴 수 있으니, 원하시면 연결해 드리겠습니다.",
		"es": "No puedo deshacerlo: el reembolso del pedido %s ya se aprobó cuando lo confirmó, y el dinero está volviendo a su método de pago original. Si prefiere quedarse el artículo sin el reembolso, una persona de nuestro equipo de soporte puede revisarlo; puedo ponerle en contacto.",
		"ru": "Отменить это уже нельзя: возврат денег по заказу %s был одобрен, когда вы его подтвердили, и деньги уже возвращаются на исходный способ оплаты. Если вы хотите оставить товар без возврата, это может проверить сотрудник службы поддержки — могу вас соединить.",
	},
	"already_disputed": {
		"en": "The dispute for order %s was already opened when you confirmed it. If you'd like to withdraw it, a member of our support team can help; I can connect you.",
		"ko": "주문 %s의 분쟁은 확인하신 시점에 이미 접수되었습니다. 철회를 원하시면 상담원이 도와드릴 수 있으니, 원하시면 연결해 드리겠습니다.",
		"es": "La disputa del pedido %s ya se abrió cuando la confirmó. Si quiere retirarla, una persona de nuestro equipo de soporte puede ayudarle; puedo ponerle en contacto.",
		"ru": "Спор по заказу %s уже открыт: вы его подтвердили. Если хотите его отозвать, поможет сотрудник службы поддержки — могу вас соединить.",
	},
	"nothing_started": {
		"en": "That's right: nothing was started. No refund, return or cancellation was requested in this chat, so nothing will be collected, refunded or charged, and your order stays as it is.",
		"ko": "네, 아무것도 진행되지 않았습니다. 이 채팅에서 환불, 반품, 취소 중 어느 것도 요청되지 않았으므로 회수, 환불, 결제가 일어나지 않으며 주문은 그대로입니다.",
		"es": "Así es: no se ha iniciado nada. En este chat no se ha solicitado ningún reembolso, devolución ni cancelación, así que no se recogerá, reembolsará ni cobrará nada, y su pedido sigue igual.",
		"ru": "Всё верно: ничего не запущено. В этом чате не оформлялись ни возврат денег, ни возврат товара, ни отмена, поэтому ничего не заберут, не вернут и не спишут, а заказ остаётся как был.",
	},
	"dropped_unshipped": {
		"en": "It hasn't shipped yet: it is being prepared for shipping and will ship as planned.",
		"ko": "아직 발송 전이며 예정대로 배송 준비 중입니다.",
		"es": "Todavía no se ha enviado: se está preparando y se enviará con normalidad.",
		"ru": "Он ещё не отправлен: заказ готовится к отправке в обычном порядке.",
	},
}

func droppedLine(locale, key string, args ...any) string {
	t, ok := droppedLines[key][locale]
	if !ok {
		t = droppedLines[key]["en"]
	}
	if len(args) == 0 {
		return t
	}
	out := fmt.Sprintf(t, args...)
	if locale == "ko" {
		out = l10n.Particles(out)
	}
	return out
}
