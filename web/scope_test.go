package web_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

func (e *env) supportToken(t testing.TB, id string) string {
	t.Helper()
	tok, err := e.auth.Mint(tools.RoleSupport, id, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// panelEvent is one Server-Sent Event: its name and data.
type panelEvent struct{ name, data string }

// sellerEvents opens the panel's event stream as tok, following conv
// after seq after (no conversation when conv is empty), and returns its
// events, ready first. The channel closes when the stream ends.
func (e *env) sellerEvents(t *testing.T, tok, conv string, after int) <-chan panelEvent {
	t.Helper()
	q := "/v1/seller/events"
	if conv != "" {
		q += "?conversation_id=" + conv + "&after=" + strconv.Itoa(after)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, e.srv.URL+q, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("events of %s = %d", conv, resp.StatusCode)
	}
	out := make(chan panelEvent, 256)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		var name string
		for sc.Scan() {
			line := sc.Text()
			if n, ok := strings.CutPrefix(line, "event: "); ok {
				name = n
			} else if d, ok := strings.CutPrefix(line, "data: "); ok {
				out <- panelEvent{name, d}
			}
		}
	}()
	if ev := <-out; ev.name != "ready" {
		t.Fatalf("first event %+v, want ready", ev)
	}
	return out
}

// until returns the events of ch up to and including the first that done
// accepts; it fails the test if the stream ends or nothing comes for ten
// seconds.
func until(t *testing.T, ch <-chan panelEvent, what string, done func(panelEvent) bool) []panelEvent {
	t.Helper()
	var got []panelEvent
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("stream ended waiting for %s; got %+v", what, got)
			}
			got = append(got, ev)
			if done(ev) {
				return got
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no %s; got %+v", what, got)
		}
	}
}

