package tools

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/csagent/csagent/tools/l10n"
)

// HandoffBrief is what the person taking a handed-off conversation needs
// first, as facts the agent read from the conversation's state (the
// buyer's messages, the tools' calls and their outcomes) whichever model
// answered: never the model's own wording. The handoff renders it in the
// reader's language: the shop's, for a shop's queue, from that shop's
// orders alone; English for platform support.
type HandoffBrief struct {
	// Orders are the orders the conversation is about, the one the
	// buyer's problem is about first.
	Orders []BriefOrder `json:"orders,omitempty"`
	// Upset is set when the buyer showed anger or said the assistant's
	// answers did not help.
	Upset bool `json:"upset,omitempty"`
	// Repeat is set when the buyer says this is not the first time: they
	// contacted about it before, or it happened to them before. The
	// assistant cannot see earlier conversations; the person should know.
	Repeat bool `json:"repeat,omitempty"`
}

// BriefOrder is one order of a HandoffBrief.
type BriefOrder struct {
	ID string `json:"order_id"`
	// Problems are what is wrong, each one of BriefProblems, in the order
	// the buyer told them: a wrong item and then a refund button that
	// fails are both for the person to solve.
	Problems []string `json:"problems,omitempty"`
	// Wants is what the buyer asks for, one of BriefWants, or "".
	Wants string `json:"wants,omitempty"`
	// Tried is what the assistant did or offered on the order, oldest
	// first.
	Tried []BriefAttempt `json:"tried,omitempty"`
	// Words are the buyer's own messages stating the problems, oldest
	// first, at most two.
	Words []string `json:"words,omitempty"`
	// Facts are the order's state as the store holds it, filled in by
	// whoever renders the brief from what its reader may see (FillFacts);
	// nil leaves them out.
	Facts *BriefFacts `json:"-"`
}

// BriefFacts are an order's state in a HandoffBrief: where it stands,
// with its dates, read from the store, never from what anyone wrote.
type BriefFacts struct {
	Status      string
	Total       Money
	Carrier     string
	PlacedAt    time.Time
	ShippedAt   *time.Time
	DeliveredAt *time.Time
	CancelledAt *time.Time
	// AsOf is when the facts were read: the days in transit count to it.
	AsOf time.Time
}

// BriefAttempt is one thing the assistant did or offered on an order.
type BriefAttempt struct {
	Tool string `json:"tool"`
	// Outcome is done, refused, failed or waiting (for the buyer's
	// confirmation).
	Outcome string `json:"outcome"`
	// Code is the refusal's or failure's code.
	Code string `json:"code,omitempty"`
}

// BriefProblems are the problems a HandoffBrief can name.
var BriefProblems = []string{"not_received", "refund_not_received", "site_error", "damaged", "wrong_item",
	"not_as_described", "changed_mind", "cancel", "stuck", "seller_silent"}

// BriefWants are what a buyer can want in a HandoffBrief.
var BriefWants = []string{"refund", "replacement", "cancel", "dispute", "status", "refund_status", "person", "decision"}

