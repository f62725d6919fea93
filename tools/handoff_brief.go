package tools

import (
	"fmt"
	"slices"
	"strings"
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
}

// BriefOrder is one order of a HandoffBrief.
type BriefOrder struct {
	ID string `json:"order_id"`
	// Problem is what is wrong, one of BriefProblems, or "".
	Problem string `json:"problem,omitempty"`
	// Wants is what the buyer asks for, one of BriefWants, or "".
	Wants string `json:"wants,omitempty"`
	// Tried is what the assistant did or offered on the order, oldest
	// first.
	Tried []BriefAttempt `json:"tried,omitempty"`
	// Words are the buyer's own words stating the problem.
	Words string `json:"words,omitempty"`
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
	"not_as_described", "changed_mind", "cancel"}

// BriefWants are what a buyer can want in a HandoffBrief.
var BriefWants = []string{"refund", "replacement", "cancel", "dispute", "status", "refund_status", "person"}

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
	},
}

// Render writes b for a reader of locale (English when the locale has no
// phrases), limited to the orders keep allows (nil allows every order).
// It returns "" when no order is left to describe.
func (b HandoffBrief) Render(locale string, keep func(orderID string) bool) string {
	p, ok := briefPhrases[locale]
	if !ok {
		p = briefPhrases["en"]
	}
	var lines []string
	for _, o := range b.Orders {
		if keep != nil && !keep(o.ID) {
			continue
		}
		lines = append(lines, fmt.Sprintf(p["order"], o.ID))
		if slices.Contains(BriefProblems, o.Problem) {
			lines = append(lines, p["problem_"+o.Problem])
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
		if o.Words != "" {
			lines = append(lines, fmt.Sprintf(p["words"], truncateRunes(o.Words, 300)))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	if b.Upset {
		lines = append(lines, p["upset"])
	}
	return truncateRunes(strings.Join(lines, " "), 2000)
}
