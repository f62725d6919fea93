// Package local is csagent's built-in model: a deterministic brain that needs
// nothing outside the binary. It reads the buyer's message with a trained
// intent classifier and slot extractor (package nlu), keeps the dialogue's
// state from the transcript, calls the same tools an LLM would, and answers
// from localized templates filled with the tools' results, or, for policy
// questions, with sentences taken from the retrieved policy text and cited.
//
// It is the default when no LLM is configured, the fallback when the LLM
// fails, and the engine CI's eval suites run on.
package local

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// Name is the model name the local model reports in usage records.
const Name = "local"

// minConfidence is the classifier confidence below which the model does not
// act on an intent: it asks the buyer to rephrase, or reads the message as
// the answer to its own earlier question.
const minConfidence = 0.45

// bareSlotConfidence is the classifier's ceiling for a message that is
// little more than an id or an amount.
const bareSlotConfidence = 0.5

// Model is the built-in model. It is safe for concurrent use.
type Model struct {
	nlu *nlu.Classifier
	// parses keeps the readings of the messages a conversation's turns
	// read again (parsememo.go).
	parses *parseMemo
}

// New returns the local model reading messages with c.
func New(c *nlu.Classifier) *Model { return &Model{nlu: c, parses: newParseMemo()} }

var _ agent.Model = (*Model)(nil)

// Generate answers req: with a tool call when the buyer's request needs data
// or an action, or with text built from this turn's tool results.
func (m *Model) Generate(ctx context.Context, req agent.Request, onDelta func(string) error) (agent.Response, error) {
	if err := ctx.Err(); err != nil {
		return agent.Response{}, err
	}
	return m.generate(ctx, m.read(req), onDelta)
}

// GenerateRead answers req as Generate does, from rd, the model's own
// reading of the same conversation (Read) that routing decided on: the
// buyer's messages are not read a second time. A reading of other messages
// (the guardrails rewrote one since, or rd is not this model's) is not
// used: req is read afresh.
func (m *Model) GenerateRead(ctx context.Context, req agent.Request, rd agent.Reading, onDelta func(string) error) (agent.Response, error) {
	if err := ctx.Err(); err != nil {
		return agent.Response{}, err
	}
	r, ok := rd.Answer.(*readDialogue)
	if !ok || !r.reads(req) {
		return m.generate(ctx, m.read(req), onDelta)
	}
	d := r.d // a copy: answering records what it said
	d.tools = req.Tools
	d.readCards(req.Pending, req.Messages, r.last)
	d.readResults(req, r.last)
	return m.generate(ctx, &d, onDelta)
}

// readDialogue is a reading kept for answering: the dialogue read from the
// messages up to the buyer's last one (index last), before any tool result.
type readDialogue struct {
	d    dialogue
	msgs []agent.Message
	last int
}

// reads reports whether req has the messages r was read from, up to the
// buyer's last one, and no buyer message after it.
func (r *readDialogue) reads(req agent.Request) bool {
	if len(req.Messages) < len(r.msgs) || lastUser(req.Messages) != r.last {
		return false
	}
	for i, m := range r.msgs {
		if m.Role != req.Messages[i].Role || m.Content != req.Messages[i].Content {
			return false
		}
	}
	return true
}

func (m *Model) generate(ctx context.Context, d *dialogue, onDelta func(string) error) (agent.Response, error) {
	msg, each := m.eachRequest(d)
	if !each {
		msg = d.respond()
	}
	msg = d.unrepeated(msg)
	msg = d.withBotAside(msg) // "are you a bot? and where is …": both answered (botquestion.go)
	abstain := abstains(d.said, msg)
	if msg.Content != "" && onDelta != nil {
		if err := onDelta(msg.Content); err != nil {
			return agent.Response{}, err
		}
	}
	msg.Role = agent.RoleAssistant
	return agent.Response{Message: msg, Model: Name, Abstain: abstain}, nil
}

// toolOutcome is one tool result of the current turn.
type toolOutcome struct {
	// id is the call's id, which says which of a message's requests
	// it served (tworequests.go).
	id     string
	name   string
	args   json.RawMessage
	result agent.ToolResult
}

