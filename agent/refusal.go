package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/csagent/csagent/guardrails"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/l10n"
)

// A refund or cancellation the policy refuses comes back from the tools
// with a tools.Refusal: the rule, its dates, the policy section and the
// alternative the policy allows. The agent, not the model, takes the next
// step: it prepares a ready alternative as a pending action (previewed
// by the tools like any call, confirmed by the buyer like any card), tells
// the model what was refused and what waits, and, whatever the model then
// writes, makes sure the buyer's reply states the rule with its dates.
// Which brain answers changes none of this.

// PreparedAction is, in a refused call's result, the alternative the agent
// prepared for the buyer to confirm, or why it could not.
type PreparedAction struct {
	Tool string `json:"tool"`
	// ActionID is the pending action waiting for the buyer's confirmation;
	// empty when the alternative's own check refused it (Error).
	ActionID            string `json:"action_id,omitempty"`
	PendingConfirmation bool   `json:"pending_confirmation,omitempty"`
	Summary             string `json:"summary,omitempty"`
	// Data is the tool's preview of the prepared action.
	Data  json.RawMessage `json:"data,omitempty"`
	Error *ToolError      `json:"error,omitempty"`
}

// RefusedCall is, in a turn's usage, a call the policy refused.
type RefusedCall struct {
	Tool    string `json:"tool"`
	OrderID string `json:"order_id"`
	// Rule is the tools.Refusal rule that refused it.
	Rule string `json:"rule"`
}

// turnRefusal is a refusal of this turn and the action prepared for it.
type turnRefusal struct {
	tool string
	r    tools.Refusal
	act  *Action
}

// refused answers a consequential call whose preview the policy refused
// with r: it prepares r's alternative when the tools say it is ready, and
// returns what the model reads.
func (a *Agent) refused(ctx context.Context, caller tools.Caller, t Turn, turnID string, call tools.Call, perr *tools.Error, send func(Event)) (string, turnRefusal) {
	res := ToolResult{Error: &ToolError{Code: string(perr.Code), Message: perr.Message, Refusal: perr.Refusal}}
	tr := turnRefusal{tool: call.Name, r: *perr.Refusal}
	var note strings.Builder
	fmt.Fprintf(&note, "Refused by the policy: rule %s, order %s; the rule, its dates and the alternative are in error.refusal; the policy section is %s.",
		tr.r.Rule, tr.r.OrderID, tr.r.Policy)
	if alt := tr.r.Alternative; alt.Ready() {
		altCall := tools.Call{ID: call.ID + "-alternative", Name: alt.Tool, Arguments: alt.Arguments, ConversationID: t.ConversationID, TurnID: turnID}
		prep := &PreparedAction{Tool: alt.Tool}
		res.Alternative = prep
		p, aerr := a.tools.Preview(ctx, altCall)
		if aerr == nil {
			act, err := a.proposal(ctx, caller, t, turnID, altCall, p, send)
			if err != nil {
				a.logger.ErrorContext(ctx, "prepare the alternative to a refused action", "turn_id", turnID, "err", err)
				aerr = tools.Errorf(tools.CodeUnavailable, "the alternative could not be prepared; please try again")
			} else {
				prep.ActionID, prep.PendingConfirmation, prep.Summary, prep.Data = act.ID, true, act.Summary, act.Details
				tr.act = &act
				fmt.Fprintf(&note, " Not done yet: what the policy allows instead (%s) is prepared as action %s and waits for the customer's confirmation: %s.",
					alt.Tool, act.ID, act.Summary)
			}
		}
		if aerr != nil {
			prep.Error = &ToolError{Code: string(aerr.Code), Message: aerr.Message}
			fmt.Fprintf(&note, " The alternative (%s) is not possible either: %s", alt.Tool, aerr.Message)
		}
	}
	res.Summary = note.String()
	return toolContentOf(res), tr
}