// A conversation a buyer holds about orders of two shops: each shop sees
// its own part and nothing of the other's — not in the inbox, the
// transcript, the suggestions, the translation, the handoff or the event
// stream; a shop that never sold to the buyer sees nothing; support sees
// all. Only the shop the conversation is routed to, or support, may take it
// over, hand it back or reply.
func TestSellerScope(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{web: func(o *web.Options) { o.Translator = fakeTranslator{} }})
	buyer, _ := e.newBuyer(t, "buyer-scope", "shop-maple", "shop-hangang")
	const mineOrder, theirOrder = "ORD-90001", "ORD-90002"
	// Shop B's order carries marks that must never reach shop A.
	const theirTracking = "SECRETB9876543"
	if _, err := e.pool.Exec(t.Context(), `UPDATE orders SET status = 'shipped', shipped_at = now(), carrier = 'CJ Logistics',
		tracking_number = $2, total_minor = 987654 WHERE id = $1`, theirOrder, theirTracking); err != nil {
		t.Fatal(err)
	}
	theirs := []string{theirOrder, theirTracking, "987654", "987,654"}
	noneOfTheirs := func(who, what string, body []byte) {
		t.Helper()
		for _, s := range theirs {
			if strings.Contains(string(body), s) {
				t.Errorf("%s got shop B's %q in %s: %s", who, s, what, body)
			}
		}
	}
	a, b, stranger := e.sellerToken(t, "seller-maple"), e.sellerToken(t, "seller-hangang"), e.sellerToken(t, "seller-taiga")
	support := e.supportToken(t, demo.SupportID)

	// A conversation of the stranger shop's own, whose stream shows what
	// that shop hears.
	o, _ := shopOrder(t, "shop-taiga", "en", demo.Paid)
	tc := e.dial(t, o.BuyerID)
	taiga := tc.hello("", 0).ConversationID
	tc.ask("1", "where is "+o.ID+"?")

	c := e.dial(t, buyer)
	ready := c.hello("", 0)
	conv := ready.ConversationID
	path := "/v1/seller/conversations/" + conv

	// Turn 1 is about shop A's order: A sees it.
	c.ask("1", "where is my order "+mineOrder)
	aEvents := e.sellerEvents(t, a, conv, 2)
	strangerEvents := e.sellerEvents(t, stranger, taiga, 2)
	supportEvents := e.sellerEvents(t, support, conv, 2)

	// Turns 2 and 3 are about shop B's order; turn 3 hands off, to B.
	reply, _ := c.ask("2", "where is my order "+theirOrder+"?")
	if !strings.Contains(reply.Text, theirTracking) {
		t.Fatalf("the assistant's answer about %s = %q, want its tracking number (so the test can see it leak)", theirOrder, reply.Text)
	}
	c.ask("3", "I want to talk to a human about "+theirOrder)
	var queue *string
	if err := e.pool.QueryRow(t.Context(), `SELECT shop_id FROM handoffs WHERE conversation_id = $1`, conv).Scan(&queue); err != nil ||
		queue == nil || *queue != "shop-hangang" {
		t.Fatalf("the handoff went to %v (%v), want shop-hangang", queue, err)
	}

	bEvents := e.sellerEvents(t, b, conv, 6)

	type detail struct {
		Conversation struct {
			Status         string `json:"status"`
			HandoffReason  string `json:"handoff_reason"`
			HandoffSummary string `json:"handoff_summary"`
			Claimed        bool   `json:"claimed"`
		} `json:"conversation"`
		Orders []struct {
			OrderID string `json:"order_id"`
		} `json:"orders"`
		Messages []frame `json:"messages"`
	}
	open := func(who, tok string) (response, detail) {
		t.Helper()
		r := e.call(t, http.MethodGet, path, tok, nil)
		var d detail
		r.json(t, &d)
		return r, d
	}
	seqs := func(d detail) []int64 {
		var out []int64
		for _, m := range d.Messages {
			out = append(out, m.Seq)
		}
		return out
	}

	// Shop A: its turn only, no status or handoff of B's, cannot act.
	r, d := open("A", a)
	if r.status != http.StatusOK || len(d.Messages) != 2 || d.Messages[0].Seq != 1 || d.Messages[1].Seq != 2 {
		t.Errorf("A's transcript = %d seqs %v, want 1 and 2 only", r.status, seqs(d))
	}
	if d.Conversation.Status != "elsewhere" || d.Conversation.Claimed || d.Conversation.HandoffReason != "" || d.Conversation.HandoffSummary != "" {
		t.Errorf("A sees %+v, want status elsewhere, not claimed, no handoff", d.Conversation)
	}
	if len(d.Orders) != 1 || d.Orders[0].OrderID != mineOrder {
		t.Errorf("A sees orders %+v, want only %s", d.Orders, mineOrder)
	}
	noneOfTheirs("A", "the conversation", r.body)
	items := e.inbox(t, "seller-maple")
	if !inboxHas(items, conv) {
		t.Errorf("A's inbox %+v lacks the conversation about its order", items)
	}
	for _, it := range items {
		if it.ConversationID == conv && (it.Status != "elsewhere" || it.HandoffReason != "") {
			t.Errorf("A's inbox shows %+v, want B's handoff hidden", it)
		}
	}
	r = e.call(t, http.MethodGet, "/v1/seller/conversations", a, nil)
	noneOfTheirs("A", "the inbox", r.body)
	r = e.call(t, http.MethodGet, path+"/suggestions", a, nil)
	if r.status != http.StatusOK {
		t.Errorf("A's suggestions = %d %s", r.status, r.body)
	}
	noneOfTheirs("A", "the suggestions", r.body)
	r = e.call(t, http.MethodPost, path+"/translate", a, nil)
	if r.status != http.StatusOK {
		t.Errorf("A's translation = %d %s", r.status, r.body)
	}
	noneOfTheirs("A", "the translation", r.body)

	// Shop B: its turns, its handoff, with a summary of its own scope.
	r, d = open("B", b)
	if r.status != http.StatusOK || len(d.Messages) != 4 || d.Messages[0].Seq != 3 {
		t.Errorf("B's transcript = %d seqs %v, want 3 to 6", r.status, seqs(d))
	}
	if d.Conversation.Status != "handoff" || !d.Conversation.Claimed || d.Conversation.HandoffReason != "customer_request" ||
		!strings.Contains(d.Conversation.HandoffSummary, theirOrder) {
		t.Errorf("B sees %+v, want its handoff with a summary naming %s", d.Conversation, theirOrder)
	}
	if strings.Contains(string(r.body), mineOrder) {
		t.Errorf("B got shop A's %s: %s", mineOrder, r.body)
	}
	if items := e.inbox(t, "seller-hangang"); len(items) == 0 || items[0].ConversationID != conv || items[0].Status != "handoff" {
		t.Errorf("B's inbox %+v, want the handoff first", items)
	}

	// A shop that never sold to the buyer sees nothing at all.
	if inboxHas(e.inbox(t, "seller-taiga"), conv) {
		t.Error("a shop the buyer never used has the conversation in its inbox")
	}
	for _, p := range []string{"", "/suggestions", "/takeover", "/handback", "/messages", "/translate"} {
		method := http.MethodPost
		if p == "" || p == "/suggestions" {
			method = http.MethodGet
		}
		if r := e.call(t, method, path+p, stranger, map[string]string{"text": "x"}); r.status != http.StatusNotFound {
			t.Errorf("%s %s by a stranger shop = %d %s, want 404", method, p, r.status, r.body)
		}
	}

	// Support sees everything, the model's own summary included.
	r, d = open("support", support)
	if r.status != http.StatusOK || len(d.Messages) != 6 || d.Conversation.Status != "handoff" || !d.Conversation.Claimed ||
		d.Conversation.HandoffSummary == "" {
		t.Errorf("support sees %d seqs %v, %+v; want all six and the handoff", r.status, seqs(d), d.Conversation)
	}
	for who, tok := range map[string]string{"B": b, "support": support} {
		if r := e.call(t, http.MethodGet, path+"/suggestions", tok, nil); r.status != http.StatusOK {
			t.Errorf("%s's suggestions = %d %s", who, r.status, r.body)
		}
	}
	r = e.call(t, http.MethodGet, "/v1/seller/conversations", support, nil)
	var inbox struct {
		Conversations []inboxItem `json:"conversations"`
	}
	r.json(t, &inbox)
	if r.status != http.StatusOK || len(inbox.Conversations) == 0 || inbox.Conversations[0].ConversationID != conv {
		t.Errorf("support's inbox = %d %+v, want the handoff (a shop's) first", r.status, inbox.Conversations)
	}

	// Buyers have no business on the panel; support none in the chat.
	if r := e.call(t, http.MethodGet, "/v1/seller/conversations", e.buyerToken(t, buyer), nil); r.status != http.StatusUnauthorized {
		t.Errorf("a buyer on the seller API = %d, want 401", r.status)
	}
	if r := e.call(t, http.MethodGet, "/v1/conversations/"+conv+"/messages", support, nil); r.status != http.StatusUnauthorized {
		t.Errorf("support on the buyer API = %d, want 401", r.status)
	}

	// Support's panel opens its event stream with a ticket, as a seller's.
	if r := e.call(t, http.MethodPost, "/v1/tickets", support, map[string]string{"purpose": "events"}); r.status != http.StatusCreated {
		t.Errorf("support's ticket for the event stream = %d %s", r.status, r.body)
	}

	// Only the shop it is routed to, or support, acts on it.
	for _, p := range []string{"/takeover", "/handback", "/messages"} {
		if r := e.call(t, http.MethodPost, path+p, a, map[string]string{"text": "Hi from shop A"}); r.status != http.StatusConflict {
			t.Errorf("POST %s by shop A = %d %s, want 409", p, r.status, r.body)
		}
	}
	if r := e.call(t, http.MethodPost, path+"/messages", b, map[string]string{"text": "Hi, shop B here."}); r.status != http.StatusCreated {
		t.Fatalf("B's reply = %d %s", r.status, r.body)
	}
	// The buyer's chat knows a person has it before the buyer writes on.
	for gotReply, gotStatus := false, false; !gotReply || !gotStatus; {
		switch f := c.next(); {
		case f.Type == "message" && f.Role == "agent":
			gotReply = true
		case f.Type == "status" && f.Status == "agent":
			gotStatus = true
		case f.Type != "status":
			t.Fatalf("frame %+v while waiting for B's reply and the status agent", f)
		}
	}
	// Support takes it from B: B may no longer act, and the buyer's words
	// are support's now.
	if r := e.call(t, http.MethodPost, path+"/takeover", support, nil); r.status != http.StatusOK {
		t.Fatalf("support's take-over = %d %s", r.status, r.body)
	}
	if r := e.call(t, http.MethodPost, path+"/messages", b, map[string]string{"text": "still me"}); r.status != http.StatusConflict {
		t.Errorf("B replying after support took over = %d %s, want 409", r.status, r.body)
	}
	if r := e.call(t, http.MethodPost, path+"/messages", support, map[string]string{"text": "Support here, I have it."}); r.status != http.StatusCreated {
		t.Fatalf("support's reply = %d %s", r.status, r.body)
	}
	c.messages(1, "status")
	c.sendJSON(map[string]any{"type": "user_message", "id": "4", "text": "my card was charged twice"})
	// The buyer names shop A's order again: that message is A's, and the
	// last thing A's stream hears.
	c.sendJSON(map[string]any{"type": "user_message", "id": "5", "text": "and " + mineOrder + " too"})
	c.sendJSON(map[string]any{"type": "user_message", "id": "6", "text": "and " + theirOrder + " as well"})
	c.messages(3, "status")

	// B's stream, once support took the conversation: nothing but the
	// buyer's words about B's order (before, a shop's stream kept
	// delivering a conversation another party had taken).
	got := until(t, bEvents, "B's own message", func(ev panelEvent) bool {
		return ev.name == "message" && strings.Contains(ev.data, theirOrder+" as well")
	})
	var lastB string
	for _, ev := range got {
		var f frame
		json.Unmarshal([]byte(ev.data), &f)
		switch {
		case ev.name == "message" && f.Role == "agent" && f.Text == "Hi, shop B here.":
		case ev.name == "message" && f.Text != "and "+theirOrder+" as well":
			t.Errorf("B's stream delivered %+v after support took over", f)
		case ev.name == "status":
			lastB = f.Status
		}
	}
	if lastB != "elsewhere" {
		t.Errorf("B's stream last said the status is %q, want elsewhere", lastB)
	}

	// A's stream: the status moved elsewhere, and of the messages only the
	// last, its own.
	got = until(t, aEvents, "A's own message", func(ev panelEvent) bool {
		return ev.name == "message" && strings.Contains(ev.data, mineOrder)
	})
	var lastStatus string
	for _, ev := range got {
		noneOfTheirs("A", "the event stream", []byte(ev.data))
		var f frame
		json.Unmarshal([]byte(ev.data), &f)
		switch {
		case ev.name == "message" && f.Text != "and "+mineOrder+" too":
			t.Errorf("A's stream delivered %+v, not A's", f)
		case ev.name == "status" && f.Status != "elsewhere" && f.Status != "open":
			// Open is turn 1's routing to A, which may arrive late.
			t.Errorf("A's stream delivered status %q of B's or support's, want elsewhere", f.Status)
		case ev.name == "status":
			lastStatus = f.Status
		}
	}
	if lastStatus != "elsewhere" {
		t.Errorf("A's stream last said the status is %q, want elsewhere", lastStatus)
	}
	// Support's stream: every message.
	got = until(t, supportEvents, "the buyer's last message", func(ev panelEvent) bool {
		return ev.name == "message" && strings.Contains(ev.data, "and "+mineOrder)
	})
	n := 0
	for _, ev := range got {
		if ev.name == "message" {
			n++
		}
	}
	if n != 8 {
		t.Errorf("support's stream delivered %d messages, want 8 (seqs 3 to 10): %+v", n, got)
	}

	// The stranger's stream heard nothing of it: the first thing it hears
	// is its own buyer's next message, and no inbox event came before.
	tc.ask("2", "thanks, and "+o.ID+"?")
	got = until(t, strangerEvents, "the stranger's own message", func(ev panelEvent) bool { return ev.name == "message" })
	if len(got) != 1 {
		t.Errorf("the stranger's stream = %+v, want nothing before its own message", got)
	}
	var stamped int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM messages m JOIN conversations cv ON cv.id = m.conversation_id
		WHERE cv.buyer_id = $1 AND m.shop_id = 'shop-taiga'`, buyer).Scan(&stamped); err != nil || stamped != 0 {
		t.Errorf("%d messages of the buyer stamped for the stranger shop (%v)", stamped, err)
	}
}
