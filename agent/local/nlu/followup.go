package nlu

import (
	"regexp"
	"strings"
)

// Follow-ups point back at what the conversation already named: "the
// other one", "the second". The dialogue resolves them against the orders
// discussed; these only say that the text points.

// otherCues say "the other one" of things already named, folded.
var otherCues = prepare(
	"the other", "other one", "other order", "the rest",
	"el otro", "la otra", "los otros", "el otro pedido", "otro pedido",
	"другой", "другом", "другого", "другому", "другим", "второй тоже",
	"다른 거", "다른거", "다른 주문", "다른 것", "나머지", "다른 하나", "다른 건", "다른건", "또 다른 거",
)

// OtherRef reports whether text refers to "the other one" of the things
// the conversation named.
func OtherRef(text string) bool {
	kt := newKeywordText(fold(strings.ToLower(normalize(text))))
	return anyCue(kt, kt.present, otherCues)
}

// ordinalTimes is a word with the noun of times after it.
var ordinalTimes = regexp.MustCompile(`\pL+\s+(?:time|times|vez|veces|раз|раза)(?:[^\pL]|$)`)

// Ordinal returns the position an ordinal in text names ("the second",
// "второй заказ", "두 번째 주문"), whatever noun follows it, or 0. An
// item's position in an order is Slots.ItemPosition; this is for a
// position in a list the conversation showed.
func Ordinal(text string) int {
	// "the second time I write", "por tercera vez", "второй раз пишу"
	// count times, not a place in a list.
	text = ordinalTimes.ReplaceAllString(strings.ToLower(text), " ")
	kt := newKeywordText(fold(strings.ToLower(normalize(text))))
	present := kt.present
	for _, o := range ordinalCues {
		if o.kw.script&present != o.kw.script {
			continue
		}
		if o.kw.script == scriptHangul {
			if strings.Contains(kt.compact, o.kw.text) {
				return o.pos
			}
			continue
		}
		if strings.Contains(kt.words, o.kw.text) {
			return o.pos
		}
	}
	return 0
}