// stateRefusals makes sure text, a reply of a turn with refusals rs,
// states each refusal's rule with its dates and the alternative prepared
// for it: what the reply leaves out is added from the refusal's facts, in
// the buyer's language, checked by the guardrails and streamed like the
// rest of the reply.
func (a *Agent) stateRefusals(ctx context.Context, t Turn, turnID, text string, usage *TurnUsage, emit func(Event) error) string {
	var add []string
	seen := map[string]bool{}
	for _, tr := range usage.refusals {
		key := tr.r.Rule + "\x00" + tr.r.OrderID
		if seen[key] {
			continue
		}
		seen[key] = true
		usage.Refused = append(usage.Refused, RefusedCall{Tool: tr.tool, OrderID: tr.r.OrderID, Rule: tr.r.Rule})
		if s := a.refusalText(t.Locale, tr, text); s != "" {
			add = append(add, s)
		}
	}
	if len(add) == 0 {
		return text
	}
	extra := strings.Join(add, " ")
	if g := usage.guard; g != nil {
		r := g.g.CheckOutput(extra, g.locale, audienceBuyer, g.ev)
		if r.Verdict == guardrails.Fallback || r.Text == "" {
			a.logger.WarnContext(ctx, "the refusal's facts did not pass the guardrails", "turn_id", turnID, "violations", ruleCodes(r.Violations))
			return text
		}
		extra = r.Text
	}
	sep := "\n\n"
	if text == "" {
		sep = ""
	}
	emitQuietly(a, ctx, emit, Event{Kind: EventDelta, TurnID: turnID, Text: sep + extra})
	return text + sep + extra
}

// refusalText is what reply still has to say about tr, "" when it states
// the rule with its key dates: otherwise the rule with its dates and
// citation, and the alternative, prepared or possible.
func (a *Agent) refusalText(locale string, tr turnRefusal, reply string) string {
	r := tr.r
	if refusalStated(locale, r, reply) {
		return ""
	}
	parts := []string{refusalRuleLine(locale, r)}
	alt := r.Alternative
	switch {
	case tr.act != nil && alt.Until != nil:
		parts = append(parts, fmt.Sprintf(refusalLine("prepared_until", locale), l10n.Date(locale, *alt.Until), a.Describe(*tr.act, locale)))
	case tr.act != nil:
		parts = append(parts, fmt.Sprintf(refusalLine("prepared", locale), a.Describe(*tr.act, locale)))
	case alt != nil && alt.Tool == "open_dispute" && alt.Reason == "" && alt.Until != nil:
		parts = append(parts, fmt.Sprintf(refusalLine("dispute_if_problem", locale), l10n.Date(locale, *alt.Until)))
	}
	out := strings.Join(parts, " ")
	if locale == "ko" {
		out = l10n.Particles(out)
	}
	return out
}

// refusalStated reports whether reply states r: it carries each of r's
// key dates as locale writes them, or, for a rule without one (an order
// not yet shipped is cancelled instead), names the order.
func refusalStated(locale string, r tools.Refusal, reply string) bool {
	dates := keyDates(r)
	if len(dates) == 0 {
		return strings.Contains(reply, r.OrderID)
	}
	for _, d := range dates {
		if !strings.Contains(reply, l10n.Date(locale, d)) {
			return false
		}
	}
	return true
}

// keyDates are the dates a statement of r cannot leave out: the day the
// window it counts closed or closes, the order's date it counts from, and
// until when the alternative is possible.
func keyDates(r tools.Refusal) []time.Time {
	var out []time.Time
	switch r.Rule {
	case tools.RuleNotPaid, tools.RuleNotShipped:
		return nil
	case tools.RuleNonRefundable:
		// Delivery makes no item refundable; the dispute's deadline is
		// what the buyer can act on.
		if alt := r.Alternative; alt != nil && alt.Until != nil {
			return []time.Time{*alt.Until}
		}
	}
	if r.Date != nil {
		out = append(out, *r.Date)
	}
	if r.Deadline != nil {
		out = append(out, *r.Deadline)
	}
	return out
}

// refusalRuleLine states r's rule, with its dates and citation, in locale.
func refusalRuleLine(locale string, r tools.Refusal) string {
	var when, deadline, from string
	if r.Date != nil {
		when = l10n.Date(locale, *r.Date)
	}
	if r.Deadline != nil {
		deadline = l10n.Date(locale, *r.Deadline)
	}
	if alt := r.Alternative; alt != nil && alt.From != nil {
		from = l10n.Date(locale, *alt.From)
	}
	cite := r.Policy.String()
	switch r.Rule {
	case tools.RuleRefundWindow:
		return fmt.Sprintf(refusalLine(r.Rule, locale), r.OrderID, when, r.WindowDays, deadline, cite)
	case tools.RuleNonRefundable:
		return fmt.Sprintf(refusalLine(r.Rule, locale), strings.Join(r.Items, ", "), r.OrderID, when, cite)
	case tools.RuleInTransit:
		if from == "" {
			return fmt.Sprintf(refusalLine("in_transit_late", locale), r.OrderID, when, cite)
		}
		return fmt.Sprintf(refusalLine(r.Rule, locale), r.OrderID, when, from, cite)
	case tools.RuleDeliveredNoCancel:
		if r.Alternative != nil {
			return fmt.Sprintf(refusalLine(r.Rule, locale), r.OrderID, when, deadline, cite)
		}
		return fmt.Sprintf(refusalLine("delivered_no_cancel_late", locale), r.OrderID, when, cite)
	case tools.RuleNotPaid, tools.RuleNotShipped, tools.RuleCancelled, tools.RuleShippedNoCancel:
		return fmt.Sprintf(refusalLine(r.Rule, locale), r.OrderID, when, cite)
	}
	return ""
}

