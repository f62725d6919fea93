package local

import (
	"slices"
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// Two or more lines asked for in one message: "I'd like a refund for the
// jacket please, and also … could I send one pack of the socks back
// too?", "верните деньги за шкатулку и за шарф". Item matching picks the
// one line a text names best, which leaves the others out; the buyer
// asked for each. Each clause that asks for money back or a return is
// read for the lines it names, and a clause that asks without naming
// goods ("could I send one pack back too?") is about the goods of the
// clause before it. Each line then gets its own
// count of pieces (piecesMeant).

// sendBackVerbs are the English verbs that, with "back" later in the
// clause, ask to return what lies between ("send one pack back", "give
// the 43 back"); a closed set of phrasal verbs.
var sendBackVerbs = []string{" send ", " give ", " ship ", " mail ", " post ", " take "}

// asksReturn reports whether a clause asks for money back or to return
// goods.
func asksReturn(clause string) bool {
	t := " " + nlu.Fold(strings.ToLower(nlu.Cyrillic(clause))) + " "
	if nlu.AsksMoneyBack(clause) || containsAny(t, returnCues) || containsAny(t, refundChoiceCues) {
		return true
	}
	return containsAny(t, sendBackVerbs) && strings.Contains(t, " back")
}

// linesNamed returns the lines of o the words of clause name one by one
// (a word, or two words together for names such as "tea set"), in order.
func linesNamed(clause string, names []string) []int {
	ws := strings.Fields(clause)
	var out []int
	if k := nlu.MatchItem(clause, names); k >= 0 {
		out = append(out, k)
	}
	for i := range ws {
		k := nlu.MatchItem(ws[i], names)
		if k < 0 && i+1 < len(ws) {
			k = nlu.MatchItem(ws[i]+" "+ws[i+1], names)
		}
		if k >= 0 && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// clauseMarks part a message's clauses.
const clauseMarks = ",;.!?？"

// requestedLines returns the lines of o that clauses of asked ask for,
// in line order: "верните деньги за шкатулку … по чайному набору
// откройте спор" asks money back for the box only, though the tea set
// is named last.
func requestedLines(asked string, o tools.Order) []int {
	names := itemNames(o)
	var out []int
	// The lines the clause before named; kept across sentences, which
	// the asked part's clauses are joined as (splitKept).
	var before []int
	for _, sentence := range sentenceEnds.Split(asked, -1) {
		for _, c := range strings.FieldsFunc(sentence, func(r rune) bool { return strings.ContainsRune(clauseMarks, r) }) {
			named := linesNamed(c, names)
			if asksReturn(c) {
				if len(named) == 0 {
					named = before
				}
				for _, k := range named {
					if !slices.Contains(out, k) {
						out = append(out, k)
					}
				}
			}
			if len(named) > 0 {
				before = named
			}
		}
	}
	slices.Sort(out)
	return out
}
