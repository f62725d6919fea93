package local

import (
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// Where refunded money goes is a fact of its own: "where would a refund
// even go?", "paid half with a gift card, how does it get split when it
// comes back?", "куда вернутся деньги?", "на карту или на баланс?". Such a
// question shares its words with other sections (a gift card named is on
// the non-refundable list, "частично" is a partial refund), so the
// section that says where the money is sent (the original payment method)
// is picked for it, whatever kind of fact classifyAsk reads. It is no
// askKind of its own: the routing reads these questions by the kinds they
// have (a yes-or-no question about the money going back to a card).

// foldedDestCues ask where money goes, folded like the question.
var foldedDestCues = foldAll([]string{
	"where would", "where does the money", "where does a refund", "where do refunds", "where will the money", "where will a refund", "where will my refund", "where is the refund", "where does it go", "where would it go",
	"different card", "another card", "other card", "go back to", "goes back to", "back to the card", "back to my card", "split", "same card",
	"어디로", "어느 카드", "다른 카드", "어느 계좌", "다른 계좌", "원래 결제", "결제수단으로", "결제 수단으로", "나눠서", "나뉘",
	"a dónde", "adónde", "a qué tarjeta", "otra tarjeta", "misma tarjeta", "a mi tarjeta", "se divide", "se reparte", "dividido",
	"куда вернут", "куда придут", "куда пойдут", "куда возвращ", "куда деньги", "куда поступ", "на карту или", "или на карту", "на другую карту", "на ту же карту", "на баланс", "распредел",
})

// destWords are the policies' words for where refunded money is sent.
var destWords = []string{"payment method", "결제 수단", "método de pago", "способ оплаты"}

// asksDestination reports whether question asks where refunded money goes.
func asksDestination(question string) bool {
	q := " " + nlu.Fold(strings.ToLower(nlu.Cyrillic(question))) + " "
	return containsAny(q, foldedDestCues) || containsAny(softSigns.Replace(q), softAll(foldedDestCues))
}

// destFit is how much s's score should move for ask a: up when a asks
// where the money goes and s says where it is sent.
func destFit(a ask, s section) float64 {
	if !a.dest {
		return 0
	}
	for i := range s.units {
		if containsAny(strings.Join(strings.Fields(strings.ToLower(s.units[i].all())), " "), destWords) {
			return 0.3
		}
	}
	return 0
}
