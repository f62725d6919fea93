package nlu

// Buyers ask about the goods themselves before or after buying: what they
// are made of, how to wash or use them, which size to take, where they
// come from, when they are back in stock; and for services no shop here
// offers (gift wrapping, a handwritten note, engraving, bulk prices, price
// matching, a recommendation). None of it is an order, a refund or a rule
// of the platform, and no tool can answer it: it is out of scope. The
// classifier, which knows these messages only by the words they share
// with order and policy questions ("is the lantern…", "when will…",
// "можно…?"), read them as order status or policy questions; productCues
// name the topic instead, in the four languages, as topicCues name the
// platform's.

// productCues are folded keywords of questions about goods and of services
// the platform does not offer, matched like the topic keywords.
var productCues = prepare(
	// English.
	// Not "waterproof" alone: it is in the name of goods sold here
	// ("Waterproof rain jacket").
	"is it waterproof", "is this waterproof", "is the jacket waterproof", "how waterproof", "water resistant", "dishwasher", "microwave safe", "microwavable", "machine wash",
	"washable", "tumble dry", "dryer", "made of", "made from", "made in", "what material", "fabric",
	"cotton or", "real leather", "fake leather", "what size should", "which size should", "size should i",
	"run small", "runs small", "run large", "runs large", "true to size", "battery last", "battery life",
	"induction", "back in stock", "what should i get", "bulk price", "wholesale",
	"shrink", "does it come with", "do they come with", "vegan", "gluten", "recommend a", "gift idea", "ingredients", "allergen", "expiry date", "how spicy",
	// Spanish.
	"impermeable", "lavavajillas", "microondas", "lavadora", "secadora", "se puede lavar", "que material",
	"de que esta hecho", "piel autentica", "piel de verdad", "sintetic", "que talla", "que numero me",
	"tallan", "talla pequeno", "talla grande", "cuanto dura la bateria", "induccion", "vitroceramica",
	"volveis a tener", "vuelve a haber", "reponeis", "recomiendame", "al por mayor", "precio por volumen", "que me recomiendas", "ingredientes", "alergenos", "caducidad",
	"cuanto pica", "sirve para freir", "encoge", "encogen", "destine",
	"vegan", "sin gluten",
	// Russian.
	"водонепроницаем", "промокает", "посудомо", "микроволнов", "стиральн", "сушильн", "из какого материала",
	"из чего сделан", "натуральная кожа", "натуральной кожи", "кожзам", "хлопков", "синтетик",
	"какой размер брать", "какой размер взять", "маломер", "большемер", "батарейки хватает", "индукционн",
	"снова появится", "будет в наличии", "в наличии", "посоветуйте", "оптом", "оптов", "порекомендуйте", "состав", "аллерг", "срок годности", "колется",
	"садится после стирки", "садится при стирке", "веган", "без глютена",
	// Korean.
	"방수", "식기세척기", "전자레인지", "세탁기", "건조기", "소재", "재질", "원산지", "몇 사이즈", "사이즈 추천",
	"작게 나와", "크게 나와", "배터리 얼마", "인덕션", "재입고", "추천해 주", "대량 구매", "도매", "성분", "알레르기", "유통기한", "맵기", "줄어들", "비건", "글루텐",
)

