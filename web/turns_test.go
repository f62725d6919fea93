package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools/demo"
)

// buyerWith returns a demo buyer with locale whose order is in situation
// kind, and that order's id.
func buyerWith(t *testing.T, locale string, kind demo.Kind) (string, string) {
	t.Helper()
	for _, o := range demo.Plan() {
		var n int
		for i := range demo.Buyers {
			if demo.BuyerID(i) == o.BuyerID {
				n = i
			}
		}
		if o.Kind == kind && demo.BuyerLocale(n) == locale {
			return o.BuyerID, o.ID
		}
	}
	t.Fatalf("no %s buyer with a %v order", locale, kind)
	return "", ""
}

func (e *env) refunds(t *testing.T, orderID string) (n int, total int64) {
	t.Helper()
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*), coalesce(sum(amount_minor), 0) FROM refunds WHERE order_id = $1`, orderID).Scan(&n, &total); err != nil {
		t.Fatal(err)
	}
	return n, total
}

// The local model runs the refund conversation in every language: it asks
// to confirm, the confirm frame makes exactly one refund, a second confirm
// makes none, and the reply names the refund.
func TestLocalModelRefundWithConfirmation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	texts := map[string]string{
		"en": "I want a refund for %s, it arrived damaged",
		"ko": "%s 주문 환불해 주세요. 파손되어 도착했어요",
		"es": "Quiero un reembolso del pedido %s, llegó roto",
		"ru": "Хочу вернуть деньги за заказ %s, он пришёл сломанным",
	}
	for locale, text := range texts {
		t.Run(locale, func(t *testing.T) {
			buyer, order := buyerWith(t, locale, demo.DeliveredRecently)
			c := e.dial(t, buyer)
			c.hello("", 0)
			msg, before := c.ask("r1", strings.Replace(text, "%s", order, 1))
			var req frame
			for _, f := range before {
				if f.Type == "confirm_request" {
					req = f
				}
			}
			if req.ActionID == "" || !strings.Contains(req.Summary, order) {
				t.Fatalf("frames before the reply %+v, want a confirm_request naming %s", before, order)
			}
			if !strings.Contains(msg.Text, order) {
				t.Errorf("reply %q does not ask to confirm the refund of %s", msg.Text, order)
			}
			if n, _ := e.refunds(t, order); n != 0 {
				t.Fatalf("%d refunds before the buyer confirmed", n)
			}

			c.sendJSON(map[string]any{"type": "confirm", "action_id": req.ActionID, "approved": true})
			done, _ := c.reply()
			n, total := e.refunds(t, order)
			if n != 1 || total <= 0 {
				t.Fatalf("after confirm: %d refunds totalling %d, want exactly one", n, total)
			}
			if !strings.Contains(done.Text, "RF-") {
				t.Errorf("reply after confirm = %q, want the refund id", done.Text)
			}
			c.sendJSON(map[string]any{"type": "confirm", "action_id": req.ActionID, "approved": true})
			again, _ := c.reply()
			if again.Seq != done.Seq {
				t.Errorf("second confirm answered %+v, want the first reply again", again)
			}
			if n, _ := e.refunds(t, order); n != 1 {
				t.Errorf("a second confirm made %d refunds in all", n)
			}
		})
	}
}

// "I want a refund" → "which order?" → the order id → confirm with a typed
// yes: slot filling across turns and a yes that counts only with one action
// pending.
func TestLocalModelSlotFillingAndTypedYes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	buyer, order := buyerWith(t, "en", demo.DeliveredRecently)
	c := e.dial(t, buyer)
	c.hello("", 0)
	ask, _ := c.ask("1", "I'd like to get my money back")
	if !strings.Contains(ask.Text, "ORD-") {
		t.Fatalf("reply %q does not ask for the order number", ask.Text)
	}
	prep, before := c.ask("2", order)
	if !hasFrame(before, "confirm_request") {
		t.Fatalf("the order id did not complete the refund request: %q, %+v", prep.Text, before)
	}
	done, _ := c.ask("3", "yes")
	if n, _ := e.refunds(t, order); n != 1 || !strings.Contains(done.Text, "RF-") {
		t.Errorf("typed yes: %d refunds, reply %q; want one refund named in the reply", n, done.Text)
	}
}

func hasFrame(frames []frame, typ string) bool {
	for _, f := range frames {
		if f.Type == typ {
			return true
		}
	}
	return false
}

// The policy stops what it must, whatever the buyer asks: a refund past the
// window is refused with the reason, and no refund is written. What the
// policy offers instead (a dispute, a cancellation) may be prepared as a
// card; a refund never is.
func TestLocalModelRefusesWhatPolicyForbids(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		kind demo.Kind
		want string
		// card is the tool of the alternative prepared, "" for none.
		card string
	}{
		{demo.DeliveredLongAgo, "30 days after delivery", "open_dispute"},
		{demo.FullyRefunded, "already been refunded", ""},
		{demo.NonRefundable, "can't refund", "open_dispute"},
		{demo.Paid, "cancel", "cancel_order"},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			buyer, order := buyerWith(t, "en", tt.kind)
			before, _ := e.refunds(t, order)
			c := e.dial(t, buyer)
			c.hello("", 0)
			msg, frames := c.ask("1", "please refund order "+order+", it is broken")
			card := ""
			for _, f := range frames {
				if f.Type == "confirm_request" {
					card = f.Tool
				}
			}
			if card != tt.card || !strings.Contains(msg.Text, tt.want) {
				t.Errorf("reply %q with card %q, want a refusal mentioning %q and card %q", msg.Text, card, tt.want, tt.card)
			}
			if after, _ := e.refunds(t, order); after != before {
				t.Errorf("refunds went from %d to %d", before, after)
			}
		})
	}
}

func TestLocalModelDisputeAndHandoff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	buyer, order := buyerWith(t, "es", demo.Overdue)
	c := e.dial(t, buyer)
	ready := c.hello("", 0)
	_, frames := c.ask("1", "Mi pedido "+order+" no llegó nunca, quiero abrir una disputa")
	var req frame
	for _, f := range frames {
		if f.Type == "confirm_request" {
			req = f
		}
	}
	if req.ActionID == "" {
		t.Fatalf("no confirm_request for the dispute: %+v", frames)
	}
	c.sendJSON(map[string]any{"type": "confirm", "action_id": req.ActionID, "approved": true})
	done, _ := c.reply()
	var disputes int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM disputes WHERE order_id = $1 AND reason = 'not_received'`, order).Scan(&disputes); err != nil {
		t.Fatal(err)
	}
	if disputes != 1 || !strings.Contains(done.Text, "DSP-") {
		t.Errorf("%d not_received disputes, reply %q; want one, named", disputes, done.Text)
	}

	msg, _ := c.ask("2", "quiero hablar con una persona")
	var status string
	if err := e.pool.QueryRow(t.Context(), `SELECT status FROM conversations WHERE id = $1`, ready.ConversationID).Scan(&status); err != nil {
		t.Fatal(err)
	}
	if status != "handoff" || msg.Text == "" {
		t.Errorf("after asking for a person: conversation %q, reply %q; want handoff", status, msg.Text)
	}
}

