package agent

import (
	"slices"
	"testing"
)

// TestHandoffBriefQuotesTheOpeningAccount checks that the buyer's first
// account, told before any order was known and naming no problem the brief
// has a cue for (a double charge, a birthday, earlier contacts), is quoted
// for the first order acted on, in the four languages; a greeting or a
// question about the assistant is not, and an order that already has the
// buyer's words keeps them.
func TestHandoffBriefQuotesTheOpeningAccount(t *testing.T) {
	const ok = `{"ok":true,"data":{}}`
	tests := []struct {
		name  string
		msgs  []Message
		order string
		words []string
	}{
		{"en double charge",
			convo("my card statement lists the same 64.00 payment for the kettle on two separate days",
				"get_order|ORD-10401|"+ok, "get me a person"),
			"ORD-10401", []string{"my card statement lists the same 64.00 payment for the kettle on two separate days"}},
		{"ko earlier contacts",
			convo("이불 배송 문의를 벌써 네 번이나 남겼는데 답이 없네요", "track_shipment|ORD-10402|"+ok, "상담원 바꿔 주세요"),
			"ORD-10402", []string{"이불 배송 문의를 벌써 네 번이나 남겼는데 답이 없네요"}},
		{"es what it was for",
			convo("el bolso era el regalo de aniversario de mi mujer y era el sábado", "track_shipment|ORD-10403|"+ok, "quiero una persona"),
			"ORD-10403", []string{"el bolso era el regalo de aniversario de mi mujer y era el sábado"}},
		{"ru paid twice",
			convo("с карты списали оплату за шарф дважды, по 2400 каждый", "get_order|ORD-10404|"+ok, "позовите оператора"),
			"ORD-10404", []string{"с карты списали оплату за шарф дважды, по 2400 каждый"}},
		{"a question about the assistant is no account",
			convo("bot?", "hola", "get_order|ORD-10405|"+ok, "a person please"),
			"ORD-10405", nil},
		{"a request for a person is no account",
			convo("I want to talk to a real person right now", "get_order|ORD-10406|"+ok),
			"ORD-10406", nil},
		{"the order's own words come first",
			convo("hello, I have a question about one of my orders", "ORD-10407 arrived with a cracked screen",
				"get_order|ORD-10407|"+ok, "a person please"),
			"ORD-10407", []string{"ORD-10407 arrived with a cracked screen"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := handoffBrief(tt.msgs)
			if b == nil || len(b.Orders) == 0 {
				t.Fatalf("handoffBrief = %+v, want a brief of %s", b, tt.order)
			}
			o := b.Orders[0]
			if o.ID != tt.order || !slices.Equal(o.Words, tt.words) {
				t.Errorf("first order = %s quoting %q, want %s quoting %q", o.ID, o.Words, tt.order, tt.words)
			}
		})
	}
}
