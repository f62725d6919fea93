package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// inboxItem is one inbox row as a test reads it.
type inboxItem struct {
	ConversationID string `json:"conversation_id"`
	BuyerName      string `json:"buyer_name"`
	Status         string `json:"status"`
	HandoffReason  string `json:"handoff_reason"`
	Claimed        bool   `json:"claimed"`
}

func (e *env) inbox(t *testing.T, seller string) []inboxItem {
	t.Helper()
	r := e.call(t, http.MethodGet, "/v1/seller/conversations", e.sellerToken(t, seller), nil)
	var out struct {
		Conversations []inboxItem `json:"conversations"`
	}
	r.json(t, &out)
	if r.status != http.StatusOK {
		t.Fatalf("inbox of %s = %d %s", seller, r.status, r.body)
	}
	return out.Conversations
}

func inboxHas(items []inboxItem, conv string) bool {
	for _, it := range items {
		if it.ConversationID == conv {
			return true
		}
	}
	return false
}

// newBuyer adds an English-speaking buyer with one paid order in each of
// shops and returns their id and the first order's id.
func (e *env) newBuyer(t *testing.T, id string, shops ...string) (string, string) {
	t.Helper()
	if _, err := e.pool.Exec(t.Context(), `INSERT INTO buyers (id, name, email, locale) VALUES ($1, 'Sam Scope', $2, 'en')`, id, id+"@demo.example"); err != nil {
		t.Fatal(err)
	}
	var first string
	for i, shop := range shops {
		order := fmt.Sprintf("ORD-9%04d", i+1)
		if _, err := e.pool.Exec(t.Context(), `INSERT INTO orders (id, buyer_id, shop_id, status, total_minor, currency, placed_at, paid_at)
			SELECT $1, $2, id, 'paid', 1000, currency, now(), now() FROM shops WHERE id = $3`, order, id, shop); err != nil {
			t.Fatal(err)
		}
		if first == "" {
			first = order
		}
	}
	return id, first
}

// startChat opens a conversation for buyer and sends texts, each answered.
func (e *env) startChat(t *testing.T, buyer string, texts ...string) string {
	t.Helper()
	c := e.dial(t, buyer)
	ready := c.hello("", 0)
	for i, text := range texts {
		c.ask(fmt.Sprint("m", i), text)
	}
	return ready.ConversationID
}

// Taking over silences the assistant and takes the handoff; handing back
// closes it and the assistant answers again.
func TestSellerTakeOverAndHandBack(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, seller := shopOrder(t, "shop-sol", "es", demo.Overdue)
	tok := e.sellerToken(t, seller)
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)
	c.ask("1", "quiero hablar con una persona sobre "+o.ID)
	conv := "/v1/seller/conversations/" + ready.ConversationID

	r := e.call(t, http.MethodPost, conv+"/takeover", tok, nil)
	if r.status != http.StatusOK {
		t.Fatalf("take over = %d %s", r.status, r.body)
	}
	c.waitStatus("agent")
	var hstatus, takenBy string
	if err := e.pool.QueryRow(t.Context(), `SELECT status, taken_by FROM handoffs WHERE conversation_id = $1`, ready.ConversationID).Scan(&hstatus, &takenBy); err != nil {
		t.Fatal(err)
	}
	if hstatus != "taken" || takenBy != seller {
		t.Errorf("handoff %s by %q, want taken by %s", hstatus, takenBy, seller)
	}
	c.sendJSON(map[string]any{"type": "user_message", "id": "2", "text": "¿hola?"})
	if m := c.messages(1)[0]; m.Role != "user" {
		t.Errorf("while taken over the buyer got %+v, want only their message", m)
	}
	// A decision waits for the person too.
	c.sendJSON(map[string]any{"type": "confirm", "action_id": "a_whatever000000", "approved": true})
	if f := c.next(); f.Type != "error" || f.Code != "conflict" {
		t.Errorf("a decision while taken over = %+v, want conflict", f)
	}
	c.quiet()

	if r := e.call(t, http.MethodPost, conv+"/handback", tok, nil); r.status != http.StatusOK {
		t.Fatalf("hand back = %d %s", r.status, r.body)
	}
	c.waitStatus("open")
	if err := e.pool.QueryRow(t.Context(), `SELECT status FROM handoffs WHERE conversation_id = $1`, ready.ConversationID).Scan(&hstatus); err != nil {
		t.Fatal(err)
	}
	if hstatus != "closed" {
		t.Errorf("handoff %s after the hand-back, want closed", hstatus)
	}
	if m, _ := c.ask("3", "¿dónde está mi pedido "+o.ID+"?"); m.Role != "assistant" || !strings.Contains(m.Text, o.ID) {
		t.Errorf("after the hand-back: %+v, want the assistant's answer", m)
	}
}

