package local

import (
	"fmt"

	"github.com/csagent/csagent/tools/l10n"
)

// orderLines are the replies about the order under discussion that the
// files of helper A add (unshipped.go, ownproblem.go, otherorder.go,
// refundtiming.go), by key and language, kept here so templates.go is
// not edited by every branch. Every key has every language with the same
// placeholders (a test checks), and every fact comes from a tool result.
var orderLines = map[string]map[string]string{
	// unshipped.go: a paid order not shipped yet.
	"paid_next": {
		"en": "It holds %s, %s in total. As long as it hasn't shipped, it can still be cancelled if you no longer need it.",
		"ko": "주문 상품은 %s이며 총 %s입니다. 발송 전까지는 필요 없으시면 주문을 취소하실 수 있습니다.",
		"es": "Contiene %s, por un total de %s. Mientras no se haya enviado, todavía se puede cancelar si ya no lo necesita.",
		"ru": "В заказе: %s, на сумму %s. Пока заказ не отправлен, его ещё можно отменить, если он вам больше не нужен.",
	},
	// ownproblem.go: a problem with goods of an order found without its
	// number: the options, with the amount and the days.
	"problem_options": {
		"en": "I'm sorry about the %s. It's order %s, delivered on %s. You can ask for a refund of %s until %s, or open a dispute with the seller until %s. Tell me which you'd like and I'll prepare it for you to confirm; nothing is done before you confirm.",
		"ko": "%s 문제로 불편을 드려 죄송합니다. 주문 %s이며 %s에 배송 완료되었습니다. %s 환불을 %s까지 신청하시거나, %s까지 판매자와의 분쟁을 신청하실 수 있습니다. 원하시는 쪽을 알려 주시면 확인하실 수 있도록 준비해 드리겠습니다. 확인하시기 전에는 아무것도 진행되지 않습니다.",
		"es": "Lamento el problema con %s. Es el pedido %s, entregado el %s. Puede pedir un reembolso de %s hasta el %s, o abrir una disputa con el vendedor hasta el %s. Dígame qué prefiere y se lo preparo para que lo confirme; no se hace nada sin su confirmación.",
		"ru": "Сожалею, что так вышло с товаром «%s». Это заказ %s, доставлен %s. Можно оформить возврат %s до %s или открыть спор с продавцом до %s. Скажите, что вы выберете, и я подготовлю это для вашего подтверждения; без подтверждения ничего не будет сделано.",
	},
	"problem_dispute": {
		"en": "I'm sorry about the %s. It's order %s, delivered on %s. A refund isn't possible for it, but you can open a dispute with the seller until %s: tell me and I'll prepare it for you to confirm.",
		"ko": "%s 문제로 불편을 드려 죄송합니다. 주문 %s이며 %s에 배송 완료되었습니다. 이 주문은 환불이 불가능하지만 %s까지 판매자와의 분쟁을 신청하실 수 있습니다. 말씀해 주시면 확인하실 수 있도록 준비해 드리겠습니다.",
		"es": "Lamento el problema con %s. Es el pedido %s, entregado el %s. No se puede reembolsar, pero puede abrir una disputa con el vendedor hasta el %s: dígamelo y se la preparo para que la confirme.",
		"ru": "Сожалею, что так вышло с товаром «%s». Это заказ %s, доставлен %s. Возврат по нему невозможен, но до %s можно открыть спор с продавцом: скажите, и я подготовлю его для вашего подтверждения.",
	},
	// ownproblem.go: the same, with the dispute prepared as a card, for
	// a problem that names a dispute reason: the card's prompt follows.
	"problem_dispute_lead": {
		"en": "I'm sorry about the %s. It's order %s, delivered on %s. A refund isn't possible for it, but you can open a dispute with the seller until %s.",
		"ko": "%s 문제로 불편을 드려 죄송합니다. 주문 %s이며 %s에 배송 완료되었습니다. 이 주문은 환불이 불가능하지만 %s까지 판매자와의 분쟁을 신청하실 수 있습니다.",
		"es": "Lamento el problema con %s. Es el pedido %s, entregado el %s. No se puede reembolsar, pero puede abrir una disputa con el vendedor hasta el %s.",
		"ru": "Сожалею, что так вышло с товаром «%s». Это заказ %s, доставлен %s. Возврат по нему невозможен, но до %s можно открыть спор с продавцом.",
	},
	"problem_choose": {
		"en": "For order %s, the two options are a refund of %s or a dispute with the seller. Which would you like? I'll prepare it for you to confirm.",
		"ko": "주문 %s에 대해 가능한 방법은 %s 환불 또는 판매자와의 분쟁 신청입니다. 어느 쪽을 원하시나요? 확인하실 수 있도록 준비해 드리겠습니다.",
		"es": "Para el pedido %s, las dos opciones son un reembolso de %s o una disputa con el vendedor. ¿Cuál prefiere? Se lo preparo para que lo confirme.",
		"ru": "По заказу %s есть два варианта: возврат %s или спор с продавцом. Что вы выберете? Я подготовлю это для вашего подтверждения.",
	},
	// otherorder.go: a delivered order the buyer doubts having received.
	// The shipping policy's step (Delivery confirmation): an order the
	// carrier marked delivered gets no not-received dispute (the disputes
	// policy and open_dispute rule it out), so the step is the neighbours
	// or the building's reception, then a person.
	"delivered_doubt": {
		"en": "If you can't find it, please check with your neighbours or your building's reception first; if it isn't there, I can connect you with a member of our support team.",
		"ko": "물건을 찾을 수 없으시면 먼저 이웃이나 건물 관리실에 확인해 주세요. 그래도 없으면 상담원을 연결해 드릴 수 있습니다.",
		"es": "Si no lo encuentra, pregunte primero a sus vecinos o en la recepción de su edificio; si no está allí, puedo ponerle en contacto con una persona de nuestro equipo de soporte.",
		"ru": "Если вы не можете его найти, сначала спросите у соседей или на ресепшене вашего дома; если его там нет, я могу передать вопрос сотруднику поддержки.",
	},
	// refundtiming.go: when an approved refund reaches the card.
	"refund_timing": {
		"en": "An approved refund reaches your original payment method within %d business days, so %s should be there by %s at the latest. If it isn't on your card or bank statement by then, I can connect you with a member of our support team.",
		"ko": "승인된 환불은 영업일 기준 %d일 이내에 원래 결제 수단으로 들어갑니다. 따라서 %s은(는) 늦어도 %s까지 들어옵니다. 그때까지 카드나 은행 내역에 보이지 않으면 상담원을 연결해 드릴 수 있습니다.",
		"es": "Un reembolso aprobado llega a su método de pago original en un plazo de %d días hábiles, así que %s debería estar a más tardar el %s. Si para entonces no aparece en su tarjeta o en el extracto del banco, puedo ponerle en contacto con una persona de nuestro equipo de soporte.",
		"ru": "Одобренный возврат поступает на исходный способ оплаты в течение %d рабочих дней, так что %s должны прийти не позднее %s. Если к этому сроку деньги не появятся на карте или в выписке банка, я могу передать вопрос сотруднику поддержки.",
	},
}

// orderLine renders orderLines[key] in locale (English when the locale has
// none), with the Korean particles chosen for what was filled in.
func orderLine(locale, key string, args ...any) string {
	t, ok := orderLines[key][locale]
	if !ok {
		t = orderLines[key]["en"]
	}
	out := fmt.Sprintf(t, args...)
	if locale == "ko" {
		out = l10n.Particles(out)
	}
	return out
}