// serviceCues are folded keywords of services no shop here offers, for an
// order of the buyer's as for any (wrapping it as a present, a note or a
// card inside, a plain box, engraving, a matched price), and of
// requests nobody here serves (a job). Unlike a question about goods
// ("is my jacket waterproof?" may be a complaint), naming one's own
// order does not make them an order request: "can you gift wrap my
// order" asks for what no tool does.
var serviceCues = prepare(
	// English.
	"gift wrap", "gift-wrap", "giftwrap", "wrap it as a gift", "wrap it as a present", "handwritten",
	"engrave", "gift message", "gift note", "a note in", "a card in", "plain box", "without logo",
	"without the logo", "without a logo", "no logo", "price tag", "price match", "match the price", "match a cheaper", "are you hiring", "job opening", "a job",
	"jobs", "vacancy", "vacancies", "careers",
	// Spanish.
	"envolver para regalo", "envolverlo para regalo", "envolveis", "envuelven para regalo",
	"papel de regalo", "nota escrita", "una nota en", "una nota dentro", "una tarjeta con mensaje",
	"mensaje de regalo", "sin logo", "sin el logo", "sin precio", "grabar", "grabais", "igualais el precio", "igualan el precio", "igualais precio", "igualan precio",
	"igualais los precios", "igualan los precios", "contratando", "ofertas de empleo", "oferta de empleo",
	"vacante", "trabajar con ustedes", "trabajar con vosotros",
	// Russian.
	"подарочную упаковку", "подарочной упаковке", "упаковать как подарок", "упаковать в подарок",
	"открытку", "записку", "выгравир", "без логотипа", "без ценника", "снизите цену",
	"снижаете цену", "ваканси", "набираете сотрудников", "устроиться к вам", "работать у вас",
	// Korean.
	"선물 포장", "선물포장", "손편지", "각인해", "새겨 주", "가격 맞춰", "최저가 보상",
	"로고 없는", "가격표", "카드 넣어", "메모 넣어", "편지 넣어", "채용", "알바 구", "구인",
)

// serviceIntent reports whether in is one of the readings a request for a service (serviceCues)
// overrides: an order, delivery, status or rules reading, and a
// cancellation or list of orders that the named order suggested ("can
// you gift wrap my order"). A translation or a person asked for stays.
func serviceIntent(in Intent) bool {
	switch in {
	case OrderStatus, DeliveryProblem, PolicyQuestion, RefundStatus, DisputeStatus, CancelOrder, ListOrders:
		return true
	}
	return false
}

// cancelCues name a cancellation, which a service request does not
// override ("cancel it, you forgot the gift wrap").
var cancelCues = prepare("cancel", "cancela", "anula", "отмен", "취소")

// productExcept are the words of the rules that apply to goods as to any
// purchase: returns, refunds, exchanges, fees. "Can engraved items be
// returned?", "is there a restocking fee?", "same return rules for bulk
// orders?" ask the policies about goods, not about the goods.
var productExcept = prepare(
	"return", "refund", "exchange", "restocking", "fee", "money back",
	"devol", "devuel", "reembols", "cambiar", "cambio", "comision", "cargo",
	"возвра", "вернуть", "вернут", "обмен", "комисси", "деньги",
	"반품", "환불", "교환", "수수료",
)

// asksAboutGoods reports whether a message read as intent asks about
// goods or a service rather than about an order of the buyer's: a
// product topic (productCues), no order, refund or dispute of the
// buyer's named (nor "I ordered", "my…": actMatchers.specific), no
// complaint reason ("the jacket is not waterproof, it
// leaked" is a fault of a purchase), no rule about returns or fees
// (productExcept), and an intent that names no action of its own. "The
// lantern" alone may be the buyer's or the shop's: what is asked of it
// decides. A service (serviceCues) is asked for whatever order it names,
// as long as no complaint (nor goods found wrong, flaw.go), rule or
// cancellation comes with it.
func (a *analysis) asksAboutGoods(intent Intent) bool {
	if serviceIntent(intent) && a.slots.Reason == "" && !a.flaw && a.slots.RefundID == "" && a.slots.DisputeID == "" &&
		anyCue(a.kt, a.kt.present, serviceCues) && !anyCue(a.kt, a.kt.present, productExcept) &&
		!anyCue(a.kt, a.kt.present, cancelCues) {
		return true
	}
	switch intent {
	case OrderStatus, DeliveryProblem, PolicyQuestion, RefundStatus, DisputeStatus:
	default:
		return false
	}
	if a.slots.Reason != "" || a.flaw || a.slots.refersToOrder() || a.slots.RefundID != "" || a.slots.DisputeID != "" ||
		anyCue(a.kt, a.kt.present, actMatchers.specific) {
		return false
	}
	return anyCue(a.kt, a.kt.present, productCues) && !anyCue(a.kt, a.kt.present, productExcept)
}
