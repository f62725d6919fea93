package web_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/gorilla/websocket"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// buyTicket buys a ticket for purpose with token on the server at base.
func buyTicket(t *testing.T, base, token, purpose string) string {
	t.Helper()
	r := callURL(t, base, http.MethodPost, "/v1/tickets", token, map[string]string{"purpose": purpose})
	var out struct {
		Ticket string `json:"ticket"`
	}
	r.json(t, &out)
	if r.status != http.StatusCreated || out.Ticket == "" {
		t.Fatalf("POST /v1/tickets %s = %d %s, want 201 with a ticket", purpose, r.status, r.body)
	}
	return out.Ticket
}

// dialStatus opens the chat websocket at wsURL with header and returns the
// answer's status (101 when it opened) and the connection, if any.
func dialStatus(t *testing.T, wsURL string, header http.Header) (int, *websocket.Conn) {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.DialContext(t.Context(), wsURL, header)
	if resp == nil {
		t.Fatalf("dial %s: %v", wsURL, err)
	}
	if ws != nil {
		t.Cleanup(func() { ws.Close() })
	}
	return resp.StatusCode, ws
}

// A browser opens the chat with a single-use ticket bought with its header,
// redeemable on any replica (they share the database); a token in a URL is
// refused on every endpoint, the websocket and the event stream included.
func TestTicketOpensTheChatOnceOnAnyReplica(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other := e.replica(t)
	buyer := demo.BuyerID(0)
	tok := e.buyerToken(t, buyer)

	ticket := buyTicket(t, e.srv.URL, tok, "chat")
	if code, ws := dialStatus(t, other.wsURL()+"?ticket="+url.QueryEscape(ticket), nil); code != http.StatusSwitchingProtocols {
		t.Fatalf("dial another replica with a fresh ticket = %d, want 101", code)
	} else {
		c := &client{t: t, ws: ws}
		if f := c.hello("", 0); f.ConversationID == "" {
			t.Fatalf("ready without a conversation: %+v", f)
		}
	}
	if code, _ := dialStatus(t, e.wsURL()+"?ticket="+url.QueryEscape(ticket), nil); code != http.StatusUnauthorized {
		t.Errorf("dial with a used ticket = %d, want 401", code)
	}

	// A ticket opens only what it was bought for, and only for its role.
	seller := "seller-maple"
	events := buyTicket(t, e.srv.URL, e.sellerToken(t, seller), "events")
	if code, _ := dialStatus(t, e.wsURL()+"?ticket="+url.QueryEscape(events), nil); code != http.StatusUnauthorized {
		t.Errorf("dial the chat with an events ticket = %d, want 401", code)
	}
	if r := e.call(t, http.MethodPost, "/v1/tickets", tok, map[string]string{"purpose": "events"}); r.status != http.StatusForbidden {
		t.Errorf("a buyer buying an events ticket = %d, want 403", r.status)
	}
	if r := e.call(t, http.MethodPost, "/v1/tickets", "", map[string]string{"purpose": "chat"}); r.status != http.StatusUnauthorized {
		t.Errorf("a ticket without a token = %d, want 401", r.status)
	}
	// A ticket is no bearer token elsewhere.
	chat := buyTicket(t, e.srv.URL, tok, "chat")
	if r := e.call(t, http.MethodGet, "/v1/me?ticket="+url.QueryEscape(chat), "", nil); r.status != http.StatusUnauthorized {
		t.Errorf("GET /v1/me with a ticket = %d, want 401", r.status)
	}
	// The seller's event stream takes its ticket, once.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, other.srv.URL+"/v1/seller/events?ticket="+url.QueryEscape(events), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("seller events with a ticket = %d, want 200", resp.StatusCode)
	}
	if r := e.call(t, http.MethodGet, "/v1/seller/events?ticket="+url.QueryEscape(events), "", nil); r.status != http.StatusUnauthorized {
		t.Errorf("seller events with a used ticket = %d, want 401", r.status)
	}

	for _, path := range []string{"/v1/me", "/v1/conversations", "/v1/seller/conversations", "/v1/seller/events", "/v1/tickets"} {
		for _, who := range []string{tok, e.sellerToken(t, seller)} {
			method := http.MethodGet
			if path == "/v1/conversations" || path == "/v1/tickets" {
				method = http.MethodPost
			}
			r := e.call(t, method, path+"?access_token="+who, "", nil)
			if r.status != http.StatusBadRequest || r.errorCode() != "token_in_url" {
				t.Errorf("%s %s?access_token= = %d %s, want 400 token_in_url", method, path, r.status, r.errorCode())
			}
		}
	}
	if code, _ := dialStatus(t, e.wsURL()+"?access_token="+tok, nil); code != http.StatusBadRequest {
		t.Errorf("dial with ?access_token= = %d, want 400", code)
	}
}

