package local

import (
	"fmt"

	"github.com/csagent/csagent/tools/l10n"
)

// dlgLines are the replies of the dialogue-state files added in round 10
// (cardagain.go, keptafterdrop.go and their neighbours), by key and
// language; kept apart from templates.go so that table is not edited by
// several branches at once.
var dlgLines = map[string]map[string]string{
	// ask_refund_amount answers a refund asked with money that cannot be
	// an amount to give back (nlu.Slots.AmountUnread): asked, never taken
	// for the whole order.
	"ask_refund_amount": {
		"en": "I couldn't read that amount as one to refund. How much of order %s would you like back? You can also say \"the whole order\".",
		"ko": "말씀하신 금액을 환불 금액으로 이해하지 못했습니다. 주문 %s에서 얼마를 환불받고 싶으신가요? \"전액\"이라고 말씀하셔도 됩니다.",
		"es": "No he podido entender esa cantidad como un importe a reembolsar. ¿Cuánto del pedido %s quiere que le devolvamos? También puede decir \"todo el pedido\".",
		"ru": "Я не смог понять эту сумму как сумму возврата. Какую сумму по заказу %s вы хотите вернуть? Можно также написать «весь заказ».",
	},
	"card_again": {
		"en": "Yes, this is for order %s.",
		"ko": "네, 주문 %s에 대한 요청입니다.",
		"es": "Sí, es para el pedido %s.",
		"ru": "Всё верно: этот запрос относится к заказу %s.",
	},
}

// dlgLine renders key of dlgLines in locale (English when the locale has
// none) with args; Korean particles are chosen after the filling.
func dlgLine(locale, key string, args ...any) string {
	t, ok := dlgLines[key][locale]
	if !ok {
		t = dlgLines[key]["en"]
	}
	out := t
	if len(args) > 0 {
		out = fmt.Sprintf(t, args...)
	}
	if locale == "ko" {
		out = l10n.Particles(out)
	}
	return out
}
