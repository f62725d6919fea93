package local

import (
	"slices"
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

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
	// unless are fragments that make the buyer's word mean something
	// else: a "gift card" is no payment card, a parcel that arrived
	// damaged is no parcel that never came.
	unless []string
}{
	// en
	{[]string{"return", "send back", "send … back", "post … back", "ship … back", "mail … back", "postage", "money back", "refund"}, "refund", nil},
	{[]string{"ebook", "e-book", "download", "digital", "software", "app ", "game key", "license key"}, "digital downloads", nil},
	{[]string{"custom", "engrav", "personali", "monogram", "with my name", "made to order", "bespoke"}, "personalised custom-made items", nil},
	{[]string{"food", "perishable", "fresh", "groceries"}, "perishable food", nil},
	{[]string{"gift card", "voucher", "gift certificate"}, "gift cards", nil},
	{[]string{"package", "parcel", "never arrived", "never showed", "didn't arrive", "didn't come", "hasn't arrived", "not received", "never came", "still waiting", "late", "delayed", "delay", "weeks", "taking forever"}, "order has not arrived not received shipped", []string{"too late", "broken", "damaged", "cracked", "smashed", "send back", "sent back", "sent it back", "returned",
		// It came: weeks since delivery are no weeks of waiting.
		"was delivered", "since delivery", "after delivery", "since it arrived", "since i received", "since i got",
		"after i receive", "after receiving", "after i got", "after getting", "after it arrives", "after it arrived",
		// Sending it back, and the time counted from its arrival: it came.
		"send … back", "sent … back", "after … arrives", "after … arrived", "once … arrives", "once … arrived",
		// Marked delivered: the parcel is missing, not on its way.
		"says delivered", "shows delivered", "marked delivered", "marked as delivered", "shows as delivered", "says it was delivered", "says it's delivered"}},
	{[]string{"says delivered", "shows delivered", "marked delivered", "marked as delivered", "shows as delivered", "says it was delivered", "says it's delivered", "delivered but", "can't find", "cannot find", "not at my door", "nowhere to be found"}, "delivery confirmation tracking marks it as delivered cannot find it", nil},
	{[]string{"cancel", "call it off", "call off", "bail on", "back out of", "pull out of"}, "cancelling an order", nil},
	{[]string{"didn't pay", "did not pay", "unpaid", "haven't paid", "not paid", "never paid"}, "unpaid orders awaiting payment", nil},
	{[]string{"hit my account", "back on my card", "back in my account", "in my account", "show up on my", "see the money", "money to arrive", "money arrive"}, "refund timing", nil},
	{[]string{"free shipping", "free delivery", "shipping free", "delivery free"}, "free shipping", nil},
	{[]string{"just one", "only one", "one of them", "just that one", "some of the items", "some items", "part of the order", "part of an order", "part of my order", "portion of", "single item", "only some", "partial", "just for", "only for", "just the one", "only the one", "just … those", "just … these", "only … those", "only … these", "keep the rest", "the rest of the order", "just the bad", "only the bad", "just the broken", "only the broken"}, "partial refunds by item", nil},
	// Asked against returning everything ("do I have to return the whole
	// set?"); cancelling the whole order is no partial refund.
	{[]string{"the whole set", "the whole order", "the entire order", "the entire set"}, "partial refunds by item", []string{"cancel"}},
	{[]string{"complain", "claim", "report a problem", "report it", "report the", "escalate"}, "open a dispute", nil},
	{[]string{"photo", "picture", "pic ", "pics", "image", "proof", "prepare"}, "photos evidence", nil},
	{[]string{"card", "bank", "back to my"}, "original payment method", []string{"gift card"}},
	{[]string{"store credit", "balance", "wallet", "credit"}, "original payment method", nil},
	// What no one may ask a buyer for.
	{[]string{"the code", "code they", "one-time code", "verification code", "otp", "cvc", "cvv", "password", "card number", " pin "}, "keeping your payment details safe never ask", []string{"discount", "promo", "coupon", "tracking"}},
	{[]string{"address"}, "changing the delivery address", nil},
	// A card named by its brand, or a way to pay asked about; not the
	// card a refund goes back to.
	{[]string{"amex", "american express", " visa ", " visa?", " visa,", " visa.", "visa card", "mastercard", "master card", "maestro", "ways to pay", "payment options", "pay using"}, "accepted payment methods credit and debit cards", []string{"refund", "return", "send it back", "send back", "money go", "money back", "back to"}},
	{[]string{"directly", "pay outside", "outside the platform", "outside maru", "in cash", "bank transfer to", "pay the seller", "paypal me"}, "payments outside the platform", nil},
	{[]string{"ship my", "ship the", "ship it", "to ship", "dispatch", "send out", "sends out", "post my", "post the order", "post it", "send my order", "send the order", "get it out", "mail it out", "mail my"}, "shipping time ship within", []string{"cancel", "back"}},
	{[]string{"inside the country", "within the country", "in the country", "in country", "domestic", "national", "local delivery"}, "domestic delivery", nil},
	{[]string{"abroad", "overseas", "international", "another country", "from china", "cross-border"}, "international delivery", nil},
	{[]string{"changed my mind", "change my mind", "don't want", "do not want", "no longer want", "don't like"}, "change of mind", nil},
	{[]string{"broken", "smashed", "cracked", "shattered", "damaged", "dented", "defective", "faulty", "doesn't work", "does not work", "not working", "stopped working", "doesn't turn on", "scratched", "torn", "ripped", "stained",
		// Food and goods spoilt on the way.
		"squashed", "crushed", "melted", "spoiled", "spoilt", "rotten", "mouldy", "moldy", "leaking", "leaked", "busted", "wrecked", "showed up dead", "arrived dead", "in pieces", "fell apart", "falling apart"}, "damaged", nil},
	{[]string{"doesn't answer", "does not answer", "doesn't respond", "doesn't reply", "ignor", "ghost", "no answer", "no response", "no reply", "won't reply", "won't answer", "won't respond", "not replying", "not responding", "not answering", "hasn't replied", "hasn't answered", "hasn't responded", "to reply", "to respond"}, "seller respond", nil},
	{[]string{"decision", "outcome", "result", "verdict", "decides", "decide", "final call", "final say", "who makes", "resolv", "hear back"}, "decides decision", nil},
	{[]string{"can't be returned", "cannot be returned", "can't return", "non-returnable", "not returnable", "can't be refunded"}, "cannot be refunded non-refundable items", nil},
	{[]string{" fee ", " fee?", " fee,", " fee.", " fees", " a charge", "the charge", "any charge", "extra charge", "charge for", "charge me", "charge you", " charge?", " charges", " charged", "cost"}, "return shipping pays", []string{"cancel"}},
	// Whether sending something back is free asks what it costs.
	{[]string{"is … free", "free or", "free?", "free if", "free when", "for free", "free to return", "free to send"}, "return shipping pays", []string{"cancel", "deliver", "free shipping", "shipping free"}},
	{[]string{"no se pueden devolver", "no se puede devolver", "no se devuelve", "no reembolsable"}, "no se pueden reembolsar artículos no reembolsables", nil},
	{[]string{"нельзя вернуть", "не подлеж", "не возвращают", "невозвратн"}, "товары не подлежащие возврату деньги не возвращаются", nil},
	{[]string{"환불 안 되", "환불이 안", "환불 불가", "반품 안 되", "반품이 안", "반품 불가"}, "환불 불가 상품 환불되지 않습니다", nil},
	// ko
	{[]string{"반품", "반송", "돈 돌려", "돌려받", "돌려보", "돌려 보", "환불"}, "환불", nil},
	{[]string{"전자책", "이북", "다운로드", "디지털", "게임 코드"}, "디지털 다운로드 상품", nil},
	{[]string{"이름 새", "각인", "맞춤", "주문제작", "주문 제작", "커스텀"}, "개인 맞춤 상품 또는 주문 제작 상품", nil},
	{[]string{"음식", "식품", "신선"}, "부패하기 쉬운 식품", nil},
	{[]string{"상품권", "기프트"}, "기프트 카드", nil},
	{[]string{"택배", "안 와", "안 왔", "도착하지", "못 받", "안 오", "안와", "안왔", "안오", "늦어", "늦게", "지연", "예정일"}, "도착하지 않으면 미수령 발송 후", []string{"파손", "깨져", "깨졌", "부서", "반품", "반송", "돌려보", "돌려 보", "찌그러", "찍혀", "받은 지", "받은 후", "받은 날", "수령 후",
		// Money not received is no parcel that never came.
		"계좌", "적립금", "잔액", "포인트",
		// Marked delivered: the parcel is missing, not on its way.
		"배송 완료라고", "배송완료라고", "배송 완료로", "배송완료로", "배송 완료인데", "배송완료인데"}},
	// "카드로 취소되나요?" asks whether the card payment is reversed: a
	// refund to the card, no cancelled order.
	{[]string{"취소"}, "주문 취소", []string{"카드로 취소", "카드 취소", "카드결제 취소", "승인 취소", "승인취소"}},
	{[]string{"결제 안", "결제를 안", "결제 안 한", "미결제", "결제하지 않", "입금 안"}, "미결제 주문 결제 대기", nil},
	{[]string{"들어와", "들어오", "입금되", "입금돼", "돈 받", "돈은 언제"}, "환불 처리 기간", nil},
	{[]string{"무료 배송", "무료배송", "배송비 무료", "공짜"}, "무료 배송", []string{"취소"}},
	{[]string{"국내"}, "국내 배송", nil},
	{[]string{"해외", "국제", "직구"}, "해외 배송", nil},
	{[]string{"배송 완료라고", "배송완료라고", "배송 완료로", "배송완료로", "배송 완료인데", "배송완료인데", "배송 완료 떴", "배송완료 떴", "물건이 없", "못 찾"}, "배송 완료 확인 배송 완료로 표시 찾을 수 없는", nil},
	{[]string{"하나만", "한 개만", "한개만", "일부", "부분", "만 환불", "만 반품", "만 돌려"}, "부분 환불 상품별", nil},
	{[]string{"신고", "클레임", "이의", "항의"}, "분쟁을 제기", nil},
	{[]string{"사진", "증거", "인증", "준비해야", "챙겨야"}, "사진 증빙 자료", nil},
	{[]string{"카드", "통장"}, "원래 결제 수단", []string{"기프트", "직접", "아멕스", "비자", "마스터", "결제 돼", "결제 되나", "결제 가능", "결제할 수"}},
	{[]string{"인증번호", "인증 번호", "비밀번호", "카드 번호", "카드번호", "cvc", "보안 코드", "보안코드", "otp"}, "결제 정보 보호", nil},
	{[]string{"주소"}, "배송지 변경", nil},
	{[]string{"아멕스", "비자", "마스터카드", "마스터 카드", "결제 수단", "결제 방법", "결제 돼", "결제 되나", "결제 가능", "결제할 수"}, "이용 가능한 결제 수단 신용카드 및 체크카드", []string{"환불", "반품", "돌려"}},
	{[]string{"잔액", "적립금", "포인트", "계좌로", "페이로", "마루페이", "지갑"}, "원래 결제 수단", nil},
	{[]string{"직접 입금", "직접 송금", "계좌로 직접", "직접 계좌", "현금", "외부"}, "플랫폼 외부 결제", nil},
	{[]string{"발송해", "발송하", "보내야", "출고"}, "발송 기한", []string{"사진", "반품", "반송"}},
	{[]string{"변심", "필요 없", "마음이 바뀌"}, "단순 변심", nil},
	{[]string{"깨져", "깨졌", "부서", "파손", "망가", "금이 가", "불량", "고장", "작동 안", "안 켜", "안켜", "찌그러", "부러", "찢어", "얼룩", "뭉개", "눌려", "산산조각", "박살", "조각나", "녹아", "상했", "상한", "썩", "곰팡", "터져", "터졌", "새서", "샜"}, "파손", nil},
	{[]string{"답을 안", "답이 없", "응답", "답장", "연락이 없", "답이 안", "씹", "무시", "연락 두절", "연락두절", "답해", "답하"}, "판매자 응답", nil},
	{[]string{"결과", "결정", "판정", "최종", "누가 판단"}, "결정", nil},
	{[]string{"수수료", "비용", "요금", "반송비", "반품비", "반품 배송비", "왕복 배송비", "반품 택배비"}, "반품 배송비 부담", []string{"취소", "무료"}},
	// es
	{[]string{"devolver", "devuelvo", "devolución", "devuelven", "dinero", "reembols", "de regreso", "de vuelta", "de retorno"}, "reembolso", nil},
	{[]string{"libro electrónico", "ebook", "descarga", "digital", "código de juego"}, "descargas digitales", nil},
	{[]string{"personaliza", "grabad", "con mi nombre", "a medida", "por encargo"}, "artículos personalizados o hechos a medida", nil},
	{[]string{"comida", "alimento", "perecedero"}, "alimentos perecederos", nil},
	{[]string{"tarjeta regalo", "tarjeta de regalo", "vale de regalo", "vale regalo", "cheque regalo"}, "tarjetas de regalo", nil},
	{[]string{"paquete", "no llega", "no ha llegado", "no llegó", "no recib", "nunca llegó", "retras", "tarda mucho", "semanas"}, "pedido no ha llegado no recibido enviado", []string{"dañad", "roto", "rota", "rompió", "devolv", "desde la entrega", "después de la entrega", "desde que llegó", "desde que me llegó",
		"desde que llega", "desde q llega", "una vez recibid", "después de recibir", "tras recibir",
		"dice entregado", "aparece entregado", "aparece como entregado", "figura como entregado", "marcado como entregado"}},
	{[]string{"cancel", "anul"}, "cancelar un pedido", nil},
	{[]string{"no pagué", "no he pagado", "sin pagar", "no pagado", "no lo pagué", "no pago"}, "pedidos no pagados pendientes de pago", nil},
	{[]string{"veré el dinero", "llegue el dinero", "llega el dinero", "tendré el dinero", "ver el dinero", "recibir el dinero", "en mi cuenta", "en mi tarjeta"}, "plazo de acreditación del reembolso", nil},
	{[]string{"envío gratis", "envío gratuito", "gratis"}, "envío gratuito", []string{"cancel"}},
	{[]string{"solo de una", "solo de uno", "solo una", "solo uno", "uno de ellos", "una de ellas", "parte del pedido", "parcial", "algunos artículos", "algunas cosas", "solo lo de", "solo lo del", "solo … esa", "solo … ese", "el resto",
		"parte del dinero", "solo un artículo", "solo un articulo"}, "reembolsos parciales por artículo", nil},
	{[]string{"sin devolver todo", "todo el pedido", "el pedido entero", "el pedido completo"}, "reembolsos parciales por artículo", []string{"cancel"}},
	{[]string{"reclamar", "reclamo", "reclamación", "queja", "quejarme", "avisar", "reportar"}, "abrir una disputa", nil},
	{[]string{"foto", "imagen", "prueba", "preparar"}, "fotos pruebas", nil},
	{[]string{"tarjeta", "cuenta", "banco"}, "método de pago original", []string{"regalo", "directa", "cuenta desde", "cuenta a partir", "se cuenta", "cuenta el plazo"}},
	{[]string{"saldo", "crédito", "monedero"}, "método de pago original", nil},
	{[]string{"código", "contraseña", "número de tarjeta", "numero de tarjeta", "cvc", "cvv", "clave"}, "protección de sus datos de pago", []string{"seguimiento", "descuento", "promo", "cupón"}},
	{[]string{"dirección", "direccion"}, "cambio de la dirección de entrega", nil},
	{[]string{"amex", "american express", " visa ", " visa?", " visa,", " visa.", "tarjeta visa", "mastercard", "métodos de pago", "formas de pago", "pagar con"}, "métodos de pago aceptados tarjetas de crédito y débito", []string{"reembols", "devol", "devuelv"}},
	{[]string{"directamente", "transferencia directa", "fuera de la plataforma", "en efectivo", "por fuera"}, "pagos fuera de la plataforma", nil},
	{[]string{"enviar el", "enviar mi", "envíe", "despachar", "tiene que enviar"}, "plazo de envío", nil},
	{[]string{"nacional", "dentro del país", "en el país"}, "entrega nacional", nil},
	{[]string{"internacional", "extranjero", "de afuera", "de fuera", "otro país"}, "entrega internacional", nil},
	{[]string{"dice entregado", "aparece entregado", "aparece como entregado", "figura como entregado", "marca entregado", "marcado como entregado", "no lo encuentro", "no la encuentro", "no encuentro"}, "confirmación de entrega se entregó no lo encuentra", nil},
	{[]string{"cambié de opinión", "cambio de opinión", "ya no lo quiero", "ya no quiero", "no me gusta"}, "cambio de opinión", nil},
	{[]string{"roto", "rota", "rompió", "dañad", "estropead", "agrietad", "defectuos", "no funciona", "no enciende", "abollad", "golpead", "rajad", "descosid", "manchad", "hecho polvo", "hecha polvo", "hechos polvo", "hechas polvo", "aplastad", "derretid", "podrid", "echó a perder", "en mal estado", "chafad", "reventad", "en pedazos", "hecho pedazos", "hecha pedazos", "hecho añicos", "hecha añicos"}, "dañado", nil},
	{[]string{"no responde", "no contesta", "no me responde", "sin respuesta", "ignora", "no me hace caso", "en visto", "para contestar", "para responder"}, "vendedor responder", nil},
	{[]string{"respuesta sobre", "resolución", "decisión", "resultado", "resuelven", "decide", "la última palabra"}, "decide decisión", nil},
	{[]string{"comisión", "cobran", "costo", "coste", "tarifa", "envío de vuelta", "envío de regreso", "gastos de envío"}, "envío de devolución paga", []string{"cancel", "gratis"}},
	// ru
	{[]string{"вернуть", "верну", "возврат", "вернут", "деньги назад", "обратно"}, "возврат средств", nil},
	{[]string{"электронн", "скачива", "цифров", " ключ"}, "цифровые товары для скачивания", nil}, // not "включается"
	{[]string{"гравировк", "персонализ", "на заказ", "именн", "с надписью"}, "персонализированные товары изготовленные на заказ", nil},
	{[]string{" еда", " еду", " еды", "продукты", "продукт питания", "питани", "скоропорт"}, "скоропортящиеся продукты питания", nil}, // not "передумала"
	{[]string{"подарочн", "сертификат"}, "подарочные карты", nil},
	{[]string{"посылк", "не пришл", "не пришёл", "не получ", "не доставили", "не доставят", "не доставлен", "не привез", "не дошл", "задерж", "опазд", "недел"}, "заказ не пришёл не получен после отправки", []string{"поврежд", "разбит", "слома", "треснул", "вернул", "с получения", "после получения", "с момента получения", "с доставки", "после доставки", "после получ",
		"пишет доставлен", "статус доставлен", "доставлено, а", "доставлен, а", "доставлено, но", "отмечен как доставлен"}},
	{[]string{"отмен", "отказаться от заказа"}, "отмена заказа", nil},
	{[]string{"не оплатил", "не оплачен", "неоплачен", "без оплаты"}, "неоплаченные заказы ожидающие оплаты", nil},
	{[]string{"деньги придут", "придут деньги", "приходят деньги", "деньги приходят", "придёт", "поступ", "вернутся деньги", "деньги вернутся", "деньги на карт"}, "сроки поступления средств", nil},
	{[]string{"бесплатн"}, "бесплатная доставка", []string{"отмен"}},
	{[]string{"только за один", "только один", "только одн", "одного из", "часть заказа", "частич", "некоторые товары", "только за",
		"только её", "только ее", "только его", "только этот", "только эту", "за один предмет", "за один товар", "за одну вещь"}, "частичный возврат средств по товарам", nil},
	{[]string{"весь заказ", "всего заказа", "весь набор"}, "частичный возврат средств по товарам", []string{"отмен"}},
	{[]string{"жалова", "жалоб", "претензи", "сообщить о", "чтобы сообщить"}, "открыть спор", nil},
	{[]string{"фото", "фотк", "снимок", "снимк", "доказ", "подготов"}, "фотографии доказательства", nil},
	{[]string{"карт", "счёт", "счет", "банк"}, "исходный способ оплаты", []string{"подароч", "напрямую", "расплат", "амекс", "способы оплаты"}},
	{[]string{"баланс", "бонус", "кошел"}, "исходный способ оплаты", nil},
	{[]string{" код", "пароль", "номер карты", "cvc", "cvv"}, "защита платёжных данных", []string{"трек", "промо", "скидк", "купон"}},
	{[]string{"адрес"}, "изменение адреса доставки", nil},
	{[]string{"амекс", "american express", " виза", " визой", " визу ", "мастеркард", "мастер кард", "способы оплаты", "расплатиться", "чем оплатить", "чем можно оплатить"}, "принимаемые способы оплаты кредитные и дебетовые карты", []string{"вернут", "возврат", "верну"}},
	{[]string{"напрямую", "наличн", "вне площадки", "вне платформы", "в обход"}, "оплата вне платформы", nil},
	{[]string{"отправить заказ", "должен отправить", "отправит", "отгруз"}, "срок отправки", nil},
	{[]string{"по стране", "внутри страны", "по россии"}, "доставка внутри страны", nil},
	{[]string{"из-за границы", "из за границы", "зарубеж", "международн", "из другой страны", "из китая"}, "международная доставка", nil},
	{[]string{"пишет доставлен", "статус доставлен", "доставлено, а", "доставлен, а", "доставлено, но", "отмечен как доставлен", "как доставленн", "не могу найти", "посылки нет", "посылки нигде"}, "подтверждение доставки доставлен не можете найти", nil},
	{[]string{"передумал", "не нужен", "не понравил"}, "передумали", nil},
	{[]string{"разбит", "слома", "поврежд", "треснул", "трещин", "бит", "бракован", "брак", "не работает", "не включается", "неисправ", "вмятин", "помят", "порван", "раздавл", "испорч", "протух", "гнил", "растаял", "протек", "на куски", "вдребезги", "развалил"}, "повреждённым", nil},
	{[]string{"не ответит", "не отвечает", "не ответил", "молчит", "игнор", "на ответ", "чтобы ответить"}, "продавец ответить", nil},
	{[]string{"решени", "результат", "итог", "кто решает", "решает"}, "решение", nil},
	{[]string{"комисси", "сбор", "стоимост", "платн"}, "оплачивает обратную доставку", []string{"отмен", "бесплатн"}},
	{[]string{"обратную доставк", "обратной доставк", "обратная доставк", "пересылк"}, "оплачивает обратную доставку", nil},
}

