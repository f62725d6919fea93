package nlu

import "testing"

// Misspelt goods are found, by the rules' slips or, further off, by
// trigram similarity among the goods of the buyer's language when the
// names span shops; words like no item find none.
func TestMatchItemBySimilarity(t *testing.T) {
	tests := []struct{ text, want string }{
		// Two slips in a long word (the rules' edit distance).
		{"the rechargable lanteern stopped working", "Rechargeable camp lantern"},
		{"quiero devolver la paellerra acerro", "Paellera de acero pulido"},
		// Hangul with a wrong final letter in a two-syllable word, a
		// particle glued on: found by similarity alone.
		{"담욠 환불해 주세요", "극세사 담요"},
		{"담욘은 언제 와요?", "극세사 담요"},
		{"텀블럭는 언제 와요", "보온 텀블러"},
		// Russian, a slip and a case ending.
		{"верните деньги за самоваар", "Электрический самовар"},
		// A word that starts like a name's word and goes on past any
		// ending is another word: pickup (самовывоз) is no samovar.
		{"можно забрать самовывозом?", ""},
		{"самоварчик пришёл помятый", "Электрический самовар"},
		{"the lanterns both flicker", "Rechargeable camp lantern"},
		// Nothing like an item.
		{"is there a fee if I cancel?", ""},
		{"hello there, anyone?", ""},
		{"cancela el pedido, la tarjeta era otra", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := ""
			if k := MatchItem(tt.text, catalogue); k >= 0 {
				got = catalogue[k]
			}
			if got != tt.want {
				t.Errorf("MatchItem(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// Within one order (names in one language) every line is a candidate;
// across shops only those of the message's language are.
func TestNgramCandidates(t *testing.T) {
	order := []string{"무선 이어폰", "극세사 담요"}
	if got := ngramCandidates("my 담요 please", order); len(got) != 2 {
		t.Errorf("candidates of one order = %v, want both lines", got)
	}
	got := ngramCandidates("где мой самовар", catalogue)
	for _, i := range got {
		if nameLanguage(fold(catalogue[i]), catalogue[i]) != "ru" {
			t.Errorf("candidate %q for a Russian message across shops", catalogue[i])
		}
	}
	if len(got) != 7 {
		t.Errorf("%d candidates for a Russian message, want the Russian shop's 7", len(got))
	}
}
