package agent

import (
	"cmp"
	"encoding/json"
	"regexp"
	"slices"
	"strings"

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
	{"site_error", []string{" error", "error message", "bug", "glitch", "won't let me", "doesn't let me",
		"오류", "에러", "no me deja", "da error", "sale un error", "ошибк", "не даёт", "не дает"}},
	{"wrong_item", []string{"wrong item", "wrong size", "wrong colo", "not what i ordered", "sent me the wrong",
		"다른 상품", "잘못 왔", "잘못 배송", "equivocad", "no es lo que ped", "talla incorrecta", "не тот", "перепутали", "другой товар"}},
	{"not_as_described", []string{"not as described", "different from the photo", "fake", "counterfeit",
		"설명과 다르", "사진과 다르", "가품", "no es como", "diferente a la foto", "falsificad", "не соответствует", "не как на фото", "подделк"}},
	{"damaged", []string{"broken", "broke", "damaged", "defect", "faulty", "doesn't work", "does not work", "not working", "stopped working",
		"won't turn on", "doesn't turn on", "won't charge", "cracked", "torn", "ripped", "leak", "holes", "zipper",
		"고장", "파손", "깨져", "깨졌", "불량", "찢어", "작동하지", "작동이 안", "안 켜", "켜지지",
		"roto", "rota", "rompió", "dañad", "defectuos", "no funciona", "dejó de funcionar", "no enciende",
		"сломал", "сломан", "повреж", "брак", "не работает", "не включается", "треснул", "порван", "разбит"}},
	{"changed_mind", []string{"changed my mind", "change of mind", "don't want it", "no longer want", "don't need it",
		"변심", "마음이 바뀌", "필요 없", "cambié de opinión", "cambie de opinion", "ya no lo quiero", "no lo necesito",
		"передумал", "не нужен", "не нужна", "не понравил"}},
	{"cancel", []string{"cancel", "취소", "cancelar", "отмен"}},
}