// kindTerms are the words policies use for the kind of fact a question
// asks for: a buyer asks "how many days do I have", the policy has a
// "refund window"; the buyer asks "how do I", the section is "How to
// request a refund".
var kindTerms = map[askKind]map[string]string{
	askDeadline: {"en": "window time limit up to days after", "ko": "이내 기한 기간", "es": "plazo hasta días después", "ru": "срок в течение дней после"},
	askDuration: {"en": "how long time", "ko": "기간", "es": "plazo tarda", "ru": "срок"},
	askHowTo:    {"en": "how to request", "ko": "신청 방법", "es": "cómo solicitar", "ru": "как запросить"},
	askWhoPays:  {"en": "who pays shipping costs", "ko": "부담 배송비", "es": "quién paga costo del envío", "ru": "кто оплачивает оплата доставки"},
	askCount:    {"en": "number of at most up to", "ko": "횟수 최대", "es": "número de como máximo hasta", "ru": "количество не более до"},
}

// PolicyQuery is the search query for a buyer's policy question in
// locale: the question, the policies' words for the buyer's, and their
// words for the kind of fact asked for. search_policy searches for it
// whichever brain calls it (retrieval.SearchToolExpanding), so the model
// passes the buyer's own words.
func PolicyQuery(question, locale string) string { return policyQuery(question, locale) }

