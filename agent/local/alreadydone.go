package local

import (
	"fmt"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools/l10n"
)

// Buyers often confirm twice: they answer the card ("da, tolko odnu") and
// then, once it is done, say yes again ("ok da"). With nothing waiting
// that second yes is no decision, and "anything else?" leaves them
// wondering whether the refund went through. When the refund or the
// cancellation ran since their message before, the yes is answered with
// what was done: its id, its amount and its order.

// yesAfterDone answers a yes typed after a refund or cancellation was
// carried out, with nothing waiting: what was done.
func (d *dialogue) yesAfterDone() (agent.Message, bool) {
	if _, waits := d.waitingCard(); waits {
		return agent.Message{}, false
	}
	for i := len(d.cards) - 1; i >= 0; i-- {
		c := d.cards[i]
		var out string
		switch {
		case c.refund != nil && c.refund.ID != "":
			out = fmt.Sprintf(doneLine("refund", d.locale), c.refund.ID, money(d.locale, c.refund.Amount), c.refund.OrderID)
		case c.cancel != nil && c.cancel.Refund != nil:
			out = fmt.Sprintf(doneLine("cancel_refund", d.locale), c.cancel.OrderID, money(d.locale, c.cancel.Refund.Amount))
		case c.cancel != nil:
			out = fmt.Sprintf(doneLine("cancel", d.locale), c.cancel.OrderID)
		default:
			continue
		}
		if d.locale == "ko" {
			out = l10n.Particles(out)
		}
		return agent.Message{Content: out}, true
	}
	return agent.Message{}, false
}

// doneLine is this file's line key in locale, else in English.
func doneLine(key, locale string) string {
	if t, ok := doneLines[key][locale]; ok {
		return t
	}
	return doneLines[key]["en"]
}

// doneLines are this file's replies, by key and language.
var doneLines = map[string]map[string]string{
	"refund": {
		"en": "That's already done: refund %s of %s for order %s is approved and goes back to your original payment method. Is there anything else I can help with?",
		"ko": "이미 처리되었습니다. 환불 %s (%s, 주문 %s)이(가) 승인되어 원래 결제 수단으로 환불됩니다. 더 도와드릴 일이 있을까요?",
		"es": "Ya está hecho: el reembolso %s de %s del pedido %s está aprobado y vuelve a su método de pago original. ¿Puedo ayudarle en algo más?",
		"ru": "Уже готово: возврат %s на сумму %s по заказу %s одобрен, деньги вернутся на исходный способ оплаты. Могу ли я помочь чем-то ещё?",
	},
	"cancel_refund": {
		"en": "That's already done: order %s is cancelled, and the %s you paid goes back to your original payment method. Is there anything else I can help with?",
		"ko": "이미 처리되었습니다. 주문 %s이(가) 취소되었고, 결제하신 %s은(는) 원래 결제 수단으로 환불됩니다. 더 도와드릴 일이 있을까요?",
		"es": "Ya está hecho: el pedido %s está cancelado, y los %s que pagó vuelven a su método de pago original. ¿Puedo ayudarle en algo más?",
		"ru": "Уже готово: заказ %s отменён, оплаченные %s вернутся на исходный способ оплаты. Могу ли я помочь чем-то ещё?",
	},
	"cancel": {
		"en": "That's already done: order %s is cancelled. Is there anything else I can help with?",
		"ko": "이미 처리되었습니다. 주문 %s이(가) 취소되었습니다. 더 도와드릴 일이 있을까요?",
		"es": "Ya está hecho: el pedido %s está cancelado. ¿Puedo ayudarle en algo más?",
		"ru": "Уже готово: заказ %s отменён. Могу ли я помочь чем-то ещё?",
	},
}
