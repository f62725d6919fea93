package local_test

import (
	"slices"
	"testing"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// "The other one" after one order's refund is answered on the other
// order with what the buyer asks of it: where it is (its shipment, not
// its refunds), the dispute of goods the first order does not hold (that
// order's dispute, never the first's), or, asked bare after money back,
// where its money stands (its open dispute).
func TestOtherOneAsksOfTheOtherOrder(t *testing.T) {
	p := newPolicyAgent(t)
	type lang struct {
		locale, shop, currency, first, second string
		price                                 int
		refund, where, goodsDispute, bare     string
	}
	langs := []lang{
		{"en", "shop-maple", "USD", "p-maple-socks", "p-maple-lantern", 2400,
			"did the refund for ORD-18951 go through?", "ok and where's my other order now?",
			"thanks. and the claim I filed about the lantern, did the seller answer?", "and the other?"},
		{"ko", "shop-hangang", "KRW", "p-hangang-blanket", "p-hangang-kettle", 39000,
			"ORD-18951 환불 처리됐나요?", "네 그럼 다른 주문은 지금 어디쯤이에요?",
			"감사합니다 주전자 건으로 분쟁 넣은 건 판매자가 답했나요?", "다른 건요?"},
		{"es", "shop-sol", "EUR", "p-sol-towels", "p-sol-lamp", 3200,
			"¿se hizo el reembolso del ORD-18951?", "vale, ¿y el otro pedido dónde está?",
			"gracias. ¿y la reclamación que abrí por la lámpara? ¿ha contestado la tienda?", "¿y el otro?"},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", "p-taiga-samovar", 180000,
			"возврат по ORD-18951 прошёл?", "понятно, а второй заказ где сейчас?",
			"спасибо. а по самовару я открывала спор, продавец ответил?", "а другой?"},
	}
	for i, tt := range langs {
		amount := l10n.Money(tt.locale, int64(tt.price), tt.currency)
		// afterRefund plants ORD-18951, delivered and refunded, and
		// ORD-18952 (shipped 4 days ago, or delivered 9 days ago with an
		// open dispute), and asks after the first one's refund: the talk
		// is about money when "the other one" comes.
		afterRefund := func(t *testing.T, disputed bool) *buyerChat {
			t.Helper()
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18951", tt.shop, tt.currency, "delivered", 12, tt.first, 1, tt.price)
			c.plantRefund("ORD-18951", "RF-T18951", tt.price, tt.currency, 3)
			if disputed {
				c.order("ORD-18952", tt.shop, tt.currency, "delivered", 9, tt.second, 1, 5000)
				c.plantDispute("ORD-18952", "DSP-T18952", 5)
			} else {
				c.order("ORD-18952", tt.shop, tt.currency, "shipped", 4, tt.second, 1, 5000)
			}
			checkReply(t, tt.refund, c.say(tt.refund), []string{"ORD-18951", amount}, nil)
			return c
		}
		t.Run(tt.locale+"/where", func(t *testing.T) {
			c := afterRefund(t, false)
			turn := c.say(tt.where)
			checkReply(t, tt.where, turn, []string{"ORD-18952", "1Z00000018952"}, []string{"ORD-18951"})
			if slices.Contains(turn.tools, "get_refund_status") {
				t.Errorf("%q looked up refunds (%q), want the order's shipment", tt.where, turn.tools)
			}
		})
		t.Run(tt.locale+"/goods", func(t *testing.T) {
			c := afterRefund(t, true)
			turn := c.say(tt.goodsDispute)
			checkReply(t, tt.goodsDispute, turn, []string{"ORD-18952", "DSP-T18952"}, []string{"ORD-18951"})
			if slices.Contains(turn.tools, "open_dispute") || c.disputes("ORD-18952") != 1 {
				t.Errorf("%q opened a dispute (%q), want the one planted looked up", tt.goodsDispute, turn.tools)
			}
		})
		t.Run(tt.locale+"/bare", func(t *testing.T) {
			c := afterRefund(t, true)
			turn := c.say(tt.bare)
			checkReply(t, tt.bare, turn, []string{"ORD-18952", "DSP-T18952"}, []string{"ORD-18951"})
			if n := c.refunds("ORD-18952"); n != 0 {
				t.Errorf("ORD-18952 has %d refunds after %q, want none", n, tt.bare)
			}
		})
	}
}

// After the buyer called a refund card off, "and the second order?" asks
// after that order (its shipment), not for the dropped action on it nor a
// cancellation: no card, no cancellation or refund tried.
func TestSecondOrderAfterADroppedCard(t *testing.T) {
	p := newPolicyAgent(t)
	cases := []struct {
		locale, shop, currency, item string
		price                        int
		ask, drop, second            string
	}{
		{"en", "shop-maple", "USD", "p-maple-boots", 12900, "refund ORD-18961 please, the boots hurt", "hmm actually cancel that", "and the second order?"},
		{"ko", "shop-hangang", "KRW", "p-hangang-sneakers", 59000, "ORD-18961 환불해 주세요 운동화가 작아요", "생각해보니 취소할게요", "두 번째 주문은요?"},
		{"es", "shop-sol", "EUR", "p-sol-sandals", 4990, "quiero el reembolso del ORD-18961, las sandalias me rozan", "mejor no, cancélalo", "¿y el segundo pedido?"},
		{"ru", "shop-taiga", "RUB", "p-taiga-valenki", 650000, "оформите возврат по ORD-18961, валенки малы", "хотя нет, отмените это", "а второй заказ?"},
	}
	for i, tt := range cases {
		t.Run(tt.locale, func(t *testing.T) {
			c := p.buyerChat(t, demo.BuyerID(i), tt.locale)
			c.onlyOrders()
			c.order("ORD-18961", tt.shop, tt.currency, "delivered", 8, tt.item, 1, tt.price)
			c.order("ORD-18962", tt.shop, tt.currency, "shipped", 3, "p-"+tt.shop[5:]+"-"+map[string]string{"en": "socks", "ko": "blanket", "es": "towels", "ru": "scarf"}[tt.locale], 1, 2000)
			checkReply(t, tt.ask, c.say(tt.ask), []string{"ORD-18961", l10n.Money(tt.locale, int64(tt.price), tt.currency)}, nil)
			c.say(tt.drop)
			if n := len(c.pending()); n != 0 {
				t.Fatalf("after %q %d actions wait, want none", tt.drop, n)
			}
			turn := c.say(tt.second)
			checkReply(t, tt.second, turn, []string{"ORD-18962", "1Z00000018962"}, nil)
			if len(turn.cards) > 0 || slices.Contains(turn.tools, "search_policy") {
				t.Errorf("%q brought cards %v, tools %v; want the order's shipment", tt.second, turn.cards, turn.tools)
			}
			if c.cancelled("ORD-18962") || c.refunds("ORD-18961") != 0 {
				t.Errorf("something was cancelled or refunded")
			}
		})
	}
}
