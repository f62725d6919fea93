package local

import "testing"

// statedPieces reads the count next to the goods, the fewest when the
// buyer says how many they bought and how many are wrong; a number
// about something else ("tried 3 cables", "twice") is none.
func TestStatedPieces(t *testing.T) {
	tests := []struct {
		text, name string
		want       int
	}{
		{"one of my three thermos flasks came dented", "Insulated steel bottle", 1},
		{"two of the three sock packs have holes", "Merino wool socks (3 pack)", 2},
		{"the lantern won't charge, tried 3 different cables", "Rechargeable camp lantern", 0},
		{"I tried twice to return the bottle", "Insulated steel bottle", 0},
		{"텀블러 3개 중에 1개만 뚜껑이 깨졌어요", "보온 텀블러", 1},
		{"담요 두 개 중 한 개에 얼룩이 있어요", "극세사 담요", 1},
		{"담요 하나가 올이 다 풀려서 왔어요", "극세사 담요", 1},
		{"quiero el reembolso de esos dos, ¿cuánto es?", "Juego de toallas de algodón", 2},
		{"верните деньги за эти два", "Шарф из шерсти", 2},
		{"de las tres toallas, una toalla vino manchada", "Juego de toallas de algodón", 1},
		{"пришли два шарфа, один шарф с дыркой", "Шарф из шерсти", 1},
	}
	for _, tt := range tests {
		if got := statedPieces(tt.text, tt.name); got != tt.want {
			t.Errorf("statedPieces(%q, %q) = %d, want %d", tt.text, tt.name, got, tt.want)
		}
	}
}

// splitKept keeps goods said to have nothing wrong with them or to be in
// use; onlyGoods picks the goods marked "only", wherever others are named.
func TestKeptAndOnlyGoods(t *testing.T) {
	names := []string{"Rechargeable camp lantern", "Trail hiking boots"}
	kept := []struct{ text, kept string }{
		{"the lantern flickers. there's nothing wrong with the boots", "there's nothing wrong with the boots"},
		{"ORD-32001 이어폰 환불하고 싶어요 운동화는 그냥 신을게요", "운동화는 그냥 신을게요"},
		{"la linterna no carga. Las botas las uso a diario", "Las botas las uso a diario"},
		{"фонарь не заряжается. С ботинками всё без проблем", "С ботинками всё без проблем"},
		// Not fine at all: "비정상" holds "정상", "ненормально" "нормальн".
		{"랜턴이 비정상적으로 깜빡여요", ""},
		{"фонарь светит ненормально", ""},
	}
	for _, tt := range kept {
		if _, got := splitKept(tt.text); got != tt.kept {
			t.Errorf("splitKept(%q) kept %q, want %q", tt.text, got, tt.kept)
		}
	}
	only := []struct {
		text string
		want int
	}{
		{"just the lantern please, the boots are staying", 0},
		{"랜턴만 환불해 주세요. 등산화는 괜찮아요", 0},
		{"solo las botas, la linterna me la quedo", 1},
		{"верните только за ботинки, фонарь оставлю", 1},
		{"refund the lantern and the boots", -1},
	}
	for _, tt := range only {
		if got := onlyGoods(tt.text, names); got != tt.want {
			t.Errorf("onlyGoods(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}
