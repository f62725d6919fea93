package local

import "regexp"

// goesAhead is a plain instruction to carry the waiting action out, over
// cueText: "no, that's right, go ahead", "нет, всё верно, оформляйте",
// "no, está bien, adelante", "아니요 맞아요 진행해 주세요". A "no" beside
// it answers a question the buyer heard ("anything wrong?"), not the card,
// so such a message is no clear no: read as one it would drop what the
// buyer just asked to go ahead with. The negated forms ("don't go ahead",
// "не оформляйте") are withdrawals (withdrawsText) and are read first.
var goesAhead = regexp.MustCompile(` (?:go ahead|proceed|process it|do it|carry on)(?: |$)` +
	`| (?:adelante|procede|proceda|hazlo|hagalo|tramitelo|tramitalo)(?: |$)` +
	`| (?:оформляйте|оформляй|оформите|делайте|проводите|отменяйте|возвращайте)(?: |$)` +
	`|(?:진행해|진행하세요|처리해|해 ?주세요)`)

// clearNo reports whether a message the classifier read as Deny is a no to
// the waiting card, not a "no" beside an instruction to go ahead.
func clearNo(text string) bool {
	return !goesAhead.MatchString(cueText(text))
}