// PolicyQueries are the search queries for a buyer's policy question in
// locale: PolicyQuery's, then, when the message asks for several kinds of
// fact ("what do I do, do you need photos and is there a deadline?"),
// one for each, as the local model's answer reads them
// (retrieval.SearchToolMulti).
func PolicyQueries(question, locale string) []string {
	out := []string{policyQuery(question, locale)}
	if asks := asksOf(question, locale); len(asks) > 1 {
		for _, a := range asks {
			out = append(out, a.query)
		}
	}
	return out
}

func policyQuery(question, locale string) string {
	// Russian typed in Latin letters finds nothing in the Cyrillic
	// policies: it is searched as the classifier reads it.
	question = nlu.Cyrillic(question)
	if c := policyConcepts(question, locale); c != "" {
		return question + " " + c
	}
	return question
}

// policyConcepts are the policies' own words for what question is about
// and for the kind of fact it asks: the words a section's heading uses
// ("Refund window", "Decision time"), which a long question in a buyer's
// words dilutes.
func policyConcepts(question, locale string) string {
	question = nlu.Cyrillic(question)
	var b strings.Builder
	// The words for each kind of fact asked: a search for "do I need
	// photos? until when?" must find the time limit too.
	kinds := []askKind{classifyAsk(question)}
	if clauses := askClauses(question); clauses != nil {
		kinds = kinds[:0]
		for _, c := range clauses {
			kinds = append(kinds, classifyAsk(c))
		}
	}
	for _, k := range kinds {
		if t := strings.TrimSpace(kindTerms[k][locale] + " " + subjectConcepts(question, k, locale)); t != "" {
			if b.Len() > 0 {
				b.WriteString(" ")
			}
			b.WriteString(t)
		}
	}
	for _, t := range topicTerms(question) {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString(t)
	}
	if t := namedFood(question, b.String()); t != "" {
		// "Can I return the honey?": the list that rules on food
		// (policyfood.go).
		b.WriteString(" " + t)
	}
	if t := cancelStateTerms(question, locale); t != "" {
		// "Can an order that hasn't shipped be cancelled?": the
		// subsection of that state (cancelrule.go).
		b.WriteString(" " + t)
	}
	return b.String()
}

