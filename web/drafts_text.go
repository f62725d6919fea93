package web

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/l10n"
)

// TemplateDrafter is the built-in Drafter: it writes replies from localized
// sentences (English, Korean, Spanish, Russian) filled with the order's own
// data — status, dates, carrier, tracking, amounts — and the policy numbers
// the tools enforce (tools/policy.go), so every fact it states is one the
// seller can check on the order. It needs nothing outside the binary.
type TemplateDrafter struct{}

var _ Drafter = TemplateDrafter{}

// Draft implements Drafter.
func (TemplateDrafter) Draft(_ context.Context, in DraftInput) ([]Draft, error) {
	var order *tools.ShopOrder
	if len(in.Orders) > 0 {
		order = &in.Orders[0]
	}
	escalated := in.Status == statusHandoff || in.Status == statusAgent
	prob := problemNamed(in.Problem)
	compose := func(locale string) [][]string {
		p := phrasebook(locale)
		buyer := firstName(in.BuyerName, locale)
		greet := p.f("greet", buyer, in.SellerName, in.ShopName)
		if order == nil {
			drafts := [][]string{
				{greet, p.f("help")},
				{greet, p.f("ask_order")},
			}
			if prob != probNone {
				// No order to tell of, but the problem is still the
				// buyer's: the drafts acknowledge it before asking for
				// the order, rather than "How can I help you today?".
				ack := p.f("ack_" + problemNames[prob])
				drafts = [][]string{
					{greet, ack, p.f("ask_order")},
					{p.f("thanks", buyer), ack, p.f("ask_order")},
				}
			}
			if escalated {
				drafts = append(drafts, []string{p.f("sorry", buyer), p.f("taken"), p.f("ask_order")})
			}
			return drafts
		}
		facts, next := orderSentences(p, *order, in.Now)
		ack, step, _ := problemSentences(p, prob, *order, in.Now)
		if step != nil {
			// The problem's own next step replaces the order's
			// general one: the buyer asked about that.
			next = step
		}
		opening := []string{greet}
		if ack != "" {
			opening = append(opening, ack)
		}
		full := append(append(append(opening, p.f("checked", order.ID)), facts...), next...)
		full = append(full, p.f("closing"))
		short := append([]string{p.f("thanks", buyer), p.f("checked", order.ID)}, facts...)
		if step != nil {
			short = append(short, step...)
		}
		short = append(short, p.f("update"))
		third := []string{p.f("sorry", buyer), p.f("taken")}
		if escalated {
			third = append(append(third, facts...), next...)
			third = append(third, p.f("update"))
		} else {
			third = append(append(opening, p.f("checked", order.ID)), p.f(askKey(prob)))
		}
		return [][]string{full, short, third}
	}
	texts := compose(in.BuyerLocale)
	var glosses [][]string
	if phraseLocale(in.SellerLocale) != phraseLocale(in.BuyerLocale) {
		glosses = compose(in.SellerLocale)
	}
	var policies []string
	if order != nil {
		policies = orderPolicies(*order, in.Now)
		if _, step, docs := problemSentences(phrasebook("en"), prob, *order, in.Now); step != nil {
			policies = docs
		}
	}
	out := make([]Draft, len(texts))
	for i, t := range texts {
		d := Draft{Text: strings.Join(t, " "), Policies: policies}
		if glosses != nil {
			d.Gloss = strings.Join(glosses[i], " ")
		}
		if order != nil {
			d.OrderID = order.ID
		}
		out[i] = d
	}
	return out, nil
}

// askKey is the phrase of the question a draft asks the buyer about
// problem p: a photo of an item that arrived wrong or broken, the tracking
// of a parcel that did not come, the reason for a cancellation, the items
// to return. Before, every problem got the photo question, so a buyer who
// asked to cancel was told a photo of the damage helps.
func askKey(p problem) string {
	switch p {
	case probNotReceived, probCancel, probChangedMind:
		return "ask_" + problemNames[p]
	}
	return "ask_details"
}

// situation is where an order stands, as the drafts tell it.
type situation int

const (
	sitPending situation = iota
	sitPaid
	sitInTransit
	sitOverdue
	sitRefundable    // delivered, inside the refund window
	sitDisputable    // delivered, past the refund window, inside the dispute window
	sitDeliveredLong // delivered, past both windows
	sitCancelled
	sitDisputed
	// sitRefundedInFull: delivered, and its whole amount refunded; neither
	// window has anything left to give, and telling the buyer the refund
	// window "ended" on a day still to come would be false.
	sitRefundedInFull
)

func orderSituation(o tools.ShopOrder, now time.Time) situation {
	for _, d := range o.Disputes {
		if d.Status == "open" || d.Status == "under_review" {
			return sitDisputed
		}
	}
	switch o.Status {
	case "pending":
		return sitPending
	case "paid":
		return sitPaid
	case "shipped":
		if o.ShippedAt != nil && now.Sub(*o.ShippedAt) >= tools.NotReceivedAfter {
			return sitOverdue
		}
		return sitInTransit
	case "cancelled":
		return sitCancelled
	}
	if o.DeliveredAt == nil {
		return sitDeliveredLong
	}
	if o.Total.Minor > 0 && o.Refunded.Minor >= o.Total.Minor {
		return sitRefundedInFull
	}
	since := now.Sub(*o.DeliveredAt)
	switch {
	case since < tools.RefundWindow && o.Refunded.Minor < o.Total.Minor:
		return sitRefundable
	case since < tools.DisputeWindow:
		return sitDisputable
	}
	return sitDeliveredLong
}

