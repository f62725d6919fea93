package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// A buyer starts conversations at a bounded rate, over HTTP and the
// websocket together; a socket cannot be used to say hello without end.
func TestConversationsAndHellosAreLimited(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{web: func(o *web.Options) {
		o.Limits = web.Limits{ConversationsPerHour: 60, ConversationBurst: 3}
	}})
	buyer := demo.BuyerID(2)
	tok := e.buyerToken(t, buyer)
	for i := range 2 {
		if r := e.call(t, http.MethodPost, "/v1/conversations", tok, nil); r.status != http.StatusCreated {
			t.Fatalf("conversation %d = %d %s", i+1, r.status, r.body)
		}
	}
	c := e.dial(t, buyer)
	ready := c.hello("", 0) // the third: over the websocket
	c.sendJSON(map[string]any{"type": "hello"})
	if f := c.next(); f.Type != "error" || f.Code != "rate_limited" {
		t.Errorf("a fourth new conversation over the websocket got %+v, want rate_limited", f)
	}
	r := e.call(t, http.MethodPost, "/v1/conversations", tok, nil)
	if r.status != http.StatusTooManyRequests || r.errorCode() != "rate_limited" || r.header.Get("Retry-After") == "" {
		t.Errorf("a fourth new conversation over HTTP = %d %s (Retry-After %q), want 429 rate_limited with Retry-After",
			r.status, r.errorCode(), r.header.Get("Retry-After"))
	}
	// Another buyer is not held back.
	if r := e.call(t, http.MethodPost, "/v1/conversations", e.buyerToken(t, demo.BuyerID(3)), nil); r.status != http.StatusCreated {
		t.Errorf("another buyer's conversation = %d, want 201", r.status)
	}

	// Resuming the same conversation over and over: at most a few hellos.
	var limited bool
	for range 30 {
		c.sendJSON(map[string]any{"type": "hello", "conversation_id": ready.ConversationID})
	}
	for range 30 {
		if f := c.next(); f.Type == "error" && f.Code == "rate_limited" {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("30 hellos on one socket were all answered")
	}
}

// A seller's replies and suggestion requests are bounded per seller.
func TestSellerRepliesAndSuggestionsAreLimited(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{web: func(o *web.Options) {
		o.Limits = web.Limits{SellerMessagesPerMinute: 4, SuggestionsPerMinute: 2}
	}})
	o, seller := shopOrder(t, "shop-hangang", "en", demo.DeliveredRecently)
	tok := e.sellerToken(t, seller)
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)
	c.ask("1", "I want to talk to a human about "+o.ID)
	conv := "/v1/seller/conversations/" + ready.ConversationID

	var codes []int
	for i := range 3 {
		r := e.call(t, http.MethodPost, conv+"/messages", tok, map[string]any{"id": "s" + string(rune('a'+i)), "text": "on it"})
		codes = append(codes, r.status)
		if i == 2 && (r.errorCode() != "rate_limited" || r.header.Get("Retry-After") == "") {
			t.Errorf("third reply: %s, Retry-After %q; want rate_limited with Retry-After", r.body, r.header.Get("Retry-After"))
		}
	}
	if codes[0] != http.StatusCreated || codes[1] != http.StatusCreated || codes[2] != http.StatusTooManyRequests {
		t.Errorf("three replies at a burst of 2 = %v, want 201 201 429", codes)
	}
	if r := e.call(t, http.MethodGet, conv+"/suggestions", tok, nil); r.status != http.StatusOK {
		t.Fatalf("suggestions = %d %s", r.status, r.body)
	}
	if r := e.call(t, http.MethodGet, conv+"/suggestions", tok, nil); r.status != http.StatusTooManyRequests {
		t.Errorf("second suggestions at a burst of 1 = %d, want 429", r.status)
	}
}