// dialogue is what the model knows at this step: the buyer's message read
// in the light of the conversation so far, and what the tools said this turn.
type dialogue struct {
	locale string
	text   string
	// folded is text as the cue readers match it (see foldedText), made
	// once for the text it was made from (foldedFrom), not by each reader.
	folded, foldedFrom string
	tools              []agent.ToolSpec
	// intent and slots are the request being served: this message's, or
	// the earlier one it completes.
	intent nlu.Intent
	conf   float64
	slots  nlu.Slots
	// carried is set when the intent came from an earlier message that
	// this one completes ("which order?" → "ORD-10042").
	carried bool
	// lastOrder is the order the conversation was last about, for "it".
	lastOrder string
	// results are this turn's tool outcomes, in order.
	results []toolOutcome
	// unclear counts the buyer's recent messages the model could not read.
	unclear int
	// offered is set when the model's last message offered to connect the
	// buyer with a person, so a yes means "connect me".
	offered bool
	// discussed are the orders the conversation named before this
	// message (in tool calls and the buyer's messages), oldest first;
	// listed are those the model's last reply listed, in its order.
	discussed, listed []string
	// otherOrder is set when the buyer means another order than those
	// discussed ("the other one") and the conversation has not named it.
	otherOrder bool
	// served is the last request the model served before this message,
	// which a follow-up ("and ORD-10055?", "the other one?") repeats.
	served nlu.Intent
	// servedDelay is set when served is an order's status asked of a
	// parcel told late, stuck or lost, which its tracking answers: a
	// follow-up about another order tracks that one too.
	servedDelay bool
	// prevReply is the model's reply before this message.
	prevReply string
	// failed is set when a tool refused or failed earlier in the
	// conversation, or the model could not read the buyer.
	failed bool
	// reasons are the problems the buyer described before this message.
	reasons []statedReason
	// said is the template key of the model's last reply (say).
	said string
	// tried are the calls made before this message and what came of
	// them, for a handoff's summary (escalation.go).
	tried []triedCall
	// looked are the orders as get_order returned them before this
	// message, by id: what a follow-up to a refusal is read against
	// (refusal.go).
	looked map[string]tools.Order
	// pendingCancel is the cancellation waiting for the buyer's yes
	// (cancelrequest.go).
	pendingCancel *proposedCancel
	// cards are the refunds and cancellations waiting for the buyer or
	// just done, which "how much do I get back?" is about
	// (refundamount.go); earlier are the buyer's messages before this
	// one, oldest first (refunditems.go).
	cards   []card
	earlier []string
	// moneyAsked is set when the buyer asked for money back before this
	// message (refusal.go).
	moneyAsked bool
	// cur is the reading of the buyer's message alone, and action the
	// conversation's newest consequential request and what became of it
	// (dropped.go).
	cur    nlu.Result
	action *pastAction
	// fact is what the buyer asks about the order under discussion
	// (orderfact.go).
	fact orderFact
	// returnCase is set when the message tells the buyer's own case
	// after a question whether something can be returned (returncase.go).
	returnCase bool
	// goods are the buyer's words naming the goods a refund is for when
	// this message asks its amount without naming them (refundgoods.go).
	goods string
	// readBy are the readers that claimed the message, by their index
	// in readers (readers.go): which reading decided, for tests and for
	// tracing a misread.
	readBy uint64
	// refundGoods is set when the message asks after a refund by the
	// goods it was for (otherorder.go).
	refundGoods bool
	// billing is set when the message tells of a payment taken twice
	// (billing.go).
	billing bool
	// goodsRefund is set when the message asks money back for goods it
	// names, no order discussed (refundowngoods.go).
	goodsRefund bool
	// escalateAfter is set when the message tells of an action taken
	// and asks for a person: its status first, then the handoff
	// (escalation.go).
	escalateAfter bool
	// returnAsked is set when the message asks for a return to be done
	// (askedreturn.go).
	returnAsked bool
}

func (m *Model) read(req agent.Request) *dialogue {
	d, last := m.readMessages(req)
	d.readResults(req, last)
	return d
}

// lastUser returns the index of the buyer's last message in msgs, or -1.
func lastUser(msgs []agent.Message) int {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == agent.RoleUser {
			return i
		}
	}
	return -1
}

// readResults reads this turn's tool calls and results (the messages after
// the buyer's last one, at index last), matched by call id.
func (d *dialogue) readResults(req agent.Request, last int) {
	d.results = nil
	if last < 0 {
		return
	}
	args := map[string]json.RawMessage{}
	for _, msg := range req.Messages[last+1:] {
		for _, c := range msg.ToolCalls {
			args[c.ID] = c.Arguments
		}
		if msg.Role == agent.RoleTool {
			var r agent.ToolResult
			if json.Unmarshal([]byte(msg.Content), &r) == nil {
				d.results = append(d.results, toolOutcome{id: msg.ToolCallID, name: msg.Name, args: args[msg.ToolCallID], result: r})
			}
		}
	}
}