// orderSentences returns what the drafts say of o: the facts, then the
// next step the policy offers.
func orderSentences(p phrases, o tools.ShopOrder, now time.Time) (facts, next []string) {
	date := func(t *time.Time) string {
		if t == nil {
			return "?"
		}
		return p.date(*t)
	}
	sit := orderSituation(o, now)
	switch o.Status {
	case "pending":
		facts = append(facts, p.f("st_pending", date(&o.PlacedAt)))
	case "paid":
		facts = append(facts, p.f("st_paid"))
	case "shipped":
		key := "st_shipped"
		if sit == sitOverdue {
			key = "st_overdue"
		}
		if o.Carrier != "" && o.TrackingNumber != "" {
			facts = append(facts, p.f(key, date(o.ShippedAt), o.Carrier, o.TrackingNumber))
		} else {
			facts = append(facts, p.f(key+"_plain", date(o.ShippedAt)))
		}
	case "delivered":
		facts = append(facts, p.f("st_delivered", date(o.DeliveredAt)))
	case "cancelled":
		facts = append(facts, p.f("st_cancelled", date(o.CancelledAt)))
	}
	if o.Refunded.Minor > 0 {
		facts = append(facts, p.f("refunded", l10n.Money(p.locale, o.Refunded.Minor, o.Refunded.Currency)))
	}
	switch sit {
	case sitDisputed:
		for _, d := range o.Disputes {
			if d.Status == "open" || d.Status == "under_review" {
				facts = append(facts, p.f("dispute_open", d.ID))
				break
			}
		}
		next = append(next, p.f("nx_dispute"))
	case sitPending:
		next = append(next, p.f("nx_pending"))
	case sitPaid:
		next = append(next, p.f("nx_paid"))
	case sitInTransit:
		if o.ShippedAt != nil {
			next = append(next, p.f("nx_in_transit", p.date(o.ShippedAt.Add(tools.NotReceivedAfter))))
		}
	case sitOverdue:
		next = append(next, p.f("nx_not_received"))
	case sitRefundable:
		next = append(next, p.f("nx_refund_window", p.date(o.DeliveredAt.Add(tools.RefundWindow))))
	case sitDisputable:
		next = append(next, p.f("nx_dispute_window", p.date(o.DeliveredAt.Add(tools.RefundWindow)), p.date(o.DeliveredAt.Add(tools.DisputeWindow))))
	}
	if o.Refunded.Minor > 0 && sit != sitDisputed {
		next = append(next, p.f("nx_refund_time"))
	}
	return facts, next
}

// problemSentences returns what the drafts say of the buyer's problem on
// order o: an acknowledgement, and the policy step that applies to it in
// o's situation with its dates, and the policy documents that step rests
// on. step is nil when the problem has no step of its own there (a broken
// item on an order not delivered yet): the order's general next step
// applies.
func problemSentences(p phrases, prob problem, o tools.ShopOrder, now time.Time) (ack string, step, docs []string) {
	ack, step, docs, _ = problemStep(p, prob, o, now)
	return ack, step, docs
}

// problemStep is problemSentences with the step's key in stepQuestions.
func problemStep(p phrases, prob problem, o tools.ShopOrder, now time.Time) (ack string, step, docs []string, key string) {
	if prob == probNone {
		return "", nil, nil, ""
	}
	ack = p.f("ack_" + problemNames[prob])
	sit := orderSituation(o, now)
	switch sit {
	case sitDisputed:
		return ack, nil, nil, ""
	case sitRefundedInFull:
		if prob != probNotReceived && prob != probCancel {
			return ack, []string{p.f("step_refunded_in_full")}, []string{"refunds"}, ""
		}
	}
	var refundEnds, disputeEnds string
	if o.DeliveredAt != nil {
		refundEnds, disputeEnds = p.date(o.DeliveredAt.Add(tools.RefundWindow)), p.date(o.DeliveredAt.Add(tools.DisputeWindow))
	}
	switch prob {
	case probDamaged, probWrongItem, probNotAsDescribed:
		why := p.f("why_" + problemNames[prob])
		switch {
		case sit == sitRefundable && !refundableItems(o):
			// Non-refundable items that arrived damaged or wrong
			// go to a dispute, not a refund (refunds policy).
			return ack, []string{p.f("step_dispute_nonrefundable", why, disputeEnds)}, []string{"refunds", "disputes"}, "dispute_route"
		case sit == sitRefundable:
			return ack, []string{p.f("step_refund_reason", refundEnds, why)}, []string{"refunds"}, "refund_reason"
		case sit == sitDisputable:
			return ack, []string{p.f("step_dispute_route", refundEnds, why, disputeEnds)}, []string{"disputes", "refunds"}, "dispute_route"
		case sit == sitDeliveredLong && o.DeliveredAt != nil:
			return ack, []string{p.f("step_windows_over", refundEnds, disputeEnds)}, []string{"refunds", "disputes"}, "windows_over"
		}
	case probChangedMind:
		switch sit {
		case sitRefundable:
			if !refundableItems(o) {
				return ack, []string{p.f("step_mind_nonrefundable")}, []string{"refunds"}, "mind_late"
			}
			return ack, []string{p.f("step_refund_mind", refundEnds)}, []string{"refunds"}, "refund_mind"
		case sitDisputable, sitDeliveredLong:
			if o.DeliveredAt != nil {
				return ack, []string{p.f("step_mind_late", refundEnds)}, []string{"refunds", "disputes"}, "mind_late"
			}
		}
	case probNotReceived:
		if o.ShippedAt == nil {
			break
		}
		until := p.date(o.ShippedAt.Add(tools.DisputeWindow))
		switch {
		case sit == sitOverdue:
			return ack, []string{p.f("step_nr_dispute", until)}, []string{"disputes"}, "nr_dispute"
		case o.Status == "delivered":
			// Tracking says it arrived: the policy's step is to ask
			// the neighbours, then support (shipping); an "item not
			// received" dispute is for a parcel tracking does not
			// show as delivered, and the tools refuse one here.
			return ack, []string{p.f("step_nr_delivered")}, []string{"shipping"}, "nr_delivered"
		}
	case probCancel:
		switch sit {
		case sitPending:
			return ack, []string{p.f("step_cancel_pending")}, []string{"refunds"}, "cancel_pending"
		case sitPaid:
			return ack, []string{p.f("step_cancel_paid")}, []string{"refunds"}, "cancel_paid"
		case sitInTransit, sitOverdue:
			return ack, []string{p.f("step_cancel_shipped")}, []string{"refunds"}, "cancel_shipped"
		}
	}
	return ack, nil, nil, ""
}

// refundableItems reports whether o has an item left that may be
// refunded; an order whose items are not known is taken to.
func refundableItems(o tools.ShopOrder) bool {
	if len(o.Items) == 0 {
		return true
	}
	for _, it := range o.Items {
		if it.Refundable && it.RefundedQuantity < it.Quantity {
			return true
		}
	}
	return false
}

