package nlu

import (
	"regexp"
	"slices"
	"strings"
)

// A gift card is goods the shop sells and also a way to pay: "bought with
// a gift card", "pagué con tarjeta regalo", "платила подарочной картой",
// "기프트카드로 산 물건". Named as the means of payment, it is not the item
// the message is about: the goods bought with it are. Each language marks
// the means by its grammar (an instrumental preposition, case or particle),
// which is what giftCardPayment looks for.

// giftCardPayment matches, in a keyword text's words, a gift card named as
// the means of paying for something.
var giftCardPayment = regexp.MustCompile(
	// English and Spanish: a preposition or verb of using before the card.
	` (with|using|use|used|redeem|redeemed|redeeming|by|con|usando|usar|uso|use|canjear|canjeo|canjee)` +
		`( (a|an|my|the|two|2|one|some|several|una|la|mi|mis|dos|el|varias))?( maple( and)? pine)?` +
		` (gift ?cards?|tarjetas? (de )?regalo) ` +
		// Russian: the card in the instrumental case.
		`|подарочн\S* (карт(ой|ою|ами)|сертификат(ом|ами)) ` +
		// Korean: the instrumental particle on the card.
		`|(기프트 ?카드|상품권|기프트카드)(으로|로)`)

// giftCardGroup is the index of the gift card in itemGroups.
var giftCardGroup = slices.IndexFunc(itemGroups, func(g []string) bool { return slices.Contains(g, "gift card") })

// cardParts are words after the card that make it a part of the card, not
// the card as a whole: "the email with my gift card code" is about the
// card bought.
var cardParts = setOf("code", "codes", "number", "pin", "email", "codigo", "numero", "код", "номер", "코드", "번호")

// paysWithGiftCard reports whether the text names a gift card as the means
// of payment.
func paysWithGiftCard(kt keywordText) bool {
	for _, m := range giftCardPayment.FindAllStringIndex(kt.words, -1) {
		next := strings.Fields(kt.words[m[1]:])
		if len(next) > 0 && (cardParts[next[0]] || strings.HasPrefix(next[0], "코드") || strings.HasPrefix(next[0], "번호")) {
			continue
		}
		return true
	}
	return false
}
