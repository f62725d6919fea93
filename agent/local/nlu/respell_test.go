package nlu

import "testing"

// matchName is MatchItem against the catalogue, as a name ("" for none).
func matchName(text string) string {
	if k := MatchItem(text, catalogue); k >= 0 {
		return catalogue[k]
	}
	return ""
}

// Buyers typing fast write goods the way they write everything else:
// digits for letters, words without vowels, a space dropped between the
// verb and the goods. Each used to find no item.
func TestItemReferencesInFastTyping(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"did u ship my b00ts yet", "Trail hiking boots"},
		{"the l4ntern is dead", "Rechargeable camp lantern"},
		{"blnkt arrived torn, pls help", "극세사 담요"},
		{"my order 10042 had 2 items", ""},
		{"need help w the gift crd i bought", "Maple & Pine gift card"},
		{"cant use thegift card code", "Maple & Pine gift card"},
		{"отменитесамовар пожалуйста", "Электрический самовар"},
		{"вернитеденьги зашкатулку", "Шкатулка из бересты"},
		// Order ids and sizes keep their digits; a Spanish refund is no
		// bag, though "reembolso" holds "bolso".
		{"ORD-10042 status", ""},
		{"quiero el reembolso del pedido", ""},
	} {
		if got := matchName(tt.text); got != tt.want {
			t.Errorf("MatchItem(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// Russian goods words whose stem ends in a consonant and "к" drop into
// another form in the genitive plural ("доска", "досок") and the
// diminutive ("досочка"), which do not start with the stem.
func TestItemReferencesRussianFleetingVowel(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"заказал 12 досок, пришло 10", "Разделочная доска с гравировкой"},
		{"где моя досочка с гравировкой", "Разделочная доска с гравировкой"},
		{"верните деньги за курточку", "Waterproof rain jacket"},
		{"пять шкатулок пришли мятые", "Шкатулка из бересты"},
		{"сумок не было в посылке", "Bolso de esparto"},
	} {
		if got := matchName(tt.text); got != tt.want {
			t.Errorf("MatchItem(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// A Spanish complement ("de recetas") says what the item is of, not what
// it is: a recipe is not the recipe book, though "las recetas" and a
// misspelt "toalas" still name their items.
func TestItemReferencesComplementAsWritten(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"me pasas una receta de croquetas?", ""},
		{"cual es la mejor receta de flan", ""},
		{"no se descargan las recetas que compré", "Libro de recetas (digital)"},
		{"las toalas llegaron sucias", "Juego de toallas de algodón"},
		{"김밥 레시피 알려줘", ""},
		{"레시피북 환불해주세요", "Libro de recetas (digital)"},
	} {
		if got := matchName(tt.text); got != tt.want {
			t.Errorf("MatchItem(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// The item a message means is the one it asks about, not one it says is
// fine: a buyer who corrects themselves names the right item before
// saying the first was fine. ItemRef used to take the item named last.
func TestItemRefSkipsGoodsSaidFine(t *testing.T) {
	c := classifier(t)
	for _, tt := range []struct{ text, loc, want string }{
		{"refund for the lantern? wait no, the jacket, the lantern works fine", "en", "Waterproof rain jacket"},
		{"reembolso del bolso... no, perdona, de la paellera, el bolso está bien", "es", "Paellera de acero pulido"},
		{"возврат за самовар? нет, за шкатулку, самовар в порядке", "ru", "Шкатулка из бересты"},
		{"refund the socks please", "en", "Merino wool socks (3 pack)"},
	} {
		got := ""
		if k := ItemRef(c.Parse(tt.text, tt.loc), tt.text, catalogue); k >= 0 {
			got = catalogue[k]
		}
		if got != tt.want {
			t.Errorf("ItemRef(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// Russian typed in Latin letters is recognised though it also holds
// words that are English ("i", "on"), and by its reflexive verbs.
func TestLooksTranslitWithSharedWords(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"verni dengi za kruzhku, on tresnul i protekaet", true},
		{"verni za chashku, on razbilsya", true},
		{"i want my money back on the scarf", false},
		{"the lid is loose and the mug leaks", false},
	} {
		if got := looksTranslit(normalize(tt.text)); got != tt.want {
			t.Errorf("looksTranslit(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