// topicTerms are the policies' words for what question is about, once
// each, in the table's order.
//
// A fragment is also matched without the soft and hard signs: Russian
// typed in Latin letters comes back to Cyrillic without them ("tolko" as
// "толко"). Not ё as е: "придёт" is money coming, "pridet" most often a
// parcel.
func topicTerms(question string) []string {
	q := buyerNames.Replace(" " + strings.ToLower(question) + " ")
	var out []string
	for _, t := range policyTerms {
		if slices.Contains(out, t.policy) || slices.ContainsFunc(t.unless, func(u string) bool { return hasCue(q, u) }) {
			continue
		}
		if slices.ContainsFunc(t.buyer, func(b string) bool { return hasCue(q, b) || hasCue(q, droppedSigns.Replace(b)) }) {
			out = append(out, t.policy)
		}
	}
	return out
}

// droppedSigns drops the soft and hard signs and reads й as и, as Russian
// typed in Latin letters comes back to Cyrillic.
var droppedSigns = strings.NewReplacer("ь", "", "ъ", "", "й", "и")

// buyerNames are buyers' names for a process that the policies call
// otherwise and that hold another word's letters: a "chargeback" is the
// bank's dispute, and no "charge" (a fee) is asked about.
var buyerNames = strings.NewReplacer("chargeback", "dispute", "charge-back", "dispute", "contracargo", "disputa", "차지백", "분쟁", "чарджбэк", "спор", "чарджбек", "спор")
