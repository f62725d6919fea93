package agent

import (
	"cmp"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/csagent/csagent/tools"
)

// The handoff's brief: what the person taking over needs first — the
// order, the problem, what the buyer wants, what was tried and how the
// buyer feels — read from the conversation's state by the agent, not
// written by the model: the buyer's messages and the tools' calls and
// outcomes in the window the model saw. The handoff tool writes it in
// each reader's language (tools.HandoffBrief), so a seller reading Korean
// gets Korean however the buyer or the model wrote, and an LLM that
// summarises badly, or not at all, still hands over a useful card.

// briefOrderIDs finds order ids in a buyer's message.
var briefOrderIDs = regexp.MustCompile(`\bORD-\d{5}\b`)

// briefSkips are the tools whose calls tell the person taking over
// nothing about an order.
var briefSkips = []string{"search_policy", "list_orders", handoffTool, "translate"}

// problemCue is a problem and the words that give it away, lower-cased.
type problemCue struct {
	problem string
	cues    []string
}

// briefProblemCues are tried in order over a buyer's message: the more
// specific first (an error on the site before a broken item, a refund
// that has not arrived before a parcel that has not).
var briefProblemCues = []problemCue{
	{"site_error", []string{" error", "error message", "bug", "glitch", "won't let me", "doesn't let me", "went wrong", "try later", "try again later",
		"crashing", "crashes", "keeps crashing", "won't load", "doesn't load", "not loading", "튕겨", "먹통", "se cuelga", "se bloquea", "no carga la", "вылетает", "зависает", "не загружается",
		"오류", "에러", "no me deja", "da error", "sale un error", "salió mal", "salio mal", "ошибк", "не даёт", "не дает", "пошло не так"}},
	{"wrong_item", []string{"wrong item", "wrong size", "wrong colo", "not what i ordered", "sent me the wrong", "instead of",
		"its not my", "it's not my", "it is not my", "isn't my", "not the one i ordered",
		"다른 상품", "잘못 왔", "잘못 배송", "엉뚱한", "이 아니라", "가 아니라",
		"equivocad", "no es lo que ped", "talla incorrecta", "no es mi ", "no son mis", "en vez de", "en lugar de",
		"не тот", "перепутали", "другой товар", "не мой", "не моя", "не мои", "вместо", "vmesto", "ne moy", "ne moya"}},
	{"stuck", []string{"hasn't moved", "has not moved", "not moving", "isn't moving", "no movement", "no update", "hasn't updated", "not updated",
		"stuck", "same status", "still in transit", "still says in transit", "days in transit", "weeks in transit", "in transit for",
		"그대로", "멈춰", "변동", "업데이트가 안", "업데이트 안", "안 움직",
		"sin moverse", "no se mueve", "sin movimiento", "parado", "atascad", "sin actualiz", "sigue en tránsito", "días en tránsito", "dias en transito",
		"일째 배송 중", "일째 배송중", "дней в пути", "недели в пути", "неделю в пути",
		"не двигается", "не движется", "стоит на месте", "застрял", "без изменений", "не обновля",
		"ne dvigaetsya", "ne dvizhetsya", "zastryal", "ne obnovlyaetsya"}},
	{"not_as_described", []string{"not as described", "different from the photo", "fake", "counterfeit",
		"설명과 다르", "사진과 다르", "가품", "no es como", "diferente a la foto", "falsificad", "не соответствует", "не как на фото", "подделк"}},
	{"damaged", []string{"broken", "broke", "damaged", "defect", "faulty", "doesn't work", "does not work", "not working", "stopped working",
		"won't turn on", "doesn't turn on", "won't charge", "cracked", "torn", "ripped", "leak", "holes", "zipper", "dented", " dent ", " dents ",
		"찌그러", "abollad", "вмятин", "помят", "dead on arrival", "arrived dead", "falling apart", "fell apart", "se deshace", "развалил",
		"고장", "파손", "깨져", "깨졌", "불량", "찢어", "작동하지", "작동이 안", "안 켜", "켜지지",
		"roto", "rota", "rompió", "dañad", "defectuos", "no funciona", "dejó de funcionar", "no enciende",
		"сломал", "сломан", "повреж", "брак", "не работает", "не включается", "треснул", "порван", "разбит"}},
	{"changed_mind", []string{"changed my mind", "change of mind", "don't want it", "no longer want", "don't need it",
		"변심", "마음이 바뀌", "필요 없", "cambié de opinión", "cambie de opinion", "ya no lo quiero", "no lo necesito",
		"передумал", "не нужен", "не нужна", "не понравил"}},
	{"cancel", []string{"cancel", "취소", "cancelar", "отмен"}},
}

