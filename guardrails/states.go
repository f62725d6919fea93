package guardrails

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// stateTerm is a word for the state of an order, refund or dispute.
type stateTerm struct {
	term, state string
	// copula: English states count only after "is", "was", … or before
	// "on" or "by" ("shipped on 2026-05-01").
	copula bool
	// stem: up to two more letters may follow ("aprobada", "отправлено").
	stem bool
}

// stateTerms are folded (lower case, no accents).
var stateTerms = func() []stateTerm {
	var out []stateTerm
	en := map[string]string{
		"approved": "approved", "rejected": "rejected", "declined": "rejected", "denied": "rejected",
		"completed": "completed", "refunded": "refunded", "pending": "pending", "paid": "paid",
		"shipped": "shipped", "dispatched": "shipped", "delivered": "delivered", "cancelled": "cancelled",
		"canceled": "cancelled", "open": "open", "opened": "open", "under review": "under_review",
		"resolved": "resolved", "withdrawn": "withdrawn", "in transit": "shipped",
	}
	for t, s := range en {
		out = append(out, stateTerm{term: t, state: s, copula: true})
	}
	plain := map[string]string{
		"awaiting payment": "pending", "waiting for payment": "pending",
		"in your favour": "resolved_buyer", "in your favor": "resolved_buyer",
		"in the seller's favour": "resolved_seller", "in the seller's favor": "resolved_seller",
		"승인됨": "approved", "승인되었": "approved", "거절됨": "rejected", "거절되었": "rejected",
		"완료 상태": "completed", "환불되었": "refunded", "환불됩니다": "refunded", "환불 완료": "refunded",
		"결제 대기": "pending", "결제 완료": "paid", "결제되었": "paid", "배송 중": "shipped",
		"발송되었": "shipped", "배송 완료": "delivered", "취소됨": "cancelled", "취소되었": "cancelled",
		"접수됨": "open", "접수되었": "open", "검토 중": "under_review", "구매자 승소": "resolved_buyer",
		"판매자 승소": "resolved_seller", "철회됨": "withdrawn", "철회되었": "withdrawn",
		"se reembolsaron": "refunded", "se le reembolsan": "refunded", "se reembolsa": "refunded",
		"pendiente de pago": "pending", "se pago": "paid", "se envio": "shipped", "se entrego": "delivered",
		"lo entrego": "delivered", "se cancelo": "cancelled", "en revision": "under_review",
		"resuelta a su favor": "resolved_buyer", "a favor del vendedor": "resolved_seller",
		"ожидает оплаты": "pending", "на рассмотрении": "under_review", "в вашу пользу": "resolved_buyer",
		"в пользу продавца": "resolved_seller",
	}
	for t, s := range plain {
		out = append(out, stateTerm{term: t, state: s})
	}
	stems := map[string]string{
		"aprobad": "approved", "rechazad": "rejected", "completad": "completed", "reembolsad": "refunded",
		"pagad": "paid", "enviad": "shipped", "entregad": "delivered", "cancelad": "cancelled",
		"abiert": "open", "retirad": "withdrawn",
		"одобрен": "approved", "отклонен": "rejected", "выполнен": "completed", "возвращен": "refunded",
		"оплачен": "paid", "отправлен": "shipped", "доставлен": "delivered", "отменен": "cancelled",
		"открыт": "open", "отозван": "withdrawn",
	}
	for t, s := range stems {
		out = append(out, stateTerm{term: t, state: s, stem: true})
	}
	return out
}()

var (
	copulas = map[string]bool{"is": true, "was": true, "are": true, "were": true, "been": true, "be": true, "remains": true, "being": true, "got": true, "has": true, "have": true}
	adverbs = map[string]bool{"now": true, "already": true, "fully": true, "successfully": true, "just": true, "partially": true, "also": true}
	// modals before "be" make a state a possibility, not a claim: "a
	// dispute can be opened until 2026-11-30" says no dispute is open.
	modals    = map[string]bool{"can": true, "could": true, "may": true, "might": true}
	negations = map[string]bool{"not": true, "cannot": true, "no": true, "never": true, "yet": true, "isn't": true, "wasn't": true, "hasn't": true, "haven't": true, "hasnt": true, "isnt": true, "aun": true, "todavia": true, "не": true, "ещё": true, "еще": true, "nunca": true, "nothing": true, "none": true, "nada": true, "ничего": true}
)

// states returns the state claims of a sentence about a specific order,
// refund or dispute (a generic policy sentence names states too, and is
// checked by its support instead).
func (x extractor) states(s string) []claim {
	f := x.pre
	if f == nil || x.preOf != s {
		f = fold(s)
	}
	var out []claim
	for _, t := range stateTerms {
		from := 0
		for {
			k := strings.Index(f.s[from:], t.term)
			if k < 0 {
				break
			}
			a := from + k
			b := a + len(t.term)
			from = b
			if a > 0 {
				q, _ := utf8.DecodeLastRuneInString(f.s[:a])
				if unicode.IsLetter(q) || unicode.IsDigit(q) {
					continue
				}
			}
			if t.stem {
				n := 0
				for b < len(f.s) && n < 2 {
					q, size := utf8.DecodeRuneInString(f.s[b:])
					if !strings.ContainsRune("aoыоаs", q) {
						break
					}
					b += size
					n++
				}
			}
			if b < len(f.s) && !isHangulSyllable(lastRune(t.term)) {
				q, _ := utf8.DecodeRuneInString(f.s[b:])
				if unicode.IsLetter(q) || unicode.IsDigit(q) {
					continue
				}
			}
			before := strings.Fields(wordsAround(f.runes, f.runeAt(a)-1, -1, 3))
			if t.copula {
				after := strings.Fields(wordsAround(f.runes, f.runeAt(b-1)+1, 1, 1))
				n := len(before)
				ok := n > 0 && copulas[before[n-1]] ||
					n > 1 && adverbs[before[n-1]] && copulas[before[n-2]] ||
					len(after) > 0 && (after[0] == "on" || after[0] == "by" || after[0] == "in")
				if !ok {
					continue
				}
			}
			if n := len(before); n > 1 && before[n-1] == "be" && modals[before[n-2]] {
				continue
			}
			neg := false
			for _, w := range before {
				if negations[w] || strings.HasSuffix(w, "n't") {
					neg = true
				}
			}
			if neg {
				continue
			}
			sp := f.origin(a, b)
			out = append(out, claim{kind: claimStatus, key: t.state, sp: sp, text: s[sp.start:sp.end]})
		}
	}
	return out
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
