package local

import (
	"cmp"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// When to hand the buyer to a person without being asked: a buyer who is
// clearly angry after something already failed (another try of the same
// thing will not calm them), and a model that could not help twice (the
// same reply a third time helps nobody). A buyer who asks for a person
// gets one through the classifier's HumanAgent intent; a bot question is
// answered, not handed off (botquestion.go).

// angerCues are words that show a buyer is angry, lower-cased, in the
// four languages (with and without Spanish accents).
var angerCues = []string{
	"ridiculous", "useless", "unacceptable", "terrible service", "worst service", "scam", "furious", "so angry",
	"fed up", "sick of", "wtf", "what the hell", "pathetic", "incompetent", "disgusting", "are you kidding", "joke of a",
	"издевательство", "бесполезн", "безобразие", "возмутительн", "надоело", "достали", "кошмар", "мошенни",
	"отвратительн", "сколько можно", "бесит", "ужасный сервис", "вы издеваетесь",
	"vergüenza", "verguenza", "inútil", "inutil", "inaceptable", "indignante", "estoy harto", "estoy harta", "estafa",
	"ridículo", "ridiculo", "pésimo", "pesimo", "es una broma", "qué asco", "que asco", "me tienen harto",
	"짜증", "화나", "화가 나", "어이없", "어이가 없", "장난해", "장난하", "최악", "열받", "빡치", "황당", "말이 돼요", "말이 됩니까",
	"😡", "🤬", "😤", "💢", "😠",
}

// angry reports whether text shows the buyer is clearly angry.
func angry(text string) bool {
	t := strings.ToLower(text)
	return containsAny(t, angerCues) || strings.Contains(t, "!!!") || strings.Contains(t, "?!?")
}

// unrepeated keeps the model from sending the same reply twice in a row:
// the second time it adds an offer of a person; a reply that offered one
// already, or the same answer a third time, hands the conversation over,
// since the model cannot help with it.
func (d *dialogue) unrepeated(msg agent.Message) agent.Message {
	if msg.Content == "" || len(msg.ToolCalls) > 0 || d.prevReply == "" || d.calledThisTurn("handoff_to_human") {
		return msg
	}
	if !d.social() && unhelpfulText(msg.Content) && d.unhelpful() && d.has("handoff_to_human") {
		// The second answer in a row that cannot help: a person can.
		return d.handoff("cannot_resolve")
	}
	again := msg.Content + " " + render(d.locale, "repeat_offer")
	switch d.prevReply {
	case msg.Content:
		switch {
		case d.social():
			// "hello" again: move on rather than greet twice.
			if alt := render(d.locale, "anything_else"); alt != msg.Content {
				return agent.Message{Content: alt}
			}
			return msg
		case offersHuman(agent.Message{Role: agent.RoleAssistant, Content: msg.Content}):
			return d.handoff("cannot_resolve")
		}
		return agent.Message{Content: again}
	case again:
		return d.handoff("cannot_resolve")
	}
	return msg
}

// handedOff tells the buyer the conversation now waits for a person and
// what happens next. A buyer handed over after something went wrong (a
// request that was not resolved, a failure, anger, or any reason but a
// plain request for a person at the start) gets an apology first: they
// asked for help and did not get it.
func (d *dialogue) handedOff(args json.RawMessage) agent.Message {
	var a struct {
		Reason string `json:"reason"`
	}
	_ = json.Unmarshal(args, &a)
	if a.Reason != "customer_request" || d.served != "" || len(d.tried) > 0 || len(d.reasons) > 0 || d.failed || angry(d.text) {
		return d.say("handed_off_sorry")
	}
	return d.say("handed_off")
}

// social reports whether the buyer's message is small talk (a greeting,
// thanks, a bare yes or no), whose repetition asks for no person.
func (d *dialogue) social() bool {
	switch d.intent {
	case nlu.Greeting, nlu.Thanks, nlu.Affirm, nlu.Deny:
		return true
	}
	return false
}

// unhelpfulKeys are the replies that leave the buyer without what they
// asked for.
var unhelpfulKeys = []string{
	"clarify", "cannot_help", "out_of_scope", "policy_none", "no_policy_search", "tool_failed", "not_found", "invalid_request",
	"refund_window_expired", "dispute_window_expired", "not_eligible_refund", "not_eligible_cancel", "not_eligible_dispute", "not_eligible_other",
}

// unhelpful reports whether the model's reply before this message left
// the buyer without what they asked for.
func (d *dialogue) unhelpful() bool { return unhelpfulText(d.prevReply) }

// unhelpfulText reports whether reply, one of the model's, leaves the
// buyer without what they asked for: a reply that offers a person (it
// could not help itself) or one of unhelpfulKeys.
func unhelpfulText(reply string) bool {
	if reply == "" {
		return false
	}
	if offersHuman(agent.Message{Role: agent.RoleAssistant, Content: reply}) {
		return true
	}
	for locale, set := range templates {
		for _, k := range unhelpfulKeys {
			if reply == set[k] {
				return true
			}
		}
		for _, k := range unhelpfulFilled {
			if p := offerPiece(locale, k); p != "" && strings.Contains(reply, p) {
				return true
			}
		}
	}
	return false
}

// unhelpfulFilled are unhelpful replies with something filled in (the
// order number not found), told by their longest literal piece.
var unhelpfulFilled = []string{"not_found_order"}

// calledThisTurn reports whether tool answered this turn.
func (d *dialogue) calledThisTurn(tool string) bool {
	for _, r := range d.results {
		if r.name == tool {
			return true
		}
	}
	return false
}

// The handoff's summary is for the person taking over, in English as the
// tool asks (the escalation card's brief is written again in the reader's
// language from the same facts): what the buyer wants, the orders, what
// was tried and what came of it, the problem, and their last words. It is
// built from the conversation's state, never left to a model's wording.

// wantWords say what a request asks for, in the summary.
var wantWords = map[nlu.Intent]string{
	nlu.RefundRequest:   "a refund",
	nlu.CancelOrder:     "to cancel the order",
	nlu.OpenDispute:     "to open a dispute",
	nlu.OrderStatus:     "to know where the order is",
	nlu.DeliveryProblem: "help with a delivery problem",
	nlu.RefundStatus:    "to know where the refund is",
	nlu.DisputeStatus:   "to know where the dispute stands",
	nlu.HumanAgent:      "to talk to a person",
}

// handoffSummary describes the conversation for the person taking over.
func (d *dialogue) handoffSummary(reason string) string {
	var parts []string
	want := wantWords[d.served]
	if w, ok := wantWords[d.intent]; ok && d.intent != nlu.HumanAgent {
		want = w
	}
	if told := d.toldWant(); told != "" {
		want = told
	}
	parts = append(parts, "Handed over: "+strings.ReplaceAll(reason, "_", " ")+".")
	if want != "" {
		parts = append(parts, "The customer wants "+want+".")
	}
	// The order the request is about: the orders a summary names route
	// the handoff (to that order's shop, docs/protocol.md, "Who sees
	// what"), so with one, the others discussed stay out of it.
	order := cmp.Or(d.slots.OrderID, d.lastOrder)
	switch {
	case order != "":
		parts = append(parts, "Order: "+order+".")
	case len(d.discussed) > 0:
		parts = append(parts, "Orders: "+strings.Join(d.discussed, ", ")+".")
	}
	problem := d.slots.Reason
	if problem == "" && len(d.reasons) > 0 {
		problem = d.reasons[len(d.reasons)-1].reason
	}
	if problem != "" {
		parts = append(parts, "Problem: "+strings.ReplaceAll(problem, "_", " ")+".")
	}
	var tried []string
	for _, t := range d.tried {
		if order == "" || t.order == "" || t.order == order {
			tried = append(tried, t.text)
		}
	}
	for _, r := range d.results {
		if r.name == "list_orders" || r.name == "search_policy" {
			// Looking for the order, or the rules, tried nothing.
			continue
		}
		if o := orderIDIn(r.args); order == "" || o == "" || o == order {
			tried = append(tried, describeTried(r.name, r.args, r.result))
		}
	}
	if len(tried) > 0 {
		parts = append(parts, "Tried: "+strings.Join(tried, "; ")+".")
	} else {
		parts = append(parts, "Nothing was tried yet.")
	}
	parts = append(parts, "Last message: "+strconv.Quote(truncateText(d.text, 600)))
	return truncateText(strings.Join(parts, " "), 2000)
}

// noteTried records a call made before this message, with its result's
// JSON content.
func (d *dialogue) noteTried(name string, args json.RawMessage, content string) {
	if name == "search_policy" || name == "list_orders" || name == "handoff_to_human" {
		return
	}
	var r agent.ToolResult
	if json.Unmarshal([]byte(content), &r) != nil {
		return
	}
	if r.Error == nil && !r.PendingConfirmation {
		// Past calls come back from the audit log as their data alone,
		// and a failed one as an error: data is success.
		r.OK = true
	}
	d.tried = append(d.tried, triedCall{order: orderIDIn(args), text: describeTried(name, args, r)})
}

// describeTried says what one call did: "request_refund ORD-10042:
// refused (window_expired, refund_window); open_dispute prepared, waiting
// for the customer's confirmation".
func describeTried(name string, args json.RawMessage, r agent.ToolResult) string {
	s := name
	if order := orderIDIn(args); order != "" {
		s += " " + order
	}
	switch {
	case r.PendingConfirmation:
		s += ": waiting for the customer's confirmation"
	case r.OK:
		s += ": done"
	case r.Error != nil:
		code := r.Error.Code
		if r.Error.Refusal != nil {
			code += ", " + r.Error.Refusal.Rule
		}
		s += ": refused (" + code + ")"
	}
	if alt := r.Alternative; alt != nil && alt.PendingConfirmation {
		s += "; " + alt.Tool + " prepared instead, waiting for the customer's confirmation"
	}
	return s
}

// triedCall is a call made before this message, described.
type triedCall struct {
	order, text string
}

// truncateText cuts s to at most n characters.
func truncateText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// notHelpedCues say the model's last answer did not help, or that the
// buyer already did what it said, folded: "your reply does not address
// the problem", "I already followed those steps", "and now you tell me to
// wait more??", "su respuesta no resuelve nada", "это не помогло", "또
// 기다리라고요?".
var notHelpedCues = []string{
	"does not address", "doesn't address", "didn't address", "not what i asked", "didn't answer", "doesn't answer", "does not answer",
	"doesn't help", "does not help", "didn't help", "not helpful", "no help at all", "that's not my question", "thats not my question",
	"already followed", "already tried that", "already did that", "already done that", "already did all", "already tried all",
	"keep sending me", "now you tell me", "tell me to wait", "wait more", "wait again", "wait even longer", "same answer", "same thing again",
	"no resuelve", "no me ayuda", "no me sirve", "no responde a", "no contesta a", "no es lo que pregunte", "ya lo hice", "ya hice eso",
	"ya lo intente", "ya probe", "misma respuesta", "y ahora me dices", "me dices que espere", "esperar mas", "esperar otra vez", "me mandan de un lado",
	"не помогло", "не помогает", "не помог", "не отвечает на", "не решает", "это не то", "я уже это", "уже пробовал", "уже пробовала", "уже делал",
	"уже делала", "то же самое", "опять ждите", "снова ждите", "ещё ждать", "еще ждать", "опять ждать", "отправляет сюда", "говорит пишите",
	"도움이 안", "도움 안", "도움이 되지", "해결이 안", "해결 안", "답이 안", "답변이 안", "이미 해봤", "이미 했", "같은 답변", "같은 말",
	"또 기다리", "더 기다리", "계속 기다리", "여기 문의하라고",
	// The buyer already did what the answer says, or heard it before.
	"useless", "already checked", "already looked", "already told", "same error", "tried again", "that's what they said", "thats what they said",
	"no sirve", "ya lo mire", "ya lo revise", "ya lo comprobe", "me digas que espere", "dijisteis lo mismo", "dijeron lo mismo", "me dices lo mismo", "ya me lo dijeron",
	"бесполезно", "bespolezno", "уже проверял", "уже проверила", "уже проверяла", "уже говорили", "уже говорил", "уже слышал",
	"이미 다 확인", "이미 확인", "똑같은 말", "같은 소리", "기다려달라는", "기다리라는", "기다려 달라는",
	// Asked again and again, or nobody answers.
	"third time", "tercera vez", "третий раз", "세 번째", "몇 번째", "говорят подождать", "говорят ждать",
	"nobody answers", "no one answers", "nobody replies", "no one replies", "nobody is answering", "no one is answering",
	"nadie responde", "nadie contesta", "nadie me responde", "nadie me contesta", "никто не отвечает", "не отвечают", "아무도 답", "답이 없", "연락이 없",
}

// notHelped answers a buyer who says the last answer did not help or
// that they already did what it said: an apology and the offer of a
// person who gets the summary, not the same answer again nor a guess at
// a new request in their complaint ("your reply does not address the
// problem" is no question about addresses). A yes hands over (offerKeys);
// a second complaint repeats the offer, which hands over (unrepeated). A
// message that also names an order or asks for a person is served as it
// asks.
func (d *dialogue) notHelped() (agent.Message, bool) {
	if d.prevReply == "" || d.cur.Slots.OrderID != "" || d.intent == nlu.HumanAgent || !d.has("handoff_to_human") {
		return agent.Message{}, false
	}
	// Russian typed in Latin letters ("s botom bespolezno") is read in
	// Cyrillic too.
	t := " " + nlu.Fold(strings.ToLower(d.text)) + " " + nlu.Fold(strings.ToLower(nlu.Cyrillic(d.text))) + " "
	switch {
	case d.offered && containsAny(t, personCues):
		// A person was offered and the buyer asks for one, in whatever
		// words the classifier did not take for the request.
		return d.handoff("customer_request"), true
	case !containsAny(t, notHelpedCues):
		return agent.Message{}, false
	case d.offered:
		// Offered a person, and still not helped: a person it is.
		return d.handoff("cannot_resolve"), true
	}
	return d.say("not_helped"), true
}

// personCues name a person to talk to, folded.
var personCues = []string{
	" person", " human", " someone", " real agent", " an agent", " a rep", " representative", " staff", " manager", " supervisor",
	"상담원", "상담사", "사람", "직원", "책임자", "매니저",
	" persona", " humano", " agente", " alguien", " responsable", " encargad",
	" человек", " оператор", " сотрудник", " руководител", " начальник", " живого", " живой", " chelovek", " operator", " sotrudnik", " zhivogo",
}

// escalationCues ask for the matter to go above the assistant, whatever
// else the message says, at a word's start.
var escalationCues = []string{" escalate", " escalat", " supervisor", " эскалир", " супервайзер", "책임자", "상급자", "윗선"}

// escalatedToDispute finds a matter told as taken to a dispute or claim,
// in a message's words joined by spaces: "escalated that one to a
// dispute", "lo escalé a una disputa", "эскалировал в спор".
var escalatedToDispute = regexp.MustCompile(` escalat(ed|é|e) (\S+ ){0,3}(to|into|a|en) (a |an |the |una |la )?(dispute|claim|case|disputa|reclamaci[oó]n) | эскалировал[аи]? (\S+ ){0,3}(в|до) (спор|претензи)\S* `)

// managerWords name someone above the assistant, at a word's start; asked
// for ("quiero hablar con el responsable", "позовите руководителя"),
// they ask for a person.
var managerWords = []string{" manager", " gerente", " responsable", " руковод", " начальн", "책임자", "관리자", "매니저", "상급자"}

// asksEscalation reads a message that asks to take the matter to someone
// above the assistant ("escalate this to your supervisor", "quiero
// hablar con el responsable", "позовите руководителя", "책임자 바꿔
// 주세요") as a request for a person: the classifier often takes the
// complaint around it for a dispute to open or a policy question. A
// message that tells an action already taken is read by toldDone after
// this, and its status comes first.
func (d *dialogue) asksEscalation() {
	if d.carried || d.intent == nlu.HumanAgent {
		return
	}
	switch d.intent {
	case nlu.RefundRequest, nlu.CancelOrder:
		if d.conf >= nlu.ActionThreshold {
			return // "refund ORD-… or get me your manager": the refund's card asks first
		}
	}
	words := strings.FieldsFunc(strings.ToLower(d.text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	norm := " " + strings.Join(words, " ") + " "
	// "I escalated that one to a dispute": a dispute told as opened
	// (otherstatus.go), no one asked for.
	norm = escalatedToDispute.ReplaceAllString(norm, " ")
	if containsAny(norm, escalationCues) || (containsAny(norm, managerWords) || namesPerson(words)) && asksForPerson(words) || asksTransferToAnyone(words) {
		d.intent, d.conf = nlu.HumanAgent, max(d.conf, nlu.ActionThreshold)
	}
}

// personWords begin a word naming a person to talk to, whoever: "a
// human", "상담원", "una persona", "живого человека". Unlike
// wantedPersonWords (botquestion.go), which holds them, they say nothing
// of talking itself: "can I talk about my refund?" names no person.
var personWords = []string{"person", "human", "agent", "representative", "staff", "operator",
	"persona", "humano", "agente", "operador",
	"человек", "живого", "живой", "сотрудник", "оператор", "специалист",
	"사람", "상담원", "상담사", "직원",
	// Who handles it, or knows it: "담당자 바꿔 주세요", "a specialist".
	"담당자", "specialist", "especialista"}

// namesPerson reports whether words, a message's words, name a person to
// talk to. With a request for one ("그냥 사람 바꿔주세요" at the end of a
// complaint that starts "아니…"), the message asks for a person however the
// classifier read the complaint around it.
func namesPerson(words []string) bool {
	for _, w := range words {
		for _, p := range personWords {
			if strings.HasPrefix(w, p) {
				return true
			}
		}
	}
	return false
}

// toldWant is what a buyer who told of an action already taken wants,
// for the summary: a dispute opened wants deciding, a cancellation or a
// refund made wants its money; "" when the buyer told of none. The
// classifier reads such a message as the action itself ("open a
// dispute"), which the person would then read in the summary.
func (d *dialogue) toldWant() string {
	said := append(append([]string(nil), d.earlier...), d.text)
	for i := len(said) - 1; i >= 0; i-- {
		text := strings.ToLower(said[i])
		for _, a := range toldActions {
			if !a.told.MatchString(text) {
				continue
			}
			if a.intent == nlu.DisputeStatus {
				return "the open dispute decided (it says the seller has not resolved it)"
			}
			return "the money of the cancellation or refund already made (it says it has not arrived)"
		}
	}
	return ""
}

// escalateAfterStatus takes the steps of a message that told of an
// action already taken and asked for a person ("Спор по ORD-… открыт уже
// 8 дней, продавец молчит. Эскалируйте"): once the status is in, the
// handoff; once the handoff is in, one reply with both, so the buyer
// reads where things stand and that a person is coming. ok is false for
// any other turn.
func (d *dialogue) escalateAfterStatus() (agent.Message, bool) {
	if !d.escalateAfter || len(d.results) == 0 {
		return agent.Message{}, false
	}
	last := d.results[len(d.results)-1]
	if last.name == "handoff_to_human" {
		if !last.result.OK {
			return agent.Message{}, false
		}
		var status agent.Message
		for _, r := range d.results {
			if m, ok := d.statusReply(r); ok {
				status = m
			}
		}
		handed := d.handedOff(last.args)
		if status.Content != "" {
			handed.Content = status.Content + "\n\n" + handed.Content
		}
		return handed, true
	}
	if _, ok := d.statusReply(last); !ok {
		return agent.Message{}, false
	}
	// A matter taken up before and still open: a complaint, which the
	// reply apologises for (handedOff).
	return d.handoff("complaint"), true
}

// statusReply is the reply to a status lookup's result r; ok is false for
// any other result, or a failed one.
func (d *dialogue) statusReply(r toolOutcome) (agent.Message, bool) {
	if !r.result.OK {
		return agent.Message{}, false
	}
	switch r.name {
	case "get_order":
		return d.orderReply(r.result.Data), true
	case "get_refund_status":
		return d.refundStatusReply(r.result.Data), true
	case "get_dispute":
		return d.disputeReply(r.result.Data, false), true
	}
	return agent.Message{}, false
}

// anyoneWords begin a word naming someone, whoever ("transfer me to
// someone who can actually help", "pásame con alguien", "соедините с
// кем-нибудь", "누구든 연결해 주세요"): after a transfer verb
// (personRequestCues) they ask for a person, though alone ("can someone
// check my refund?") they do not.
var anyoneWords = []string{"someone", "somebody", "anyone", "anybody", "alguien", "кого", "кем", "кому", "누구", "누군가"}

// asksTransferToAnyone reports whether words, a message's words, ask to
// be transferred to someone: a transfer verb and a word naming anyone.
func asksTransferToAnyone(words []string) bool {
	if !containsAny(" "+strings.Join(words, " ")+" ", personRequestCues) {
		return false
	}
	for _, w := range words {
		for _, p := range anyoneWords {
			if strings.HasPrefix(w, p) {
				return true
			}
		}
	}
	return false
}