// sellerWords name the seller; silentWords say someone does not answer.
// Together they are a seller who leaves the buyer (or their dispute)
// unanswered: what the person taking over must chase, not a new dispute.
var (
	sellerWords = []string{"seller", "vendor", "shop", "store", "판매자", "셀러", "판매처", "가게", "vendedor", "vendedora", "tienda",
		"продавец", "продавца", "продавцу", "магазин", "prodavets"}
	silentWords = []string{"not respond", "n't respond", "no response", "not repl", "n't repl", "never repl", "no reply", "no answer", "not answer", "n't answer",
		"never answer", "ignor", "silent", "ghost",
		"답이 없", "답변이 없", "답변 없", "응답이 없", "응답 없", "응답을 안", "연락이 없", "연락 없", "무응답", "답장이 없", "답을 안",
		"no responde", "no contesta", "no ha respondido", "no ha contestado", "sin respuesta", "sin responder", "no dice nada", "ignora",
		"молчит", "не отвеча", "не ответил", "без ответа", "игнорир", "не реагир", "molchit"}
)

// stillChargedWords say the buyer's money is still taken, after a
// cancellation or a refund: its refund has not reached them.
var stillChargedWords = []string{"still charged", "still being charged", "charge is still", "still see the charge", "charged me anyway",
	"siguen cobrando", "sigue el cargo", "el cargo sigue", "veo el cargo", "me cobraron igual", "me siguen cobrar",
	"списали", "списаны", "списание", "всё ещё списан", "결제가 안 풀", "결제 취소가 안", "돈이 빠져", "청구가 그대로"}

// refundWords name a refund's money; notArrivedWords say something has
// not come (or ask where or when it comes). Together they are a refund
// that has not reached the buyer.
var (
	refundWords     = []string{"refund", "money back", "my money", "환불", "reembols", "mi dinero", "возврат", "деньги", "средства"}
	notArrivedWords = []string{"not arrived", "hasn't arrived", "haven't received", "haven't got", "not received", "still not", "where is", "where's", "when will", "yet",
		"안 들어", "안 왔", "못 받", "언제", "아직", "no me llega", "no me ha llegado", "no ha llegado", "todavía", "todavia", "aún no", "aun no", "dónde", "donde", "cuándo", "cuando",
		"не приш", "не поступ", "не получ", "где", "когда", "до сих пор",
		// A refund the buyer does not see on their card or statement.
		"not showing", "n't showing", "not shown", "doesn't show", "does not show", "hasn't shown", "not show up", "n't show up", "no sign of",
		"입금이 안", "입금 안", "입금되지", "안 보여", "안 보이",
		"no se ha reflejado", "no se refleja", "no aparece", "no veo", "ni rastro",
		"не отобража", "не видно", "не вижу", "не вернул", "не зачисл",
		// Still waiting for the money.
		"waiting", "기다리", "esperando", "жду", "ждём", "ждем"}
	// notReceivedWords say an order has not reached the buyer; a message
	// that says the order shows as delivered and that it is not there
	// says so too ("says delivered but nothing is here").
	notReceivedWords = []string{"not received", "haven't received", "have not received", "never received", "didn't receive", "didn't arrive",
		"hasn't arrived", "has not arrived", "never arrived", "not arrived", "nothing is here", "nothing here", "isn't here", "still not here", "never came",
		"안 왔", "안왔", "도착하지 않", "도착 안", "못 받", "받지 못", "분실",
		"no ha llegado", "no me ha llegado", "no me llegó", "no llegó", "no he recibido", "nunca llegó", "perdid",
		"не пришёл", "не пришел", "не пришла", "не получил", "не получила", "не доставлен", "так и не", "потерял",
		// Waiting for it: "20 DÍAS esperando una paellera", "жду уже месяц".
		"been waiting", "still waiting", "waiting for", "days waiting", "기다리고 있", "기다렸", "기다리는 중", "기다린 지", "기다린지",
		"esperando", "llevo esperando", "sigo esperando", "жду", "ждём", "ждем"}
	deliveredWords = []string{"delivered", "배송완료", "배송 완료", "entregado", "доставлен"}
	absentWords    = []string{"nothing", "not here", "없어", "없는데", "nada", " нет", "нету"}
)

