package guardrails

import (
	"fmt"
	"testing"
)

var benchReply = "Done: refund RF-7K2M9QX4BD of 42.50 USD for order ORD-10042 is pending. " +
	"Approved refunds are sent back to the original payment method within 5 business days [refunds §Refund timing]. " +
	"Your order was delivered on 2026-05-06 with UPS, tracking 1Z0123456789. Is there anything else I can help with?"

func BenchmarkCheckOutput(b *testing.B) {
	c := newChecker(b)
	ev := Evidence{Texts: []string{refundJSON, orderJSON, policyText}}
	b.ReportAllocs()
	for b.Loop() {
		c.CheckOutput(benchReply, "en", "buyer", ev)
	}
}

func BenchmarkCheckOutputParallel(b *testing.B) {
	c := newChecker(b)
	ev := Evidence{Texts: []string{refundJSON, orderJSON, policyText}}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.CheckOutput(benchReply, "en", "buyer", ev)
		}
	})
}

func BenchmarkCheckInput(b *testing.B) {
	c := newChecker(b)
	msg := "Hi, my order ORD-10042 arrived damaged and I'd like a refund to my card 4111 1111 1111 1111, please call 010-1234-5678."
	b.ReportAllocs()
	for b.Loop() {
		c.CheckInput(msg, "en")
	}
}

func BenchmarkStream(b *testing.B) {
	c := newChecker(b)
	ev := Evidence{Texts: []string{refundJSON, orderJSON, policyText}}
	b.ReportAllocs()
	for b.Loop() {
		s := c.NewStream("en", "buyer", ev)
		for i := 0; i < len(benchReply); i += 8 {
			s.Write(benchReply[i:min(i+8, len(benchReply))])
		}
		s.Flush()
	}
}

// orderTurnEvidence is the evidence of a `bench turn --mix order` turn: the
// get_order results of the conversation's window (each as the model read
// it, with its summary), the buyer's questions, and the reply the fake
// writes from the last result.
func orderTurnEvidence(n int) (Evidence, string) {
	var ev Evidence
	var summary string
	for i := range n {
		id := fmt.Sprintf("ORD-%d", 10003+i*50)
		summary = fmt.Sprintf("Order %s from Maple Goods is delivered. Total 42.50 USD. Shipped 2026-04-30 with UPS, tracking 1Z01234567%02d. Delivered 2026-05-06.", id, i)
		ev.Texts = append(ev.Texts, fmt.Sprintf(`{"ok":true,"data":{"order_id":%q,"status":"delivered","shop_id":"7b0c2a6e-3f1d-4c55-9a8e-2f6b1d0c9e41","shop_name":"Maple Goods",`+
			`"total":{"minor":4250,"currency":"USD"},"refunded":{"minor":0,"currency":"USD"},"placed_at":"2026-04-28T09:12:00Z","paid_at":"2026-04-28T09:15:00Z",`+
			`"shipped_at":"2026-04-30T14:00:00Z","delivered_at":"2026-05-06T10:00:00Z","carrier":"UPS","tracking_number":"1Z01234567%02d",`+
			`"items":[{"line":1,"product_id":"P-1001","name":"Ceramic bowl set","quantity":1,"unit_price":{"minor":3000,"currency":"USD"},"refundable":true,"refunded_quantity":0},`+
			`{"line":2,"product_id":"P-1002","name":"Linen napkins","quantity":1,"unit_price":{"minor":1250,"currency":"USD"},"refundable":true,"refunded_quantity":0}]},"summary":%q}`, id, i, summary))
		ev.Buyer = append(ev.Buyer, fmt.Sprintf("can you check order %s for me", id))
	}
	return ev, summary + " Is there anything else I can help you with?"
}

// BenchmarkStreamOrderTurn is the output check of one `bench turn --mix
// order` reply, streamed in small deltas as the model writes it.
func BenchmarkStreamOrderTurn(b *testing.B) {
	c := newChecker(b)
	ev, reply := orderTurnEvidence(6)
	b.ReportAllocs()
	for b.Loop() {
		s := c.NewStream("en", "buyer", ev)
		for i := 0; i < len(reply); i += 8 {
			s.Write(reply[i:min(i+8, len(reply))])
		}
		s.Flush()
		if r := s.Result(); r.Verdict != Pass {
			b.Fatalf("verdict %s, violations %+v", r.Verdict, r.Violations)
		}
	}
}
