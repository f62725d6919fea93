package guardrails

import (
	"testing"
)

const (
	orderJSON   = `{"ok":true,"data":{"order_id":"ORD-10042","status":"delivered","shop_name":"Maple Goods","total":{"minor":4250,"currency":"USD"},"refunded":{"minor":0,"currency":"USD"},"placed_at":"2026-04-28T09:12:00Z","paid_at":"2026-04-28T09:15:00Z","shipped_at":"2026-04-30T14:00:00Z","delivered_at":"2026-05-06T10:00:00Z","carrier":"UPS","tracking_number":"1Z0123456789"}}`
	refundJSON  = `{"ok":true,"data":{"refund_id":"RF-7K2M9QX4BD","order_id":"ORD-10042","amount":{"minor":4250,"currency":"USD"},"status":"pending","created_at":"2026-05-10T08:00:00Z"}}`
	disputeJSON = `{"ok":true,"data":{"dispute_id":"DSP-3H8N2C5WQ1","order_id":"ORD-10042","status":"under_review","seller_respond_by":"2026-05-13T08:00:00Z","decide_by":"2026-05-20T08:00:00Z"}}`
	krwJSON     = `{"ok":true,"data":{"order_id":"ORD-20417","status":"shipped","total":{"minor":15000,"currency":"KRW"},"shipped_at":"2026-05-02T03:00:00Z","tracking_number":"CJ4081726354"}}`
	rubJSON     = `{"ok":true,"data":{"order_id":"ORD-40129","status":"delivered","total":{"minor":150000,"currency":"RUB"}}}`
	policyText  = "You can request a refund up to 30 days after your order was delivered. Approved refunds are sent back to the original payment method within 5 business days. Standard domestic delivery takes 3 to 7 business days. Shipping is free on orders of 50 USD or more. An order can receive at most 3 refunds. Open a dispute instead (see the Disputes policy)."
)

