package local_test

import (
	"strings"
	"testing"
)

// Two requests of different kinds in one message, one of them an action:
// each is served, in order, the action as a card of its own with its goods'
// amount, the other answered (another order's whereabouts, a translation
// of a seller's message).
func TestAnActionAndAQuestionInOneMessageAreEachServed(t *testing.T) {
	for _, tt := range []struct {
		name, locale, shop, currency string
		lines                        []plantedLine // line 1 is refunded
		other                        []plantedLine // a second order, shipped, when the question is its whereabouts
		message                      string
		amount                       string   // the card's amount, in the reply
		total                        string   // the order's total, never refunded
		answer                       []string // what the reply says of the other request (any of each)
		card                         string   // the card's tool
	}{
		{"status", "en", "shop-maple", "USD", []plantedLine{{"p-maple-socks", 1, 2400}, {"p-maple-jacket", 1, 8950}}, []plantedLine{{"p-maple-bottle", 1, 2999}},
			"The socks came with a hole, please refund them. And where is my other order? It still hasn't come.",
			"$24.00", "$113.50", []string{"ORD-31202"}, "request_refund"},
		{"translate", "en", "shop-maple", "USD", []plantedLine{{"p-maple-socks", 1, 2400}, {"p-maple-jacket", 1, 8950}}, nil,
			"Refund the socks, one pair has a hole. And the seller wrote to me: \"Bitte senden Sie uns ein Foto des Schadens\" - can you translate that?",
			"$24.00", "$113.50", []string{"translat|photo"}, "request_refund"},
		{"status", "es", "shop-sol", "EUR", []plantedLine{{"p-sol-bag", 1, 3990}, {"p-sol-lamp", 1, 6450}}, []plantedLine{{"p-sol-lamp", 1, 6450}},
			"El bolso llegó roto, devolvedme el dinero del bolso. Y mi otro pedido, ¿dónde está?",
			"39,90 €", "103,80 €", []string{"ORD-31202"}, "request_refund"},
		{"translate", "es", "shop-sol", "EUR", []plantedLine{{"p-sol-bag", 1, 3990}, {"p-sol-lamp", 1, 6450}}, nil,
			"Devolvedme el dinero del bolso, vino descosido. Y el vendedor me escribió: \"Please send us a photo of the damage\" ¿me lo traducís?",
			"39,90 €", "103,80 €", []string{"tradu"}, "request_refund"},
		{"status", "ru", "shop-taiga", "RUB", []plantedLine{{"p-taiga-scarf", 1, 240000}, {"p-taiga-samovar", 1, 890000}}, []plantedLine{{"p-taiga-samovar", 1, 890000}},
			"Шарф пришёл с затяжкой, верните за него деньги. И где мой другой заказ? Его всё нет.",
			"2 400,00 ₽", "11 300,00 ₽", []string{"ORD-31202"}, "request_refund"},
		{"translate", "ru", "shop-taiga", "RUB", []plantedLine{{"p-taiga-scarf", 1, 240000}, {"p-taiga-samovar", 1, 890000}}, nil,
			"За шарф верните деньги, он порван. И продавец написал мне: \"Please send us a photo of the damage\" — переведите, пожалуйста.",
			"2 400,00 ₽", "11 300,00 ₽", []string{"перев|фото"}, "request_refund"},
		{"status", "ko", "shop-hangang", "KRW", []plantedLine{{"p-hangang-sneakers", 1, 59000}, {"p-hangang-earbuds", 1, 79000}}, []plantedLine{{"p-hangang-earbuds", 1, 79000}},
			"운동화가 찢어져서 왔어요. 운동화 환불해 주세요. 그리고 다른 주문은 어디쯤 왔나요?",
			"₩59,000", "₩138,000", []string{"ORD-31202"}, "request_refund"},
		{"translate", "ko", "shop-hangang", "KRW", []plantedLine{{"p-hangang-sneakers", 1, 59000}, {"p-hangang-earbuds", 1, 79000}}, nil,
			"운동화는 환불해 주세요, 찢어져 왔어요. 그리고 판매자가 이렇게 보냈어요: \"Please send us a photo of the damage\" 번역해 주세요",
			"₩59,000", "₩138,000", []string{"번역|사진"}, "request_refund"},
	} {
		t.Run(tt.name+"-"+tt.locale, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-31201", "buyer-001", tt.shop, tt.currency, "delivered", tt.lines...)
			if tt.other != nil {
				c.plant("ORD-31202", "buyer-001", tt.shop, tt.currency, "shipped", tt.other...)
			}
			got := c.say(tt.message)
			t.Logf("%q -> cards %d reply %q", tt.message, len(got.cards), got.text)
			if len(got.cards) != 1 {
				t.Fatalf("%q: %d cards, want 1; reply %q", tt.message, len(got.cards), got.text)
			}
			if !strings.Contains(got.text, tt.amount) {
				t.Errorf("reply %q does not give the item's amount %s", got.text, tt.amount)
			}
			if strings.Contains(got.text, tt.total) {
				t.Errorf("reply %q gives the order's total %s", got.text, tt.total)
			}
			acts := c.pending()
			if len(acts) != 1 || acts[0].Tool != tt.card {
				t.Fatalf("pending %v, want one %s", acts, tt.card)
			}
			for _, a := range tt.answer {
				if !containsAny(got.text, a) {
					t.Errorf("reply %q says nothing of %q", got.text, a)
				}
			}
		})
	}
}

func containsAny(s, alts string) bool {
	low := strings.ToLower(s)
	for _, a := range strings.Split(alts, "|") {
		if strings.Contains(low, strings.ToLower(a)) {
			return true
		}
	}
	return false
}
