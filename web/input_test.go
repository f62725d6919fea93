package web_test

import (
	"net/http"
	"testing"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// No route takes a NUL character or bytes that are not UTF-8, in its
// address or its body: each is refused as invalid, never passed to Postgres
// (which cannot store NUL) to fail as unavailable with an invitation to
// retry what fails again.
func TestNoRouteTakesNULOrInvalidUTF8(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	buyer := demo.BuyerID(5)
	conv := e.newConversation(t, e.buyerToken(t, buyer))
	support := e.token(t, tools.RoleSupport, demo.SupportID)
	seller := e.sellerToken(t, "seller-maple")
	notUTF8 := func(s string) []byte { return append([]byte(s[:len(s)-2]), 0xff, '"', '}') }
	tests := []struct {
		name, method, path, token string
		body                      any
	}{
		{"seller: conversation id", "GET", "/v1/seller/conversations/c%00x", seller, nil},
		{"seller: id in a reply", "POST", "/v1/seller/conversations/" + conv + "/messages", support, `{"id":"s\u0000","text":"hello"}`},
		{"seller: reply not UTF-8", "POST", "/v1/seller/conversations/" + conv + "/messages", support, notUTF8(`{"text":"hello"}`)},
		{"seller: event stream's conversation", "GET", "/v1/seller/events?conversation_id=c%00x", seller, nil},
		{"ops: conversation id", "GET", "/v1/ops/conversations/c%00x", support, nil},
		{"ops: a filter", "GET", "/v1/ops/dashboard?shop=a%00b", support, nil},
		{"ops: a filter not UTF-8", "GET", "/v1/ops/dashboard?locale=%ff", support, nil},
		{"ops: flag note", "POST", "/v1/ops/conversations/" + conv + "/flag", support, `{"note":"a\u0000b"}`},
		{"ops: review comment", "POST", "/v1/ops/conversations/" + conv + "/review", support, `{"label":"correct","comment":"a\u0000b"}`},
		{"tickets: purpose", "POST", "/v1/tickets", seller, `{"purpose":"chat\u0000"}`},
		{"pages: policy", "GET", "/policies/refunds%00/en", "", nil},
		{"buyer: new conversation's locale", "POST", "/v1/conversations", e.buyerToken(t, buyer), `{"locale":"e\u0000n"}`},
		{"buyer: rating comment not UTF-8", "POST", "/v1/conversations/" + conv + "/rating", e.buyerToken(t, buyer), notUTF8(`{"comment":"nice"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(t, tt.method, tt.path, tt.token, tt.body, "Accept", "application/json")
			if r.status != http.StatusBadRequest || r.errorCode() != "invalid" {
				t.Errorf("%s %s = %d %s, want 400 invalid", tt.method, tt.path, r.status, r.body)
			}
		})
	}
}

// A backslash followed by "u0000" is text a buyer may write; only the JSON
// escape of NUL is refused.
func TestEscapedBackslashBeforeU0000IsText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.buyerToken(t, demo.BuyerID(6))
	conv := e.newConversation(t, tok)
	r := e.call(t, http.MethodPost, "/v1/conversations/"+conv+"/messages", tok, `{"id":"m1","text":"what is \\u0000?"}`)
	if r.status != http.StatusOK {
		t.Fatalf("a message with a written \\u0000 = %d %s, want 200", r.status, r.body)
	}
}
