package local

import "strings"

// After a card was called off, a buyer often says in a word or two what
// they decided: "keep it", "lo dejo", "оставить", "그냥 둘게요". That is
// the same check as "so nothing changed?": the order stays as it was.
// Read on its own words the message is too short to mean anything, and
// "I didn't understand" leaves the buyer unsure whether the order is still
// coming. Only right after a dropped action (afterDropped): elsewhere
// "keep it" is about goods kept back from a refund (splitKept).

// keepCues say the buyer keeps the order as it is, folded as cueText
// writes a message; a leading space anchors a cue at a word's start.
var keepCues = foldAll([]string{
	// en
	" keep it", " keep them", " keep the order", " keep my order", " keep everything", " i ll keep", " ill keep", " keeping it",
	" leave it", " let it be", " keep ",
	// es
	" dejarlo", " dejalo", " dejelo", " lo dejo", " la dejo", " mantener", " mantenerlo", " lo mantengo", " me lo quedo", " me la quedo",
	" quedarmelo", " quedarmela", " que siga", " lo conservo", " conservarlo",
	// ru, and as typed in Latin letters
	" оставить", " оставьте", " оставь", " оставляю", " оставлю", " оставим", " пусть остается", " пусть будет", " пускай едет", " пусть едет",
	" ostavit", " ostavte", " ostavlyayu", " ostavlyu",
	// ko
	"유지", "그냥 둘", "그냥 두", "놔둘", "놔 둘", "냅둘", "냅두", "가질게", "쓸게요",
})

// keepWords is how long such a decision runs at most: a word or two and
// their courtesy, not a message that asks or tells something else.
const keepWords = 5

// keepsAsIs reports whether text, said after an action was called off,
// only says the buyer keeps things as they are.
func keepsAsIs(text string) bool {
	if len(strings.Fields(text)) > keepWords || strings.ContainsAny(text, "?？") {
		return false
	}
	return containsAny(cueText(text), keepCues)
}
