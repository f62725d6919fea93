package nlu

import "testing"

// A message names an item of the buyer's orders when it speaks of goods
// the buyer has, has ordered or waits for, or asks what the rules let
// them do with them; a question about a product as such, a request the
// tools cannot serve and a request for the list of orders name none,
// whatever goods words they hold. The intent is given, so that the rule
// is tested apart from the classifier.
func TestItemRefOnlyForTheBuyersGoods(t *testing.T) {
	tests := []struct {
		intent     Intent
		text, want string
	}{
		// Questions about the product itself: no line of an order.
		{OrderStatus, "is the steel bottle ok for hot soup", ""},
		{OutOfScope, "does the rain jacket have a hood?", ""},
		{OutOfScope, "¿la paellera vale para inducción?", ""},
		{PolicyQuestion, "шарф можно стирать в машинке?", ""},
		{OutOfScope, "이어폰 방수 되나요?", ""},
		{OutOfScope, "quiero dejar cinco estrellas a las sandalias", ""},
		// Whether a product is for sale, even asked with "when".
		{OrderStatus, "when will the camp lantern be back in stock?", ""},
		{OutOfScope, "¿cuándo estará disponible la bolsa de esparto otra vez?", ""},
		{OrderStatus, "когда шарфы снова будут в наличии?", ""},
		{OutOfScope, "보온 텀블러 품절이에요? 언제 들어와요?", ""},
		// Listing orders searches by the goods; it singles out no line.
		{ListOrders, "did I ever get socks from you? list my orders", ""},
		{ListOrders, "покажите заказы, я брала валенки?", ""},
		// The buyer's own goods, whatever the classifier made of the message.
		{OutOfScope, "my lantern arrived without its charging cable", "Rechargeable camp lantern"},
		{OrderStatus, "когда привезут самовар?", "Электрический самовар"},
		{OrderStatus, "주전자 아직 출발 안 했어요?", "전기 주전자"},
		{OutOfScope, "pedí el bolso de esparto y vino descosido", "Bolso de esparto"},
		// Waiting for them, or something wrong with them.
		{OrderStatus, "y mi paellera pa cuándo?", "Paellera de acero pulido"},
		{OrderStatus, "шкатулка где вообще??", "Шкатулка из бересты"},
		{OrderStatus, "이어폰 언제쯤?", "무선 이어폰"},
		{OutOfScope, "they put the wrong initials on the 머그컵", "이니셜 각인 머그컵"},
		{OutOfScope, "bought the boots in stock last week, they squeak", "Trail hiking boots"},
		// What the rules allow with the goods.
		{PolicyQuestion, "¿puedo cambiar la lámpara por otra de otro color?", "Lámpara de mesa de cerámica"},
		{PolicyQuestion, "담요 세탁했는데 반품 될까요?", "극세사 담요"},
		{PolicyQuestion, "can I send the merino socks back if they itch?", "Merino wool socks (3 pack)"},
		// A request to act always concerns the buyer's goods.
		{RefundRequest, "the jacket please", "Waterproof rain jacket"},
		// "My" says the goods are the buyer's only before them: before
		// something else it is about that ("my dad", "my initials").
		{OutOfScope, "could you wrap the kettle nicely? it's a present for my mum", ""},
		{OutOfScope, "¿me ponéis mi nombre grabado en la tabla?", ""},
		{OutOfScope, "можно на шкатулке написать моё имя? для моей сестры", ""},
		{OutOfScope, "제 친구한테 선물할 건데 담요 포장 되나요?", ""},
		{OutOfScope, "my wool socks have a hole already", "Merino wool socks (3 pack)"},
		{OutOfScope, "mis sandalias de cuero tienen un olor raro", "Sandalias de cuero"},
		{OutOfScope, "мои валенки воняют клеем", "Валенки ручной работы"},
		{OutOfScope, "내 이어폰 한쪽 소리가 작아요", "무선 이어폰"},
		// News asked of them, and the forms of being sent that start no
		// other cue: left the warehouse, sent in the past tense, the
		// tracking number.
		{OrderStatus, "any update on the steel bottle?", "Insulated steel bottle"},
		{OrderStatus, "담요 출고 됐나요?", "극세사 담요"},
		{OutOfScope, "주전자 보냈어요?", "전기 주전자"},
		{OrderStatus, "у самовара трек не обновляется", "Электрический самовар"},
		// A rules question about a kind of goods, the goods named only
		// as its example, singles out none of the buyer's; said to be
		// theirs, it does.
		{PolicyQuestion, "do appliances like the kettle get a longer warranty?", ""},
		{PolicyQuestion, "¿los alimentos como el aceite tienen devolución?", ""},
		{PolicyQuestion, "шкатулки и вообще изделия из бересты можно вернуть?", ""},
		{PolicyQuestion, "텀블러 같은 제품도 교환 돼요?", ""},
		{PolicyQuestion, "¿puedo devolver una lámpara que compré hace un mes?", "Lámpara de mesa de cerámica"},
		{PolicyQuestion, "can I return my kettle in general terms after a month?", "전기 주전자"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			r := Result{Intent: tt.intent, Slots: ExtractSlots(tt.text)}
			got := ""
			if k := ItemRef(r, tt.text, catalogue); k >= 0 {
				got = catalogue[k]
			}
			if got != tt.want {
				t.Errorf("ItemRef(%s, %q) = %q, want %q", tt.intent, tt.text, got, tt.want)
			}
		})
	}
}