// orderPolicies returns the policy documents the drafts about o rely on.
func orderPolicies(o tools.ShopOrder, now time.Time) []string {
	var docs []string
	switch orderSituation(o, now) {
	case sitPending:
		docs = []string{"payments"}
	case sitPaid:
		docs = []string{"shipping", "refunds"}
	case sitInTransit, sitOverdue, sitDisputed:
		docs = []string{"disputes"}
	case sitRefundable, sitRefundedInFull:
		docs = []string{"refunds"}
	case sitDisputable:
		docs = []string{"refunds", "disputes"}
	}
	if o.Refunded.Minor > 0 && len(docs) > 0 && docs[0] != "refunds" {
		docs = append(docs, "refunds")
	}
	return docs
}

// firstName is how a reply addresses the buyer: the given name, or in
// Korean the full name.
func firstName(name, locale string) string {
	if phraseLocale(locale) == "ko" {
		return name
	}
	if f, _, ok := strings.Cut(name, " "); ok {
		return f
	}
	return name
}

// phrases is one language's sentences.
type phrases struct {
	locale string
	text   map[string]string
}

func phraseLocale(l string) string {
	if _, ok := draftPhrases[l]; ok {
		return l
	}
	return "en"
}

func phrasebook(locale string) phrases {
	l := phraseLocale(locale)
	return phrases{locale: l, text: draftPhrases[l]}
}

func (p phrases) f(key string, args ...any) string {
	t, ok := p.text[key]
	if !ok {
		t = draftPhrases["en"][key]
	}
	if len(args) == 0 {
		return t
	}
	return fmt.Sprintf(t, args...)
}

// date formats t (as a UTC calendar day) the way the language writes dates.
func (p phrases) date(t time.Time) string { return l10n.Date(p.locale, t) }

