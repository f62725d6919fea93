package guardrails

import "testing"

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