// TestClaims checks every claim type against evidence that supports it
// and evidence that does not.
func TestClaims(t *testing.T) {
	c := newChecker(t)
	tests := []struct {
		kind, text, locale string
		ev                 []string
		supported          bool
	}{
		{claimAmount, "Order ORD-10042 cost 42.50 USD in total.", "en", []string{orderJSON}, true},
		{claimAmount, "Order ORD-10042 cost $42.50 in total.", "en", []string{orderJSON}, true},
		{claimAmount, "Order ORD-10042 cost USD 42.50 in total.", "en", []string{orderJSON}, true},
		{claimAmount, "Order ORD-10042 cost 42,50 USD in total.", "en", []string{orderJSON}, true},
		{claimAmount, "Order ORD-10042 cost $42.50.", "en", []string{"The total was 42.50 USD."}, true},
		{claimAmount, "Order ORD-10042 cost 42.50 USD.", "en", []string{"I paid $42.50 for ORD-10042."}, true},
		{claimAmount, "Order ORD-10042 cost $24.50 in total.", "en", []string{orderJSON}, false},
		{claimAmount, "Order ORD-10042 cost 42.50 EUR in total.", "en", []string{orderJSON}, false},
		{claimAmount, "주문 ORD-20417 금액은 ₩15,000입니다.", "ko", []string{krwJSON}, true},
		{claimAmount, "주문 ORD-20417 금액은 15,000원입니다.", "ko", []string{krwJSON}, true},
		{claimAmount, "주문 ORD-20417 금액은 15000 KRW입니다.", "ko", []string{krwJSON}, true},
		{claimAmount, "주문 ORD-20417 금액은 16,000원입니다.", "ko", []string{krwJSON}, false},
		{claimAmount, "Сумма заказа ORD-40129 — 1 500 ₽.", "ru", []string{rubJSON}, true},
		{claimAmount, "Сумма заказа ORD-40129 — 1500,00 руб.", "ru", []string{rubJSON}, true},
		{claimAmount, "Сумма заказа ORD-40129 — 1 500 000 ₽.", "ru", []string{rubJSON}, false},
		{claimDuration, "You can request a refund up to 30 days after delivery.", "en", []string{policyText}, true},
		{claimDuration, "You have a 30-day window to ask for a refund.", "en", []string{policyText}, true},
		{claimDuration, "Refunds arrive within 5 business days.", "en", []string{policyText}, true},
		{claimDuration, "Refunds arrive within 5 days.", "en", []string{policyText}, true}, // calendar days backed by business days
		{claimDuration, "Refunds arrive within 3 business days.", "en", []string{policyText}, false},
		{claimDuration, "Domestic delivery takes 3 to 7 business days.", "en", []string{policyText}, true},
		{claimDuration, "Domestic delivery takes 3 to 9 business days.", "en", []string{policyText}, false},
		{claimDuration, "You can request a refund up to 4 weeks after delivery.", "en", []string{policyText}, false},
		{claimDuration, "환불은 배송 후 30일 이내에 신청할 수 있습니다.", "ko", []string{"환불은 배송 완료 후 30일 이내에 신청할 수 있습니다."}, true},
		{claimDuration, "환불은 배송 후 14일 이내에 신청할 수 있습니다.", "ko", []string{"환불은 배송 완료 후 30일 이내에 신청할 수 있습니다."}, false},
		{claimDuration, "Puede pedirlo hasta 30 días después de la entrega.", "es", []string{"Puede solicitar un reembolso hasta 30 días después de la entrega."}, true},
		{claimDuration, "Запросить возврат можно в течение 30 дней.", "ru", []string{"Запросить возврат средств можно в течение 30 дней после доставки."}, true},
		{claimDuration, "Запросить возврат можно в течение 45 дней.", "ru", []string{"Запросить возврат средств можно в течение 30 дней после доставки."}, false},
		{claimDate, "Order ORD-10042 was delivered on 2026-05-06.", "en", []string{orderJSON}, true},
		{claimDate, "Order ORD-10042 was delivered on May 6, 2026.", "en", []string{orderJSON}, true},
		{claimDate, "Order ORD-10042 was delivered on 6 May.", "en", []string{orderJSON}, true},
		{claimDate, "Order ORD-10042 was delivered on 2026-05-07.", "en", []string{orderJSON}, false},
		{claimDate, "주문 ORD-10042은 2026년 5월 6일에 배송 완료되었습니다.", "ko", []string{orderJSON}, true},
		{claimDate, "El pedido ORD-10042 se entregó el 6 de mayo de 2026.", "es", []string{orderJSON}, true},
		{claimDate, "Заказ ORD-10042 доставлен 6 мая 2026 г.", "ru", []string{orderJSON}, true},
		{claimDate, "Заказ ORD-10042 доставлен 06.05.2026.", "ru", []string{orderJSON}, true},
		{claimDate, "Заказ ORD-10042 доставлен 7 мая 2026 г.", "ru", []string{orderJSON}, false},
		{claimOrder, "Your order ORD-10042 is on file.", "en", []string{orderJSON}, true},
		{claimOrder, "Your order ORD-10024 is on file.", "en", []string{orderJSON}, false},
		{claimRefund, "Refund RF-7K2M9QX4BD is on file.", "en", []string{refundJSON}, true},
		{claimRefund, "Refund RF-7K2M9QX4BE is on file.", "en", []string{refundJSON}, false},
		{claimDispute, "Dispute DSP-3H8N2C5WQ1 is on file.", "en", []string{disputeJSON}, true},
		{claimDispute, "Dispute DSP-3H8N2C5WQ2 is on file.", "en", []string{disputeJSON}, false},
		{claimTracking, "The tracking number is 1Z0123456789.", "en", []string{orderJSON}, true},
		{claimTracking, "The tracking number is 1Z 0123 4567 89.", "en", []string{orderJSON}, true},
		{claimTracking, "The tracking number is 1Z0123456788.", "en", []string{orderJSON}, false},
		{claimTracking, "운송장 번호는 CJ4081726354입니다.", "ko", []string{krwJSON}, true},
		{claimTracking, "운송장 번호는 CJ4081726353입니다.", "ko", []string{krwJSON}, false},
		{claimPercent, "Orders over 50 USD get 10% off.", "en", []string{"Members get 10% off orders over 50 USD."}, true},
		{claimPercent, "Orders over 50 USD get 15% off.", "en", []string{"Members get 10% off orders over 50 USD."}, false},
		{claimStatus, "Refund RF-7K2M9QX4BD is pending.", "en", []string{refundJSON}, true},
		{claimStatus, "Refund RF-7K2M9QX4BD has been approved.", "en", []string{refundJSON}, false},
		{claimStatus, "Order ORD-10042 was delivered on 2026-05-06.", "en", []string{orderJSON}, true},
		{claimStatus, "Order ORD-10042 has not been refunded.", "en", []string{orderJSON}, true}, // negated: no claim
		{claimStatus, "Order ORD-10042 was refunded.", "en", []string{orderJSON}, false},
		{claimStatus, "Dispute DSP-3H8N2C5WQ1 is under review.", "en", []string{disputeJSON}, true},
		{claimStatus, "Dispute DSP-3H8N2C5WQ1 was resolved in your favour.", "en", []string{disputeJSON}, false},
		{claimStatus, "Спор DSP-3H8N2C5WQ1 по заказу ORD-10042 на рассмотрении.", "ru", []string{disputeJSON}, true},
		{claimStatus, "Спор DSP-3H8N2C5WQ1 по заказу ORD-10042 отозван.", "ru", []string{disputeJSON}, false},
		{claimStatus, "El reembolso RF-7K2M9QX4BD del pedido ORD-10042 está aprobado.", "es", []string{refundJSON}, false},
		{claimStatus, "주문 ORD-20417은 발송되었습니다.", "ko", []string{krwJSON}, true},
		{claimStatus, "주문 ORD-20417은 취소되었습니다.", "ko", []string{krwJSON}, false},
		{claimPolicy, "For that, see the Disputes policy.", "en", []string{policyText}, true},
		{claimPolicy, "You are covered by our Price Match Guarantee.", "en", []string{policyText}, false},
		{claimPolicy, "Esto lo cubre nuestra garantía de satisfacción total.", "es", []string{policyText}, false},
		{claimPolicy, "Это покрывает программа «Надёжная покупка».", "ru", []string{policyText}, false},
		{claimCount, "An order can receive at most 3 refunds.", "en", []string{policyText}, true},
		{claimCount, "An order can receive at most 5 refunds.", "en", []string{policyText}, false},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.text, func(t *testing.T) {
			r := c.CheckOutput(tt.text, tt.locale, "buyer", Evidence{Texts: tt.ev})
			var found *Violation
			for i, v := range r.Violations {
				if v.Type == TypeUnsupported && v.Rule == tt.kind {
					found = &r.Violations[i]
				}
			}
			switch {
			case tt.supported && found != nil:
				t.Errorf("CheckOutput(%q) flags %s %q, want it supported by %q", tt.text, found.Rule, found.Span, tt.ev)
			case !tt.supported && found == nil:
				t.Errorf("CheckOutput(%q) = %s %+v, want an unsupported %s", tt.text, r.Verdict, r.Violations, tt.kind)
			case found != nil && tt.text[found.Start:found.End] != found.Span:
				t.Errorf("violation span %q is not at [%d:%d]", found.Span, found.Start, found.End)
			}
		})
	}
}