// refundWords name a refund's money; notArrivedWords say something has
// not come (or ask where or when it comes). Together they are a refund
// that has not reached the buyer.
var (
	refundWords     = []string{"refund", "money back", "my money", "환불", "reembols", "mi dinero", "возврат", "деньги", "средства"}
	notArrivedWords = []string{"not arrived", "hasn't arrived", "haven't received", "haven't got", "not received", "still not", "where is", "where's", "when will", "yet",
		"안 들어", "안 왔", "못 받", "언제", "아직", "no me llega", "no me ha llegado", "no ha llegado", "todavía", "todavia", "aún no", "aun no", "dónde", "donde", "cuándo", "cuando",
		"не приш", "не поступ", "не получ", "где", "когда", "до сих пор"}
	// notReceivedWords say an order has not reached the buyer; a message
	// that says the order shows as delivered and that it is not there
	// says so too ("says delivered but nothing is here").
	notReceivedWords = []string{"not received", "haven't received", "have not received", "never received", "didn't receive", "didn't arrive",
		"hasn't arrived", "has not arrived", "never arrived", "not arrived", "nothing is here", "nothing here", "isn't here", "still not here", "never came",
		"안 왔", "안왔", "도착하지 않", "도착 안", "못 받", "받지 못", "분실",
		"no ha llegado", "no me ha llegado", "no me llegó", "no llegó", "no he recibido", "nunca llegó", "perdid",
		"не пришёл", "не пришел", "не пришла", "не получил", "не получила", "не доставлен", "так и не", "потерял"}
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
var personWords = []string{"person", "human", "agent", "someone", "상담원", "상담사", "사람", "persona", "humano", "agente",
	"человек", "оператор", "сотрудник", "chelovek", "operator"}

// upsetWords show a buyer who is angry or says the answers did not help.
var upsetWords = []string{"useless", "ridiculous", "unacceptable", "wasted", "same thing", "same answer", "told me that", "fed up", "sick of", "!!!",
	"어이없", "화나", "화가 나", "짜증", "똑같은", "같은 말", "이미 다 확인",
	"no sirve", "harta", "harto", "lo mismo", "inútil", "inutil", "ridículo", "vergüenza",
	"бесполезн", "уже говорили", "надоело", "издевательство", "bespolezno"}

// handoffBrief reads the brief of a handoff from msgs, what the model saw
// of the conversation this turn (the buyer's messages, the calls made and
// their results, oldest first).
func handoffBrief(msgs []Message) *tools.HandoffBrief {
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
	type stated struct{ problem, words string }
	var current string
	var unassigned *stated
	calls := map[string]ToolCall{}
	var wants []string // per buyer message, newest last
	var wantOrders []string
	for _, m := range msgs {
		switch {
		case m.Role == RoleUser && !m.Staff:
			text := " " + strings.ToLower(m.Content) + " "
			ids := briefOrderIDs.FindAllString(m.Content, -1)
			if len(ids) > 0 {
				current = ids[len(ids)-1]
				for _, id := range ids {
					order(id)
				}
			}
			if containsAnyOf(text, upsetWords) {
				b.Upset = true
			}
			w := ""
			for _, wc := range briefWantCues {
				if containsAnyOf(text, wc.cues) {
					w = wc.want
					break
				}
			}
			wants, wantOrders = append(wants, w), append(wantOrders, current)
			p := problemIn(text)
			if p == "" {
				continue
			}
			// The buyer's words go with the order they are about; a
			// message naming several orders (perhaps of several shops)
			// is not quoted.
			words := ""
			if len(slices.Compact(slices.Sorted(slices.Values(ids)))) <= 1 {
				words = m.Content
			}
			switch {
			case len(ids) > 0:
				for _, id := range ids {
					o := order(id)
					o.Problem, o.Words = p, words
				}
			case current != "":
				o := order(current)
				o.Problem, o.Words = p, words
			default:
				unassigned = &stated{p, words}
			}
		case m.Role == RoleAssistant:
			for _, c := range m.ToolCalls {
				calls[c.ID] = c
				if id := briefOrderOf(c.Arguments); id != "" && !slices.Contains(briefSkips, c.Name) {
					current = id
					o := order(id)
					if unassigned != nil {
						o.Problem, o.Words, unassigned = unassigned.problem, unassigned.words, nil
					}
				}
			}
		case m.Role == RoleTool:
			c, ok := calls[m.ToolCallID]
			if !ok || slices.Contains(briefSkips, c.Name) {
				continue
			}
			id := briefOrderOf(c.Arguments)
			if id == "" {
				continue
			}
			o := order(id)
			o.Tried = append(o.Tried, attemptOf(c.Name, m.Content))
			if c.Name == "get_refund_status" && o.Problem == "" {
				// The buyer asked where a refund is, and is still
				// asking a person: it has not reached them.
				o.Problem = "refund_not_received"
			}
		}
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
		case o.Problem == "refund_not_received" && (o.Wants == "" || o.Wants == "refund"):
			o.Wants = "refund_status"
		case o.Wants == "" && i == 0 && len(msgs) > 0 && asksPerson(msgs):
			o.Wants = "person"
		}
	}
	// The order with the problem first: it is what the person is for;
	// then the one the conversation was on last.
	slices.SortStableFunc(b.Orders, func(x, y tools.BriefOrder) int {
		switch {
		case x.Problem != "" && y.Problem == "":
			return -1
		case x.Problem == "" && y.Problem != "":
			return 1
		}
		return cmp.Compare(last[y.ID], last[x.ID])
	})
	return &b
}

// problemIn returns the problem text (lower-cased, padded with spaces)
// states, or "". The item's own problems come before the money's and the
// parcel's: "it broke, when do I get my money back?" is about the item.
func problemIn(text string) string {
	for _, pc := range briefProblemCues {
		switch pc.problem {
		case "changed_mind":
			switch {
			case containsAnyOf(text, refundWords) && containsAnyOf(text, notArrivedWords):
				return "refund_not_received"
			case containsAnyOf(text, notReceivedWords),
				containsAnyOf(text, deliveredWords) && containsAnyOf(text, absentWords):
				return "not_received"
			}
		}
		if containsAnyOf(text, pc.cues) {
			return pc.problem
		}
	}
	return ""
}

// asksPerson reports whether the buyer's last message in msgs asks for a
// person.
func asksPerson(msgs []Message) bool {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == RoleUser && !msgs[i].Staff {
			return containsAnyOf(strings.ToLower(msgs[i].Content), personWords)
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
	}
	a := tools.BriefAttempt{Tool: tool, Outcome: "done"}
	if json.Unmarshal([]byte(content), &r) != nil {
		return a
	}
	switch {
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

// containsAnyOf reports whether s holds any of subs.
func containsAnyOf(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
