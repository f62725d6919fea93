package nlu

import "testing"

// SplitKept tells the clause that asks from the clauses about goods the
// buyer keeps, in the four languages, in words of the buyers' own kind; a
// negated "fine" and a clause that asks are never kept, and "except"
// moves what follows it out of the kept clause.
func TestSplitKept(t *testing.T) {
	tests := []struct{ text, asked, kept string }{
		{"money back for the mug please, the bottle I'll keep", "money back for the mug please", "the bottle I'll keep"},
		{"the jacket is fine but the bottle leaks", "the bottle leaks", "the jacket is fine"},
		{"the lantern is not fine, refund it", "the lantern is not fine. refund it", ""},
		{"all good except the socks", "the socks", "all good"},
		{"keeping it simple: refund the socks", "refund the socks", "keeping it simple"},
		{"la sartén está bien, devuélveme lo de la lámpara", "devuélveme lo de la lámpara", "la sartén está bien"},
		{"el bolso no está bien", "el bolso no está bien", ""},
		{"самовар оставлю себе, а за чайник верните", "за чайник верните", "самовар оставлю себе"},
		{"шарф не в порядке", "шарф не в порядке", ""},
		{"텀블러는 멀쩡해서 이어폰만 환불해 주세요", "이어폰만 환불해 주세요", "텀블러는 멀쩡해서"},
		{"where is my order?", "where is my order", ""},
		{"the mug is fine, never used, can I send it back?", "the mug is fine, never used, can I send it back?", ""},
		{"самовар в порядке, просто передумал, верните его", "самовар в порядке, просто передумал, верните его", ""},
	}
	for _, tt := range tests {
		asked, kept := SplitKept(tt.text)
		if asked != tt.asked || kept != tt.kept {
			t.Errorf("SplitKept(%q) = %q, %q; want %q, %q", tt.text, asked, kept, tt.asked, tt.kept)
		}
	}
}

// Goods named in a clause that asks nothing, then kept by a clause that
// points back at them ("that one stays"), are the kept goods, in the four
// languages; goods told with a problem, or asked for, are not.
func TestSplitKeptPointsBack(t *testing.T) {
	tests := []struct{ text, asked, kept string }{
		{"refund the mug please, the jacket is a gift, that one stays", "refund the mug please", "the jacket is a gift. that one stays"},
		{"devolvedme lo de la lámpara, el bolso es para mi hermana, ese se queda", "devolvedme lo de la lámpara", "el bolso es para mi hermana. ese se queda"},
		{"верните за чайник, самовар для мамы, его оставлю", "верните за чайник", "самовар для мамы. его оставлю"},
		{"이어폰은 환불해 주세요. 가방은 선물이라서 그건 둘게요", "이어폰은 환불해 주세요", "가방은 선물이라서. 그건 둘게요"},
		// A problem told of the goods: they are not the ones kept.
		{"the jacket came torn, that one stays with me anyway", "the jacket came torn", "that one stays with me anyway"},
	}
	for _, tt := range tests {
		asked, kept := SplitKept(tt.text)
		if asked != tt.asked || kept != tt.kept {
			t.Errorf("SplitKept(%q) = %q, %q; want %q, %q", tt.text, asked, kept, tt.asked, tt.kept)
		}
	}
}

// Taking back a pending request is read in the buyer's own words, "stop"
// and "don't do anything" among them, in the four languages; messages
// that only mention stopping or doing are not.
func TestWithdrawsStopAndDoNothing(t *testing.T) {
	for _, text := range []string{
		"hold on, don't do anything yet",
		"stop, I changed my mind",
		"wait, do nothing for now please",
		"para para, que no quiero nada aún",
		"no haga nada todavía por favor",
		"подождите, ничего не делайте пока",
		"не оформляйте пока, я подумаю",
		"잠깐만요 아무것도 하지 말아 주세요",
		"멈춰 주세요 다시 생각해 볼게요",
	} {
		if !Withdraws(text) {
			t.Errorf("Withdraws(%q) = false, want true", text)
		}
	}
	for _, text := range []string{
		// A stop the buyer is at takes nothing back.
		"at a stop got 2 min, where is the jacket",
		"i'm at the bus stop, is my order coming today?",
		"estoy en la parada, ¿dónde está la lámpara?",
		"я на остановке, где мой заказ?",
		"정류장이에요 주문 어디쯤 왔어요?",
		"the lantern stopped working",
		"what do I do with a broken mug?",
		"para el pedido ORD-10042, ¿cuándo llega?",
		"что мне делать с браком?",
	} {
		if Withdraws(text) {
			t.Errorf("Withdraws(%q) = true, want false", text)
		}
	}
}

// "The other one" is read however Korean buyers say it.
func TestOtherRefKorean(t *testing.T) {
	for _, text := range []string{"그럼 다른 하나는요?", "다른 건 어떻게 됐어요?"} {
		if !OtherRef(text) {
			t.Errorf("OtherRef(%q) = false, want true", text)
		}
	}
}
