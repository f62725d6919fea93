package local

// A buyer who tells that the money was taken but no confirmation came
// ("the money left my card but I never got a confirmation", "결제는
//됐는데 주문 확인 문자가 안 왔어요", "me cobraron pero no me llegó la
// confirmación", "деньги списали, а подтверждения нет") asks whether the
// order went through: the answer is the order's state and payment (paid
// on its date, its total, what happens next), the order status reply. The
// classifier read a refund's status ("there are no refunds"), the
// partial-refund passage or a delivery-date question, by the words of
// money and waiting around it.

// takenWords tell of money leaving the buyer, besides paidWords (billing.go),
// folded, at a word's start.
var takenWords = []string{
	" money was taken", " money has been taken", " took the money", " took my money", " taken from my",
	" deducted", " withdrawn", " went through", " left my account",
	" me quitaron", " descontaron", " descontado", " se llevaron", " me retiraron", " retiraron el dinero", " dinero",
	" деньги", " сняли", " ушли с карты", " ушли деньги",
	"돈이", "돈은", "결제", "빠져나", "출금",
}

// unconfirmedWords name the confirmation that did not come, folded, at a
// word's start.
var unconfirmedWords = []string{
	" confirmation", " not confirmed", " never confirmed", " no email", " no receipt", " receipt", " order email",
	" confirmacion", " confirmado", " comprobante", " recibo", " correo de",
	" подтвержден", " письм", " уведомлен", " чека", " чек ",
	"확인 메일", "확인 문자", "확인 메시지", "확인메일", "확인문자", "주문 확인", "주문확인", "확인이 안", "확인을 못", "확인 알림", "알림이",
}

// chargedUnconfirmed reports whether the buyer's message tells of money
// taken with no confirmation of the order. A carried request, a waiting
// card and a cancellation waiting are left alone.
func (d *dialogue) chargedUnconfirmed() bool {
	if d.carried || len(d.cards) > 0 || d.pendingCancel != nil {
		return false
	}
	text := d.foldedText()
	if !containsAny(text, unconfirmedWords) {
		return false
	}
	return containsAny(text, paidWords) || containsAny(text, takenWords)
}