// readMessages reads the conversation up to the buyer's last message, at
// the index it returns (-1 for none): it gathers what the conversation
// says around the message (its language, the order it was about, the
// request still open, the cards waiting), then reads the message with the
// readers, in the order of their table (readers.go). Each message is
// parsed once per locale however many of the passages below look at it: a
// parse is most of the cost of a reading.
func (m *Model) readMessages(req agent.Request) (*dialogue, int) {
	d := &dialogue{locale: req.Locale, tools: req.Tools}
	type key struct{ text, locale string }
	parsed := map[key]nlu.Result{}
	parse := func(text, locale string) nlu.Result {
		k := key{text, locale}
		r, ok := parsed[k]
		if !ok {
			r = m.parse(text, locale)
			parsed[k] = r
		}
		return r
	}
	last := lastUser(req.Messages)
	if last < 0 {
		d.intent = nlu.Greeting
		d.conf = 1
		return d, last
	}
	d.text = req.Messages[last].Content
	// The reply follows the language the buyer writes in, whatever their
	// profile says; a message too short to tell ("ok", "ORD-10042?")
	// keeps the language the conversation was in.
	for _, msg := range req.Messages[:last] {
		if msg.Role != agent.RoleUser {
			continue
		}
		if r := parse(msg.Content, d.locale); r.LocaleFromText {
			d.locale = r.Locale
		}
	}
	cur := parse(d.text, d.locale)
	if cur.LocaleFromText || d.locale == "" {
		d.locale = cur.Locale
	}
	// "ok thanks. what about ORD-10014?" is read, and followed up, as
	// what follows the thanks.
	d.text = cur.Text
	if d.locale == "ru" {
		d.text = typedRussian(d.text) // Latin-typed, read in Cyrillic (softsign.go)
	}
	d.intent, d.conf, d.slots = cur.Intent, cur.Confidence, cur.Slots
	d.offered = last > 0 && offersHuman(req.Messages[last-1])

	// The conversation before this message: the order it was about, and
	// the buyer's messages since the model last served a request. Looking
	// the buyer's orders up to ask which one is meant serves nothing yet:
	// the answer still completes the request.
	since := 0
	for i := last - 1; i >= 0; i-- {
		msg := req.Messages[i]
		for _, c := range msg.ToolCalls {
			if d.lastOrder == "" {
				d.lastOrder = orderIDIn(c.Arguments)
			}
			if since == 0 && !onlyLists(msg) {
				since = i + 1
			}
		}
		if msg.Role == agent.RoleUser && d.lastOrder == "" {
			d.lastOrder = parse(msg.Content, req.Locale).Slots.OrderID
		}
	}
	d.recall(m, req.Messages[:last], req.Locale)
	d.readPendingCancel(req.Messages[:last])
	d.readCards(req.Pending, req.Messages, last)
	d.earlier = buyerMessages(req.Messages[:last])
	d.moneyAsked = askedMoneyBack(m, req.Messages[:last], req.Locale)

	// Read those messages in order: the request the model asked a question
	// about and has not acted on yet, with the details the buyer has given
	// for it since ("open a dispute" → "ORD-10042" → "it never arrived").
	var open *nlu.Result
	openText := ""
	for _, msg := range req.Messages[since:last] {
		if msg.Role != agent.RoleUser {
			continue
		}
		r := parse(msg.Content, req.Locale)
		if r.Confidence < minConfidence {
			d.unclear++
		}
		switch {
		case open != nil && doubtful(*open) && decides(r):
			// The answer to "do you want me to cancel it, or are you
			// asking about the policy?" settles the request.
			open, openText = settle(*open, r), ""
		case open != nil && completes(*open, r, msg.Content, d.lastOrder):
			open.Slots = merge(open.Slots, r.Slots)
		case isTask(r.Intent) && r.Intent != nlu.ListOrders && (r.Confidence >= minConfidence || hasSlot(r.Slots)) && !d.callsOff(r, msg.Content):
			// A request the model served (respond serves an unsure one
			// that names an order), and so may have asked about; not a
			// message that only called a card off ("생각해보니 취소할게요"),
			// which "and the second order?" would complete.
			open, openText, d.unclear = &r, msg.Content, 0
		}
	}
	if cur.Confidence < minConfidence {
		d.unclear++
	}

	// Then the readers read the message in that light, in the order of
	// their table (readers.go).
	d.runReaders(readers, &input{m: m, cur: cur, before: req.Messages[:last], open: open, openText: openText})
	return d, last
}

// doubtful reports whether r is a consequential request the model read
// with too little confidence to propose, so it asked the buyer instead.
func doubtful(r nlu.Result) bool {
	return nlu.Consequential(r.Intent) && !r.Actionable()
}

