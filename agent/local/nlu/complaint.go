package nlu

import "strings"

// A complaint that asks for the money back: what went wrong (the reason)
// and the want. A buyer who says the item is fine and still wants to send
// it back has changed their mind, though no word of theirs says so.

// fineItemCues say the item itself is fine, folded: a refund asked for
// with one of these is a change of mind. They count only when no problem
// is named ("nothing wrong with the box, but the lamp is broken" is a
// damaged lamp), so findReason reads them last.
var fineItemCues = prepare(
	"nothing wrong with", "theres nothing wrong", "nothing is wrong", "works fine",
	"works perfectly", "works great", "perfectly fine", "in perfect condition", "still sealed",
	"unopened", "never opened", "never used", "havent used", "not used it", "still in the box",
	"no need for it", "dont have any use", "no use for",
	"me lo he pensado mejor", "lo he pensado mejor", "lo pense mejor", "pensandolo mejor",
	"ya no quiero", "ya no necesito", "no lo necesito", "no la necesito", "sin abrir", "sin usar",
	"no le pasa nada", "esta perfecto", "esta perfecta", "en perfecto estado", "no lo he usado",
	"no la he usado", "no me convence", "no me termina de gustar", "no me gusta",
	"ничего не случилось", "все в порядке с", "с ним все в порядке", "с ней все в порядке",
	"не пользовал", "не распаков", "не подошел", "не подошла",
	"не понравил",
	"멀쩡", "문제는 없", "문제 없", "하자는 없", "하자 없", "미개봉", "뜯지도 않", "안 뜯", "사용 안 했",
	"안 썼", "포장 그대로", "마음에 안 들", "맘에 안 들",
)

// findFineItem reports whether kt says the item is fine (fineItemCues).
func findFineItem(kt keywordText) bool {
	return anyCue(kt, kt.present, fineItemCues)
}

// moneyBackCues ask for the money back, folded: a refund by name, or the
// money.
var moneyBackCues = prepare(
	"refund", "money back", "my money", "reimburse", "send it back for",
	"reembols", "devolver el dinero", "devolverme el dinero", "devuelvan el dinero",
	"devolvedme el dinero", "devuelveme el dinero", "me devolveis el dinero", "devolveis el dinero",
	"devolver mi dinero", "mi dinero", "el reembolso",
	"возврат денег", "возврат средств", "вернуть деньги", "верните деньги", "вернете деньги",
	"вернуть средства", "верните средства", "вернуть мои деньги", "деньги назад", "оформить возврат",
	"оформите возврат",
	"환불", "돈 돌려", "돈을 돌려", "반품하고 돈",
)

// AsksMoneyBack reports whether text asks for the money back: "I'd like
// my money back", "quiero el reembolso", "верните деньги", "환불해 주세요".
// Read with a complaint about one of the buyer's orders, such a message is
// a refund request, however much of it tells the story of what went wrong.
func AsksMoneyBack(text string) bool {
	kt := newKeywordText(fold(strings.ToLower(normalize(text))))
	return anyCue(kt, kt.present, moneyBackCues)
}

// featureReason is the reason the classifier sees: a defect and damage
// are one kind of complaint for telling what the buyer asks for, and the
// training lines of either phrasing speak for both.
func featureReason(r string) string {
	if r == ReasonDefective {
		return ReasonDamaged
	}
	return r
}
