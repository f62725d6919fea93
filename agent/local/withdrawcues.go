package local

import (
	"regexp"
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// Taking a request back is said in more ways than "never mind": formally
// ("please disregard my previous request", "retiro mi solicitud", "отзываю
// свою просьбу", "요청은 철회하겠습니다"), by naming what is called off
// ("cancel the refund", "no me hagas el reembolso", "отмени возврат",
// "환불은 취소할게요"), or by saying what the buyer keeps instead ("I'd
// prefer to keep the order", "deseo conservar el pedido"). Missed, such a
// message is read on its own words, and "отмени возврат" becomes a
// cancellation, "отзываю" a question about reviews, while the card waits.
// The classifier's own cues (nlu.Withdraws) stay as they are; these are
// read beside them, over cueText (folded, padded, punctuation made space).

// moreWithdrawCues are withdrawals nlu.Withdraws does not know, folded; a
// leading space anchors a cue at a word's start.
var moreWithdrawCues = foldAll([]string{
	// en
	" disregard my", " disregard the", " disregard that", " disregard it", " ignore my previous", " ignore my last", " ignore that request",
	" withdraw my", " withdraw the request", " withdraw that", " i withdraw", " retract my", " take back my request", " take it back",
	" cancel my request", " cancel the request", " cancel the refund", " cancel the return", " cancel that refund", " cancel the cancellation",
	" prefer to keep", " rather keep", " keep the order", " keep my order",
	" don t want to cancel", " dont want to cancel", " no longer want to cancel", " don t want the refund", " dont want the refund",
	" don t want a refund", " dont want a refund", " no longer want the refund", " don t refund", " don t cancel", " don t do it",
	" don t proceed", " don t go ahead", " don t process",
	" scrap that", " scrap it", " let s not do", " lets not do", " cancel my cancellation", " withdraw the cancel", " no need anymore", " no need any more",
	" not needed anymore", " don t bother with the", " dont bother with the", " forget the refund", " forget the return", " forget the cancel", " forget the dispute",
	" no longer need the refund", " no longer need a refund", " no longer need to cancel", " don t need the refund", " dont need the refund", " leave the order alone", " leave my order alone", " leave it alone",
	// es
	" no me hagas el", " no me hagas la", " no me haga el", " no me haga la", " no me hagan el", " no me hagan la",
	" no hagas el reembolso", " no haga el reembolso", " no hagas la devolucion", " no haga la devolucion",
	" ya no quiero el reembolso", " ya no quiero la devolucion", " ya no quiero cancelar", " no quiero cancelar", " no quiero el reembolso",
	" retiro mi solicitud", " retiro la solicitud", " retiro mi peticion", " retiro el pedido de cancel", " anulo mi solicitud",
	" cancela el reembolso", " cancela la devolucion", " cancele el reembolso", " cancele la devolucion", " cancela la cancelacion",
	" prefiero quedarmelo", " prefiero quedarmela", " prefiero conservar", " deseo conservar", " desea conservar", " quiero conservar",
	" mantener el pedido", " conservar el pedido", " ignore mi solicitud", " ignoren mi solicitud", " ignora lo que", " no tengan en cuenta",
	" dejar sin efecto", " quede sin efecto",
	" mantener mi pedido", " mantener el pedido", " olvida el", " olvide el", " olvida la", " olvide la", " ya no necesito el reembolso", " ya no necesito la devolucion", " ya no necesito cancelar", " ya no hace falta",
	" no procedas", " no proceda", " no procedan", " anula lo que", " anule lo que", " no sigas", " no siga ",
	// ru (folded: е for ё)
	" отзываю", " отозвать мою", " отозвать свою", " отмени возврат", " отмените возврат", " отменить возврат", " отмени заявку",
	" отмените заявку", " отменить заявку", " отмени отмену", " отмените отмену", " возврат не нужен", " не нужен возврат",
	" отмена не нужна", " не нужна отмена", " прошу не отменять", " не отменять", " не возвращать", " не оформлять",
	" прошу не учитывать", " оставляю заказ", " оставьте заказ", " заказ оставляю", " не делай возврат", " не делайте возврат",
	" оставьте все как есть", " оставь все как есть", " возврат больше не нужен", " отмена больше не нужна", " больше ничего не нужно", " недействительн",
	" не делай ничего", " не делайте ничего", " уже не актуально", " не актуально",
	// ko
	"철회", "환불은 취소", "환불 취소해", "환불 요청 취소", "환불요청 취소", "반품은 취소", "반품 취소해", "취소 요청 취소",
	"취소 안 할", "취소 안할", "취소하지 않", "환불하지 마", "환불 하지 마", "환불 안 해도", "환불 안해도", "반품 안 할", "반품 안할",
	"그냥 받을", "그냥 쓸", "그냥 신을", "그냥 가질", "그냥 둘", "진행하지 않", "없었던 걸로", "없었던걸로", "취소하지 말",
	"환불 안 받", "환불 안받", "없던 일로", "없던일로", "가지고 있을게", "취소 안 해도", "취소 안해도", "환불은 필요 없", "취소는 필요 없", "환불 필요 없", "취소 필요 없",
})

// unchangedCues say the order is to stay as it is, or that the card's
// button is not to be pressed: "leave it as it is", "no lo toques",
// "заказ оставить без изменений", "ничего не жми", "그대로 둬 주세요". Folded,
// over cueText. Unlike the other withdrawals they win over a yes in the
// same message ("네 그대로 둬주세요", "Подтверждаю: заказ оставить без
// изменений"): what the buyer confirms is that nothing changes, and taking
// the "yes" for the card would carry out the very thing declined.
var unchangedCues = foldAll([]string{
	// en
	" leave it as it is", " leave it as is", " keep it as it is", " keep it as is", " leave everything as", " leave the order as",
	" leave it unchanged", " keep it unchanged", " no changes", " don t press", " dont press", " do not press", " don t click", " dont click",
	" do not click", " don t touch", " dont touch",
	// es
	" dejalo como esta", " dejelo como esta", " dejarlo como esta", " dejadlo como esta", " dejalo asi", " dejelo asi", " dejarlo asi",
	" sin cambios", " sin cambiar nada", " no pulses", " no pulse ", " no toques", " no toque ", " no le des al", " no le de al",
	// ru
	" оставить без изменений", " оставьте без изменений", " оставь без изменений", " оставить как есть", " оставь как есть",
	" оставьте как есть", " пусть будет как есть", " не жми", " не жмите", " не нажимай", " не нажимайте", " ничего не трогай",
	" ничего не трогайте", " не трогайте заказ", " не трогай заказ", " никаких действий",
	// ko
	"그대로 둬", "그대로 두세요", "그대로 두어", "그대로 놔", "그대로 놓아", "누르지 마", "누르지마", "건드리지 마", "건드리지마",
})

// leavesUnchanged reports whether text asks that the order stay as it
// is (unchangedCues).
func leavesUnchanged(text string) bool {
	return containsAny(cueText(text), unchangedCues)
}

// withdrawsText reports whether text takes back the request the buyer
// just made, in the classifier's words or in the ones above, or as a
// polite "please do not process it" (stopsAction).
func withdrawsText(text string) bool {
	if asked, kept := splitKept(text); kept != "" && asked != "" && (nlu.AsksMoneyBack(asked) || containsAny(cueText(asked), goodsRefundCues)) && !withdrawsWords(asked) {
		// "El segundo juego está bien, me lo quedo. Devuélvanme solo el
		// manchado": what is kept is the other goods, and the money back
		// for the rest is asked in the same breath; no withdrawal.
		return false
	}
	return withdrawsWords(text)
}

// withdrawsWords reports whether text says a withdrawal in so many words,
// wherever it stands in the message.
func withdrawsWords(text string) bool {
	if u := unglued(text); u != strings.ToLower(text) {
		// "неотменяйте": the "не" typed without its space (holdcard.go).
		text = u
	}
	return nlu.Withdraws(text) || containsAny(cueText(text), moreWithdrawCues) || leavesUnchanged(text) || stopsAction.MatchString(cueText(text))
}

// stopsAction is a negated request to carry something out, over cueText:
// "please do not process the refund", "le ruego que no tramite el
// reembolso", "не оформляйте возврат", "환불은 진행하지 말아 주십시오". A
// buyer asks no such thing of an action they still want; said while a
// card waits it can only take that card back, and a no only ever leaves
// things as they are.
var stopsAction = regexp.MustCompile(` (?:do not|don t|dont|please don t|no need to) (?:process|proceed|file|submit|go ahead|continue|carry on|issue|send|make|start|refund|cancel|return)` +
	`| no (?:me |le |lo |la )?(?:tramit|gestion|proces|realic|efectu|continu|sig[au]n? adelante|inici|emit|curs)` +
	`| не (?:оформля|оформи|проводи|запуска|запусти|отправля|делай|делайте|начина|продолжа|надо оформ|нужно оформ|надо возвра|нужно возвра|надо отмен|нужно отмен)` +
	`|(?:진행|처리|접수|신청|요청|환불|반품|취소)(?:은|는|을|를)? ?(?:하지|해 ?주지) ?(?:말|마)`)