// briefPhrases are the brief's sentences by reader language.
var briefPhrases = map[string]map[string]string{
	"en": {
		"order":                       "Order %s.",
		"problem_not_received":        "Problem: the buyer has not received the order, although the tracking may say otherwise.",
		"problem_refund_not_received": "Problem: the buyer has not received the refund for this order yet and asked where it is.",
		"problem_site_error":          "Problem: the buyer gets an error in the app or on the site when trying to act on this order (e.g. the return button fails).",
		"problem_damaged":             "Problem: the item is damaged or does not work.",
		"problem_wrong_item":          "Problem: the buyer received the wrong item.",
		"problem_not_as_described":    "Problem: the item is not as described.",
		"problem_changed_mind":        "Problem: the buyer changed their mind about the item.",
		"problem_cancel":              "Problem: the buyer no longer wants the order.",
		"want_refund":                 "The buyer wants: a refund.",
		"want_replacement":            "The buyer wants: a replacement.",
		"want_cancel":                 "The buyer wants: to cancel the order.",
		"want_dispute":                "The buyer wants: to open a dispute.",
		"want_status":                 "The buyer wants: to know where the order is.",
		"want_refund_status":          "The buyer wants: the refund paid out.",
		"want_person":                 "The buyer wants: to talk to a person.",
		"tried":                       "Tried by the assistant: %s.",
		"tried_none":                  "Tried by the assistant: nothing on this order yet.",
		"upset":                       "The buyer is upset: the assistant's answers did not help.",
		"words":                       "The buyer wrote: “%s”",
		"outcome_done":                "done",
		"outcome_refused":             "refused",
		"outcome_failed":              "failed",
		"outcome_waiting":             "waiting for the buyer's confirmation",
		"tool_get_order":              "order looked up",
		"tool_track_shipment":         "shipment tracked",
		"tool_request_refund":         "refund",
		"tool_cancel_order":           "cancellation",
		"tool_open_dispute":           "dispute",
		"tool_get_refund_status":      "refund status checked",
		"tool_get_dispute":            "dispute checked",
		"tool_add_dispute_evidence":   "evidence added to the dispute",
		"problem_stuck":               "Problem: the tracking has not moved for days; the buyer says the parcel is stuck.",
		"outcome_declined":            "declined by the buyer",
		"outcome_expired":             "expired unconfirmed",
		"facts_pending":               "Placed on %s (%s), not paid yet.",
		"facts_paid":                  "Paid (%s), not shipped yet.",
		"facts_shipped":               "Shipped on %s with %s (%s); days in transit: %d, not delivered yet.",
		"facts_shipped_plain":         "Shipped on %s (%s); days in transit: %d, not delivered yet.",
		"facts_delivered":             "Delivered on %s (%s).",
		"facts_cancelled":             "Cancelled on %s (%s).",
		"problem_seller_silent":       "Problem: the buyer says the seller has not responded (to their dispute or messages) in the time the seller has to respond.",
		"want_decision":               "The buyer wants: the platform to step in and decide, since the seller is silent.",
		"repeat":                      "Not the first time: the buyer says they have contacted us about this before, or that it has happened to them before.",
	},
	"ko": {
		"order":                       "주문 %s.",
		"problem_not_received":        "문제: 배송 조회 결과와 달리 구매자가 주문한 상품을 받지 못했습니다.",
		"problem_refund_not_received": "문제: 구매자가 이 주문의 환불금을 아직 받지 못해 언제 들어오는지 문의했습니다.",
		"problem_site_error":          "문제: 구매자가 이 주문을 처리하려 할 때 앱이나 사이트에서 오류가 발생합니다(예: 반품 버튼 오류).",
		"problem_damaged":             "문제: 상품이 파손되었거나 작동하지 않습니다.",
		"problem_wrong_item":          "문제: 구매자가 다른 상품을 받았습니다.",
		"problem_not_as_described":    "문제: 상품이 설명과 다릅니다.",
		"problem_changed_mind":        "문제: 구매자가 상품에 대해 마음을 바꿨습니다.",
		"problem_cancel":              "문제: 구매자가 더 이상 이 주문을 원하지 않습니다.",
		"want_refund":                 "구매자 요청: 환불.",
		"want_replacement":            "구매자 요청: 교환.",
		"want_cancel":                 "구매자 요청: 주문 취소.",
		"want_dispute":                "구매자 요청: 분쟁 신청.",
		"want_status":                 "구매자 요청: 주문 위치 확인.",
		"want_refund_status":          "구매자 요청: 환불금 지급.",
		"want_person":                 "구매자 요청: 상담원과 대화.",
		"tried":                       "어시스턴트 처리 내역: %s.",
		"tried_none":                  "어시스턴트 처리 내역: 이 주문에 대해 아직 없습니다.",
		"upset":                       "구매자가 화가 났습니다: 어시스턴트의 답변이 도움이 되지 않았습니다.",
		"words":                       "구매자 메시지: “%s”",
		"outcome_done":                "완료",
		"outcome_refused":             "거절됨",
		"outcome_failed":              "실패",
		"outcome_waiting":             "구매자 확인 대기 중",
		"tool_get_order":              "주문 조회",
		"tool_track_shipment":         "배송 조회",
		"tool_request_refund":         "환불",
		"tool_cancel_order":           "취소",
		"tool_open_dispute":           "분쟁",
		"tool_get_refund_status":      "환불 상태 조회",
		"tool_get_dispute":            "분쟁 조회",
		"tool_add_dispute_evidence":   "분쟁 증빙 추가",
		"problem_stuck":               "문제: 배송 조회가 며칠째 그대로여서 구매자는 배송이 멈췄다고 합니다.",
		"outcome_declined":            "구매자가 거절함",
		"outcome_expired":             "확인 없이 만료됨",
		"facts_pending":               "%s 주문(%s), 아직 결제 전입니다.",
		"facts_paid":                  "결제 완료(%s), 아직 발송 전입니다.",
		"facts_shipped":               "%s 발송(택배사 %s, %s), 배송 중 %d일째이며 아직 배송 완료되지 않았습니다.",
		"facts_shipped_plain":         "%s 발송(%s), 배송 중 %d일째이며 아직 배송 완료되지 않았습니다.",
		"facts_delivered":             "%s 배송 완료(%s).",
		"facts_cancelled":             "%s 취소됨(%s).",
		"problem_seller_silent":       "문제: 구매자에 따르면 판매자가 응답 기한이 지나도록 (분쟁이나 문의에) 답변하지 않고 있습니다.",
		"want_decision":               "구매자 요청: 판매자가 응답하지 않으니 플랫폼이 개입해 결정해 주기를 원합니다.",
		"repeat":                      "반복 문의: 구매자는 이전에도 이 문제로 문의했거나 같은 일이 전에도 있었다고 합니다.",
	},
	"es": {
		"order":                       "Pedido %s.",
		"problem_not_received":        "Problema: el pedido no le ha llegado al comprador, aunque el seguimiento diga otra cosa.",
		"problem_refund_not_received": "Problema: el reembolso de este pedido no le ha llegado todavía al comprador, que pregunta dónde está.",
		"problem_site_error":          "Problema: al comprador le da un error la aplicación o la web al intentar gestionar este pedido (p. ej., el botón de devolución falla).",
		"problem_damaged":             "Problema: el artículo está dañado o no funciona.",
		"problem_wrong_item":          "Problema: el comprador recibió un artículo equivocado.",
		"problem_not_as_described":    "Problema: el artículo no es como se describía.",
		"problem_changed_mind":        "Problema: el comprador cambió de opinión sobre el artículo.",
		"problem_cancel":              "Problema: el comprador ya no quiere el pedido.",
		"want_refund":                 "El comprador quiere: un reembolso.",
		"want_replacement":            "El comprador quiere: un cambio.",
		"want_cancel":                 "El comprador quiere: cancelar el pedido.",
		"want_dispute":                "El comprador quiere: abrir una disputa.",
		"want_status":                 "El comprador quiere: saber dónde está el pedido.",
		"want_refund_status":          "El comprador quiere: recibir el reembolso.",
		"want_person":                 "El comprador quiere: hablar con una persona.",
		"tried":                       "Lo que hizo el asistente: %s.",
		"tried_none":                  "Lo que hizo el asistente: nada en este pedido todavía.",
		"upset":                       "El comprador está molesto: las respuestas del asistente no le ayudaron.",
		"words":                       "El comprador escribió: “%s”",
		"outcome_done":                "hecho",
		"outcome_refused":             "rechazado",
		"outcome_failed":              "falló",
		"outcome_waiting":             "pendiente de la confirmación del comprador",
		"tool_get_order":              "pedido consultado",
		"tool_track_shipment":         "envío rastreado",
		"tool_request_refund":         "reembolso",
		"tool_cancel_order":           "cancelación",
		"tool_open_dispute":           "disputa",
		"tool_get_refund_status":      "estado del reembolso consultado",
		"tool_get_dispute":            "disputa consultada",
		"tool_add_dispute_evidence":   "pruebas añadidas a la disputa",
		"problem_stuck":               "Problema: el seguimiento lleva días sin moverse; el comprador dice que el paquete está parado.",
		"outcome_declined":            "rechazado por el comprador",
		"outcome_expired":             "caducado sin confirmar",
		"facts_pending":               "Realizado el %s (%s), sin pagar todavía.",
		"facts_paid":                  "Pagado (%s), sin enviar todavía.",
		"facts_shipped":               "Enviado el %s con %s (%s); días en tránsito: %d, sin entregar todavía.",
		"facts_shipped_plain":         "Enviado el %s (%s); días en tránsito: %d, sin entregar todavía.",
		"facts_delivered":             "Entregado el %s (%s).",
		"facts_cancelled":             "Cancelado el %s (%s).",
		"problem_seller_silent":       "Problema: según el comprador, el vendedor no ha respondido (a su disputa o a sus mensajes) en el plazo que tiene para responder.",
		"want_decision":               "El comprador quiere: que la plataforma intervenga y decida, ya que el vendedor no responde.",
		"repeat":                      "No es la primera vez: el comprador dice que ya nos contactó antes por esto, o que ya le había pasado antes.",
	},
	"ru": {
		"order":                       "Заказ %s.",
		"problem_not_received":        "Проблема: покупатель не получил заказ, хотя отслеживание может показывать иное.",
		"problem_refund_not_received": "Проблема: деньги за возврат по этому заказу ещё не пришли покупателю, он спрашивает, где они.",
		"problem_site_error":          "Проблема: при попытке оформить действие по этому заказу в приложении или на сайте у покупателя возникает ошибка (например, не работает кнопка возврата).",
		"problem_damaged":             "Проблема: товар повреждён или не работает.",
		"problem_wrong_item":          "Проблема: покупатель получил не тот товар.",
		"problem_not_as_described":    "Проблема: товар не соответствует описанию.",
		"problem_changed_mind":        "Проблема: покупатель передумал.",
		"problem_cancel":              "Проблема: покупателю больше не нужен заказ.",
		"want_refund":                 "Покупатель хочет: вернуть деньги.",
		"want_replacement":            "Покупатель хочет: замену.",
		"want_cancel":                 "Покупатель хочет: отменить заказ.",
		"want_dispute":                "Покупатель хочет: открыть спор.",
		"want_status":                 "Покупатель хочет: узнать, где заказ.",
		"want_refund_status":          "Покупатель хочет: получить деньги за возврат.",
		"want_person":                 "Покупатель хочет: поговорить с человеком.",
		"tried":                       "Что сделал помощник: %s.",
		"tried_none":                  "Что сделал помощник: по этому заказу пока ничего.",
		"upset":                       "Покупатель расстроен: ответы помощника не помогли.",
		"words":                       "Покупатель написал: «%s»",
		"outcome_done":                "выполнено",
		"outcome_refused":             "отказано",
		"outcome_failed":              "ошибка",
		"outcome_waiting":             "ждёт подтверждения покупателя",
		"tool_get_order":              "заказ проверен",
		"tool_track_shipment":         "доставка отслежена",
		"tool_request_refund":         "возврат денег",
		"tool_cancel_order":           "отмена",
		"tool_open_dispute":           "спор",
		"tool_get_refund_status":      "статус возврата проверен",
		"tool_get_dispute":            "спор проверен",
		"tool_add_dispute_evidence":   "доказательства добавлены в спор",
		"problem_stuck":               "Проблема: отслеживание уже несколько дней не меняется; покупатель говорит, что посылка застряла.",
		"outcome_declined":            "покупатель отказался",
		"outcome_expired":             "истекло без подтверждения",
		"facts_pending":               "Оформлен %s (%s), ещё не оплачен.",
		"facts_paid":                  "Оплачен (%s), ещё не отправлен.",
		"facts_shipped":               "Отправлен %s службой %s (%s); дней в пути: %d, ещё не доставлен.",
		"facts_shipped_plain":         "Отправлен %s (%s); дней в пути: %d, ещё не доставлен.",
		"facts_delivered":             "Доставлен %s (%s).",
		"facts_cancelled":             "Отменён %s (%s).",
		"problem_seller_silent":       "Проблема: по словам покупателя, продавец не отвечает (на спор или сообщения), хотя срок ответа вышел.",
		"want_decision":               "Покупатель хочет: чтобы площадка вмешалась и приняла решение, раз продавец молчит.",
		"repeat":                      "Повторное обращение: покупатель говорит, что уже обращался по этому поводу ранее или что это случается с ним не впервые.",
	},
}

