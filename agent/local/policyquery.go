package local

import "strings"

// Buyers and policies name the same things differently: a buyer "returns"
// an "ebook" that "never showed up", the policy "refunds" a "digital
// download" that was "not received". The search matches words (full text)
// and character n-grams (the built-in embedder), so the model's query adds
// the policy's words for the buyer's. The table is the marketplace's own
// vocabulary, one group per concept and language; no maintained thesaurus
// covers it.
var policyTerms = []struct {
	// buyer are lower-case fragments of buyers' words.
	buyer []string
	// policy are the policies' words for them.
	policy string
}{
	// en
	{[]string{"return", "send back", "send it back", "money back", "refund"}, "refund"},
	{[]string{"ebook", "e-book", "download", "digital", "software", "app ", "game key", "license key"}, "digital downloads"},
	{[]string{"custom", "engrav", "personali", "monogram", "with my name", "made to order", "bespoke"}, "personalised custom-made items"},
	{[]string{"food", "perishable", "fresh", "groceries"}, "perishable food"},
	{[]string{"gift card", "voucher", "gift certificate"}, "gift cards"},
	{[]string{"package", "parcel", "never arrived", "never showed", "didn't arrive", "didn't come", "hasn't arrived", "not received", "never came", "still waiting"}, "order has not arrived not received shipped"},
	{[]string{"complain", "claim", "report a problem", "escalate"}, "open a dispute"},
	{[]string{"my card", "bank", "credit card", "debit card", "back to my"}, "original payment method"},
	{[]string{"ship my", "ship the", "ship it", "to ship", "dispatch", "send out", "sends out"}, "shipping time ship within"},
	{[]string{"inside the country", "within the country", "in the country", "in country", "domestic", "national", "local delivery"}, "domestic delivery"},
	{[]string{"changed my mind", "change my mind", "don't want", "do not want", "no longer want", "don't like"}, "change of mind"},
	{[]string{"broken", "smashed", "cracked", "shattered", "damaged", "dented"}, "damaged"},
	{[]string{"doesn't answer", "does not answer", "doesn't respond", "doesn't reply", "ignores", "no answer", "no response"}, "seller respond"},
	{[]string{"decision", "outcome", "result", "verdict"}, "decides decision"},
	{[]string{"can't be returned", "cannot be returned", "can't return", "non-returnable", "not returnable", "can't be refunded"}, "cannot be refunded non-refundable items"},
	{[]string{"fee", "charge", "cost"}, "return shipping pays"},
	{[]string{"no se pueden devolver", "no se puede devolver", "no se devuelve", "no reembolsable"}, "no se pueden reembolsar artículos no reembolsables"},
	{[]string{"нельзя вернуть", "не подлеж", "не возвращают", "невозвратн"}, "товары не подлежащие возврату деньги не возвращаются"},
	{[]string{"환불 안 되", "환불이 안", "환불 불가", "반품 안 되", "반품이 안", "반품 불가"}, "환불 불가 상품 환불되지 않습니다"},
	// ko
	{[]string{"반품", "돈 돌려", "돌려받", "환불"}, "환불"},
	{[]string{"전자책", "이북", "다운로드", "디지털", "게임 코드"}, "디지털 다운로드 상품"},
	{[]string{"이름 새", "각인", "맞춤", "주문제작", "주문 제작", "커스텀"}, "개인 맞춤 상품 또는 주문 제작 상품"},
	{[]string{"음식", "식품", "신선"}, "부패하기 쉬운 식품"},
	{[]string{"상품권", "기프트"}, "기프트 카드"},
	{[]string{"택배", "안 와", "안 왔", "도착하지", "못 받", "안 오"}, "도착하지 않으면 미수령 발송 후"},
	{[]string{"신고", "클레임", "이의", "항의"}, "분쟁을 제기"},
	{[]string{"카드로", "카드에", "카드 결제", "계좌", "통장"}, "원래 결제 수단"},
	{[]string{"돈은", "돈이", "돈을", "입금"}, "환불"},
	{[]string{"발송해", "발송하", "보내야", "출고"}, "발송 기한"},
	{[]string{"변심", "필요 없", "마음이 바뀌"}, "단순 변심"},
	{[]string{"깨져", "깨졌", "부서", "파손", "망가", "금이 가"}, "파손"},
	{[]string{"답을 안", "답이 없", "응답", "답장", "연락이 없"}, "판매자 응답"},
	{[]string{"결과", "결정", "판정"}, "결정"},
	{[]string{"수수료", "비용", "요금"}, "반품 배송비 부담"},
	// es
	{[]string{"devolver", "devuelvo", "devolución", "devuelven", "dinero", "reembols"}, "reembolso"},
	{[]string{"libro electrónico", "ebook", "descarga", "digital", "código de juego"}, "descargas digitales"},
	{[]string{"personaliza", "grabad", "con mi nombre", "a medida", "por encargo"}, "artículos personalizados o hechos a medida"},
	{[]string{"comida", "alimento", "perecedero"}, "alimentos perecederos"},
	{[]string{"tarjeta regalo", "tarjeta de regalo", "vale", "cheque regalo"}, "tarjetas de regalo"},
	{[]string{"paquete", "no llega", "no ha llegado", "no llegó", "no recib", "nunca llegó"}, "pedido no ha llegado no recibido enviado"},
	{[]string{"reclamar", "reclamo", "reclamación", "queja", "quejarme"}, "abrir una disputa"},
	{[]string{"mi tarjeta", "a la tarjeta", "tarjeta de crédito", "tarjeta de débito", "cuenta", "banco"}, "método de pago original"},
	{[]string{"enviar el", "enviar mi", "envíe", "despachar", "tiene que enviar"}, "plazo de envío"},
	{[]string{"nacional", "dentro del país", "en el país"}, "entrega nacional"},
	{[]string{"cambié de opinión", "cambio de opinión", "ya no lo quiero", "ya no quiero", "no me gusta"}, "cambio de opinión"},
	{[]string{"roto", "rota", "rompió", "dañad", "estropead", "agrietad"}, "dañado"},
	{[]string{"no responde", "no contesta", "no me responde", "sin respuesta"}, "vendedor responder"},
	{[]string{"respuesta sobre", "resolución", "decisión", "resultado", "resuelven"}, "decide decisión"},
	{[]string{"comisión", "cobran", "costo", "coste", "tarifa"}, "envío de devolución paga"},
	// ru
	{[]string{"вернуть", "верну", "возврат", "вернут", "деньги назад"}, "возврат средств"},
	{[]string{"электронн", "скачива", "цифров", "ключ"}, "цифровые товары для скачивания"},
	{[]string{"гравировк", "персонализ", "на заказ", "именн", "с надписью"}, "персонализированные товары изготовленные на заказ"},
	{[]string{"еда", "еду", "продукты", "скоропорт"}, "скоропортящиеся продукты питания"},
	{[]string{"подарочн", "сертификат"}, "подарочные карты"},
	{[]string{"посылк", "не пришл", "не пришёл", "не получ", "не доставили", "не дошл"}, "заказ не пришёл не получен после отправки"},
	{[]string{"жалова", "жалоб", "претензи"}, "открыть спор"},
	{[]string{"на карту", "на карте", "банковск", "счёт", "счет", "банк"}, "исходный способ оплаты"},
	{[]string{"деньги"}, "возврат средств"},
	{[]string{"отправить заказ", "должен отправить", "отправит", "отгруз"}, "срок отправки"},
	{[]string{"по стране", "внутри страны", "по россии"}, "доставка внутри страны"},
	{[]string{"передумал", "не нужен", "не понравил"}, "передумали"},
	{[]string{"разбит", "слома", "поврежд", "треснул", "бит"}, "повреждённым"},
	{[]string{"не ответит", "не отвечает", "не ответил", "молчит"}, "продавец ответить"},
	{[]string{"решени", "результат", "итог"}, "решение"},
	{[]string{"комисси", "сбор", "стоимост", "платн"}, "оплачивает обратную доставку"},
}