// wantCue is what a buyer asks for and the words that ask it.
type wantCue struct {
	want string
	cues []string
}

// briefWantCues are tried in order over the buyer's messages, newest
// first: a buyer who wants a refund and then asks for a person still
// wants the refund, which the person is for.
var briefWantCues = []wantCue{
	{"refund", []string{"refund", "money back", "환불", "reembols", "devolver el dinero", "вернуть деньги", "верните деньги", "возврат денег"}},
	{"replacement", []string{"replace", "exchange", "a new one", "교환", "reemplaz", "un cambio", "обмен", "замен"}},
	{"cancel", []string{"cancel", "취소", "cancelar", "отмен"}},
	{"dispute", []string{"dispute", "분쟁", "disputa", "спор"}},
	{"status", []string{"where is", "where's", "when will", "tracking", "어디", "dónde", "seguimiento", "где мой", "когда приедет"}},
}

// personWords ask for a person.
var personWords = []string{"person", "human", "agent", "someone", "manager", "supervisor", "상담원", "상담사", "사람", "책임자", "매니저", "관리자",
	"persona", "humano", "agente", "responsable", "encargad", "supervisor",
	"человек", "оператор", "сотрудник", "руководител", "начальник", "chelovek", "operator"}

// upsetWords show a buyer who is angry or says the answers did not help.
var upsetWords = []string{"useless", "ridiculous", "unacceptable", "wasted", "same thing", "same answer", "told me that", "fed up", "sick of", "!!!",
	"어이없", "화나", "화가 나", "짜증", "똑같은", "같은 말", "이미 다 확인",
	"no sirve", "harta", "harto", "lo mismo", "inútil", "inutil", "ridículo", "vergüenza",
	"бесполезн", "уже говорили", "надоело", "издевательство", "bespolezno"}

// BriefEvent is one thing of a conversation as its handoff brief reads
// it, oldest first: a buyer's message, or a tool's call on an order and
// how it ended. Whoever holds the conversation turns it into events — the
// agent from what its model saw, the seller panel from the transcript and
// the audit log its reader may see — and HandoffBriefOf reads them the
// same way.
type BriefEvent struct {
	// Buyer is the buyer's message; empty for a call.
	Buyer string
	// Tool and OrderID name a call, Attempt how it ended.
	Tool    string
	OrderID string
	Attempt tools.BriefAttempt
}