// decides reports whether r is a clear yes or no.
func decides(r nlu.Result) bool {
	return (r.Intent == nlu.Affirm || r.Intent == nlu.Deny) && r.Confidence >= minDecisionConfidence
}

// settle applies the buyer's yes or no to a doubtful request: yes makes
// it certain, no turns it into the policy question it was.
func settle(open, answer nlu.Result) *nlu.Result {
	r := open
	if answer.Intent == nlu.Affirm {
		r.Confidence = 1
		return &r
	}
	r.Intent, r.Confidence = nlu.PolicyQuestion, 1
	return &r
}

// answers reports whether a message reads as the answer to the model's
// question rather than a new request: little more than an id (the
// classifier caps those at 0.5), no request at all, or a few words naming
// an order, an amount, a reason or an item without a confident new intent.
func answers(r nlu.Result, text string) bool {
	switch {
	case r.Intent == nlu.PolicyQuestion && r.Act == nlu.ActQuestion:
		// A question about how things work is no answer, however unsure
		// the reading or however many goods it names: "can engraved mugs
		// be refunded?" asked while a refund waits for its order does not
		// pick the order with the mug.
		return false
	case r.Confidence <= bareSlotConfidence:
		return true
	case !isTask(r.Intent):
		return r.Intent != nlu.HumanAgent && r.Intent != nlu.Greeting && r.Intent != nlu.Thanks
	}
	short := len(strings.Fields(text)) <= 5
	return short && r.Confidence < 0.9 && (hasSlot(r.Slots) || len(nlu.ItemTerms(text)) > 0)
}

// completes reports whether a message completes the open request: it
// reads as an answer rather than a new request, or it gives the very detail
// the request is waiting for. The second holds whatever the message would
// mean on its own: "it never arrived", the answer to "what is the problem
// with the order?", reads alone as a delivery problem, and "they sent me
// the wrong item" as a refund request, yet both are the dispute's reason.
// Only a confident request for another kind of action ("cancel
// ORD-10042" while the model waits for an order id) starts anew.
func completes(open, r nlu.Result, text, lastOrder string) bool {
	if nlu.Consequential(r.Intent) && r.Confidence >= nlu.ActionThreshold && !nlu.Consequential(open.Intent) {
		// A sure refund, cancellation or dispute after a problem or a
		// question is the buyer's next step, not the detail the earlier
		// one waited for: "이어폰 값만 환불받을 수 있을까요?" after the
		// earbuds' fault names the goods of a new request.
		return false
	}
	if answers(r, text) {
		return true
	}
	want := awaited(open, lastOrder)
	if !fills(want, r.Slots) {
		return false
	}
	if want == reasonSlot && len(strings.Fields(text)) <= 5 {
		// A few words giving the reason just asked for ("пришёл
		// повреждённым") answer the question, however confidently they
		// read alone as a refund request; the dispute's card still asks
		// the buyer to confirm.
		return true
	}
	switch r.Intent {
	case open.Intent, nlu.DeliveryProblem, nlu.OrderStatus:
		// What a described problem or a bare order reference reads as.
		return true
	}
	return !isTask(r.Intent) || r.Confidence < 0.9
}

// slot names a detail a request can be waiting for.
type slot int

const (
	noSlot slot = iota
	orderSlot
	reasonSlot
	languageSlot
)

// awaited returns the detail the model asked the buyer for about the open
// request, following serve: the order first, then a dispute's reason.
func awaited(open nlu.Result, lastOrder string) slot {
	s := open.Slots
	switch open.Intent {
	case nlu.RefundStatus, nlu.DisputeStatus:
		if s.OrderID == "" && s.RefundID == "" && s.DisputeID == "" && lastOrder == "" {
			return orderSlot
		}
	case nlu.Translate:
		if s.Language == "" {
			return languageSlot
		}
	}
	if _, ok := needsOrder[open.Intent]; !ok {
		return noSlot
	}
	if s.OrderID == "" && lastOrder == "" {
		return orderSlot
	}
	if open.Intent == nlu.OpenDispute && disputeReason(s.Reason) == "" {
		return reasonSlot
	}
	return noSlot
}

// fills reports whether s gives the detail want.
func fills(want slot, s nlu.Slots) bool {
	switch want {
	case orderSlot:
		return s.OrderID != "" || s.RefundID != "" || s.DisputeID != ""
	case reasonSlot:
		return disputeReason(s.Reason) != ""
	case languageSlot:
		return s.Language != ""
	}
	return false
}