func refusalLine(key, locale string) string {
	if s, ok := refusalLines[key][locale]; ok {
		return s
	}
	return refusalLines[key]["en"]
}

// refusalLines are the agent's own statements of the rules, by rule and
// language. Korean writes particles both ways ("은(는)"); l10n picks.
var refusalLines = map[string]map[string]string{
	tools.RuleRefundWindow: {
		"en": "Order %s was delivered on %s, and refunds are possible up to %d days after delivery, so the refund window closed on %s. %s",
		"ko": "주문 %s은(는) %s에 배송 완료되었고, 환불은 배송 완료 후 %d일 이내에만 가능하므로 %s에 환불 가능 기간이 끝났습니다. %s",
		"es": "El pedido %s se entregó el %s, y los reembolsos solo son posibles hasta %d días después de la entrega, así que el plazo de reembolso terminó el %s. %s",
		"ru": "Заказ %s доставлен %s, а возврат денег возможен только в течение %d дней после доставки, поэтому срок возврата закончился %s. %s",
	},
	tools.RuleNonRefundable: {
		"en": "%s (order %s, delivered on %s) can't be refunded: personalised items, digital downloads, gift cards and perishable food are excluded from refunds. %s",
		"ko": "%s(주문 %s, %s 배송 완료)은(는) 환불할 수 없습니다. 개인 맞춤 상품, 디지털 다운로드 상품, 기프트 카드, 부패하기 쉬운 식품은 환불 대상에서 제외됩니다. %s",
		"es": "%s (pedido %s, entregado el %s) no se puede reembolsar: los artículos personalizados, las descargas digitales, las tarjetas regalo y los alimentos perecederos están excluidos de los reembolsos. %s",
		"ru": "За %s (заказ %s, доставлен %s) нельзя вернуть деньги: персонализированные товары, цифровые загрузки, подарочные карты и скоропортящиеся продукты не подлежат возврату. %s",
	},
	tools.RuleNotPaid: {
		"en": "Order %s (placed on %s) hasn't been paid, so there is nothing to refund: an order that hasn't shipped is cancelled instead. %s",
		"ko": "주문 %s(%s 주문)은(는) 아직 결제되지 않아 환불할 금액이 없습니다. 발송 전인 주문은 대신 취소할 수 있습니다. %s",
		"es": "El pedido %s (realizado el %s) no se ha pagado, así que no hay nada que reembolsar: un pedido que no se ha enviado se cancela. %s",
		"ru": "Заказ %s (оформлен %s) не оплачен, поэтому возвращать нечего: заказ, который ещё не отправлен, отменяют. %s",
	},
	tools.RuleNotShipped: {
		"en": "Order %s (placed on %s) hasn't shipped yet, so it isn't refunded: it is cancelled instead, and cancelling returns the full amount. %s",
		"ko": "주문 %s(%s 주문)은(는) 아직 발송되지 않아 환불이 아니라 취소 대상이며, 취소하면 결제하신 전액을 돌려받습니다. %s",
		"es": "El pedido %s (realizado el %s) aún no se ha enviado, así que no se reembolsa: se cancela, y al cancelarlo se devuelve el importe completo. %s",
		"ru": "Заказ %s (оформлен %s) ещё не отправлен, поэтому деньги за него не возвращают, а отменяют заказ: при отмене вся сумма возвращается. %s",
	},
	tools.RuleInTransit: {
		"en": "Order %s shipped on %s and is still on its way, so it can't be refunded before it is delivered; if it hasn't arrived by %s, an item-not-received dispute can be opened. %s",
		"ko": "주문 %s은(는) %s에 발송되어 아직 배송 중이므로 배송 완료 전에는 환불할 수 없습니다. %s까지 도착하지 않으면 미수령 분쟁을 신청할 수 있습니다. %s",
		"es": "El pedido %s se envió el %s y sigue en camino, así que no se puede reembolsar antes de la entrega; si no ha llegado el %s, se puede abrir una disputa por artículo no recibido. %s",
		"ru": "Заказ %s отправлен %s и ещё в пути, поэтому до доставки деньги за него вернуть нельзя; если он не придёт к %s, можно открыть спор о неполучении. %s",
	},
	"in_transit_late": {
		"en": "Order %s shipped on %s and hasn't been delivered, so it can't be refunded; an item-not-received dispute can be opened instead. %s",
		"ko": "주문 %s은(는) %s에 발송되었지만 배송 완료되지 않아 환불할 수 없으며, 대신 미수령 분쟁을 신청할 수 있습니다. %s",
		"es": "El pedido %s se envió el %s y no se ha entregado, así que no se puede reembolsar; en su lugar se puede abrir una disputa por artículo no recibido. %s",
		"ru": "Заказ %s отправлен %s и не доставлен, поэтому вернуть деньги нельзя; вместо этого можно открыть спор о неполучении. %s",
	},
	tools.RuleCancelled: {
		"en": "Order %s was cancelled on %s, so there is nothing left to refund. %s",
		"ko": "주문 %s은(는) %s에 취소되어 환불할 금액이 남아 있지 않습니다. %s",
		"es": "El pedido %s se canceló el %s, así que no queda nada por reembolsar. %s",
		"ru": "Заказ %s отменён %s, поэтому возвращать больше нечего. %s",
	},
	tools.RuleShippedNoCancel: {
		"en": "Order %s shipped on %s, and only orders that haven't shipped can be cancelled. %s",
		"ko": "주문 %s은(는) %s에 발송되었으며, 발송 전인 주문만 취소할 수 있습니다. %s",
		"es": "El pedido %s se envió el %s, y solo se pueden cancelar los pedidos que aún no se han enviado. %s",
		"ru": "Заказ %s отправлен %s, а отменить можно только заказ, который ещё не отправлен. %s",
	},
	tools.RuleDeliveredNoCancel: {
		"en": "Order %s was delivered on %s, so it can't be cancelled; a refund can be requested instead until %s. %s",
		"ko": "주문 %s은(는) %s에 배송 완료되어 취소할 수 없으며, 대신 %s까지 환불을 신청할 수 있습니다. %s",
		"es": "El pedido %s se entregó el %s, así que no se puede cancelar; en su lugar se puede solicitar un reembolso hasta el %s. %s",
		"ru": "Заказ %s доставлен %s, поэтому отменить его нельзя; вместо этого можно запросить возврат денег до %s. %s",
	},
	"delivered_no_cancel_late": {
		"en": "Order %s was delivered on %s, so it can't be cancelled. %s",
		"ko": "주문 %s은(는) %s에 배송 완료되어 취소할 수 없습니다. %s",
		"es": "El pedido %s se entregó el %s, así que no se puede cancelar. %s",
		"ru": "Заказ %s доставлен %s, поэтому отменить его нельзя. %s",
	},
	"prepared": {
		"en": "What I can do instead is ready for you to confirm: %s.",
		"ko": "대신 진행할 수 있는 요청을 준비했습니다. 확인해 주세요: %s.",
		"es": "Lo que sí puedo hacer está listo para que lo confirme: %s.",
		"ru": "Вместо этого я подготовил запрос, подтвердите его: %s.",
	},
	"prepared_until": {
		"en": "A dispute is still possible until %s, and I've prepared it for you to confirm: %s.",
		"ko": "%s까지는 분쟁 신청이 가능하며, 확인하실 수 있도록 준비해 두었습니다: %s.",
		"es": "Todavía se puede abrir una disputa hasta el %s, y se la he preparado para que la confirme: %s.",
		"ru": "Спор ещё можно открыть до %s, и я подготовил его, подтвердите: %s.",
	},
	"dispute_if_problem": {
		"en": "If something is wrong with the item (damaged, wrong or not as described), a dispute can still be opened until %s: tell me what's wrong and I'll prepare it.",
		"ko": "상품에 문제가 있다면(파손, 오배송, 설명과 다름) %s까지 분쟁을 신청할 수 있습니다. 어떤 문제인지 알려 주시면 준비해 드리겠습니다.",
		"es": "Si el artículo tiene algún problema (dañado, equivocado o no es como se describe), aún se puede abrir una disputa hasta el %s: dígame qué le pasa y la prepararé.",
		"ru": "Если с товаром что-то не так (повреждён, не тот или не соответствует описанию), спор ещё можно открыть до %s: напишите, что не так, и я его подготовлю.",
	},
}