// The LLM path, end to end over real HTTP and a real websocket: the model
// asks for a refund, the buyer confirms, exactly one refund row exists, and
// the model narrates the result.
func TestLLMRefundFlowThroughTheWebsocket(t *testing.T) {
	t.Parallel()
	fake, e := newLLMEnv(t, agent.Config{})
	buyer, order := buyerWith(t, "en", demo.DeliveredRecently)
	fake.Push(
		fakellm.Call("request_refund", map[string]any{"order_id": order, "reason": "damaged"}),
		fakellm.Text("I have prepared the refund; please confirm it."),
		fakellm.Text("Your refund has been approved."),
	)
	c := e.dial(t, buyer)
	c.hello("", 0)
	msg, frames := c.ask("1", "refund "+order+" please, it broke")
	var req frame
	for _, f := range frames {
		if f.Type == "confirm_request" {
			req = f
		}
	}
	if req.ActionID == "" || msg.Text != "I have prepared the refund; please confirm it." {
		t.Fatalf("reply %q, frames %+v; want the model's text and a confirm_request", msg.Text, frames)
	}
	c.sendJSON(map[string]any{"type": "confirm", "action_id": req.ActionID, "approved": true})
	done, _ := c.reply()
	if n, _ := e.refunds(t, order); n != 1 || done.Text != "Your refund has been approved." {
		t.Errorf("%d refunds, reply %q", n, done.Text)
	}
	// The model saw the executed refund as a tool result.
	reqs := fake.Requests()
	last := reqs[len(reqs)-1]
	if m := last.Messages[len(last.Messages)-1]; m.Role != "tool" || !strings.Contains(m.Content, "RF-") {
		t.Errorf("the model's last message was %+v, want the refund's tool result", m)
	}
}

