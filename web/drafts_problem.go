package web

import (
	"slices"
	"strings"

	"github.com/csagent/csagent/agent"
)

// problem is what the buyer needs solved, as the drafts answer it: the
// drafts acknowledge it and give the policy step that applies to it on the
// order the conversation is about.
type problem int

const (
	probNone problem = iota
	// probDamaged: the item arrived broken or stopped working (a defect).
	probDamaged
	probWrongItem
	probNotAsDescribed
	probNotReceived
	probCancel
	probChangedMind
)

// problemNames are the problems by name, as DraftInput.Problem holds
// them and the phrase keys use them.
var problemNames = map[problem]string{
	probDamaged:        "damaged",
	probWrongItem:      "wrong_item",
	probNotAsDescribed: "not_as_described",
	probNotReceived:    "not_received",
	probCancel:         "cancel",
	probChangedMind:    "changed_mind",
}

// problemNamed returns the problem called name, or probNone.
func problemNamed(name string) problem {
	for p, n := range problemNames {
		if n == name {
			return p
		}
	}
	return probNone
}

// problemCues are words that give a buyer's problem away, in the four
// languages, matched on the lower-cased message in this order: the first
// problem with a matching cue wins, so the more specific come first (a
// wrong item before a broken one: "the wrong size, and broken").
var problemCues = []struct {
	p    problem
	cues []string
}{
	{probWrongItem, []string{
		"wrong item", "wrong size", "wrong colo", "wrong one", "not what i ordered", "different item", "sent me the wrong", "sent the wrong",
		"다른 상품", "다른 제품", "잘못 왔", "잘못 보내", "잘못 배송", "주문한 게 아니", "주문한 것과 다른",
		"equivocad", "no es lo que pedí", "no es lo que ped", "otro artículo", "otro producto", "talla incorrecta",
		"не тот", "не то, что", "не ту", "перепутали", "другой товар", "не тот размер", "не того цвета"}},
	{probNotAsDescribed, []string{
		"not as described", "doesn't match the", "does not match the", "different from the photo", "different from the listing", "looks nothing like", "fake", "counterfeit",
		"설명과 다르", "사진과 다르", "상세페이지와 다르", "가품", "짝퉁",
		"no es como", "no coincide", "diferente a la foto", "distinto de la foto", "falso", "falsificad",
		"не соответствует", "не как на фото", "отличается от", "подделк", "не такой, как"}},
	{probDamaged, []string{
		"broken", "broke", "damaged", "defect", "faulty", "doesn't work", "does not work", "don't work", "not working", "stopped working", "won't turn on", "doesn't turn on", "dead on arrival",
		"cracked", "crack", "torn", "ripped", "tear ", "leak", "shattered", "dented", "scratched", "falls apart", "fell apart", "came apart", "zipper", "flicker",
		"고장", "파손", "깨져", "깨졌", "부서", "불량", "찢어", "작동하지", "작동이 안", "작동 안", "안 켜", "켜지지", "망가", "금이 가", "새요", "샙니다",
		"roto", "rota", "rompió", "dañad", "defectuos", "no funciona", "dejó de funcionar", "no enciende", "agrietad", "rasgad", "descosid", "cremallera",
		"сломал", "сломан", "слома", "повреж", "брак", "не работает", "перестал работать", "не включается", "треснул", "трещин", "порвал", "порван", "разбит", "протека", "молния"}},
	{probNotReceived, []string{
		"not received", "haven't received", "have not received", "never received", "didn't receive", "didn't arrive", "hasn't arrived", "has not arrived", "never arrived", "not arrived", "still not here", "where is my order", "where's my order", "lost",
		"never got", "didn't get", "did not get", "haven't got", "haven't gotten", "never came", "didn't come", "not delivered", "wasn't delivered",
		"can't find it", "cannot find it", "can't find the", "cannot find the", "parcel is missing", "package is missing",
		"안 왔", "안왔", "도착하지 않", "도착 안", "못 받", "받지 못", "아직 안 와", "분실", "어디쯤", "어디까지",
		"no ha llegado", "no me ha llegado", "no me llegó", "no llegó", "no he recibido", "nunca llegó", "dónde está mi pedido", "perdid",
		"не пришёл", "не пришел", "не пришла", "не получил", "не доставлен", "так и не", "где мой заказ", "где заказ", "потерял"}},
	{probCancel, []string{
		"cancel", "취소", "cancelar", "cancela", "отмен", "отказаться от заказа"}},
	{probChangedMind, []string{
		"changed my mind", "change of mind", "don't want it", "do not want it", "don't need it", "no longer want", "don't like it", "return it", "send it back",
		"send back", "send them back", "return them", "return just", "return one", "return part", "don't need them", "do not need them", "no longer need",
		"변심", "마음이 바뀌", "필요 없", "필요없", "반품",
		"cambié de opinión", "cambie de opinion", "ya no lo quiero", "no lo necesito", "no me gusta", "devolverlo", "devolver",
		"передумал", "передумала", "не нужен", "не нужна", "не нужно", "не понравил", "вернуть товар", "хочу вернуть"}},
}

// problemOf returns the problem text states, or probNone.
func problemOf(text string) problem {
	t := " " + strings.ToLower(text) + " "
	for _, pc := range problemCues {
		for _, c := range pc.cues {
			if strings.Contains(t, c) {
				return pc.p
			}
		}
	}
	return probNone
}