func TestCitationsAndExamplesAreNotClaims(t *testing.T) {
	c := newChecker(t)
	for _, text := range []string{
		"Refunds take 5 business days [refunds §Refund timing 5 business days 2026-01-01].",
		"Which order is it about? Please send the order number, for example ORD-99999.",
		"Send the refund number (RF-…) or the order number (ORD-…).",
	} {
		ev := []string{"Approved refunds are sent back within 5 business days."}
		r := c.CheckOutput(text, "en", "buyer", Evidence{Texts: ev})
		for _, v := range r.Violations {
			if v.Type == TypeUnsupported {
				t.Errorf("CheckOutput(%q) claims %q (%s), want citations and examples ignored", text, v.Span, v.Rule)
			}
		}
	}
}

func TestLowSupport(t *testing.T) {
	c := newChecker(t)
	ev := Evidence{Texts: []string{`{"ok":true,"data":{"hits":[{"doc_id":"refunds","text":"Approved refunds are sent back to the original payment method within 5 business days. Refunds are not paid to a different card, account or wallet."}]}}`}}
	tests := []struct {
		text string
		low  bool
	}{
		{"Approved refunds are sent back to the original payment method within 5 business days [refunds §Refund timing].", false},
		{"Refunds are not paid to a different card, account or wallet.", false},
		{"Refunds for orders paid by bank transfer are only issued as store credit.", true},
		{"Opened electronics are excluded from refunds unless the seals are intact.", true},
	}
	for _, tt := range tests {
		r := c.CheckOutput(tt.text, "en", "buyer", ev)
		low := false
		for _, v := range r.Violations {
			low = low || v.Type == TypeLowSupport
		}
		if low != tt.low {
			t.Errorf("CheckOutput(%q): low_support %v (score %.2f), want %v", tt.text, low, r.Score, tt.low)
		}
	}
	// Without any evidence a policy statement has no support at all.
	if r := c.CheckOutput("Gift cards cannot be refunded, but you can open a dispute if they are not as described.", "en", "buyer", Evidence{}); r.Score != 0 {
		t.Errorf("policy with no evidence scores %.2f, want 0", r.Score)
	}
}

