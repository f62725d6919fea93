package nlu

import "strings"

// An item reference points at a line of one of the buyer's orders. A
// message can name goods without meaning a line of an order: a question
// about the goods themselves, asked before or without buying them ("is
// the steel bottle dishwasher safe", "¿las toallas encogen?", "самовар
// сколько литров?", "텀블러에 탄산 넣어도 돼요?"), a review or a
// restock, or a request the tools cannot serve at all. Such messages are
// out of scope, and what they name is a product of the catalogue, not an
// item the buyer has; the agent has nothing to resolve. A message about
// the buyer's goods says so, with a purchase, a delivery or a problem
// (ownPurchaseCues, a complaint reason, an order reference) or with what
// the rules let the buyer do with them (goodsRuleCues: return, refund,
// exchange, cancel, warranty). Only those refer to an item.

// ownPurchaseCues say the buyer bought, ordered, was sent or received
// goods, or has a complaint about them: the goods named are the buyer's
// own. Folded; Latin and Cyrillic cues are word starts, Hangul cues
// anywhere.
var ownPurchaseCues = prepare(
	// Bought, ordered, paid.
	"ordered", "order ", "orders", "bought", "purchased", "purchase", "paid for",
	"pedi ", "pedi,", "pidio", "pedido", "pedimos", "encargue", "encargo", "compre", "comprado", "compramos",
	"заказ", "купил", "купила", "покупал", "покупка", "оплатил", "оплатила", "брал ", "брала ",
	"주문", "샀", "산 거", "산거", "구매", "구입", "시켰", "시킨",
	// Sent, delivered, received.
	"ship", "dispatch", "sent ", "sent me", "deliver", "arrive", "arriving", "came ", "came,", "get here",
	"got ", "gotten", "received", "recieved", "show up", "showed up", "shown up", "turned up",
	"parcel", "package", "tracking", "courier", "driver", "in transit", "on its way", "on the way",
	"en camino", "sali", "viene", "vienen", "envi", "mand", "entreg", "llega", "llego",
	"recibi", "vino ", "vinieron", "venia", "paquete", "repartidor", "mensajero",
	"в пути", "едет", "отгруз", "отправ", "достав", "привез", "приед", "пришл", "пришел", "придет", "придут",
	"получил", "прислал", "посылк", "курьер", "дошл", "дошел",
	"발송", "출발", "배송", "도착", "택배", "왔", "옴", "안 와",
	"받았", "받은", "받을", "받고", "보내",
	// Forms the words above do not start: "출고" (left the warehouse),
	// "보냈" (sent, whose last syllable merges the past tense), "трек"
	// (the tracking number).
	"출고", "보냈", "трек",
	// A complaint or a dispute about them.
	"dispute", "case ", "claim", "complain", "disputa", "caso ", "reclam", "queja", "спор", "жалоб", "жалу", "претенз",
	"분쟁", "이의", "불만", "신고", "접수",
	// Something wrong with them.
	"wrong", "error", "mistake", "equivoc", "ошибк", "ошибоч", "не тот", "не та", "잘못",
)

// waitCues ask where goods are or when they come, or call them the
// buyer's: "my boots?", "y mis toallas?", "валенки когда???", "담요
// 언제?". They say the goods are the buyer's unless the message asks
// whether a product is for sale at all (stockCues: "when will you have
// the lamp in white").
var waitCues = prepare(
	"when", "eta", "status", "where", "ready", "processing", "still not", "still havent",
	"cuando", "estado", "donde esta", "donde estan", "donde anda", "donde va", "por donde", "sale ",
	"todavia no", "sigo sin", "aun no",
	"когда", "статус", "где", "ждать", "жду", "до сих пор", "еще не", "сделали",
	// Whether they come in time: "успеет к воскресенью?", "доедет до
	// 25 мая?".
	"успеет", "успеют", "доедет", "доедут", "дойдет", "дойдут",
	"언제", "어디", "상태", "제작", "와요", "와여", "오는", "오나", "오네", "coming",
	// News of them: "any update on the lantern?".
	"update on", "updates on", "novedad", "новост", "소식",
)

// stockCues ask whether a product is or will be for sale ("back in
// stock", "재입고", "¿cuándo volvéis a tener…?", "появится в наличии"):
// a question about the catalogue, whatever "when" it holds.
var stockCues = prepare(
	"stock", "restock", "available", "availability", "sold out", "disponib", "agotad", "volver a tener",
	"volveis a tener", "vuelven a tener", "в наличии", "появится", "поступлен", "재입고", "입고", "품절",
)

// goodsRuleCues ask what the rules let a buyer do with goods bought:
// send them back, get the money back, exchange, cancel, a warranty.
// "Can I still return boots after 3 weeks?" asks about boots the buyer
// has, or would have; "do the boots come in wide fit?" does not.
var goodsRuleCues = prepare(
	"return", "refund", "money back", "send back", "send it back", "exchange", "swap", "cancel", "warranty",
	"guarantee", "replace", "replacement", "covered",
	"devolv", "devuelv", "devolucion", "reembols", "cambiar", "cambio", "cancel", "anul", "garantia", "reponer",
	"верну", "верни", "вернё", "верне", "вернут", "возврат", "обмен", "поменя", "отмен", "гарант", "замен",
	"환불", "반품", "교환", "취소", "보증", "돌려받", "돌려 받", "돌려주", "돌려 주", "바꿔", "바꿀",
)