// A card number the buyer types is masked before it is stored (and before
// the agent sees it); emails and phone numbers are stored for the
// platform's staff and the buyer, but a shop sees them masked, in the
// conversation, its live stream, the inbox and the suggested replies.
func TestPersonalDataIsMaskedForStorageAndForShops(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, seller := shopOrder(t, "shop-hangang", "en", demo.DeliveredRecently)
	const (
		card  = "4111 1111 1111 1111"
		email = "jo.buyer@example.com"
		phone = "+1 (555) 123-4567"
	)
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)
	sellerTok := e.sellerToken(t, seller)

	c.ask("1", "my card "+card+" was charged twice for "+o.ID)
	// The shop sees the conversation once a message concerns its order.
	stream := sellerEvents(t, e.srv.URL, sellerTok, ready.ConversationID, 2)
	waitEvent(t, stream, "ready")
	c.ask("2", "I want to talk to a human, mail me at "+email+" or call "+phone)

	var stored string
	if err := e.pool.QueryRow(t.Context(), `SELECT string_agg(text, ' | ' ORDER BY seq) FROM messages WHERE conversation_id = $1 AND role = 'user'`,
		ready.ConversationID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored, "4111") || !strings.Contains(stored, "[CARD]") {
		t.Errorf("stored buyer text %q, want the card masked", stored)
	}
	if !strings.Contains(stored, email) || !strings.Contains(stored, phone) {
		t.Errorf("stored buyer text %q, want the email and phone kept for support", stored)
	}
	// The buyer sees their own words.
	r := e.call(t, http.MethodGet, "/v1/conversations/"+ready.ConversationID+"/messages", e.buyerToken(t, o.BuyerID), nil)
	if !strings.Contains(string(r.body), email) {
		t.Errorf("the buyer's transcript lacks their email: %s", r.body)
	}

	shown := func(where, s string) {
		t.Helper()
		if strings.Contains(s, email) || strings.Contains(s, "123-4567") || strings.Contains(s, "4111") {
			t.Errorf("%s shows the shop personal data: %s", where, s)
		}
	}
	conv := "/v1/seller/conversations/" + ready.ConversationID
	r = e.call(t, http.MethodGet, conv, sellerTok, nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "[EMAIL]") || !strings.Contains(string(r.body), "[PHONE]") {
		t.Errorf("the seller's conversation = %d %s, want [EMAIL] and [PHONE]", r.status, r.body)
	}
	shown("the seller's conversation", string(r.body))
	shown("the seller's inbox", string(e.call(t, http.MethodGet, "/v1/seller/conversations", sellerTok, nil).body))
	shown("the suggested replies", string(e.call(t, http.MethodGet, conv+"/suggestions", sellerTok, nil).body))
	for range 2 {
		shown("the seller's live stream", waitEvent(t, stream, "message"))
	}
}

// A link in a policy page may leave the site only as an http(s) link with
// a host; a path that a browser reads as another host is not a link, and
// bidi controls do not reach the page.
func TestPolicyLinksStayOnTheSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := "# Links\n\n[home](/policies/refunds/en) [back](/\\evil.example/x) [tab](/\t/evil.example) " +
		"[proto](//evil.example) [js](javascript:alert(1)) [ok](https://help.example/a) [frag](#links) " +
		"[http back](https:\\\\evil.example) name: \u202Egpj.exe\u202C end"
	if _, err := e.pool.Exec(t.Context(), `INSERT INTO policy_documents (doc_id, locale, title, version, audience, effective_at, body, content_hash)
		VALUES ('links', 'en', 'Links', 1, 'both', now(), $1, 'x')`, body); err != nil {
		t.Fatal(err)
	}
	r := e.call(t, http.MethodGet, "/policies/links/en", "", nil)
	page := string(r.body)
	if r.status != http.StatusOK {
		t.Fatalf("policy page = %d %s", r.status, page)
	}
	for _, want := range []string{`href="/policies/refunds/en"`, `href="https://help.example/a"`, `href="#links"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	for _, bad := range []string{"evil.example\"", `href="/\`, `href="//`, "javascript:", "\u202E", "\u202C"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
}
