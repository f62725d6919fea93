package nlu

// Topic names a kind of platform request that the order tools cannot
// serve: the buyer's account, invoices, payment methods and so on. The
// local model answers each with what the buyer can do instead.
type Topic string

// The platform topics PlatformTopic recognises.
const (
	TopicAccount    Topic = "account"
	TopicInvoice    Topic = "invoice"
	TopicPayment    Topic = "payment_method"
	TopicAddress    Topic = "address"
	TopicNewsletter Topic = "newsletter"
	TopicReview     Topic = "review"
	TopicRewards    Topic = "rewards"
	TopicSelling    Topic = "selling"
)

// topicCues are folded keywords per topic, matched like the reason
// keywords: Latin and Cyrillic at a word start, Hangul anywhere. The
// first topic with a match wins, so the more specific topics come first.
var topicCues = []struct {
	topic Topic
	cues  []keyword
}{
	{TopicInvoice, prepare(
		"invoice", "receipt", "vat ", "tax id", "tax number", "billing document",
		"factura", "recibo", "comprobante", "cfdi", "nif", "rfc",
		"счет-фактур", "счет фактур", "чек", "квитанц", "закрывающ", "инн", "накладн",
		"세금계산서", "영수증", "계산서", "거래명세서", "현금영수증", "증빙",
	)},
	{TopicAddress, prepare(
		"address", "addy", "apartment number", "apt number", "ship it to", "deliver it to a different", "send it to my",
		"direccion", "domicilio", "numero del piso", "numero de piso",
		"адрес", "номер квартиры", "номере квартиры", "квартир",
		"주소", "배송지", "동호수", "호수",
	)},
	{TopicPayment, prepare(
		"payment method", "credit card", "debit card", "saved card", "new card", "my card", "card on file",
		"paypal", "apple pay", "google pay", "wallet", "bank transfer", "wire transfer", "installment", "crypto",
		"pay later", "cash on delivery",
		"metodo de pago", "forma de pago", "tarjeta", "bizum", "mercado pago", "transferencia", "cuotas",
		"contra reembolso", "cripto",
		"способ оплаты", "карту", "карта", "картой", "сбп", "кошел", "оплатить переводом", "оплата переводом",
		"банковским переводом", "рассрочк", "частями", "крипт", "наложенн",
		"결제수단", "결제 수단", "카드", "카카오페이", "네이버페이", "페이 ", "계좌이체", "무통장", "할부", "후불",
	)},
	{TopicNewsletter, prepare(
		"newsletter", "unsubscribe", "marketing", "promotion", "promo email", "emails", "notification", "push ",
		"spam", "texts", "sms", "opt me out",
		"boletin", "suscripcion", "darme de baja del", "correos de", "notificacion", "publicidad",
		"рассылк", "отпиш", "уведомлен", "пуш", "рекламн", "смс", "спам",
		"뉴스레터", "수신 거부", "수신거부", "광고", "마케팅", "알림", "문자 그만",
	)},
	{TopicReview, prepare(
		"review", "rating", "rate the", "stars", "feedback",
		"reseña", "resena", "opinion", "valorar", "valoracion", "estrellas", "calificacion",
		"отзыв", "оценк", "звезд",
		"리뷰", "후기", "별점", "평점",
	)},
	{TopicRewards, prepare(
		"points", "reward", "loyalty", "coupon", "promo code", "discount code", "voucher", "referral", "refer a friend",
		"puntos", "cupon", "codigo de descuento", "descuento", "referido", "recomendar a un amigo",
		"балл", "бонус", "промокод", "купон", "скидк", "реферал", "пригласи",
		"적립금", "포인트", "쿠폰", "할인", "추천인", "친구 초대",
	)},
	{TopicSelling, prepare(
		"become a seller", "sell my", "sell on", "open a shop", "open a store", "my own shop",
		"vendedor en", "hacerme vendedor", "abrir una tienda", "vender en", "vender mis",
		"стать продавц", "открыть магазин", "свой магазин", "продавать",
		"입점", "판매자 등록", "판매자로", "팔 수 있",
	)},
	{TopicAccount, prepare(
		"account", "password", "log in", "login", "sign in", "username", "user name", "display name", "profile",
		"2fa", "two factor", "two-factor", "email address", "phone number", "personal data", "my data",
		"cuenta", "contrasena", "usuario", "perfil", "datos personales", "mis datos", "correo de mi", "numero de movil",
		"numero de telefono", "verificacion",
		"аккаунт", "учетн", "парол", "войти", "логин", "профил", "персональн", "мои данные", "почту", "номер телефона",
		"двухфактор", "akkaunt",
		"계정", "탈퇴", "비밀번호", "비번", "로그인", "닉네임", "아이디", "개인정보", "이메일", "휴대폰 번호", "전화번호", "인증",
	)},
}

// purchaseCues name a purchase having been made, folded: a platform
// topic named with one ("my grandson ordered something on my account,
// cancel it", "внук заказал что-то с моего аккаунта") is the setting of
// an order request, not the request's object.
var purchaseCues = prepare(
	"ordered", "bought", "purchased", "placed an order", "made an order",
	"pidio", "pidieron", "pedi ", "compre", "compro", "compraron", "hizo un pedido", "hicieron un pedido",
	"заказал", "заказыва", "купил", "оформил",
	"주문했", "주문을 했", "주문한", "샀", "구매했",
)

// orderNounCues name an order by the word, folded: an action asked with
// one is aimed at an order, whatever platform topic the message also
// names ("after those reviews, cancel my order").
var orderNounCues = prepare("order", "pedido", "заказ", "주문")

// PlatformTopic returns the platform topic text is about, or "" when it
// names none of them.
func PlatformTopic(text string) Topic {
	n := normalize(text)
	if looksTranslit(n) {
		n = detranslit(n)
	}
	return platformTopic(newKeywordText(fold(n)))
}

func platformTopic(kt keywordText) Topic {
	present := kt.present
	for _, t := range topicCues {
		if anyCue(kt, present, t.cues) {
			return t.topic
		}
	}
	return ""
}