// Every fault of the upstream mid-turn ends in a reply the buyer can read,
// stored in the transcript: the chain falls back to the local model.
func TestLLMFaultsEndInAReadableStoredReply(t *testing.T) {
	t.Parallel()
	faults := []fakellm.Fault{fakellm.RateLimited, fakellm.ServerError, fakellm.BadGateway, fakellm.CutStream,
		fakellm.MalformedToolArgs, fakellm.UnknownTool, fakellm.Hang, fakellm.EmptyChoices}
	for _, fault := range faults {
		t.Run(fault.String(), func(t *testing.T) {
			fake := fakellm.New(fakellm.Options{})
			up := httptest.NewServer(fake)
			t.Cleanup(up.Close)
			e := newEnvWith(t, func(localModel agent.Model) agent.Model {
				return agent.NewChain(discard(), []agent.Model{
					agent.NewOpenAI(agent.OpenAIConfig{BaseURL: up.URL + "/v1", Model: "gpt-test", MaxRetries: 0, RequestTimeout: 2 * time.Second}),
					localModel,
				}, []string{"gpt-test", "local"})
			}, agent.Config{})
			buyer, order := buyerWith(t, "ko", demo.InTransit)
			for range 4 {
				fake.Push(fakellm.Reply{Fault: fault, Text: "partial answer text here", ToolCalls: []fakellm.ToolCall{{Name: "get_order", Arguments: `{"order_id":"` + order + `"}`}}})
			}
			c := e.dial(t, buyer)
			ready := c.hello("", 0)
			msg, _ := c.ask("1", order+" 주문 어디쯤 왔나요?")
			if msg.Role != "assistant" || msg.Text == "" {
				t.Fatalf("reply = %+v, want a readable assistant message", msg)
			}
			var n int
			var model string
			if err := e.pool.QueryRow(t.Context(), `SELECT count(*), max(usage->>'model') FROM messages WHERE conversation_id = $1`, ready.ConversationID).Scan(&n, &model); err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Errorf("transcript has %d messages, want the question and the reply", n)
			}
			// Transport faults fall through to the local model, which answers
			// the question; a model that keeps sending bad tool calls has the
			// errors returned to it twice, then the turn ends safely.
			switch fault {
			case fakellm.MalformedToolArgs, fakellm.UnknownTool:
				if msg.Text != agent.Fallback("ko") {
					t.Errorf("reply %q (by %s), want the Korean safe reply", msg.Text, model)
				}
			default:
				if model != "local" || !strings.Contains(msg.Text, order) {
					t.Errorf("reply %q by %s, want the local model's status of %s", msg.Text, model, order)
				}
			}
		})
	}
}