// draftPhrases are the drafts' sentences by language. Every language has
// every key; a test holds them to it.
var draftPhrases = map[string]map[string]string{
	"en": {
		"greet":                          "Hi %[1]s, this is %[2]s from %[3]s.",
		"checked":                        "I've looked up your order %s.",
		"st_pending":                     "It was placed on %s and is still awaiting payment.",
		"st_paid":                        "It is paid and being prepared for shipping.",
		"st_shipped":                     "It shipped on %s with %s; the tracking number is %s.",
		"st_shipped_plain":               "It shipped on %s.",
		"st_overdue":                     "It shipped on %s with %s (tracking number %s), but it has not been marked as delivered yet.",
		"st_overdue_plain":               "It shipped on %s, but it has not been marked as delivered yet.",
		"st_delivered":                   "It was delivered on %s.",
		"st_cancelled":                   "It was cancelled on %s.",
		"refunded":                       "So far %s has been refunded.",
		"dispute_open":                   "There is an open dispute on it (%s).",
		"nx_pending":                     "Unpaid orders are cancelled automatically 24 hours after they are placed.",
		"nx_paid":                        "We ship within 2 business days of payment; if you would rather not wait, the order can still be cancelled for a full refund.",
		"nx_in_transit":                  "If it hasn't arrived by %s, you can open an “item not received” dispute.",
		"nx_not_received":                "As it shipped more than 15 days ago, you can open an “item not received” dispute right here in the chat.",
		"nx_refund_window":               "If anything is wrong with it, you can request a refund in this chat until %s.",
		"nx_dispute_window":              "The 30-day refund window ended on %s, but you can still open a dispute until %s.",
		"nx_refund_time":                 "Refunds reach the original payment method within 5 business days.",
		"nx_dispute":                     "The dispute is being reviewed, and you will get updates here.",
		"closing":                        "Is there anything else I can help you with?",
		"thanks":                         "Thank you for your patience, %s.",
		"update":                         "I'll update you here as soon as I know more.",
		"sorry":                          "I'm sorry for the trouble, %s.",
		"taken":                          "I've taken over this chat from the assistant and I'm looking into it personally.",
		"ask_details":                    "Could you tell me a little more about what happened? If the item arrived damaged, a photo helps.",
		"ask_order":                      "Could you tell me the order number? You'll find it in your order history; it starts with “ORD-”.",
		"ask_not_received":               "Could you tell me when you last checked the tracking and what it showed?",
		"ask_cancel":                     "Could you tell me why you'd like to cancel? If something is wrong with the order, I'd like to know.",
		"ask_changed_mind":               "Could you tell me which items you'd like to return?",
		"help":                           "How can I help you today?",
		"ack_damaged":                    "I'm sorry to hear the item is damaged or not working properly.",
		"ack_wrong_item":                 "I'm sorry you received the wrong item.",
		"ack_not_as_described":           "I'm sorry the item is not as described.",
		"ack_not_received":               "I'm sorry your order hasn't reached you.",
		"ack_cancel":                     "I understand you'd like to cancel your order.",
		"ack_changed_mind":               "I understand you'd like to return it.",
		"why_damaged":                    "damaged",
		"why_wrong_item":                 "wrong item",
		"why_not_as_described":           "not as described",
		"step_refund_reason":             "You can request a refund in this chat until %s with the reason “%s”; if the item has to come back, the shop pays the return shipping.",
		"step_dispute_route":             "The 30-day refund window ended on %s, so the way forward is a “%s” dispute, which you can open in this chat until %s; photos of the item help.",
		"step_windows_over":              "The refund window ended on %s and the dispute window on %s, so neither is open any more; let me see what the shop can do.",
		"step_refund_mind":               "You can request a refund in this chat until %s; for a change of mind, the return shipping is paid by you.",
		"step_mind_late":                 "The 30-day refund window ended on %s, and a change of mind is not a reason for a dispute, so the order can no longer be refunded.",
		"step_nr_dispute":                "As it shipped more than 15 days ago, you can open an “item not received” dispute in this chat until %s.",
		"step_nr_delivered":              "It is marked as delivered, so please check with your neighbours or your building's reception first; if you still can't find it, write to us here and support will look into it.",
		"step_cancel_pending":            "As it hasn't been paid yet, it can be cancelled in this chat, and nothing will be charged.",
		"step_cancel_paid":               "As it hasn't shipped yet, it can be cancelled in this chat, and the full amount is refunded automatically.",
		"step_cancel_shipped":            "As it has already shipped, it can no longer be cancelled; once it is delivered, you can request a refund within 30 days.",
		"step_dispute_nonrefundable":     "This item can't be refunded, so the way forward is a “%s” dispute, which you can open in this chat until %s; photos of the item help.",
		"step_mind_nonrefundable":        "This item can't be refunded, so a change of mind can't be refunded either.",
		"step_refunded_in_full":          "The full amount of the order has already been refunded, so there is nothing left to refund on it.",
		"brief_order":                    "Order %s: %s",
		"brief_no_order":                 "No order is named in the chat.",
		"brief_problem_damaged":          "Problem: the item is damaged or does not work.",
		"brief_problem_wrong_item":       "Problem: the buyer received the wrong item.",
		"brief_problem_not_as_described": "Problem: the item is not as described.",
		"brief_problem_not_received":     "Problem: the order has not reached the buyer.",
		"brief_problem_cancel":           "Problem: the buyer no longer wants the order.",
		"brief_problem_changed_mind":     "Problem: the buyer changed their mind about the item.",
		"brief_want_refund":              "The buyer wants: a refund.",
		"brief_want_replacement":         "The buyer wants: a replacement.",
		"brief_want_cancel":              "The buyer wants: to cancel the order.",
		"brief_want_dispute":             "The buyer wants: to open a dispute.",
		"brief_want_status":              "The buyer wants: to know where the order is.",
		"brief_want_person":              "The buyer wants: to talk to a person.",
		"brief_cancellable":              "Policy: not shipped yet, so it can still be cancelled.",
		"brief_in_transit":               "Policy: in transit; a “not received” dispute is possible from %s.",
		"brief_overdue":                  "Policy: shipped over 15 days ago and not delivered; a “not received” dispute is possible until %s.",
		"brief_refundable":               "Policy: inside the refund window (until %s).",
		"brief_disputable":               "Policy: the refund window ended on %s; a dispute is possible until %s.",
		"brief_windows_over":             "Policy: the refund and dispute windows are over (the dispute window ended on %s).",
		"brief_disputed":                 "Policy: dispute %s is open on it; the seller's response is due by %s.",
		"brief_refunded_in_full":         "Policy: refunded in full; nothing is left to refund.",
		"brief_delivered_missing":        "Policy: tracking shows it as delivered, so an “item not received” dispute is not possible; the buyer should check with neighbours or the building's reception first, then support looks into it.",
		"brief_tried":                    "Tried: %s.",
		"brief_tried_none":               "Tried: no action has been taken on the order yet.",
		"brief_wrote":                    "The buyer wrote: “%s”",
		"brief_tool_get_order":           "order %s looked up",
		"brief_tool_track_shipment":      "shipment of %s tracked",
		"brief_tool_request_refund":      "refund of %s",
		"brief_tool_cancel_order":        "cancellation of %s",
		"brief_tool_open_dispute":        "dispute on %s",
		"brief_tool_get_refund_status":   "refund status of %s checked",
		"brief_tool_get_dispute":         "dispute on %s checked",
		"brief_outcome_done":             "done",
		"brief_outcome_refused":          "refused",
		"brief_outcome_waiting":          "waiting for the buyer's confirmation",
		"brief_outcome_declined":         "declined by the buyer",
		"brief_outcome_failed":           "failed",
		"brief_outcome_expired":          "expired unconfirmed",
	},
	"ko": {
		"greet":                          "안녕하세요 %[1]s님, %[3]s의 %[2]s입니다.",
		"checked":                        "주문 %s 내역을 확인했습니다.",
		"st_pending":                     "%s에 주문하셨고 아직 결제 대기 중입니다.",
		"st_paid":                        "결제가 완료되어 배송 준비 중입니다.",
		"st_shipped":                     "%s에 발송되었습니다(택배사: %s, 운송장 번호: %s).",
		"st_shipped_plain":               "%s에 발송되었습니다.",
		"st_overdue":                     "%s에 발송되었지만(택배사: %s, 운송장 번호: %s) 아직 배송 완료로 표시되지 않았습니다.",
		"st_overdue_plain":               "%s에 발송되었지만 아직 배송 완료로 표시되지 않았습니다.",
		"st_delivered":                   "%s에 배송 완료되었습니다.",
		"st_cancelled":                   "%s에 취소되었습니다.",
		"refunded":                       "현재까지 환불된 금액은 %s입니다.",
		"dispute_open":                   "이 주문에는 진행 중인 분쟁(%s)이 있습니다.",
		"nx_pending":                     "결제되지 않은 주문은 주문 후 24시간이 지나면 자동으로 취소됩니다.",
		"nx_paid":                        "결제 후 영업일 기준 2일 이내에 발송해 드립니다. 기다리기 어려우시면 지금 주문을 취소하고 전액 환불받으실 수 있습니다.",
		"nx_in_transit":                  "%s까지 도착하지 않으면 '상품 미수령' 분쟁을 신청하실 수 있습니다.",
		"nx_not_received":                "발송 후 15일이 지났으므로 이 채팅에서 바로 '상품 미수령' 분쟁을 신청하실 수 있습니다.",
		"nx_refund_window":               "상품에 문제가 있다면 %s까지 이 채팅에서 환불을 요청하실 수 있습니다.",
		"nx_dispute_window":              "30일 환불 기간은 %s에 끝났지만, %s까지는 분쟁을 신청하실 수 있습니다.",
		"nx_refund_time":                 "환불 금액은 영업일 기준 5일 이내에 원래 결제 수단으로 입금됩니다.",
		"nx_dispute":                     "분쟁은 검토 중이며, 진행 상황은 이 채팅으로 알려 드리겠습니다.",
		"closing":                        "더 도와드릴 일이 있을까요?",
		"thanks":                         "기다려 주셔서 감사합니다, %s님.",
		"update":                         "확인되는 대로 이 채팅으로 바로 알려 드리겠습니다.",
		"sorry":                          "불편을 드려 죄송합니다, %s님.",
		"taken":                          "어시스턴트 대신 제가 이 상담을 이어받아 직접 확인하고 있습니다.",
		"ask_details":                    "어떤 문제가 있었는지 조금 더 자세히 말씀해 주시겠어요? 상품이 파손되어 도착했다면 사진을 보내 주시면 도움이 됩니다.",
		"ask_order":                      "주문 번호를 알려 주시겠어요? 주문 내역에서 확인하실 수 있으며 “ORD-”로 시작합니다.",
		"ask_not_received":               "마지막으로 배송 조회를 확인하신 때와 그때 표시된 내용을 알려 주시겠어요?",
		"ask_cancel":                     "취소하시려는 이유를 알려 주시겠어요? 주문에 문제가 있었다면 꼭 알고 싶습니다.",
		"ask_changed_mind":               "어떤 상품을 반품하고 싶으신지 알려 주시겠어요?",
		"help":                           "무엇을 도와드릴까요?",
		"ack_damaged":                    "상품이 파손되었거나 제대로 작동하지 않는다니 죄송합니다.",
		"ack_wrong_item":                 "다른 상품이 배송되어 죄송합니다.",
		"ack_not_as_described":           "상품이 설명과 달라 죄송합니다.",
		"ack_not_received":               "주문하신 상품을 아직 받지 못하셨다니 죄송합니다.",
		"ack_cancel":                     "주문 취소를 원하시는 것으로 이해했습니다.",
		"ack_changed_mind":               "반품을 원하시는 것으로 이해했습니다.",
		"why_damaged":                    "파손",
		"why_wrong_item":                 "오배송",
		"why_not_as_described":           "설명과 다름",
		"step_refund_reason":             "%s까지 이 채팅에서 '%s' 사유로 환불을 요청하실 수 있으며, 상품을 반송해야 하는 경우 반품 배송비는 상점이 부담합니다.",
		"step_dispute_route":             "30일 환불 기간은 %s에 끝났으므로 '%s' 사유로 분쟁을 신청하시는 것이 다음 단계이며, %s까지 이 채팅에서 신청하실 수 있습니다. 상품 사진이 있으면 도움이 됩니다.",
		"step_windows_over":              "환불 기간은 %s에, 분쟁 신청 기간은 %s에 끝나 둘 다 더 이상 이용할 수 없습니다. 상점에서 해 드릴 수 있는 방법을 확인해 보겠습니다.",
		"step_refund_mind":               "%s까지 이 채팅에서 환불을 요청하실 수 있으며, 단순 변심의 경우 반품 배송비는 고객님께서 부담하십니다.",
		"step_mind_late":                 "30일 환불 기간은 %s에 끝났고 단순 변심은 분쟁 사유가 아니므로, 이 주문은 더 이상 환불받으실 수 없습니다.",
		"step_nr_dispute":                "발송 후 15일이 지났으므로 %s까지 이 채팅에서 '상품 미수령' 분쟁을 신청하실 수 있습니다.",
		"step_nr_delivered":              "배송 완료로 표시되어 있으니 먼저 이웃이나 건물 관리실에 확인해 주세요. 그래도 찾을 수 없으시면 이 채팅으로 알려 주시면 고객 지원팀이 확인해 드립니다.",
		"step_cancel_pending":            "아직 결제 전이므로 이 채팅에서 취소하실 수 있으며, 요금은 청구되지 않습니다.",
		"step_cancel_paid":               "아직 발송 전이므로 이 채팅에서 취소하실 수 있으며, 결제 금액 전액이 자동으로 환불됩니다.",
		"step_cancel_shipped":            "이미 발송되어 더 이상 취소할 수 없습니다. 배송 완료 후 30일 이내에 환불을 요청하실 수 있습니다.",
		"step_dispute_nonrefundable":     "이 상품은 환불 대상이 아니므로 '%s' 사유로 분쟁을 신청하시는 것이 다음 단계이며, %s까지 이 채팅에서 신청하실 수 있습니다. 상품 사진이 있으면 도움이 됩니다.",
		"step_mind_nonrefundable":        "이 상품은 환불 대상이 아니므로 단순 변심으로는 환불받으실 수 없습니다.",
		"step_refunded_in_full":          "이 주문은 이미 전액 환불되어 더 환불될 금액이 없습니다.",
		"brief_order":                    "주문 %s: %s",
		"brief_no_order":                 "채팅에서 언급된 주문이 없습니다.",
		"brief_problem_damaged":          "문제: 상품이 파손되었거나 작동하지 않습니다.",
		"brief_problem_wrong_item":       "문제: 구매자가 다른 상품을 받았습니다.",
		"brief_problem_not_as_described": "문제: 상품이 설명과 다릅니다.",
		"brief_problem_not_received":     "문제: 주문한 상품이 구매자에게 도착하지 않았습니다.",
		"brief_problem_cancel":           "문제: 구매자가 더 이상 이 주문을 원하지 않습니다.",
		"brief_problem_changed_mind":     "문제: 구매자가 상품에 대해 마음을 바꿨습니다.",
		"brief_want_refund":              "구매자 요청: 환불.",
		"brief_want_replacement":         "구매자 요청: 교환.",
		"brief_want_cancel":              "구매자 요청: 주문 취소.",
		"brief_want_dispute":             "구매자 요청: 분쟁 신청.",
		"brief_want_status":              "구매자 요청: 주문 위치 확인.",
		"brief_want_person":              "구매자 요청: 상담원과 대화.",
		"brief_cancellable":              "정책: 아직 발송 전이므로 취소할 수 있습니다.",
		"brief_in_transit":               "정책: 배송 중이며, %s부터 '상품 미수령' 분쟁을 신청할 수 있습니다.",
		"brief_overdue":                  "정책: 발송 후 15일이 지났지만 배송 완료되지 않았으며, %s까지 '상품 미수령' 분쟁을 신청할 수 있습니다.",
		"brief_refundable":               "정책: 환불 가능 기간 내입니다(%s까지).",
		"brief_disputable":               "정책: 환불 기간은 %s에 끝났으며, %s까지 분쟁을 신청할 수 있습니다.",
		"brief_windows_over":             "정책: 환불 기간과 분쟁 신청 기간이 모두 끝났습니다(분쟁 신청 기간 종료: %s).",
		"brief_disputed":                 "정책: 분쟁 %s 진행 중이며, 판매자 답변 기한은 %s입니다.",
		"brief_refunded_in_full":         "정책: 전액 환불되어 더 환불할 금액이 없습니다.",
		"brief_delivered_missing":        "정책: 배송 완료로 조회되므로 '상품 미수령' 분쟁은 신청할 수 없습니다. 구매자가 먼저 이웃이나 건물 관리실에 확인한 뒤 고객 지원팀이 확인합니다.",
		"brief_tried":                    "처리 내역: %s.",
		"brief_tried_none":               "처리 내역: 아직 주문에 대해 처리된 작업이 없습니다.",
		"brief_wrote":                    "구매자 메시지: “%s”",
		"brief_tool_get_order":           "주문 %s 조회",
		"brief_tool_track_shipment":      "%s 배송 조회",
		"brief_tool_request_refund":      "%s 환불",
		"brief_tool_cancel_order":        "%s 취소",
		"brief_tool_open_dispute":        "%s 분쟁",
		"brief_tool_get_refund_status":   "%s 환불 상태 조회",
		"brief_tool_get_dispute":         "%s 분쟁 조회",
		"brief_outcome_done":             "완료",
		"brief_outcome_refused":          "거절됨",
		"brief_outcome_waiting":          "구매자 확인 대기 중",
		"brief_outcome_declined":         "구매자가 거절함",
		"brief_outcome_failed":           "실패",
		"brief_outcome_expired":          "확인 없이 만료됨",
	},
	"es": {
		"greet":                          "Hola, %[1]s. Soy %[2]s, de %[3]s.",
		"checked":                        "He revisado tu pedido %s.",
		"st_pending":                     "Se realizó el %s y todavía está pendiente de pago.",
		"st_paid":                        "Está pagado y lo estamos preparando para el envío.",
		"st_shipped":                     "Se envió el %s con %s; el número de seguimiento es %s.",
		"st_shipped_plain":               "Se envió el %s.",
		"st_overdue":                     "Se envió el %s con %s (número de seguimiento %s), pero todavía no consta como entregado.",
		"st_overdue_plain":               "Se envió el %s, pero todavía no consta como entregado.",
		"st_delivered":                   "Se entregó el %s.",
		"st_cancelled":                   "Se canceló el %s.",
		"refunded":                       "Hasta ahora se han reembolsado %s.",
		"dispute_open":                   "Tiene una disputa abierta (%s).",
		"nx_pending":                     "Los pedidos no pagados se cancelan automáticamente 24 horas después de realizarse.",
		"nx_paid":                        "Enviamos en un plazo de 2 días hábiles desde el pago; si prefieres no esperar, todavía puedes cancelar el pedido con reembolso completo.",
		"nx_in_transit":                  "Si no ha llegado para el %s, puedes abrir una disputa por «artículo no recibido».",
		"nx_not_received":                "Como se envió hace más de 15 días, puedes abrir una disputa por «artículo no recibido» aquí mismo, en el chat.",
		"nx_refund_window":               "Si hay algún problema, puedes solicitar un reembolso en este chat hasta el %s.",
		"nx_dispute_window":              "El plazo de reembolso de 30 días terminó el %s, pero todavía puedes abrir una disputa hasta el %s.",
		"nx_refund_time":                 "Los reembolsos llegan al método de pago original en un plazo de 5 días hábiles.",
		"nx_dispute":                     "La disputa está en revisión y recibirás las novedades aquí.",
		"closing":                        "¿Puedo ayudarte con algo más?",
		"thanks":                         "Gracias por tu paciencia, %s.",
		"update":                         "Te avisaré por aquí en cuanto sepa algo más.",
		"sorry":                          "Siento mucho las molestias, %s.",
		"taken":                          "He tomado esta conversación en lugar del asistente y me estoy ocupando personalmente.",
		"ask_details":                    "¿Podrías contarme un poco más sobre lo que pasó? Si el artículo llegó dañado, una foto nos ayuda.",
		"ask_order":                      "¿Me indicas el número de pedido? Lo encontrarás en tu historial de pedidos; empieza por «ORD-».",
		"ask_not_received":               "¿Podrías decirme cuándo miraste el seguimiento por última vez y qué indicaba?",
		"ask_cancel":                     "¿Podrías decirme por qué quieres cancelarlo? Si hay algún problema con el pedido, me gustaría saberlo.",
		"ask_changed_mind":               "¿Podrías decirme qué artículos quieres devolver?",
		"help":                           "¿En qué puedo ayudarte?",
		"ack_damaged":                    "Siento que el artículo esté dañado o no funcione bien.",
		"ack_wrong_item":                 "Siento que te haya llegado un artículo equivocado.",
		"ack_not_as_described":           "Siento que el artículo no sea como se describía.",
		"ack_not_received":               "Siento que tu pedido todavía no te haya llegado.",
		"ack_cancel":                     "Entiendo que quieres cancelar tu pedido.",
		"ack_changed_mind":               "Entiendo que quieres devolverlo.",
		"why_damaged":                    "artículo dañado",
		"why_wrong_item":                 "artículo equivocado",
		"why_not_as_described":           "no es como se describe",
		"step_refund_reason":             "Puedes solicitar un reembolso en este chat hasta el %s con el motivo «%s»; si hay que devolver el artículo, la tienda paga el envío de la devolución.",
		"step_dispute_route":             "El plazo de reembolso de 30 días terminó el %s, así que el siguiente paso es una disputa por «%s», que puedes abrir en este chat hasta el %s; las fotos del artículo ayudan.",
		"step_windows_over":              "El plazo de reembolso terminó el %s y el de disputas el %s, así que ninguno sigue abierto; déjame ver qué puede hacer la tienda.",
		"step_refund_mind":               "Puedes solicitar un reembolso en este chat hasta el %s; si cambiaste de opinión, el envío de la devolución lo pagas tú.",
		"step_mind_late":                 "El plazo de reembolso de 30 días terminó el %s y cambiar de opinión no es motivo de disputa, así que el pedido ya no se puede reembolsar.",
		"step_nr_dispute":                "Como se envió hace más de 15 días, puedes abrir una disputa por «artículo no recibido» en este chat hasta el %s.",
		"step_nr_delivered":              "Consta como entregado, así que primero consulta con tus vecinos o con la conserjería de tu edificio; si aun así no lo encuentras, escríbenos aquí y atención al cliente lo revisará.",
		"step_cancel_pending":            "Como todavía no está pagado, puedes cancelarlo en este chat y no se te cobrará nada.",
		"step_cancel_paid":               "Como todavía no se ha enviado, puedes cancelarlo en este chat y se te reembolsará el importe completo automáticamente.",
		"step_cancel_shipped":            "Como ya se envió, ya no se puede cancelar; cuando se entregue, podrás solicitar un reembolso en un plazo de 30 días.",
		"step_dispute_nonrefundable":     "Este artículo no es reembolsable, así que el siguiente paso es una disputa por «%s», que puedes abrir en este chat hasta el %s; las fotos del artículo ayudan.",
		"step_mind_nonrefundable":        "Este artículo no es reembolsable, así que tampoco se puede reembolsar por cambio de opinión.",
		"step_refunded_in_full":          "El importe completo del pedido ya se ha reembolsado, así que no queda nada por reembolsar.",
		"brief_order":                    "Pedido %s: %s",
		"brief_no_order":                 "No se menciona ningún pedido en el chat.",
		"brief_problem_damaged":          "Problema: el artículo está dañado o no funciona.",
		"brief_problem_wrong_item":       "Problema: el comprador recibió un artículo equivocado.",
		"brief_problem_not_as_described": "Problema: el artículo no es como se describía.",
		"brief_problem_not_received":     "Problema: el pedido no le ha llegado al comprador.",
		"brief_problem_cancel":           "Problema: el comprador ya no quiere el pedido.",
		"brief_problem_changed_mind":     "Problema: el comprador cambió de opinión sobre el artículo.",
		"brief_want_refund":              "El comprador quiere: un reembolso.",
		"brief_want_replacement":         "El comprador quiere: un cambio por otro artículo.",
		"brief_want_cancel":              "El comprador quiere: cancelar el pedido.",
		"brief_want_dispute":             "El comprador quiere: abrir una disputa.",
		"brief_want_status":              "El comprador quiere: saber dónde está el pedido.",
		"brief_want_person":              "El comprador quiere: hablar con una persona.",
		"brief_cancellable":              "Política: todavía no se ha enviado, así que aún se puede cancelar.",
		"brief_in_transit":               "Política: en tránsito; se puede abrir una disputa por «no recibido» a partir del %s.",
		"brief_overdue":                  "Política: enviado hace más de 15 días y sin entregar; se puede abrir una disputa por «no recibido» hasta el %s.",
		"brief_refundable":               "Política: dentro del plazo de reembolso (hasta el %s).",
		"brief_disputable":               "Política: el plazo de reembolso terminó el %s; se puede abrir una disputa hasta el %s.",
		"brief_windows_over":             "Política: los plazos de reembolso y de disputa han terminado (el de disputa terminó el %s).",
		"brief_disputed":                 "Política: la disputa %s está abierta; el vendedor debe responder antes del %s.",
		"brief_refunded_in_full":         "Política: reembolsado por completo; no queda nada por reembolsar.",
		"brief_delivered_missing":        "Política: el seguimiento lo da por entregado, así que no se puede abrir una disputa por «artículo no recibido»; el comprador debe consultar primero con los vecinos o la conserjería y después lo revisa atención al cliente.",
		"brief_tried":                    "Intentado: %s.",
		"brief_tried_none":               "Intentado: todavía no se ha hecho nada con el pedido.",
		"brief_wrote":                    "El comprador escribió: «%s»",
		"brief_tool_get_order":           "consulta del pedido %s",
		"brief_tool_track_shipment":      "seguimiento del envío de %s",
		"brief_tool_request_refund":      "reembolso de %s",
		"brief_tool_cancel_order":        "cancelación de %s",
		"brief_tool_open_dispute":        "disputa sobre %s",
		"brief_tool_get_refund_status":   "consulta del reembolso de %s",
		"brief_tool_get_dispute":         "consulta de la disputa sobre %s",
		"brief_outcome_done":             "hecho",
		"brief_outcome_refused":          "rechazado",
		"brief_outcome_waiting":          "pendiente de la confirmación del comprador",
		"brief_outcome_declined":         "rechazado por el comprador",
		"brief_outcome_failed":           "fallido",
		"brief_outcome_expired":          "caducado sin confirmar",
	},
	"ru": {
		"greet":                          "Здравствуйте, %[1]s! Меня зовут %[2]s, я из магазина «%[3]s».",
		"checked":                        "Вот что известно по вашему заказу %s.",
		"st_pending":                     "Он оформлен %s и пока ожидает оплаты.",
		"st_paid":                        "Он оплачен и готовится к отправке.",
		"st_shipped":                     "Он отправлен %s (служба доставки: %s, трек-номер: %s).",
		"st_shipped_plain":               "Он отправлен %s.",
		"st_overdue":                     "Он отправлен %s (служба доставки: %s, трек-номер: %s), но пока не отмечен как доставленный.",
		"st_overdue_plain":               "Он отправлен %s, но пока не отмечен как доставленный.",
		"st_delivered":                   "Он доставлен %s.",
		"st_cancelled":                   "Он отменён %s.",
		"refunded":                       "На данный момент возвращено %s.",
		"dispute_open":                   "По нему открыт спор (%s).",
		"nx_pending":                     "Неоплаченные заказы автоматически отменяются через 24 часа после оформления.",
		"nx_paid":                        "Мы отправляем заказы в течение 2 рабочих дней после оплаты; если не хотите ждать, заказ ещё можно отменить с полным возвратом денег.",
		"nx_in_transit":                  "Если он не придёт до %s, вы сможете открыть спор «товар не получен».",
		"nx_not_received":                "С момента отправки прошло больше 15 дней, поэтому вы можете открыть спор «товар не получен» прямо в этом чате.",
		"nx_refund_window":               "Если с товаром что-то не так, вы можете запросить возврат денег в этом чате до %s.",
		"nx_dispute_window":              "30-дневный срок возврата закончился %s, но открыть спор ещё можно до %s.",
		"nx_refund_time":                 "Деньги поступают на исходный способ оплаты в течение 5 рабочих дней.",
		"nx_dispute":                     "Спор рассматривается, новости вы получите здесь.",
		"closing":                        "Могу ли я ещё чем-нибудь помочь?",
		"thanks":                         "Спасибо за терпение, %s.",
		"update":                         "Я сообщу вам здесь, как только что-то узнаю.",
		"sorry":                          "Приносим извинения за неудобства, %s.",
		"taken":                          "Теперь вместо ассистента с вами на связи сотрудник магазина: я лично разбираюсь в вашем вопросе.",
		"ask_details":                    "Расскажите, пожалуйста, подробнее, что случилось? Если товар пришёл повреждённым, пришлите фото.",
		"ask_order":                      "Подскажите, пожалуйста, номер заказа? Он есть в истории заказов и начинается с «ORD-».",
		"ask_not_received":               "Подскажите, пожалуйста, когда вы в последний раз проверяли отслеживание и что там было указано?",
		"ask_cancel":                     "Подскажите, пожалуйста, почему вы хотите отменить заказ? Если с ним что-то не так, нам важно это знать.",
		"ask_changed_mind":               "Подскажите, пожалуйста, какие товары вы хотите вернуть?",
		"help":                           "Чем я могу помочь?",
		"ack_damaged":                    "Сожалеем, что товар повреждён или работает неправильно.",
		"ack_wrong_item":                 "Сожалеем, что вам пришёл не тот товар.",
		"ack_not_as_described":           "Сожалеем, что товар не соответствует описанию.",
		"ack_not_received":               "Сожалеем, что заказ до вас ещё не дошёл.",
		"ack_cancel":                     "Понимаю, вы хотите отменить заказ.",
		"ack_changed_mind":               "Понимаю, вы хотите вернуть товар.",
		"why_damaged":                    "товар повреждён",
		"why_wrong_item":                 "не тот товар",
		"why_not_as_described":           "не соответствует описанию",
		"step_refund_reason":             "Вы можете запросить возврат денег в этом чате до %s с причиной «%s»; если товар нужно отправить обратно, доставку оплачивает магазин.",
		"step_dispute_route":             "30-дневный срок возврата закончился %s, поэтому следующий шаг — спор с причиной «%s», который можно открыть в этом чате до %s; фотографии товара помогут.",
		"step_windows_over":              "Срок возврата закончился %s, а срок открытия спора — %s, так что ни то ни другое уже недоступно; я посмотрю, что может сделать магазин.",
		"step_refund_mind":               "Вы можете запросить возврат денег в этом чате до %s; если вы передумали, обратную доставку оплачиваете вы.",
		"step_mind_late":                 "30-дневный срок возврата закончился %s, а «передумал» — не причина для спора, поэтому деньги за этот заказ вернуть уже нельзя.",
		"step_nr_dispute":                "С момента отправки прошло больше 15 дней, поэтому до %s вы можете открыть в этом чате спор «товар не получен».",
		"step_nr_delivered":              "Заказ отмечен как доставленный, поэтому сначала уточните, пожалуйста, у соседей или у консьержа; если так и не найдёте, напишите нам здесь, и служба поддержки во всём разберётся.",
		"step_cancel_pending":            "Заказ ещё не оплачен, поэтому его можно отменить в этом чате, и ничего списано не будет.",
		"step_cancel_paid":               "Заказ ещё не отправлен, поэтому его можно отменить в этом чате, и вся сумма вернётся автоматически.",
		"step_cancel_shipped":            "Заказ уже отправлен, поэтому отменить его нельзя; после доставки вы сможете запросить возврат денег в течение 30 дней.",
		"step_dispute_nonrefundable":     "Этот товар не подлежит возврату денег, поэтому следующий шаг — спор с причиной «%s», который можно открыть в этом чате до %s; фотографии товара помогут.",
		"step_mind_nonrefundable":        "Этот товар не подлежит возврату денег, поэтому вернуть деньги из-за того, что вы передумали, нельзя.",
		"step_refunded_in_full":          "Вся сумма заказа уже возвращена, поэтому возвращать больше нечего.",
		"brief_order":                    "Заказ %s: %s",
		"brief_no_order":                 "В чате не упоминается ни один заказ.",
		"brief_problem_damaged":          "Проблема: товар повреждён или не работает.",
		"brief_problem_wrong_item":       "Проблема: покупатель получил не тот товар.",
		"brief_problem_not_as_described": "Проблема: товар не соответствует описанию.",
		"brief_problem_not_received":     "Проблема: заказ не дошёл до покупателя.",
		"brief_problem_cancel":           "Проблема: покупателю больше не нужен заказ.",
		"brief_problem_changed_mind":     "Проблема: покупатель передумал насчёт товара.",
		"brief_want_refund":              "Покупатель хочет: вернуть деньги.",
		"brief_want_replacement":         "Покупатель хочет: обменять товар.",
		"brief_want_cancel":              "Покупатель хочет: отменить заказ.",
		"brief_want_dispute":             "Покупатель хочет: открыть спор.",
		"brief_want_status":              "Покупатель хочет: узнать, где заказ.",
		"brief_want_person":              "Покупатель хочет: поговорить с сотрудником.",
		"brief_cancellable":              "Правила: заказ ещё не отправлен, его можно отменить.",
		"brief_in_transit":               "Правила: заказ в пути; спор «товар не получен» можно открыть с %s.",
		"brief_overdue":                  "Правила: отправлен больше 15 дней назад и не доставлен; спор «товар не получен» можно открыть до %s.",
		"brief_refundable":               "Правила: срок возврата ещё идёт (до %s).",
		"brief_disputable":               "Правила: срок возврата закончился %s; спор можно открыть до %s.",
		"brief_windows_over":             "Правила: сроки возврата и спора истекли (срок спора закончился %s).",
		"brief_disputed":                 "Правила: по заказу открыт спор %s; продавец должен ответить до %s.",
		"brief_refunded_in_full":         "Правила: сумма возвращена полностью, возвращать больше нечего.",
		"brief_delivered_missing":        "Правила: по отслеживанию заказ доставлен, поэтому спор «товар не получен» открыть нельзя; покупателю сначала стоит спросить соседей или консьержа, затем разбирается служба поддержки.",
		"brief_tried":                    "Что сделано: %s.",
		"brief_tried_none":               "Что сделано: по заказу пока ничего не предпринималось.",
		"brief_wrote":                    "Покупатель написал: «%s»",
		"brief_tool_get_order":           "заказ %s проверен",
		"brief_tool_track_shipment":      "отслеживание %s",
		"brief_tool_request_refund":      "возврат денег по %s",
		"brief_tool_cancel_order":        "отмена %s",
		"brief_tool_open_dispute":        "спор по %s",
		"brief_tool_get_refund_status":   "статус возврата по %s",
		"brief_tool_get_dispute":         "спор по %s проверен",
		"brief_outcome_done":             "выполнено",
		"brief_outcome_refused":          "отказано",
		"brief_outcome_waiting":          "ждёт подтверждения покупателя",
		"brief_outcome_declined":         "покупатель отказался",
		"brief_outcome_failed":           "не удалось",
		"brief_outcome_expired":          "истекло без подтверждения",
	},
}
