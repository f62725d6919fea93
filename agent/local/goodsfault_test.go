package local_test

import "testing"

// The money back for a download or an engraved item is refused by the
// rules; the fault of that kind of goods told next ("the pdf opens blank",
// "the name is misspelt on it") is what a dispute covers: the dispute on
// that order is prepared as a card, as not described, and nothing is
// refunded. Before, the fault was out of scope and "ok do it" opened
// nothing.
func TestGoodsFaultAfterRefusalPreparesTheDispute(t *testing.T) {
	tests := []struct {
		name, locale, shop, currency string
		line                         plantedLine
		says                         []string
	}{
		{"download en", "en", "shop-maple", "USD", plantedLine{"p-maple-map", 1, 1200},
			[]string{"need my money back for the map bundle from ORD-32101", "the file is corrupt, every page shows up blank on my laptop"}},
		{"engraving en", "en", "shop-maple", "USD", plantedLine{"p-taiga-engraved", 1, 2100},
			[]string{"want a refund for ORD-32101, changed my mind about the board", "oh and the engraving is misspelled anyway, it says Jonh"}},
		{"download es", "es", "shop-sol", "EUR", plantedLine{"p-sol-ebook", 1, 900},
			[]string{"necesito un reembolso del libro de recetas del pedido ORD-32101", "pues no puedo abrir el archivo, me da error en el móvil y en el ordenador"}},
		{"engraving ko", "ko", "shop-hangang", "KRW", plantedLine{"p-hangang-mug", 1, 18000},
			[]string{"ORD-32101 머그컵 환불해 주세요 단순 변심이에요", "그리고 이니셜이 잘못 새겨져 있어요"}},
		{"engraving ru", "ru", "shop-taiga", "RUB", plantedLine{"p-taiga-engraved", 1, 210000},
			[]string{"верните деньги за доску из заказа ORD-32101, передумал", "к тому же в надписи опечатка, вместо Сергей написано Серегй"}},
		{"download ru", "ru", "shop-taiga", "RUB", plantedLine{"p-maple-map", 1, 50000},
			[]string{"хочу вернуть деньги за заказ ORD-32101", "файл не открывается, а если открыть на компьютере, там белые страницы"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-32101", "buyer-001", tt.shop, tt.currency, "delivered", tt.line)
			a := disputeAfterRefusal(t, c, tt.says, "ORD-32101")
			if a.Plan.Action != "dispute" || a.Plan.Reason != "not_as_described" {
				t.Errorf("plan %+v, want a dispute, not as described", *a.Plan)
			}
		})
	}
}

// Words of a fault of one kind of goods are no fault of another: "typo"
// said of the buyer's own message, a box that will not open, or a name on
// the parcel's label, about an order of ordinary goods, is no dispute.
func TestGoodsFaultOnlyOfItsGoods(t *testing.T) {
	tests := []struct {
		name, locale, says string
	}{
		{"own typo en", "en", "sorry typo, I meant the jacket order ORD-32102"},
		{"label es", "es", "el nombre está mal escrito en la etiqueta del paquete ORD-32102, ¿llegará igual?"},
		{"own typo ru", "ru", "опечатка, я имел в виду заказ ORD-32102"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newChat(t, tt.locale)
			c.plant("ORD-32102", "buyer-001", "shop-maple", "USD", "shipped", plantedLine{"p-maple-jacket", 1, 8950})
			got := c.say(tt.says)
			if acts := c.pending(); len(acts) != 0 {
				t.Errorf("%q: pending %+v, want nothing proposed; reply %q", tt.says, acts, got.text)
			}
		})
	}
}