// suggestionsBody is the suggestions endpoint's answer.
type suggestionsBody struct {
	Suggestions []struct {
		Text      string `json:"text"`
		Gloss     string `json:"gloss"`
		OrderID   string `json:"order_id"`
		Guardrail string `json:"guardrail"`
		Citations []struct {
			DocID string `json:"doc_id"`
			Title string `json:"title"`
			URL   string `json:"url"`
		} `json:"citations"`
	} `json:"suggestions"`
	Checked bool `json:"checked"`
}

// Suggested replies are written in the buyer's language, with a gloss in
// the seller's, from the data of the order the conversation is about —
// looked up through get_shop_order as the seller, audited — and cite the
// policy they rely on.
func TestSellerSuggestionsAreGroundedInTheOrder(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{policies: true})
	o, seller := shopOrder(t, "shop-maple", "ko", demo.Overdue)
	var tracking, carrier string
	if err := e.pool.QueryRow(t.Context(), `SELECT tracking_number, carrier FROM orders WHERE id = $1`, o.ID).Scan(&tracking, &carrier); err != nil {
		t.Fatal(err)
	}
	conv := e.startChat(t, o.BuyerID, o.ID+" 배송 어디까지 왔어요?", "상담원 연결해 주세요")

	r := e.call(t, http.MethodGet, "/v1/seller/conversations/"+conv+"/suggestions", e.sellerToken(t, seller), nil)
	var out suggestionsBody
	r.json(t, &out)
	if r.status != http.StatusOK || len(out.Suggestions) < 2 || len(out.Suggestions) > 3 {
		t.Fatalf("suggestions = %d %s, want two or three", r.status, r.body)
	}
	first := out.Suggestions[0]
	if first.OrderID != o.ID || !strings.Contains(first.Text, o.ID) || !strings.Contains(first.Text, tracking) || !strings.Contains(first.Text, "발송") {
		t.Errorf("first suggestion %q, want the Korean status of %s with tracking %s", first.Text, o.ID, tracking)
	}
	if !strings.Contains(first.Gloss, tracking) || !strings.Contains(first.Gloss, "shipped") {
		t.Errorf("gloss %q, want the same reply in English", first.Gloss)
	}
	if len(first.Citations) == 0 || first.Citations[0].DocID != "disputes" || !strings.HasPrefix(first.Citations[0].URL, "/policies/disputes/ko") {
		t.Errorf("citations %+v, want the Korean disputes policy", first.Citations)
	}
	if first.Guardrail != "" || out.Checked {
		t.Errorf("with no checker the suggestions claim a verdict: %+v", out)
	}
	var audited int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM tool_calls WHERE conversation_id = $1 AND tool = 'get_shop_order'
		AND actor_role = 'seller' AND actor_id = $2 AND error_code IS NULL`, conv, seller).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 1 {
		t.Errorf("%d audited get_shop_order calls, want 1", audited)
	}
}

// fakeChecker is a ReplyChecker that records what it saw. decide, when
// set, makes its decisions; else every reply passes.
type fakeChecker struct {
	evidence []string
	decide   func(text string) web.ReplyCheck
}

func (f *fakeChecker) CheckReply(_ context.Context, text, locale string, evidence []string) (web.ReplyCheck, error) {
	f.evidence = evidence
	if f.decide != nil {
		return f.decide(text), nil
	}
	return web.ReplyCheck{Verdict: "pass", Text: text}, nil
}

// The panel shows what the guardrails let through: a rewritten draft with
// its rewritten text (before, the draft was shown word for word), and no
// draft the guardrails answered with the fallback.
func TestSellerSuggestionsShowTheCheckedText(t *testing.T) {
	t.Parallel()
	const rewritten = "Rewritten by the guardrails."
	n := 0
	var first, second string
	ck := &fakeChecker{decide: func(text string) web.ReplyCheck {
		n++
		switch n {
		case 1:
			first = text
			return web.ReplyCheck{Verdict: "rewritten", Text: rewritten}
		case 2:
			second = text
			return web.ReplyCheck{Verdict: "fallback"}
		}
		return web.ReplyCheck{Verdict: "pass", Text: text}
	}}
	e := newEnvOpts(t, envOptions{web: func(o *web.Options) { o.Checker = ck }})
	o, seller := shopOrder(t, "shop-taiga", "en", demo.Paid)
	conv := e.startChat(t, o.BuyerID, "where is "+o.ID+"?")
	r := e.call(t, http.MethodGet, "/v1/seller/conversations/"+conv+"/suggestions", e.sellerToken(t, seller), nil)
	var out suggestionsBody
	r.json(t, &out)
	if r.status != http.StatusOK || n < 2 {
		t.Fatalf("suggestions = %d %s after %d checks, want two or more drafts checked", r.status, r.body, n)
	}
	if len(out.Suggestions) != n-1 {
		t.Fatalf("%d suggestions of %d drafts, want all but the fallback: %s", len(out.Suggestions), n, r.body)
	}
	if got := out.Suggestions[0]; got.Text != rewritten || got.Guardrail != "rewritten" || got.Gloss != "" {
		t.Errorf("first suggestion = %+v, want the rewritten text %q, verdict rewritten, no gloss of the old text", got, rewritten)
	}
	for _, s := range out.Suggestions {
		if s.Text == first || s.Text == second {
			t.Errorf("suggestion %q is a draft the guardrails rewrote or refused", s.Text)
		}
	}
}

// A turn about another shop's order is not the seller's: the drafts use
// only the shop's part of the chat and its orders. A configured checker's
// verdict is shown with the evidence it was given.
func TestSellerSuggestionsStayInTheShop(t *testing.T) {
	t.Parallel()
	ck := &fakeChecker{}
	e := newEnvOpts(t, envOptions{web: func(o *web.Options) { o.Checker = ck }})
	mine, seller := shopOrder(t, "shop-taiga", "en", demo.Paid)
	var foreign demo.Order
	for _, o := range demo.Plan() {
		if o.BuyerID == mine.BuyerID && o.ShopID != "shop-taiga" {
			foreign = o
		}
	}
	conv := e.startChat(t, mine.BuyerID, "hello about "+mine.ID, "what about "+foreign.ID+"?")
	r := e.call(t, http.MethodGet, "/v1/seller/conversations/"+conv+"/suggestions", e.sellerToken(t, seller), nil)
	var out suggestionsBody
	r.json(t, &out)
	if r.status != http.StatusOK || len(out.Suggestions) == 0 {
		t.Fatalf("suggestions = %d %s", r.status, r.body)
	}
	for _, s := range out.Suggestions {
		if strings.Contains(s.Text, foreign.ID) || s.OrderID == foreign.ID {
			t.Errorf("suggestion %q uses another shop's order %s", s.Text, foreign.ID)
		}
		if s.Guardrail != "pass" {
			t.Errorf("suggestion verdict %q, want the checker's pass", s.Guardrail)
		}
	}
	if len(ck.evidence) == 0 || strings.Contains(strings.Join(ck.evidence, " "), foreign.ID) {
		t.Errorf("checker evidence %q, want the shop's order only", ck.evidence)
	}
}

// fakeTranslator translates by tagging text with its target language.
type fakeTranslator struct{}

func (fakeTranslator) Translate(_ context.Context, text, source, target string) (string, error) {
	return "[" + target + "] " + text, nil
}

// The transcript is translated into the seller's language when a
// translator is configured; without one, translation is refused and the
// panel is told to hide it.
func TestSellerTranslation(t *testing.T) {
	t.Parallel()
	for _, withTranslator := range []bool{false, true} {
		t.Run(fmt.Sprint("translator=", withTranslator), func(t *testing.T) {
			e := newEnvOpts(t, envOptions{web: func(o *web.Options) {
				if withTranslator {
					o.Translator = fakeTranslator{}
				}
			}})
			o, seller := shopOrder(t, "shop-maple", "ko", demo.Overdue)
			conv := e.startChat(t, o.BuyerID, o.ID+" 배송 어디까지 왔어요?")
			tok := e.sellerToken(t, seller)
			r := e.call(t, http.MethodGet, "/v1/seller/conversations/"+conv, tok, nil)
			var detail struct {
				CanTranslate bool    `json:"can_translate"`
				Messages     []frame `json:"messages"`
			}
			r.json(t, &detail)
			if detail.CanTranslate != withTranslator || len(detail.Messages) != 2 {
				t.Errorf("conversation = %s, want can_translate %v and 2 messages", r.body, withTranslator)
			}
			r = e.call(t, http.MethodPost, "/v1/seller/conversations/"+conv+"/translate", tok, nil)
			if !withTranslator {
				if r.status != http.StatusServiceUnavailable || r.errorCode() != "unavailable" {
					t.Errorf("translate without a translator = %d %s, want 503 unavailable", r.status, r.body)
				}
				return
			}
			var out struct {
				Target       string `json:"target"`
				Translations []struct {
					Seq  int64  `json:"seq"`
					Text string `json:"text"`
				} `json:"translations"`
			}
			r.json(t, &out)
			if r.status != http.StatusOK || out.Target != "en" || len(out.Translations) != 2 ||
				!strings.HasPrefix(out.Translations[0].Text, "[en] ") || out.Translations[0].Seq != 1 {
				t.Errorf("translate = %d %s", r.status, r.body)
			}
		})
	}
}

// The panel's event stream tells it of new messages in the open
// conversation, its status changes and inbox changes, live.
func TestSellerEventStream(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, seller := shopOrder(t, "shop-hangang", "en", demo.DeliveredRecently)
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)
	c.ask("1", "hello, it's about "+o.ID)

	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet,
		e.srv.URL+"/v1/seller/events?after=2&conversation_id="+ready.ConversationID, nil)
	req.Header.Set("Authorization", "Bearer "+e.sellerToken(t, seller))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	events := make(chan [2]string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		var name string
		for sc.Scan() {
			line := sc.Text()
			if n, ok := strings.CutPrefix(line, "event: "); ok {
				name = n
			} else if d, ok := strings.CutPrefix(line, "data: "); ok {
				events <- [2]string{name, d}
			}
		}
		close(events)
	}()
	want := func(name string) string {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					t.Fatalf("stream ended waiting for %s", name)
				}
				if ev[0] == name {
					return ev[1]
				}
			case <-timeout:
				t.Fatalf("no %s event", name)
			}
		}
	}
	want("ready")
	c.ask("2", "I want to talk to a human about "+o.ID)
	var m frame
	json.Unmarshal([]byte(want("message")), &m)
	if m.Seq != 3 || m.Text != "I want to talk to a human about "+o.ID {
		t.Errorf("first live message %+v, want the buyer's at seq 3", m)
	}
	var st frame
	json.Unmarshal([]byte(want("status")), &st)
	if st.Status != "handoff" {
		t.Errorf("status event %+v, want handoff", st)
	}
	want("inbox")
}

// The seller's reply is validated like any message, and a repeated id is
// stored once.
func TestSellerReplyValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, seller := shopOrder(t, "shop-maple", "en", demo.DeliveredRecently)
	conv := e.startChat(t, o.BuyerID, "hello, it's about "+o.ID)
	tok := e.sellerToken(t, seller)
	path := "/v1/seller/conversations/" + conv + "/messages"
	for _, body := range []any{
		map[string]string{"text": "  "},
		map[string]string{"text": strings.Repeat("x", 4001)},
		`{"text":"a\u0000b"}`,
		map[string]any{"text": "hi", "role": "assistant"},
	} {
		if r := e.call(t, http.MethodPost, path, tok, body); r.status != http.StatusBadRequest {
			t.Errorf("reply %v = %d %s, want 400", body, r.status, r.body)
		}
	}
	for range 2 {
		if r := e.call(t, http.MethodPost, path, tok, map[string]string{"id": "once", "text": "Hello from the shop"}); r.status != http.StatusCreated {
			t.Fatalf("reply = %d %s", r.status, r.body)
		}
	}
	var n int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM messages WHERE conversation_id = $1 AND role = 'agent' AND author_id = $2`,
		conv, seller).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d seller messages stored for one id, want 1", n)
	}
	if got := metric(t, e.metrics, "csagent_seller_messages_total"); got != 1 {
		t.Errorf("counted %v seller messages, want 1", got)
	}
}