// latestProblem returns the buyer's latest unresolved problem in msgs
// (oldest first) and the message that states it. Unresolved is what the
// buyer said after a person last wrote; failing that, the buyer's latest
// problem all the same, as the seller asking for a draft has not closed it.
func latestProblem(msgs []agent.StoredMessage) (problem, *agent.StoredMessage) {
	lastPerson := -1
	for i, m := range msgs {
		if m.Role == "agent" {
			lastPerson = i
		}
	}
	for _, from := range []int{lastPerson + 1, 0} {
		for i := len(msgs) - 1; i >= from; i-- {
			if msgs[i].Role != "user" {
				continue
			}
			if p := problemOf(msgs[i].Text); p != probNone {
				return p, &msgs[i]
			}
		}
	}
	return probNone, nil
}

// conversationOrderIDs returns the order ids the conversation is about,
// most likely first: those named in the message stating the buyer's
// problem (when there is one), then those the buyer named, newest first,
// then those anyone else (the assistant listing orders, a person) named.
// A list of the buyer's orders in an assistant's reply, or an order the
// buyer mentions in passing after stating the problem, does not make the
// conversation about that order.
func conversationOrderIDs(msgs []agent.StoredMessage, stated *agent.StoredMessage) []string {
	var buyer, others []agent.StoredMessage
	for _, m := range msgs {
		if m.Role == "user" {
			buyer = append(buyer, m)
		} else {
			others = append(others, m)
		}
	}
	var first []agent.StoredMessage
	if stated != nil {
		first = []agent.StoredMessage{*stated}
	}
	var ids []string
	for _, part := range [][]agent.StoredMessage{first, buyer, others} {
		for _, id := range mentionedOrders(part) {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// fits reports whether an order in status could be the subject of p: a
// broken item was delivered, a missing one shipped, a cancellation is of
// an order not yet shipped.
func (p problem) fits(status string) bool {
	switch p {
	case probDamaged, probWrongItem, probNotAsDescribed, probChangedMind:
		return status == "delivered"
	case probNotReceived:
		return status == "shipped" || status == "delivered"
	case probCancel:
		return status == "pending" || status == "paid" || status == "shipped"
	}
	return true
}

// stepQuestions are, by step (problemStep's key) and language, the
// question whose policy answer is the rule behind a draft's step: the
// suggestions search the policies for it and show the rule's own words,
// linked to its section, beside the drafts.
var stepQuestions = map[string]map[string]string{
	"refund_reason": {
		"en": "How many days after delivery can I request a refund for a damaged item?",
		"ko": "상품이 파손되었는데 배송 후 며칠 이내에 환불을 요청할 수 있나요?",
		"es": "¿Cuántos días tengo después de la entrega para pedir un reembolso por un artículo dañado?",
		"ru": "Сколько дней после доставки можно запросить возврат денег за повреждённый товар?",
	},
	"dispute_route": {
		"en": "Until when after delivery can a dispute for a damaged or wrong item be opened?",
		"ko": "파손 분쟁은 배송 완료 후 며칠 이내에 열 수 있나요?",
		"es": "¿Cuánto tiempo después de la entrega puedo abrir una disputa por un artículo dañado o equivocado?",
		"ru": "Сколько дней после доставки можно открыть спор по другой причине, например если товар повреждён?",
	},
	"refund_mind": {
		"en": "Who pays return shipping if I changed my mind?",
		"ko": "단순 변심으로 반품하면 반품 배송비는 누가 내나요?",
		"es": "¿Quién paga el envío de la devolución si cambié de opinión?",
		"ru": "Кто платит за обратную доставку, если я передумал?",
	},
	"mind_late": {
		"en": "How many days do I have to request a refund?",
		"ko": "환불은 며칠 이내에 요청해야 하나요?",
		"es": "¿Cuántos días tengo para pedir un reembolso?",
		"ru": "Сколько дней после доставки можно запросить возврат денег?",
	},
	"nr_dispute": {
		"en": "When can I open an item not received dispute?",
		"ko": "상품 미수령 분쟁은 언제 신청할 수 있나요?",
		"es": "¿Cuándo puedo abrir una disputa por artículo no recibido?",
		"ru": "Когда можно открыть спор «товар не получен»?",
	},
	"nr_delivered": {
		"en": "Tracking shows my order as delivered but I cannot find it. What should I do?",
		"ko": "배송 조회에는 배송 완료로 표시되는데 상품을 찾을 수 없으면 누구에게 확인해야 하나요?",
		"es": "Si el seguimiento indica que el pedido se entregó pero no lo encuentro, ¿a quién debo consultar?",
		"ru": "По отслеживанию заказ доставлен, но я не могу его найти. Что делать?",
	},
	"cancel_pending": {
		"en": "Can I cancel an order that is still awaiting payment?",
		"ko": "아직 결제 대기 중인 주문을 취소할 수 있나요?",
		"es": "¿Puedo cancelar un pedido que todavía está pendiente de pago?",
		"ru": "Можно ли отменить заказ, который ещё не оплачен?",
	},
	"cancel_paid": {
		"en": "Can I cancel a paid order that has not shipped yet?",
		"ko": "결제했지만 아직 발송되지 않은 주문을 취소할 수 있나요?",
		"es": "¿Puedo cancelar un pedido pagado que todavía no se ha enviado?",
		"ru": "Можно ли отменить оплаченный заказ, который ещё не отправлен?",
	},
	"cancel_shipped": {
		"en": "Can I cancel an order that has already shipped?",
		"ko": "이미 발송된 주문을 취소할 수 있나요?",
		"es": "¿Puedo cancelar un pedido que ya se ha enviado?",
		"ru": "Можно ли отменить заказ, который уже отправлен?",
	},
}

// stepQuestion returns the question of step key in locale (English for a
// language without drafts); empty for no step.
func stepQuestion(key, locale string) string {
	// These steps rest on the same rule as another's.
	switch key {
	case "windows_over":
		key = "dispute_route"
	}
	return stepQuestions[key][phraseLocale(locale)]
}
