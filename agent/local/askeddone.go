package local

import "strings"

// "주문번호 ORD-10148 환불 처리 완료됐는지 확인 부탁드립니다", "has the
// refund on ORD-10149 been actioned?", "el reembolso ya se hizo?",
// "возврат уже прошёл?": a polite "please check" around a refund asks
// whether it was done, which its status answers. Read as a return asked
// to be done, it proposed (or refused as "already refunded") the very
// refund the buyer asks after, and never said its amount.

// doneAskedCues ask whether something was already done, lower-cased.
var doneAskedCues = []string{
	"has it been", "been actioned", "been processed", "been issued", "been approved", "been sent",
	"gone through", "go through?", "went through?", "did it go through", "is it done", "already processed",
	"됐는지", "되었는지", "됐나요", "되었나요", "됐어요?", "되었어요?", "완료됐", "완료되었", "완료 됐", "처리됐", "처리되었", "들어왔는지", "입금됐",
	"ya se hizo", "se hizo ya", "ya se ha hecho", "ya está hecho", "ya esta hecho", "ya se procesó", "ya se proceso", "se ha procesado", "ya lo hicieron", "ya me lo devolvieron",
	"прошёл ли", "прошел ли", "оформлен ли", "одобрен ли", "вернули ли", "ушли ли", "деньги ушли", "уже вернули?", "уже прошёл?", "уже прошел?",
}

// asksWhetherDone reports whether text asks whether an action (a refund,
// mostly) was already done, rather than asking for it.
func asksWhetherDone(text string) bool {
	return containsAny(strings.ToLower(text), doneAskedCues)
}
