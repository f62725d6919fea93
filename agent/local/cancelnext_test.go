package local_test

import (
	"regexp"
	"strings"
	"testing"
)

// After a cancellation refused because the order has shipped, a follow-up
// that asks nothing new ("so what now?", one word, "return?") gets the next
// step: the order is on its way, and once delivered it can be returned
// within the refund window (its days, from the policy) with the return
// shipping paid as the policy says. Nothing is proposed, nothing is
// cancelled, and the same follow-up asked again is answered again, not
// handed off.
func TestShippedCancelFollowUpGetsTheReturnAfterDelivery(t *testing.T) {
	tests := []struct {
		locale, shop, currency, product string
		price                           int64
		says                            []string
		// days and payer must be in every follow-up's reply.
		days, payer *regexp.Regexp
	}{
		{"en", "shop-maple", "USD", "p-maple-boots", 12900,
			[]string{"please cancel ORD-32001", "ugh. so what are my options now?", "return?"},
			regexp.MustCompile(`\b30 days\b`), regexp.MustCompile(`(?i)buyer`)},
		{"ko", "shop-hangang", "KRW", "p-hangang-kettle", 45000,
			[]string{"ORD-32001 취소해 주세요", "그럼 이제 어떻게 해야 하나요?", "반품은요?"},
			regexp.MustCompile(`30\s?일`), regexp.MustCompile(`구매자`)},
		{"es", "shop-sol", "EUR", "p-sol-lamp", 6450,
			[]string{"cancele el pedido ORD-32001 por favor", "¿y entonces qué hago?", "¿devolución?"},
			regexp.MustCompile(`\b30 días\b`), regexp.MustCompile(`(?i)comprador`)},
		{"ru", "shop-taiga", "RUB", "p-taiga-samovar", 890000,
			[]string{"отмените заказ ORD-32001", "ну и какие у меня варианты?", "а вернуть?"},
			regexp.MustCompile(`30 дн`), regexp.MustCompile(`(?i)покупател`)},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-32001", "buyer-001", tt.shop, tt.currency, "shipped", plantedLine{tt.product, 1, tt.price})
			c.say(tt.says[0])
			for _, s := range tt.says[1:] {
				got := c.say(s)
				if len(got.cards) > 0 {
					t.Errorf("%q brought %d cards, want none", s, len(got.cards))
				}
				if !tt.days.MatchString(got.text) || !tt.payer.MatchString(got.text) || !strings.Contains(got.text, "ORD-32001") {
					t.Errorf("%q = %q, want ORD-32001, the refund window (%s) and who pays (%s)", s, got.text, tt.days, tt.payer)
				}
			}
			if st, _ := c.status("ORD-32001"); st != "shipped" {
				t.Errorf("order is %s, want it still shipped", st)
			}
			if acts := c.pending(); len(acts) != 0 {
				t.Errorf("%d actions pending, want none", len(acts))
			}
		})
	}
}

// After that refusal, the buyer who doubts it ("so I'm stuck with it?") or
// asks what to do once the parcel comes ("what do I do when it gets
// here?") is asking the refusal's next step, not where the parcel is: the
// reply names the money a return brings back (both lines, 2 × the price)
// with the refund window, and proposes nothing.
func TestShippedCancelArrivalQuestionGetsTheAmountBack(t *testing.T) {
	tests := []struct {
		locale, shop, currency, product string
		price                           int64
		says                            []string
		amount, days                    *regexp.Regexp
	}{
		{"en", "shop-maple", "USD", "p-maple-lantern", 3499,
			[]string{"cancel ORD-32002 please", "wait so I'm just stuck with them??", "ok and once they get here what do I do", "seriously? so what happens when it shows up at my door"},
			regexp.MustCompile(`\$69\.98`), regexp.MustCompile(`\b30 days\b`)},
		{"ko", "shop-hangang", "KRW", "p-hangang-tumbler", 23000,
			[]string{"ORD-32002 주문 취소해 주세요", "그럼 도착하면 어떻게 해야 돼요?"},
			regexp.MustCompile(`₩46,000`), regexp.MustCompile(`30\s?일`)},
		{"es", "shop-sol", "EUR", "p-sol-towels", 3200,
			[]string{"anulad el pedido ORD-32002", "vale, y cuando me llegue qué hago con él?"},
			regexp.MustCompile(`64,00\s?€`), regexp.MustCompile(`\b30 días\b`)},
		{"ru", "shop-taiga", "RUB", "p-taiga-box", 180000,
			[]string{"отмените заказ ORD-32002", "и что мне с ним делать, когда придёт?"},
			regexp.MustCompile(`3\s600,00\s?₽`), regexp.MustCompile(`30 дн`)},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-32002", "buyer-001", tt.shop, tt.currency, "shipped", plantedLine{tt.product, 2, tt.price})
			c.say(tt.says[0])
			for _, s := range tt.says[1:] {
				got := c.say(s)
				if len(got.cards) > 0 {
					t.Errorf("%q brought %d cards, want none", s, len(got.cards))
				}
				if !tt.amount.MatchString(got.text) || !tt.days.MatchString(got.text) {
					t.Errorf("%q = %q, want the money back (%s) and the window (%s)", s, got.text, tt.amount, tt.days)
				}
			}
			if st, _ := c.status("ORD-32002"); st != "shipped" {
				t.Errorf("order is %s, want it still shipped", st)
			}
		})
	}
}

// Where the parcel is, asked after that refusal ("when will it get
// here?"), is the delivery's question still: the tracking, not the return.
func TestShippedCancelWhenQuestionStaysTracking(t *testing.T) {
	tests := []struct {
		locale, shop, currency, product string
		price                           int64
		says                            []string
	}{
		{"en", "shop-maple", "USD", "p-maple-lantern", 3499, []string{"cancel ORD-32003 please", "ok, when will it get here then?"}},
		{"es", "shop-sol", "EUR", "p-sol-towels", 3200, []string{"anulad el pedido ORD-32003", "vale, ¿y cuándo llega?"}},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-32003", "buyer-001", tt.shop, tt.currency, "shipped", plantedLine{tt.product, 1, tt.price})
			c.say(tt.says[0])
			got := c.say(tt.says[1])
			if !strings.Contains(got.text, "1Z32003000") {
				t.Errorf("%q = %q, want the tracking number 1Z32003000", tt.says[1], got.text)
			}
		})
	}
}
