package local

import (
	"regexp"
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// "20 DÍAS esperando una paellera!!! esto es una estafa", "been waiting 3
// weeks for my lantern", "жду самовар уже месяц": a buyer who says how long
// they have waited for goods asks where the order is, however angry the
// words around it; the classifier, reading the anger, guessed a dispute
// or nothing and the buyer was told "I didn't understand". The order is
// looked up (by the goods, when no number is given), so the reply says
// where it stands, and a handoff that follows has it.

// waitingCues say the buyer is waiting, lower-cased and folded.
var waitingCues = foldAll([]string{
	"waiting", "waited", "wait for",
	"기다리", "기다렸", "기다린",
	"esperando", "espere", // not "espero": "espero que…" hopes
	"жду", "ждём", "ждем", "ожида", "ждала", "ждал ",
})

// waitedSpan finds a length of time waited: "20 days", "3 weeks", "a
// month", "2주째", "한 달", "20 DÍAS", "tres semanas", "месяц".
var waitedSpan = regexp.MustCompile(`(?i)(\d+|a|an|one|two|three|four|un|una|dos|tres|cuatro|один|одну|две|три|четыре|한|두|세|네)?\s?` +
	`(days?|weeks?|months?|d[ií]as|semanas?|mes(es)?|дн|недел|месяц|일|주|달|개월)`)

// waitExcluded are what a buyer may wait for other than the goods: money,
// an answer, a person.
var waitExcluded = foldAll([]string{
	"refund", "money", "reply", "response", "answer", "call back", "callback",
	"환불", "돈", "답변", "답장", "연락", "입금",
	"reembolso", "dinero", "respuesta", "contesten", "llamada",
	"возврат", "деньг", "ответ", "звонк",
})

// waitsForGoods reports whether the message says the buyer has waited a
// while for goods: a waiting word with a length of time or goods named,
// and nothing else waited for (money, an answer). Not on a carried
// request, nor a message read as another request with confidence.
func (d *dialogue) waitsForGoods(cur nlu.Result) bool {
	if d.carried || d.slots.RefundID != "" || d.slots.DisputeID != "" {
		return false
	}
	if cur.Confidence >= minConfidence && cur.Intent != nlu.OpenDispute && cur.Intent != nlu.OutOfScope &&
		cur.Intent != nlu.PolicyQuestion && cur.Intent != nlu.OrderStatus && cur.Intent != nlu.DeliveryProblem {
		return false
	}
	q := " " + nlu.Fold(strings.ToLower(d.text)) + " "
	if !containsAny(q, waitingCues) || containsAny(q, waitExcluded) || states(q, foldedWantCues) && nlu.Consequential(cur.Intent) {
		return false
	}
	return waitedSpan.MatchString(q) || len(nlu.ItemTerms(d.text)) > 0
}
