package local

import (
	"strings"

	"github.com/csagent/csagent/tools"
)

// A shipped order whose cancellation was refused gets the next step, a
// return once it is delivered (cancelnext.go). When nothing it holds can
// be refunded (an engraved board, honey, a download), that next step is
// not there: "а вернуть потом?" was answered with the 30-day window, a
// return the refund rules then refuse. The goods decide: the lead says
// what the order holds cannot be returned for a refund, and the policy is
// asked which goods are excluded, whose passage also gives the dispute
// for goods that arrive damaged or wrong.

// shippedExcludedQuestions ask the policies which goods cannot be refunded.
var shippedExcludedQuestions = map[string]string{
	"en": "Which items cannot be refunded?",
	"ko": "환불이 불가능한 상품은 무엇인가요?",
	"es": "¿Qué artículos no se pueden reembolsar?",
	"ru": "Какие товары не подлежат возврату средств?",
}

// shippedExcludedLead is what stands in the way of both a cancellation and
// a return, before the policy's answer.
var shippedExcludedLead = map[string]string{
	"en": "Order %s shipped on %s and is on its way, so it can no longer be cancelled, and what it holds (%s) cannot be returned for a refund after delivery either:",
	"ko": "주문 %s은(는) %s에 발송되어 배송 중이므로 더 이상 취소할 수 없고, 주문 상품(%s)은 배송 후에도 반품 환불이 되지 않습니다.",
	"es": "El pedido %s se envió el %s y está en camino, así que ya no se puede cancelar, y lo que contiene (%s) tampoco se puede devolver para un reembolso tras la entrega:",
	"ru": "Заказ %s отправлен %s и уже в пути, поэтому отменить его нельзя, а вернуть деньги за то, что в нём (%s), не получится и после доставки:",
}

// shippedExcludedAgain is shippedExcludedLead when the buyer asks again
// ("а вернуть потом?" after "почему"): said differently, not twice alike.
var shippedExcludedAgain = map[string]string{
	"en": "As I said, order %s is already on its way (shipped on %s). What it holds (%s) is not refundable, also once delivered; the rule:",
	"ko": "말씀드린 대로 주문 %s은(는) 이미 배송 중입니다(%s 발송). 주문 상품(%s)은 배송된 후에도 환불 대상이 아닙니다. 규정은 다음과 같습니다.",
	"es": "Como le decía, el pedido %s ya está en camino (se envió el %s). Lo que contiene (%s) no es reembolsable, tampoco una vez entregado; la regla:",
	"ru": "Как я уже писал, заказ %s уже в пути (отправлен %s). За то, что в нём (%s), деньги не возвращаются и после доставки; правило такое:",
}

// nothingRefundable reports whether none of order o's goods can be
// refunded: every line is of goods the refund rules exclude.
func nothingRefundable(o tools.Order) bool {
	return len(o.Items) > 0 && returnAmount(o).Minor == 0 && !strings.Contains(o.Status, "cancel")
}

// shippedNextQuestion is the question the policies are asked for the next
// step of shipped order o in locale: which goods are excluded when o holds
// only such goods, else the window and who pays the return.
func shippedNextQuestion(locale string, o tools.Order) string {
	table := shippedNextQuestions
	if nothingRefundable(o) {
		table = shippedExcludedQuestions
	}
	if q, ok := table[locale]; ok {
		return q
	}
	return table["en"]
}

// goodsNames lists the names of order o's lines.
func goodsNames(o tools.Order) string {
	names := make([]string, len(o.Items))
	for i, it := range o.Items {
		names[i] = it.Name
	}
	return strings.Join(names, ", ")
}
