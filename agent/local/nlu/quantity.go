package nlu

import "strings"

// A buyer who wants one piece of a line of several says "one" before the
// goods as often as "one of the": "a refund for one dented steel bottle",
// "верните деньги за одну кружку", "텀블러 2개 중 1개". Only "one" is read:
// a larger number before goods is as often what was ordered ("I ordered
// two bottles") as what is asked.

// oneWords are the numerals for one, folded, that come before goods.
var oneWords = setOf("one", "1", "uno", "одну", "один", "одна", "одного", "одной", "одним")

// manyWords are the numerals from two to five, folded, that count goods
// before a "one" that picks one of them.
var manyWords = setOf("two", "three", "four", "five", "2", "3", "4", "5", "dos", "tres", "cuatro", "cinco",
	"два", "две", "три", "четыре", "пять", "двух", "трех")

// oneHangul are the Korean counters for one piece, without spaces.
var oneHangul = []string{"1개", "한개", "하나만", "1개만"}

// pronounBefore are the words that make "one" a pronoun for an order or
// an item rather than a number: "the one with the boots", "this one",
// "and the other one? he also ordered boots", "the last one".
var pronounBefore = setOf("the", "this", "that", "which", "each", "every", "any", "no", "el", "este", "ese", "cual",
	"other", "another", "last", "first", "second", "third", "next", "previous", "same", "new", "old", "big", "small")

// oneStops end the words after "one" that may lead to its goods: "one
// with the boots", "one from the order" speak of something else.
var oneStops = setOf("with", "from", "of", "for", "in", "con", "de", "en", "из", "с", "в")

// oneGoodsNear is how many words may stand between "one" and the goods
// word ("one dented Insulated steel bottle").
const oneGoodsNear = 3

// findOneOfGoods reports whether the text asks for one piece of goods: a
// numeral for one followed within oneGoodsNear words by a goods word, or
// a Korean counter for one piece.
func findOneOfGoods(kt keywordText) bool {
	if kt.present&scriptHangul != 0 {
		for _, c := range oneHangul {
			if strings.Contains(kt.compact, c) {
				return true
			}
		}
	}
	// Scanned word by word without splitting: Parse runs this on every
	// message.
	w := kt.words
	after := -1 // words left to look at after a "one", or -1
	prev := ""
	many := false // goods counted two or more before: "dos bolsos"
	manyLeft := 0 // words left to find the goods a numeral counts
	for i := 0; i < len(w); {
		j := strings.IndexByte(w[i+1:], ' ')
		if j < 0 {
			break
		}
		word := w[i+1 : i+1+j]
		switch {
		case oneWords[word] && !pronounBefore[prev] && many:
			// "pedí dos bolsos y solo quiero uno", "two bottles, one
			// of them dented": one of the goods counted before.
			return true
		case manyWords[word]:
			manyLeft = 2 // "две банки мёда": the goods a word or two on
		case manyLeft > 0 && wordNamesGoods(word):
			many = true
		case oneWords[word] && !pronounBefore[prev]:
			after = oneGoodsNear + 1
		case after > 0 && oneStops[word]:
			after = -1
		case after > 0:
			if wordNamesGoods(word) {
				return true
			}
			after--
		}
		if manyLeft > 0 && !manyWords[word] {
			manyLeft--
		}
		prev = word
		i += 1 + j
	}
	return false
}

// WordNamesGoods reports whether the one folded word w is a word of a
// kind of goods ("bottles", "toallas", "шкатулку", "텀블러"), as the
// item matcher reads words: what tells a count of goods ("una toalla")
// from an article ("una mancha").
func WordNamesGoods(w string) bool { return wordNamesGoods(w) }