// handoffBrief reads the brief of a handoff from msgs, what the model saw
// of the conversation this turn (the buyer's messages, the calls made and
// their results, oldest first).
func handoffBrief(msgs []Message) *tools.HandoffBrief {
	var events []BriefEvent
	calls := map[string]ToolCall{}
	for _, m := range msgs {
		switch {
		case m.Role == RoleUser && !m.Staff:
			events = append(events, BriefEvent{Buyer: m.Content})
		case m.Role == RoleAssistant:
			for _, c := range m.ToolCalls {
				calls[c.ID] = c
			}
		case m.Role == RoleTool:
			c, ok := calls[m.ToolCallID]
			if !ok {
				continue
			}
			events = append(events, BriefEvent{Tool: c.Name, OrderID: briefOrderOf(c.Arguments), Attempt: attemptOf(c.Name, m.Content)})
		}
	}
	return HandoffBriefOf(events)
}

// HandoffBriefOf reads the brief of a conversation from its events, oldest
// first: the orders it is about (the one with a problem first), each
// problem the buyer told of an order with the words that told it, what the
// buyer wants, what was tried and whether the buyer is upset. It returns
// nil for a conversation about no order.
func HandoffBriefOf(events []BriefEvent) *tools.HandoffBrief {
	var b tools.HandoffBrief
	index := map[string]int{}
	// last is when each order was last mentioned or acted on.
	last, step := map[string]int{}, 0
	order := func(id string) *tools.BriefOrder {
		step++
		last[id] = step
		if i, ok := index[id]; ok {
			return &b.Orders[i]
		}
		index[id] = len(b.Orders)
		b.Orders = append(b.Orders, tools.BriefOrder{ID: id})
		return &b.Orders[len(b.Orders)-1]
	}
	type stated struct {
		problems []string
		words    string
	}
	var current string
	var unassigned []stated
	// accounts are checks or threats told before any order
	// (handoff_account.go).
	var accounts []string
	// opening is the buyer's own account told before any order was
	// known, though it names no problem the brief knows ("the bank shows
	// two charges of 49,90 for the sandals", "the lamp was for my mother's
	// birthday"): the first order acted on quotes it (handoff_opening.go).
	var opening string
	var wants []string // per buyer message, newest last
	var wantOrders []string
	for _, e := range events {
		if e.Tool != "" {
			if e.OrderID == "" || !briefOrderIDs.MatchString(e.OrderID) || slices.Contains(briefSkips, e.Tool) {
				continue
			}
			current = e.OrderID
			o := order(e.OrderID)
			for _, u := range unassigned {
				addProblems(o, u.problems, u.words)
			}
			for _, w := range accounts {
				quoteAccount(o, w)
			}
			if opening != "" {
				quote(o, opening)
			}
			unassigned, accounts, opening = nil, nil, ""
			o.Tried = append(o.Tried, tools.BriefAttempt{Tool: e.Tool, Outcome: e.Attempt.Outcome, Code: e.Attempt.Code})
			if e.Tool == "get_refund_status" && len(o.Problems) == 0 {
				// The buyer asked where a refund is, and is still
				// asking a person: it has not reached them.
				o.Problems = append(o.Problems, "refund_not_received")
			}
			continue
		}
		text := " " + strings.ToLower(e.Buyer) + " "
		ids := briefOrderIDs.FindAllString(e.Buyer, -1)
		if len(ids) > 0 {
			current = ids[len(ids)-1]
			for _, id := range ids {
				order(id)
			}
		}
		if containsAnyOf(text, upsetWords) {
			b.Upset = true
		}
		if saysRepeat(text) {
			b.Repeat = true
		}
		w := ""
		for _, wc := range briefWantCues {
			if containsAnyOf(text, wc.cues) {
				w = wc.want
				break
			}
		}
		wants, wantOrders = append(wants, w), append(wantOrders, current)
		ps := problemsIn(text)
		// Checks made, a complaint threatened (handoff_account.go):
		// quoted after the problems the message tells, with its order or
		// the next one acted on.
		account := func() {
			switch {
			case !tellsAccount(text) || len(slices.Compact(slices.Sorted(slices.Values(ids)))) > 1:
			case current == "":
				accounts = append(accounts, e.Buyer)
			default:
				quoteAccount(order(current), e.Buyer)
			}
		}
		if len(ps) == 0 {
			if len(ids) == 1 && !asksPerson([]BriefEvent{e}) {
				// The buyer's own account of the order, though it names
				// no problem the brief knows ("I need them for the
				// opening on Saturday"): what the person reads first.
				quote(order(ids[0]), e.Buyer)
			}
			if current == "" && len(ids) == 0 && opening == "" && tellsOpening(e) {
				opening = e.Buyer
			}
			account()
			continue
		}
		// The buyer's words go with the order they are about; a
		// message naming several orders (perhaps of several shops) is
		// not quoted.
		words := ""
		if len(slices.Compact(slices.Sorted(slices.Values(ids)))) <= 1 {
			words = e.Buyer
		}
		switch {
		case len(ids) > 0:
			for _, id := range ids {
				addProblems(order(id), ps, words)
			}
		case current != "":
			addProblems(order(current), ps, words)
		default:
			unassigned = append(unassigned, stated{ps, words})
		}
		account()
	}
	if len(b.Orders) == 0 {
		return nil
	}
	// What the buyer wants, newest first, for the order they wanted it
	// of; a refund that has not arrived is wanted paid out.
	for i := len(wants) - 1; i >= 0; i-- {
		if wants[i] == "" {
			continue
		}
		id := wantOrders[i]
		if id == "" {
			id = b.Orders[0].ID
		}
		if j, ok := index[id]; ok && b.Orders[j].Wants == "" {
			b.Orders[j].Wants = wants[i]
		}
	}
	for i := range b.Orders {
		o := &b.Orders[i]
		switch {
		case slices.Contains(o.Problems, "refund_not_received") && (o.Wants == "" || o.Wants == "refund" || o.Wants == "cancel"):
			// The cancellation a buyer speaks of alongside a refund that
			// has not come is done: its money is what they want.
			o.Wants = "refund_status"
		case slices.Contains(o.Problems, "seller_silent") && (o.Wants == "" || o.Wants == "dispute" || o.Wants == "person"):
			// A dispute open and the seller silent: the buyer wants the
			// platform to decide it, not another dispute.
			o.Wants = "decision"
		case o.Wants == "" && i == 0 && asksPerson(events):
			o.Wants = "person"
		}
	}
	// The order with the problem first: it is what the person is for;
	// then the one the conversation was on last.
	slices.SortStableFunc(b.Orders, func(x, y tools.BriefOrder) int {
		switch {
		case len(x.Problems) > 0 && len(y.Problems) == 0:
			return -1
		case len(x.Problems) == 0 && len(y.Problems) > 0:
			return 1
		}
		return cmp.Compare(last[y.ID], last[x.ID])
	})
	return &b
}