// TestRestatedToolResults holds that a reply restating what a tool's
// summary or error message says passes, while a state the result does not
// give is still flagged: track_shipment's summaries and not_eligible
// messages were flagged as unsupported states before.
func TestRestatedToolResults(t *testing.T) {
	c := newChecker(t)
	const (
		delayed   = `{"ok":true,"data":{"order_id":"ORD-10001","status":"delayed","carrier":"DHL","tracking_number":"JD014600003","shipped_at":"2026-10-01T10:00:00Z","not_received_dispute_until":"2026-11-30T10:00:00Z"},"summary":"Order ORD-10001 shipped 2026-10-01 with DHL, tracking number JD014600003; it has not been delivered after more than 15 days, so an \"item not received\" dispute can be opened until 2026-11-30."}`
		paid      = `{"ok":false,"error":{"code":"not_eligible","message":"order ORD-10002 is paid but has not shipped yet; the seller ships it by 2026-12-04, and the tracking number appears then"}}`
		cancelled = `{"ok":false,"error":{"code":"not_eligible","message":"order ORD-10003 was cancelled before it shipped, so there is nothing to track"}}`
	)
	tests := []struct {
		name, text, ev string
		flagged        bool
	}{
		{"delayed summary", "Order ORD-10001 shipped 2026-10-01 with DHL, tracking number JD014600003; it has not been delivered after more than 15 days, so an \"item not received\" dispute can be opened until 2026-11-30.", delayed, false},
		{"paid not_eligible", "Order ORD-10002 is paid but has not shipped yet; the seller ships it by 2026-12-04.", paid, false},
		{"cancelled not_eligible", "Order ORD-10003 was cancelled before it shipped, so there is nothing to track.", cancelled, false},
		{"cannot be cancelled", "Order ORD-10001 cannot be cancelled any more.", delayed, false},
		{"delivered is not in the result", "Order ORD-10001 was delivered on 2026-10-01.", delayed, true},
		{"an open dispute is not in the result", "Your dispute about ORD-10001 is open.", delayed, true},
		{"refunded is not in the message", "Order ORD-10003 has been refunded.", cancelled, true},
		{"shipped is not in the message", "Order ORD-10002 was shipped yesterday.", paid, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.CheckOutput(tt.text, "en", "buyer", Evidence{Texts: []string{tt.ev}})
			flagged := false
			for _, v := range r.Violations {
				flagged = flagged || v.Type == TypeUnsupported && v.Rule == claimStatus
			}
			if flagged != tt.flagged {
				t.Errorf("CheckOutput(%q) = %s %+v, want an unsupported status: %v", tt.text, r.Verdict, r.Violations, tt.flagged)
			}
		})
	}
}
