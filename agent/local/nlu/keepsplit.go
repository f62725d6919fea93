package nlu

import (
	"strings"
)

// One clause often carries both what the buyer wants back and what they
// keep, with no comma between: "i want to return the rain jacket its too
// small the socks im keeping", "boots are fine and the other socks are
// fine too i just want money back for the broken pack", "quiero devolver
// las sandalias el aceite no", "хочу вернуть шарф он колючий валенки
// оставляю". Such a clause is cut into one part per goods named, each
// taking the cue nearest to its goods: a request word ("return", "вернуть")
// usually before the goods it asks for, a keep word ("fine", "оставляю",
// "keeping") before or after the goods it keeps, and a bare "no"/"не"
// right after goods ("el aceite no") leaves them out. Korean clauses are
// already cut after their connective endings.

// exclusionWords leave out the goods they follow at a clause's end ("el
// aceite no") or precede ("not the boots", "не самовар"), folded.
var exclusionWords = map[string]bool{"no": true, "not": true, "не": true, "нет": true}

// mention is a run of words naming goods, by word index.
type mention struct{ from, to int }

// cueAt is a cue found in a clause: its first and last word and whether
// it asks (a request word) or keeps (a keep or exclusion word).
type cueAt struct {
	from, to int
	ask      bool
	// of is the mention an exclusion word belongs to, by index; -1 for a
	// cue any mention may take.
	of int
}

// splitMixed cuts a Latin or Cyrillic clause that both asks and keeps
// into its parts, each with whether it keeps. ok is false when the clause
// names fewer than two goods, or lacks either kind of cue: it is then
// read whole, as before.
func splitMixed(clause string) (parts []string, keeps []bool, ok bool) {
	kt := newKeywordText(fold(strings.ToLower(normalize(clause))))
	if kt.present&scriptHangul != 0 {
		return nil, nil, false
	}
	words := strings.Fields(kt.words)
	var ms []mention
	for i, w := range words {
		goods := wordNamesGoods(w)
		if !goods && i+1 < len(words) {
			// Goods named in two words ("tea set", "olive oil").
			pair := newKeywordText(w + " " + words[i+1])
			goods = namesGoods(pair) && !wordNamesGoods(words[i+1])
		}
		if !goods {
			continue
		}
		if n := len(ms); n > 0 && ms[n-1].to >= i-1 {
			ms[n-1].to = i
			continue
		}
		ms = append(ms, mention{i, i})
	}
	if len(ms) < 2 {
		return nil, nil, false
	}
	cues := cuesIn(kt.words, words)
	for i, w := range words {
		if !exclusionWords[w] {
			continue
		}
		for k, m := range ms {
			// "el aceite no" at the clause's end, "not the boots".
			after := i == m.to+1 && i == len(words)-1
			before := i < m.from && m.from-i <= 2
			if after || before {
				cues = append(cues, cueAt{from: i, to: i, of: k})
			}
		}
	}
	hasAsk, hasKeep := false, false
	for _, c := range cues {
		hasAsk = hasAsk || c.ask
		hasKeep = hasKeep || !c.ask
	}
	if !hasAsk || !hasKeep {
		return nil, nil, false
	}

	// Each mention takes the nearest cue between its neighbours.
	chosen := make([]int, len(ms))
	for k, m := range ms {
		lo, hi := -1, len(words)
		if k > 0 {
			lo = ms[k-1].to
		}
		if k+1 < len(ms) {
			hi = ms[k+1].from
		}
		best, bestCost := -1, 1<<30
		for ci, c := range cues {
			if c.from <= lo || c.to >= hi || c.from >= m.from && c.to <= m.to || c.of >= 0 && c.of != k {
				continue
			}
			var cost int
			if c.to < m.from {
				cost = 2 * (m.from - c.to)
				if !c.ask {
					cost++ // a keep word mostly follows what it keeps
				}
			} else {
				cost = 2 * (c.from - m.to)
				if c.ask {
					cost += 6 // a request word mostly comes first
				}
			}
			if cost < bestCost {
				best, bestCost = ci, cost
			}
		}
		chosen[k] = best
	}

	// Cut between mentions: after a cue that follows the earlier one,
	// else before a cue that precedes the later one, else right after
	// the earlier mention.
	starts := make([]int, len(ms))
	ends := make([]int, len(ms))
	for k, m := range ms {
		starts[k], ends[k] = m.from, m.to
		if c := chosen[k]; c >= 0 {
			starts[k] = min(starts[k], cues[c].from)
			ends[k] = max(ends[k], cues[c].to)
		}
	}
	for k := 0; k+1 < len(ms); k++ {
		cut := ends[k] + 1
		if c := chosen[k]; c >= 0 && cues[c].from > ms[k].to {
			cut = cues[c].to + 1
		} else if c := chosen[k+1]; c >= 0 && cues[c].to < ms[k+1].from {
			cut = max(cues[c].from, ends[k]+1)
		}
		ends[k] = cut - 1
		starts[k+1] = cut
	}
	// Words before the first part and after the last belong to them,
	// unless they hold a request of their own ("… i just want money
	// back for the broken pack").
	lead, trail := starts[0], ends[len(ms)-1]+1
	asksIn := func(from, to int) bool {
		for ci, c := range cues {
			if c.ask && c.from >= from && c.to < to && !isChosen(chosen, ci) {
				return true
			}
		}
		return false
	}
	keepOf := func(k int) bool { return chosen[k] >= 0 && !cues[chosen[k]].ask }
	if lead > 0 && asksIn(0, lead) {
		parts, keeps = append(parts, strings.Join(words[:lead], " ")), append(keeps, false)
	} else {
		starts[0] = 0
	}
	last := len(ms) - 1
	tail := trail < len(words) && asksIn(trail, len(words))
	if !tail {
		ends[last] = len(words) - 1
	}
	for k := range ms {
		parts = append(parts, strings.Join(words[starts[k]:ends[k]+1], " "))
		keeps = append(keeps, keepOf(k))
	}
	if tail {
		parts, keeps = append(parts, strings.Join(words[trail:], " ")), append(keeps, false)
	}
	return parts, keeps, true
}

func isChosen(chosen []int, ci int) bool {
	for _, c := range chosen {
		if c == ci {
			return true
		}
	}
	return false
}

// cuesIn finds the request and keep cues of a clause in its word form
// (" w1 w2 … "), by word index. A keep cue that a negation turns around
// ("not fine", "не в порядке") is no keep cue.
func cuesIn(form string, words []string) []cueAt {
	wordAt := func(off int) int { return strings.Count(form[:off+1], " ") - 1 }
	var out []cueAt
	add := func(kws []keyword, ask bool) {
		for _, kw := range kws {
			if kw.script == scriptHangul {
				continue
			}
			for from := 0; ; {
				i := strings.Index(form[from:], kw.text)
				if i < 0 {
					break
				}
				off := from + i
				from = off + 1
				first := wordAt(off)
				last := wordAt(off + len(strings.TrimRight(kw.text, " ")) - 1)
				if !ask && first > 0 && negates(words[first-1]) {
					continue
				}
				out = append(out, cueAt{from: first, to: last, ask: ask, of: -1})
			}
		}
	}
	add(askCues, true)
	add(moneyBackCues, true)
	add(keepCues, false)
	return out
}

// negates reports whether the word w turns a keep cue after it around.
func negates(w string) bool {
	switch w {
	case "not", "isnt", "arent", "wasnt", "werent", "no", "не", "нет":
		return true
	}
	return false
}