// maxBriefWords is how many of the buyer's messages a brief quotes per
// order: the first ones telling a problem, which the later ("this is
// useless") only repeat.
const maxBriefWords = 2

// addProblems adds to o the problems ps the buyer told in words, and words
// when they tell a problem o did not have yet.
func addProblems(o *tools.BriefOrder, ps []string, words string) {
	added := false
	for _, p := range ps {
		if !slices.Contains(o.Problems, p) {
			o.Problems = append(o.Problems, p)
			added = true
		}
	}
	if added && words != "" && len(o.Words) < maxBriefWords && !slices.Contains(o.Words, words) {
		o.Words = append(o.Words, words)
	}
}

// quote adds the buyer's words to o when o has none yet.
func quote(o *tools.BriefOrder, words string) {
	if len(o.Words) == 0 && len(strings.Fields(words)) >= 4 {
		o.Words = append(o.Words, words)
	}
}

// problemsIn returns the problems text (lower-cased, padded with spaces)
// tells, the item's own before the money's and the parcel's: "it broke,
// when do I get my money back?" is about the item. A refund or a parcel
// that has not arrived is not also a change of mind or a cancellation,
// and a parcel stuck in transit is not also one that has not arrived.
func problemsIn(text string) []string {
	var out []string
	if containsAnyOf(text, sellerWords) && containsAnyOf(text, silentWords) {
		out = append(out, "seller_silent")
	}
	for _, pc := range briefProblemCues {
		if pc.problem == "changed_mind" {
			switch {
			case containsAnyOf(text, refundWords) && containsAnyOf(text, notArrivedWords), containsAnyOf(text, stillChargedWords):
				return append(out, "refund_not_received")
			case slices.Contains(out, "stuck"):
				return out
			case containsAnyOf(text, notReceivedWords),
				containsAnyOf(text, deliveredWords) && containsAnyOf(text, absentWords):
				return append(out, "not_received")
			}
		}
		if containsAnyOf(text, pc.cues) {
			out = append(out, pc.problem)
		}
	}
	return out
}