// Past the conversation's budget, the local model answers the next turn.
func TestLLMBudgetFallsBackToTheLocalModel(t *testing.T) {
	t.Parallel()
	fake := fakellm.New(fakellm.Options{})
	up := httptest.NewServer(fake)
	t.Cleanup(up.Close)
	e := newEnvWith(t, func(agent.Model) agent.Model {
		return agent.NewOpenAI(agent.OpenAIConfig{BaseURL: up.URL + "/v1", Model: "gpt-test"})
	}, agent.Config{ConversationTokens: 50})
	buyer, order := buyerWith(t, "en", demo.InTransit)
	fake.Push(fakellm.Text(strings.Repeat("a long and expensive answer ", 20)))
	c := e.dial(t, buyer)
	c.hello("", 0)
	first, _ := c.ask("1", "hello there")
	second, _ := c.ask("2", "where is my order "+order)
	if !strings.Contains(first.Text, "expensive") {
		t.Errorf("first reply %q, want the LLM's", first.Text)
	}
	if !strings.Contains(second.Text, order) || len(fake.Requests()) != 1 {
		t.Errorf("second reply %q after %d LLM requests; want the local model's order status and no second request", second.Text, len(fake.Requests()))
	}
}

// A model that keeps calling tools, or repeats itself, is stopped with the
// safe reply, never a hang.
func TestLLMStepLimitAndRepeatDetector(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		replies func(order string) []fakellm.Reply
	}{
		{"repeat", func(order string) []fakellm.Reply {
			r := fakellm.Call("get_order", map[string]string{"order_id": order})
			return []fakellm.Reply{r, r, r}
		}},
		{"step limit", func(order string) []fakellm.Reply {
			return []fakellm.Reply{
				fakellm.Call("get_order", map[string]string{"order_id": order}),
				fakellm.Call("list_orders", map[string]any{}),
				fakellm.Call("track_shipment", map[string]string{"order_id": order}),
				fakellm.Call("get_refund_status", map[string]string{"order_id": order}),
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakellm.New(fakellm.Options{})
			up := httptest.NewServer(fake)
			t.Cleanup(up.Close)
			e := newEnvWith(t, func(agent.Model) agent.Model {
				return agent.NewOpenAI(agent.OpenAIConfig{BaseURL: up.URL + "/v1", Model: "gpt-test"})
			}, agent.Config{MaxSteps: 3})
			buyer, order := buyerWith(t, "ru", demo.InTransit)
			fake.Push(tt.replies(order)...)
			c := e.dial(t, buyer)
			c.hello("", 0)
			msg, _ := c.ask("1", "где заказ "+order)
			if msg.Text != agent.Fallback("ru") {
				t.Errorf("reply = %q, want the Russian safe reply", msg.Text)
			}
		})
	}
}

// The local model answers in the buyer's language over the websocket:
// the status of their order, and a person when they ask for one.
func TestLocalModelAnswersInEveryLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		locale, status, human, statusWord string
	}{
		{"en", "where is my order %s?", "I want to talk to a human", "shipped"},
		{"ko", "%s 배송 어디까지 왔어요?", "상담원 연결해 주세요", "발송"},
		{"es", "¿dónde está mi pedido %s?", "quiero hablar con una persona", "envió"},
		{"ru", "где мой заказ %s?", "соедините с оператором", "отправлен"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			buyer, order := buyerWith(t, tt.locale, demo.InTransit)
			c := e.dial(t, buyer)
			ready := c.hello("", 0)
			msg, _ := c.ask("1", strings.Replace(tt.status, "%s", order, 1))
			if !strings.Contains(msg.Text, order) || !strings.Contains(msg.Text, tt.statusWord) {
				t.Errorf("status reply %q, want %s and %q", msg.Text, order, tt.statusWord)
			}
			msg, frames := c.ask("2", tt.human)
			var status string
			if err := e.pool.QueryRow(t.Context(), `SELECT status FROM conversations WHERE id = $1`, ready.ConversationID).Scan(&status); err != nil {
				t.Fatal(err)
			}
			if status != "handoff" || !hasTool(frames, "handoff_to_human", "done") || !hasFrame(frames, "handoff") {
				t.Errorf("after %q: conversation %s, reply %q; want a handoff", tt.human, status, msg.Text)
			}
		})
	}
}
