package local_test

import (
	"strings"
	"testing"
)

// Money back asked, or asked about, for goods the refund rules exclude,
// named with no order number, gets the rule applied to the buyer's own
// order (the order named, no card), in the four languages, however the
// classifier read it (a purchase to look up, a question, an unsure
// refund). The same question from a buyer whose only order holds other
// goods never has the rule applied to that other order. A question with
// no word making the goods the buyer's (bought, my) is the policies' to
// answer (TestPolicyQuestionNamingAnItemNeverBecomesAnAction).
func TestGoodsNamedForMoneyBackDecideTheAnswer(t *testing.T) {
	tests := []struct {
		locale, shop, currency string
		excluded, other        plantedLine
		asked, rule            string
	}{
		{"en", "shop-maple", "USD", plantedLine{"p-maple-giftcard", 1, 5000}, plantedLine{"p-maple-boots", 1, 12900},
			"my sister already had one, could I get the money for the gift card back?", "excluded from refunds"},
		{"ko", "shop-hangang", "KRW", plantedLine{"p-hangang-mug", 1, 18000}, plantedLine{"p-hangang-kettle", 1, 45000},
			"선물용으로 각인 머그컵 샀는데 받는 사람이 안 쓴대요 ㅠ 환불되나요", "환불 대상에서 제외"},
		{"es", "shop-sol", "EUR", plantedLine{"p-sol-ebook", 1, 900}, plantedLine{"p-sol-pan", 1, 2750},
			"compré el libro de recetas y no es lo que esperaba, me devolvéis el dinero?", "excluido de los reembolsos"},
		{"ru", "shop-taiga", "RUB", plantedLine{"p-taiga-honey", 1, 120000}, plantedLine{"p-taiga-scarf", 1, 240000},
			"купила у вас мёд, оказался слишком сладкий, можно деньги обратно?", "не подлежат возврату"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-31201", "buyer-001", tt.shop, tt.currency, "delivered", tt.excluded)
			got := c.say(tt.asked)
			if !strings.Contains(got.text, "ORD-31201") || !strings.Contains(got.text, tt.rule) {
				t.Errorf("%q = %q, want ORD-31201 and the rule (%q)", tt.asked, got.text, tt.rule)
			}
			if len(got.cards) != 0 {
				t.Errorf("%q: %d cards, want none before a fault is told", tt.asked, len(got.cards))
			}
		})
		t.Run(tt.locale+" goods not ordered", func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-31202", "buyer-001", tt.shop, tt.currency, "delivered", tt.other)
			got := c.say(tt.asked)
			if strings.Contains(got.text, tt.rule) || len(got.cards) != 0 {
				t.Errorf("%q = %q (%d cards), want no rule applied to ORD-31202, which holds other goods", tt.asked, got.text, len(got.cards))
			}
		})
	}
}

// A word for money alone tells of a charge, not of money asked back: "the
// money was taken but no confirmation came" about goods just ordered is
// no refund request (no question whether the buyer wants one, no card),
// whatever goods it names. (What the reply says instead is not yet good in
// every language: es answers the partial-refunds passage, ru that the
// order has no refunds.)
func TestMoneyTakenIsNoMoneyAskedBack(t *testing.T) {
	tests := []struct {
		locale, shop, currency string
		line                   plantedLine
		text, refundWord       string
	}{
		{"en", "shop-maple", "USD", plantedLine{"p-maple-socks", 1, 2400},
			"hi, ordered the wool socks yesterday, the money was taken from my account but no confirmation email came, is everything ok?", "refund"},
		{"es", "shop-sol", "EUR", plantedLine{"p-sol-towels", 1, 3200},
			"hola, ayer pedí las toallas, me cobraron el dinero pero no me llegó el correo de confirmación, ¿está todo bien?", "reembols"},
		{"ru", "shop-taiga", "RUB", plantedLine{"p-taiga-scarf", 1, 240000},
			"Добрый день! Вчера заказала шарф, деньги списались, а письмо с подтверждением так и не пришло, всё ли в порядке?", "возврат"},
		{"ko", "shop-hangang", "KRW", plantedLine{"p-hangang-blanket", 1, 39000},
			"어제 담요 주문했는데 돈은 빠져나갔는데 확인 메일이 안 왔어요. 괜찮은 건가요?", "환불"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-31301", "buyer-001", tt.shop, tt.currency, "paid", tt.line)
			got := c.say(tt.text)
			asked := strings.Contains(strings.ToLower(got.text), tt.refundWord) && strings.HasSuffix(strings.TrimSpace(got.text), "?")
			if asked || len(got.cards) != 0 {
				t.Errorf("%q = %q (%d cards), want no refund offered or asked about", tt.text, got.text, len(got.cards))
			}
		})
	}
}