// refersToOwnGoods reports whether the message, read as r, speaks of
// goods the buyer has (or has ordered) rather than of a product as such:
// it names an order, a complaint, a part of an order, a purchase or
// delivery, or asks what the rules allow with the goods. Questions about
// a product's properties, stock or use, reviews and requests the tools
// cannot serve refer to none of the buyer's items.
func refersToOwnGoods(r Result, kt keywordText) bool {
	s := r.Slots
	if s.refersToOrder() || s.Only || s.Reason != "" || s.RefundID != "" || s.DisputeID != "" || s.Amount != nil {
		return true
	}
	if anyCue(kt, kt.present, ownPurchaseCues) || anyCue(kt, kt.present, goodsRuleCues) ||
		anyCue(kt, kt.present, sendCues) && anyCue(kt, kt.present, backCue) {
		return true
	}
	return !anyCue(kt, kt.present, stockCues) && (anyCue(kt, kt.present, waitCues) || ownsGoodsNamed(kt))
}

// possessives are the words for "my", folded: the goods they stand
// before ("my boots?", "y mis toallas?", "мои валенки", "내 이어폰") are
// the buyer's. Before anything else ("gift wrap it, it's for my dad",
// "engrave my initials on the bottle", "mi taller") they say nothing of
// the goods named elsewhere in the message.
var possessives = setOf("my", "mine", "mis", "mi", "мой", "моя", "мои", "мою", "моих", "моего", "моей", "моему", "내", "제")

// possessedNear is how many words may stand between a possessive and
// its goods ("my merino socks", "mis juegos de toallas").
const possessedNear = 2

// ownsGoodsNamed reports whether a possessive stands just before a goods
// word in the text.
func ownsGoodsNamed(kt keywordText) bool {
	words := strings.Fields(kt.words)
	for i, w := range words {
		if !possessives[w] {
			continue
		}
		for _, x := range words[i+1 : min(len(words), i+2+possessedNear)] {
			if wordNamesGoods(x) {
				return true
			}
		}
	}
	return false
}

// sendCues and backCue find "send … back" with the goods between ("can I
// send the merino socks back?"), which goodsRuleCues cannot.
var sendCues, backCue = prepare("send ", "sent ", "mail ", "post "), prepare("back ")

// namesNoOrderItem reports whether a message read as r names goods
// without meaning an item of the buyer's orders, whatever goods words it
// holds: a request the tools cannot serve or a question about the goods
// as such (see refersToOwnGoods), and a request for the list of orders,
// which goods only search ("did I already buy socks? show me my orders").
// A request to act on an order, a delivery problem or a status always
// concerns the buyer's goods.
func namesNoOrderItem(r Result, text string) bool {
	switch r.Intent {
	case ListOrders:
		return true
	case PolicyQuestion:
		kt := itemText(text)
		return !refersToOwnGoods(r, kt) || asksOfAKind(r, kt)
	case OutOfScope, OrderStatus:
		return !refersToOwnGoods(r, itemText(text))
	}
	return false
}

// A question about the rules may name goods as an example of a kind
// rather than as the buyer's: "¿los productos digitales como el libro de
// recetas tienen devolución?", "мёд ведь продукт, его вообще можно
// вернуть?", "what warranty do appliances like the lantern have?". The
// rule asked about is the kind's, and the agent has no line of an order
// to resolve; the buyer's own goods are said so (an order, a purchase,
// "my"). Goods named alone in a rules question ("¿se pueden devolver unas
// sandalias usadas?") stay the buyer's, as TestEvaluateCasesScoresItems-
// WhateverTheIntent has it: only the words of a kind make them an example.

// kindCues say the goods named stand for a kind: "in general", "such
// as", "типа", "вообще", a class noun ("products", "товары", "alimentos").
// Folded; Latin and Cyrillic cues are word starts, Hangul cues anywhere.
var kindCues = prepare(
	"in general", "generally", "such as", "things like", "items like", "products like", "stuff like",
	"kind of item", "kinds of", "type of item", "types of", "electronics", "appliances", "food items", "foods",
	"en general", "como el ", "como la ", "como los ", "como las ", "tipo ", "productos", "articulos",
	"alimentos", "alimentacion", "aparatos", "cosas como",
	"вообще", "в целом", "типа ", "такие как", "товары", "изделия", "продукты", "продукт ", "электротовар",
	"электрика", "электрику", "вещи с", "вещей с",
	"같은 제품", "같은 상품", "같은 거", "종류", "일반적으로", "제품들", "상품들", "식품",
)

// asksOfAKind reports whether a rules question read as r names its goods
// as a kind (kindCues) and nothing makes them the buyer's own: no order,
// no complaint, no purchase or delivery, no "my".
func asksOfAKind(r Result, kt keywordText) bool {
	s := r.Slots
	if s.refersToOrder() || s.Only || s.Reason != "" || s.RefundID != "" || s.DisputeID != "" || s.Amount != nil ||
		anyCue(kt, kt.present, ownPurchaseCues) || ownsGoodsNamed(kt) {
		return false
	}
	return anyCue(kt, kt.present, kindCues)
}