// isTask reports whether i asks the model to look something up or act.
func isTask(i nlu.Intent) bool {
	switch i {
	case nlu.OrderStatus, nlu.ListOrders, nlu.DeliveryProblem, nlu.RefundRequest, nlu.RefundStatus,
		nlu.OpenDispute, nlu.DisputeStatus, nlu.CancelOrder, nlu.PolicyQuestion, nlu.Translate:
		return true
	}
	return false
}

func hasSlot(s nlu.Slots) bool {
	return s.OrderID != "" || s.RefundID != "" || s.DisputeID != "" || s.Reason != "" || s.Amount != nil || s.Language != ""
}

func merge(old, cur nlu.Slots) nlu.Slots {
	if cur.OrderID == "" {
		cur.OrderID = old.OrderID
	}
	if cur.RefundID == "" {
		cur.RefundID = old.RefundID
	}
	if cur.DisputeID == "" {
		cur.DisputeID = old.DisputeID
	}
	if cur.Amount == nil {
		cur.Amount = old.Amount
	}
	if cur.Reason == "" {
		cur.Reason = old.Reason
	}
	if cur.Language == "" {
		cur.Language = old.Language
	}
	return cur
}

func orderIDIn(args json.RawMessage) string {
	var a struct {
		OrderID string `json:"order_id"`
	}
	if json.Unmarshal(args, &a) == nil && strings.HasPrefix(a.OrderID, "ORD-") {
		return a.OrderID
	}
	return ""
}

func (d *dialogue) has(tool string) bool {
	return slices.ContainsFunc(d.tools, func(t agent.ToolSpec) bool { return t.Name == tool })
}

func (d *dialogue) say(key string, args ...any) agent.Message {
	d.said = key
	return agent.Message{Content: render(d.locale, key, args...)}
}

func call(name string, args any) agent.Message {
	b, _ := json.Marshal(args)
	return agent.Message{ToolCalls: []agent.ToolCall{{ID: "call_" + name, Name: name, Arguments: b}}}
}

// Confirmations reads a typed "yes" or "no" with the classifier. It is the
// agent's way to take a typed answer to a pending action whichever brain
// runs the conversation.
type Confirmations struct {
	nlu *nlu.Classifier
}

// NewConfirmations returns Confirmations reading with c.
func NewConfirmations(c *nlu.Classifier) Confirmations { return Confirmations{nlu: c} }

// minDecisionConfidence is high on purpose: a message read as "yes" runs a
// refund, so only a clear yes counts.
const minDecisionConfidence = 0.6

// Confirmation reports whether text clearly says yes or no. A "no" that
// states a problem, an order or an amount is not one: "no enciende" (it
// doesn't turn on) and "не включается" read as Deny, yet they describe
// the item, and taking them for a refusal would drop the very request
// they support.
//
// A message that takes the request back ("actually never mind, I'll keep
// it", "uy no, olvídalo", "стоп, не надо") is a no however the classifier
// reads the rest of it: said while an action waits, it can only mean that
// action, and a no only ever leaves things as they are.
func (c Confirmations) Confirmation(text, locale string) (yes, no bool) {
	if yes, no = c.confirmation(text, locale); yes || no || locale != "ru" || !latinShort(text) {
		return yes, no
	}
	// "da" typed in Latin letters in a Russian conversation: too short
	// for the classifier to tell it is Russian (confirmcues.go).
	return c.confirmation(nlu.LatinRussian(text), locale)
}

// confirmation reads text as typed. A yes that asks for things to stay as
// they are ("네 그대로 두세요") is a no (leavesUnchanged).
func (c Confirmations) confirmation(text, locale string) (yes, no bool) {
	r := c.nlu.Parse(text, locale)
	s := r.Slots
	states := s.Reason != "" || s.OrderID != "" || s.Amount != nil
	if r.Intent == nlu.Affirm && r.Confidence >= minDecisionConfidence && !leavesUnchanged(text) {
		return true, false
	}
	if s.OrderID == "" && s.Amount == nil && withdrawsText(text) {
		// Not "forget ORD-10042, refund ORD-10043": a new request of its
		// own, for the model to read.
		return false, true
	}
	if r.Confidence < minDecisionConfidence || (r.Intent == nlu.Deny && states) {
		return false, false
	}
	return false, r.Intent == nlu.Deny && clearNo(text)
}

// foldedText is the message lower-cased, with Latin-typed Russian read in
// Cyrillic and accents folded, between spaces so that cues can be matched
// at a word's start and end. Several readers match cues on it every turn;
// it is made once per text.
func (d *dialogue) foldedText() string {
	if d.folded == "" || d.foldedFrom != d.text {
		d.folded, d.foldedFrom = " "+nlu.Fold(strings.ToLower(nlu.Cyrillic(d.text)))+" ", d.text
	}
	return d.folded
}
