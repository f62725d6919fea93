package nlu

import (
	"strings"
)

// Long messages tell a story around their request: "the lamp is for the
// baby's room, she is due in two weeks lol, is it on its way yet? my
// sister says…". Over the whole message the story's words outweigh the
// few that ask, so the clause that carries the request or question is
// also featurised on its own (see featurize), and the classifier learns
// how much to trust it.

// focusMinTokens is the shortest message, in tokens, that is searched for
// a focus clause; shorter ones are one request already.
const focusMinTokens = 12

// focusMinTokensKorean is focusMinTokens for Korean, whose words carry
// their particles and endings: "분쟁 신청하고 싶어요" is three tokens where
// English needs six, so a story and its request fit in half as many.
const focusMinTokensKorean = 6

// focusMix is the share of the focus clause's reading in a long
// message's probabilities.
const focusMix = 0.35

// clause is one sentence-like piece of a message.
type clause struct {
	tokens   []string
	question bool
}

// splitClauses cuts masked text at sentence ends and semicolons; a
// question mark ends a clause that asks.
func splitClauses(masked string) []clause {
	var out []clause
	start := 0
	for i, r := range masked {
		end := false
		q := false
		switch r {
		case '.', '!', ';', '\n', '…', '。', ',':
			end = true
		case '?':
			end, q = true, true
		}
		if !end {
			continue
		}
		if toks := tokenize(masked[start:i]); len(toks) > 0 {
			out = append(out, clause{toks, q})
		} else if q && len(out) > 0 {
			out[len(out)-1].question = true // "…where is it??"
		}
		start = i + len(string(r))
	}
	if toks := tokenize(masked[start:]); len(toks) > 0 {
		out = append(out, clause{toks, false})
	}
	return out
}

// focusAnalysis is the focus clause read as a message of its own, with
// the whole message's goods and topic, which the clause's pronouns refer
// to; nil without a focus.
func (a *analysis) focusAnalysis() *analysis {
	if a.focus == nil {
		return nil
	}
	f := &analysis{tokens: a.focus, question: a.focusQuestion, goods: a.goods, topic: a.topic, flaw: a.flaw, arrival: a.arrival, slots: a.slots}
	f.act = readAct(strings.Join(f.tokens, " "), f.question, &f.slots)
	return f
}

// focusClause returns the tokens of the clause that carries the message's
// request or question: the one with the strongest act signals (a stated
// want, a question, a named order), the later one on a tie, as stories
// come first. It returns nil when there is only one clause.
func focusClause(cs []clause, vocab vocabulary) ([]string, bool) {
	if len(cs) < 2 {
		return nil, false
	}
	best, bestScore := -1, -1
	for i := range cs {
		toks := vocab.segment(cs[i].tokens)
		cs[i].tokens = toks
		var sl Slots
		for _, t := range toks {
			if t == string(phOrder) {
				sl.OrderID = "x"
			}
		}
		sig := readAct(strings.Join(toks, " "), cs[i].question, &sl)
		score := 0
		if sig.want {
			score += 3
		}
		if cs[i].question {
			score += 2
		} else if sig.ask {
			score++
		}
		if sl.OrderID != "" {
			score++
		}
		if score >= bestScore {
			best, bestScore = i, score
		}
	}
	return cs[best].tokens, cs[best].question
}