// kindTerms are the words policies use for the kind of fact a question
// asks for: a buyer asks "how many days do I have", the policy has a
// "refund window"; the buyer asks "how do I", the section is "How to
// request a refund".
var kindTerms = map[askKind]map[string]string{
	askDeadline: {"en": "time limit up to days after", "ko": "이내 기한", "es": "plazo hasta días después", "ru": "срок в течение дней после"},
	askHowTo:    {"en": "how to request", "ko": "신청 방법", "es": "cómo solicitar", "ru": "как запросить"},
	askWhoPays:  {"en": "who pays", "ko": "부담", "es": "quién paga", "ru": "кто оплачивает"},
}

// policyQuery is the search query for a buyer's policy question in
// locale: the question, the policies' words for the buyer's, and their
// words for the kind of fact asked for.
func policyQuery(question, locale string) string {
	q := strings.ToLower(question)
	var b strings.Builder
	b.WriteString(question)
	if t := kindTerms[classifyAsk(question)][locale]; t != "" {
		b.WriteString(" " + t)
	}
	seen := map[string]bool{}
	for _, t := range policyTerms {
		if seen[t.policy] {
			continue
		}
		for _, w := range t.buyer {
			if strings.Contains(q, w) {
				seen[t.policy] = true
				b.WriteString(" ")
				b.WriteString(t.policy)
				break
			}
		}
	}
	return b.String()
}
