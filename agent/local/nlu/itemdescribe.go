package nlu

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Buyers who do not know an item's name describe it: "the warm things for
// my feet", "the camping light", "la cosa de paja para llevar las
// compras", "тёплую штуку для ног, из войлока", "따뜻하게 덮는 거". The
// words below find the kinds of goods such a description fits; traits
// (itemTraits: woolly, felt, straw, bark…) then tell the items of those
// kinds apart. A description is weaker than a name: it finds kinds for
// item matching only, and never makes a message about goods for the
// classifier (namesGoods) or the order search (ItemTerms).

// itemDescriptions are the words of a description, each with a word of
// every group of itemGroups whose goods it fits. Latin and Cyrillic words
// are whole words (with an ending: "feet", "lights", "ноги"), so that
// "lightweight" and "светлый" describe nothing.
var itemDescriptions = []struct {
	words, kinds []string
}{
	// Worn on the feet: shoes of any kind, and socks.
	{[]string{"feet", "foot", "pies", "ног", "발에"}, []string{"shoe", "sock"}},
	// A light of any kind: "the camping light". Not "la luz" or "свет",
	// which are as often the electricity ("pagar la luz").
	{[]string{"light", "불빛"}, []string{"lantern"}},
	// Something to cover oneself with.
	{[]string{"to cover", "cover myself", "taparse", "arroparse", "укрыва", "укрыться", "덮는", "덮을", "덮고"}, []string{"blanket"}},
	// Something to carry the shopping in. Not "장바구니" or "корзина для
	// покупок": on a shop's site those are the cart.
	{[]string{"carry", "para las compras", "llevar las compras"}, []string{"bag"}},
}

// descriptionGroups are itemDescriptions prepared for wordGroupAt, with
// the indexes of the groups each one finds.
var descriptionGroups = func() []struct {
	words []goodsWord
	kinds []int
} {
	out := make([]struct {
		words []goodsWord
		kinds []int
	}, len(itemDescriptions))
	for i, d := range itemDescriptions {
		out[i].words = prepareGroups([][]string{d.words})[0]
		for k := range out[i].words {
			if out[i].words[k].kw.script != scriptHangul {
				out[i].words[k].short = true
			}
		}
		for _, w := range d.kinds {
			gi := slices.IndexFunc(itemGroups, func(g []string) bool { return slices.Contains(g, w) })
			if gi < 0 {
				panic("nlu: item description finds no group of " + w)
			}
			out[i].kinds = append(out[i].kinds, gi)
		}
	}
	return out
}()

// addDescribedKinds marks in kinds (see kindsAt) the groups that the
// text's descriptions fit, at the description's position.
func addDescribedKinds(kt keywordText, kinds []int) {
	for _, d := range descriptionGroups {
		p := wordGroupAt(kt, d.words)
		if p < 0 {
			continue
		}
		for _, gi := range d.kinds {
			kinds[gi] = max(kinds[gi], p)
		}
	}
}

// thingWords stand for an item in a description, as whole words: "the
// steel one", "the woolly ones", "la cosa de paja", "this thing". With
// one of them close by, a trait alone may name an item. "Things" and
// "cosas" are left out: "digital things", "cosas digitales" ask about a
// kind of goods in general.
var thingWords = setOf("one", "ones", "thing", "cosa", "cosita")

// thingStems are the Russian words for a thing, in any form ("штуку",
// "штучка", "вещь").
var thingStems = []string{"штук", "штуч", "вещ"}

// thingHangul are the Korean words for a thing ("덮는 거", "가죽 것")
// and the particles they take ("거요", "거를").
var thingHangul = setOf("거", "것", "거요", "거는", "거를", "거예요", "거가", "거도", "거만", "것을", "것이", "것은")

// isThingWord reports whether the folded word w is a thing word.
func isThingWord(w string) bool {
	if thingWords[w] || thingHangul[w] {
		return true
	}
	for _, s := range thingStems {
		if strings.HasPrefix(w, s) {
			return true
		}
	}
	return false
}

// thingNear is how many words apart a thing word and a trait may be and
// still describe one item ("штуку для ног, из войлока").
const thingNear = 4

// thingAt reports whether the text speaks of an unnamed thing (thingWords)
// within thingNear words of the position p, a trait's: "the woolly ones"
// but not "I ordered this thing at 2am … a camping stove".
func thingAt(kt keywordText, p int) bool {
	words := kt.words
	for i := 0; i < len(words); {
		j := strings.IndexByte(words[i+1:], ' ')
		if j < 0 {
			break
		}
		if isThingWord(words[i+1 : i+1+j]) {
			lo, hi := min(p, i), max(p, i)
			if strings.Count(words[lo:hi], " ") <= thingNear {
				return true
			}
		}
		i += 1 + j
	}
	return false
}

// setNouns are the words for a set of goods that an item name may hold
// ("Чайный набор", "Juego de toallas"). The English "set" is left out:
// it is a verb as often as not.
var setNouns = []string{"набор", "сервиз", "juego", "세트"}

// setNoun returns the set noun of the folded name, or "".
func setNoun(folded string) string {
	for _, w := range strings.Fields(folded) {
		for _, n := range setNouns {
			if w == n {
				return n
			}
		}
	}
	return ""
}

// setNounAt returns the last position at which the text speaks of the
// set as such, by the name's set noun in any form ("из набора", "30
// наборов", "el juego"), or -1. A set noun followed by "of" words ("juego
// de té", "набор для…") names a set of something, which the rest of the
// name decides.
func setNounAt(kt keywordText, noun string) int {
	if noun == "" {
		return -1
	}
	if hasHangul(noun) {
		return strings.LastIndex(kt.words, noun)
	}
	// The noun with an ending, not its stem: "juega" is a verb.
	p := inflectedAt(kt, noun)
	if p < 0 {
		return -1
	}
	rest := strings.Fields(kt.words[p:])
	if len(rest) > 1 && (rest[1] == "de" || rest[1] == "of" || rest[1] == "для") {
		return -1
	}
	return p
}

// nameLanguage is the language an item name is written in, as far as its
// letters and words tell: Korean, Russian, Spanish (accents, "de"…) or
// English; "" for none.
func nameLanguage(folded, raw string) string {
	switch {
	case hasHangul(raw):
		return "ko"
	case scriptsOf(folded)&scriptCyrillic != 0:
		return "ru"
	}
	if strings.ContainsAny(strings.ToLower(raw), "áéíóúñü") {
		return "es"
	}
	for _, w := range strings.Fields(folded) {
		if spanishWords[w] {
			return "es"
		}
	}
	if utf8.RuneCountInString(folded) > 0 {
		return "en"
	}
	return ""
}