var _ tools.Translator = fakeTranslator{}

// An order of the same shop that another buyer placed, named in the chat,
// grounds no suggestion: a draft is sent to this buyer.
func TestSellerSuggestionsKeepToTheBuyersOrders(t *testing.T) {
	t.Parallel()
	ck := &fakeChecker{}
	e := newEnvOpts(t, envOptions{web: func(o *web.Options) { o.Checker = ck }})
	mine, seller := shopOrder(t, "shop-taiga", "en", demo.Paid)
	var other demo.Order
	for _, o := range demo.Plan() {
		if o.BuyerID != mine.BuyerID && o.ShopID == "shop-taiga" {
			other = o
		}
	}
	conv := e.startChat(t, mine.BuyerID, "hello about "+mine.ID+" and "+other.ID)
	r := e.call(t, http.MethodGet, "/v1/seller/conversations/"+conv+"/suggestions", e.sellerToken(t, seller), nil)
	var out suggestionsBody
	r.json(t, &out)
	if r.status != http.StatusOK || len(out.Suggestions) == 0 {
		t.Fatalf("suggestions = %d %s", r.status, r.body)
	}
	for _, s := range out.Suggestions {
		if s.OrderID == other.ID {
			t.Errorf("suggestion %q is grounded in another buyer's order %s", s.Text, other.ID)
		}
	}
	if ev := strings.Join(ck.evidence, " "); !strings.Contains(ev, mine.ID) || strings.Contains(ev, other.ID) {
		t.Errorf("checker evidence %q, want the buyer's order %s only", ck.evidence, mine.ID)
	}
}