// asksPerson reports whether the buyer's last message in events asks for
// a person.
func asksPerson(events []BriefEvent) bool {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Tool == "" {
			return containsAnyOf(strings.ToLower(events[i].Buyer), personWords)
		}
	}
	return false
}

// attemptOf describes a call of tool and its result content: this turn's
// come as a ToolResult, earlier turns' from the audit log as their data
// alone, or as an error.
func attemptOf(tool, content string) tools.BriefAttempt {
	var r struct {
		OK                  *bool      `json:"ok"`
		Error               *ToolError `json:"error"`
		PendingConfirmation bool       `json:"pending_confirmation"`
		Decision            string     `json:"decision"`
	}
	a := tools.BriefAttempt{Tool: tool, Outcome: "done"}
	if json.Unmarshal([]byte(content), &r) != nil {
		return a
	}
	switch {
	case r.PendingConfirmation && r.Decision != "":
		// An action proposed in an earlier turn shows what became of it
		// (proposalContent): a card the buyer declined is not still
		// waiting, and one carried out is done.
		switch r.Decision {
		case ActionDeclined, ActionExpired, ActionFailed:
			a.Outcome = r.Decision
		}
	case r.Error != nil:
		a.Outcome, a.Code = "failed", r.Error.Code
		if r.Error.Refusal != nil || tools.Code(r.Error.Code) == tools.CodeNotEligible || tools.Code(r.Error.Code) == tools.CodeWindowExpired {
			a.Outcome = "refused"
		}
	case r.PendingConfirmation:
		a.Outcome = "waiting"
	}
	return a
}

// briefOrderOf returns the order id of a call's arguments, "" for none.
func briefOrderOf(args json.RawMessage) string {
	var a struct {
		OrderID string `json:"order_id"`
	}
	if json.Unmarshal(args, &a) != nil || !briefOrderIDs.MatchString(a.OrderID) {
		return ""
	}
	return a.OrderID
}

// containsAnyOf reports whether s holds any of subs, each at the start of
// a word: "мне нужен специалист" holds no "не нужен", and "stubborn" no
// "torn". A cue that starts with a space or an apostrophe ("n't showing")
// marks its own edge, and a Korean one may follow the word it attaches to
// ("주문이 아니라").
func containsAnyOf(s string, subs []string) bool {
	for _, sub := range subs {
		for i := 0; ; {
			j := strings.Index(s[i:], sub)
			if j < 0 {
				break
			}
			at := i + j
			if wordStart(s, at, sub) {
				return true
			}
			i = at + 1
			for i < len(s) && !utf8.RuneStart(s[i]) {
				i++
			}
		}
	}
	return false
}

// wordStart reports whether cue, found in s at byte at, starts a word
// there, or needs not.
func wordStart(s string, at int, cue string) bool {
	first, _ := utf8.DecodeRuneInString(cue)
	if !unicode.IsLetter(first) || unicode.Is(unicode.Hangul, first) || strings.HasPrefix(cue, "n'") {
		return true
	}
	before, _ := utf8.DecodeLastRuneInString(s[:at])
	return at == 0 || !unicode.IsLetter(before)
}