// Render writes b for a reader of locale (English when the locale has no
// phrases), limited to the orders keep allows (nil allows every order),
// as one text. It returns "" when no order is left to describe.
func (b HandoffBrief) Render(locale string, keep func(orderID string) bool) string {
	return truncateRunes(strings.Join(b.Lines(locale, keep), " "), 2000)
}

// Lines writes b as Render does, a sentence a line: for each order kept,
// the order, where it stands (its Facts), each problem, what the buyer
// wants, what was tried and the buyer's words; then whether it is not the
// buyer's first time and whether the buyer is upset. It returns nil when no order is left to describe.
func (b HandoffBrief) Lines(locale string, keep func(orderID string) bool) []string {
	p, ok := briefPhrases[locale]
	if !ok {
		locale, p = "en", briefPhrases["en"]
	}
	var lines []string
	for _, o := range b.Orders {
		if keep != nil && !keep(o.ID) {
			continue
		}
		lines = append(lines, fmt.Sprintf(p["order"], o.ID))
		if o.Facts != nil {
			if s := o.Facts.sentence(locale, p); s != "" {
				lines = append(lines, s)
			}
		}
		for _, pr := range o.Problems {
			if slices.Contains(BriefProblems, pr) {
				lines = append(lines, p["problem_"+pr])
			}
		}
		if slices.Contains(BriefWants, o.Wants) {
			lines = append(lines, p["want_"+o.Wants])
		}
		var tried []string
		for _, a := range o.Tried {
			what, ok := p["tool_"+a.Tool]
			if !ok {
				continue
			}
			outcome := p["outcome_"+a.Outcome]
			if outcome == "" {
				continue
			}
			if a.Code != "" {
				outcome += " (" + a.Code + ")"
			}
			tried = append(tried, what+": "+outcome)
		}
		if len(tried) > 0 {
			lines = append(lines, fmt.Sprintf(p["tried"], strings.Join(tried, "; ")))
		} else {
			lines = append(lines, p["tried_none"])
		}
		for _, w := range o.Words {
			lines = append(lines, fmt.Sprintf(p["words"], truncateRunes(w, 300)))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	if b.Repeat {
		lines = append(lines, p["repeat"])
	}
	if b.Upset {
		lines = append(lines, p["upset"])
	}
	return lines
}

// sentence says where the order stands, in locale with phrases p.
func (f BriefFacts) sentence(locale string, p map[string]string) string {
	total := l10n.Money(locale, f.Total.Minor, f.Total.Currency)
	switch {
	case f.Status == "cancelled" && f.CancelledAt != nil:
		return fmt.Sprintf(p["facts_cancelled"], l10n.Date(locale, *f.CancelledAt), total)
	case f.Status == "delivered" && f.DeliveredAt != nil:
		return fmt.Sprintf(p["facts_delivered"], l10n.Date(locale, *f.DeliveredAt), total)
	case f.Status == "shipped" && f.ShippedAt != nil:
		days := int(f.AsOf.Sub(*f.ShippedAt).Hours() / 24)
		if f.Carrier != "" {
			return fmt.Sprintf(p["facts_shipped"], l10n.Date(locale, *f.ShippedAt), f.Carrier, total, days)
		}
		return fmt.Sprintf(p["facts_shipped_plain"], l10n.Date(locale, *f.ShippedAt), total, days)
	case f.Status == "paid":
		return fmt.Sprintf(p["facts_paid"], total)
	case f.Status == "pending":
		return fmt.Sprintf(p["facts_pending"], l10n.Date(locale, f.PlacedAt), total)
	}
	return ""
}