// rawToken signs claims with the test secret, as a forger holding a
// leaked secret could not but a careless minter might.
func rawToken(t *testing.T, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Tokens live at most a day (by default), and are not issued in the
// future; neither kind is minted nor accepted.
func TestTokenLifetimeIsCappedAndIssueTimeChecked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	now := time.Now()
	claims := func(iat, exp time.Time) jwt.MapClaims {
		c := jwt.MapClaims{"sub": demo.BuyerID(0), "role": "buyer", "iss": "csagent", "aud": "csagent", "exp": exp.Unix()}
		if !iat.IsZero() {
			c["iat"] = iat.Unix()
		}
		return c
	}
	tests := []struct {
		name string
		tok  string
		want int
	}{
		{"a day", rawToken(t, claims(now, now.Add(24*time.Hour))), http.StatusOK},
		{"ten years", rawToken(t, claims(now, now.AddDate(10, 0, 0))), http.StatusUnauthorized},
		{"25 hours", rawToken(t, claims(now.Add(-time.Hour), now.Add(24*time.Hour))), http.StatusUnauthorized},
		{"issued in an hour", rawToken(t, claims(now.Add(time.Hour), now.Add(2*time.Hour))), http.StatusUnauthorized},
		{"no issue time", rawToken(t, claims(time.Time{}, now.Add(time.Hour))), http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := e.call(t, http.MethodGet, "/v1/me", tt.tok, nil); r.status != tt.want {
				t.Errorf("GET /v1/me = %d, want %d", r.status, tt.want)
			}
		})
	}
	if _, err := e.auth.Mint(tools.RoleBuyer, demo.BuyerID(0), 10*365*24*time.Hour, now); err == nil {
		t.Error("Mint made a ten-year token")
	}
	short := e.auth.WithMaxLifetime(time.Hour)
	if _, err := short.Mint(tools.RoleBuyer, demo.BuyerID(0), 2*time.Hour, now); err == nil {
		t.Error("Mint with a one-hour cap made a two-hour token")
	}
	tok, err := e.auth.Mint(tools.RoleBuyer, demo.BuyerID(0), 2*time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := short.Verify(tok); err == nil {
		t.Error("Verify with a one-hour cap accepted a two-hour token")
	}
}

