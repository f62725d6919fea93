package agent

import "strings"

// A buyer's first message often tells the whole story before any order is
// known: "수술하고 누워서 ... 주전자 45000원이 두번 빠져나갔어요", "la
// lampara era para el cumple de mi madre ... sigue en tránsito", "посылка
// 12 дней стоит в сортировке, я уже два раза писал". The brief's problem
// cues know none of a double charge, a birthday missed or earlier contacts,
// and such a message names no order, so it was quoted nowhere and the
// person taking over read only the order's state. The first account told
// before any order goes with the first order acted on, in the buyer's own
// words, when that order has none of its own yet.

// minOpeningWords is how long a message must be to be an account rather
// than a greeting or a question about the assistant ("bot?", "hi there").
const minOpeningWords = 4

// tellsOpening reports whether e, a buyer's message told before any order
// was known, is their account of the problem: long enough to tell one,
// and not a request for a person (which the brief says in its own words).
func tellsOpening(e BriefEvent) bool {
	if len(strings.Fields(e.Buyer)) < minOpeningWords {
		return false
	}
	return !asksPerson([]BriefEvent{e})
}