// Logging out revokes every token the person held, on every replica, and
// closes their open chat (4003) and event streams; a token minted at the
// new version works.
func TestLogoutRevokesTokensAndClosesConnections(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other := e.replica(t)
	o, seller := shopOrder(t, "shop-hangang", "en", demo.DeliveredRecently)
	buyer := o.BuyerID
	old := e.buyerToken(t, buyer)
	code, ws := dialStatus(t, other.wsURL(), http.Header{"Authorization": {"Bearer " + old}})
	if code != http.StatusSwitchingProtocols {
		t.Fatalf("dial = %d", code)
	}
	c := &client{t: t, ws: ws}
	c.hello("", 0)
	sellerTok := e.sellerToken(t, seller)
	stream := sellerEvents(t, other.srv.URL, sellerTok, "", 0)
	waitEvent(t, stream, "ready")

	if r := e.call(t, http.MethodPost, "/v1/logout", old, nil); r.status != http.StatusOK {
		t.Fatalf("logout = %d %s", r.status, r.body)
	}
	if code := closeCode(t, ws); code != 4003 {
		t.Errorf("the open chat closed with %d, want 4003 signed out", code)
	}
	if r := other.call(t, http.MethodGet, "/v1/me", old, nil); r.status != http.StatusUnauthorized {
		t.Errorf("the old token after logout = %d, want 401", r.status)
	}
	// The seller is still signed in: the logout was the buyer's.
	if r := other.call(t, http.MethodGet, "/v1/me", sellerTok, nil); r.status != http.StatusOK {
		t.Errorf("another person's token after the logout = %d, want 200", r.status)
	}
	ver, err := web.TokenVersion(t.Context(), e.pool, tools.RoleBuyer, buyer)
	if err != nil || ver != 1 {
		t.Fatalf("TokenVersion = %d, %v; want 1", ver, err)
	}
	fresh, err := e.auth.MintVersion(tools.RoleBuyer, buyer, ver, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r := other.call(t, http.MethodGet, "/v1/me", fresh, nil); r.status != http.StatusOK {
		t.Errorf("a token at the new version = %d, want 200", r.status)
	}
	// A ticket bought before the logout is worthless after it.
	sellerTicket := buyTicket(t, e.srv.URL, sellerTok, "events")
	if r := e.call(t, http.MethodPost, "/v1/logout", sellerTok, nil); r.status != http.StatusOK {
		t.Fatalf("seller logout = %d", r.status)
	}
	if ev := waitEvent(t, stream, "end"); !strings.Contains(ev, "signed_out") {
		t.Errorf("the seller's stream ended with %s, want signed_out", ev)
	}
	if r := e.call(t, http.MethodGet, "/v1/seller/events?ticket="+url.QueryEscape(sellerTicket), "", nil); r.status != http.StatusUnauthorized {
		t.Errorf("a ticket bought before the logout = %d, want 401", r.status)
	}
}

// An open chat and an open event stream end when their token expires, with
// close code 4001 and an "end" event: nothing is served past the expiry.
func TestConnectionsEndAtTokenExpiry(t *testing.T) {
	// Not t.Parallel: it runs against wall-clock windows (a deadline, a
	// lifetime or a grace period of a second or less), so it runs alone.
	e := newEnv(t)
	o, seller := shopOrder(t, "shop-hangang", "en", demo.DeliveredRecently)
	short, err := e.auth.Mint(tools.RoleBuyer, o.BuyerID, 2*time.Second, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// Through a ticket, as the page opens it: the connection still ends
	// with the token the ticket was bought with, not the ticket.
	ticket := buyTicket(t, e.srv.URL, short, "chat")
	code, ws := dialStatus(t, e.wsURL()+"?ticket="+url.QueryEscape(ticket), nil)
	if code != http.StatusSwitchingProtocols {
		t.Fatalf("dial = %d", code)
	}
	c := &client{t: t, ws: ws}
	c.hello("", 0)
	if code := closeCode(t, ws); code != 4001 {
		t.Errorf("the chat closed with %d at expiry, want 4001 token expired", code)
	}

	sellerShort, err := e.auth.Mint(tools.RoleSeller, seller, 2*time.Second, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	stream := sellerEvents(t, e.srv.URL, sellerShort, "", 0)
	waitEvent(t, stream, "ready")
	if ev := waitEvent(t, stream, "end"); !strings.Contains(ev, "token_expired") {
		t.Errorf("the stream ended with %s, want token_expired", ev)
	}
	for ev := range stream {
		t.Errorf("event %s after the end", ev[0])
	}
}

// closeCode reads ws until it closes and returns the close code (0 when it
// ended without a close frame).
func closeCode(t *testing.T, ws *websocket.Conn) int {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(frameWait))
	for {
		_, _, err := ws.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		t.Logf("read: %v", err)
		return 0
	}
}

// waitEvent returns the data of the next event called name on stream.
func waitEvent(t *testing.T, stream <-chan [2]string, name string) string {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case ev, ok := <-stream:
			if !ok {
				t.Fatalf("the stream ended waiting for %s", name)
			}
			if ev[0] == name {
				return ev[1]
			}
		case <-timeout:
			t.Fatalf("no %s event", name)
		}
	}
}

// The chat websocket admits the configured public origin (scheme and host)
// and the allowed list, whatever Host header the request brings.
func TestChatOriginIsComparedWithThePublicOrigin(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{web: func(o *web.Options) {
		o.PublicOrigin = "https://support.example.com"
		o.AllowedOrigins = []string{"https://shop.example"}
	}})
	tok := e.buyerToken(t, demo.BuyerID(0))
	tests := []struct {
		name, origin, host string
		want               int
	}{
		{"the public origin", "https://support.example.com", "", http.StatusSwitchingProtocols},
		{"the public origin, default port", "https://support.example.com:443", "", http.StatusSwitchingProtocols},
		{"an allowed origin", "https://shop.example", "", http.StatusSwitchingProtocols},
		{"no origin (an app)", "", "", http.StatusSwitchingProtocols},
		{"the public host over http", "http://support.example.com", "", http.StatusForbidden},
		{"a foreign origin naming itself in Host", "http://evil.example", "evil.example", http.StatusForbidden},
		{"the server's own address, not configured", "http://" + strings.TrimPrefix(e.srv.URL, "http://"), "", http.StatusForbidden},
		{"a look-alike", "https://support.example.com.evil.example", "", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{"Authorization": {"Bearer " + tok}}
			if tt.origin != "" {
				h.Set("Origin", tt.origin)
			}
			if tt.host != "" {
				h.Set("Host", tt.host)
			}
			if code, _ := dialStatus(t, e.wsURL(), h); code != tt.want {
				t.Errorf("dial = %d, want %d", code, tt.want)
			}
		})
	}
}
