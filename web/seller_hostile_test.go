package web_test

import (
	"net/http"
	"testing"

	"github.com/csagent/csagent/tools/demo"
)

// Malformed requests on the seller's surfaces get invalid with a stable
// code, whatever else the server lacks: a client retries unavailable, and
// a request it must fix would be retried forever. Before, a translation
// request with a bad ?after= on a server without translation answered
// 503 unavailable.
func TestSellerMalformedRequestsAreInvalid(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, seller := shopOrder(t, "shop-maple", "en", demo.InTransit)
	conv := e.startChat(t, o.BuyerID, "Where is my order "+o.ID+"?")
	tok := e.sellerToken(t, seller)
	base := "/v1/seller/conversations/" + conv
	tests := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"translate after a negative seq", http.MethodPost, base + "/translate?after=-1", nil, http.StatusBadRequest, "invalid"},
		{"translate after no number", http.MethodPost, base + "/translate?after=x", nil, http.StatusBadRequest, "invalid"},
		{"translate, well formed, no translator", http.MethodPost, base + "/translate?after=0", nil, http.StatusServiceUnavailable, "unavailable"},
		{"events after a negative seq", http.MethodGet, "/v1/seller/events?conversation_id=" + conv + "&after=-1", nil, http.StatusBadRequest, "invalid"},
		{"a reply with an unknown field", http.MethodPost, base + "/messages", map[string]string{"text": "hi", "role": "assistant"}, http.StatusBadRequest, "invalid"},
		{"a reply with no text", http.MethodPost, base + "/messages", map[string]string{"text": " "}, http.StatusBadRequest, "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(t, tt.method, tt.path, tok, tt.body)
			var out struct {
				Error struct {
					Code string `json:"code"`
				} `json:"error"`
			}
			r.json(t, &out)
			if r.status != tt.status || out.Error.Code != tt.code {
				t.Errorf("%s %s = %d %q, want %d %q", tt.method, tt.path, r.status, out.Error.Code, tt.status, tt.code)
			}
		})
	}
	var n int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM messages WHERE conversation_id = $1 AND role = 'agent'`, conv).Scan(&n); err != nil || n != 0 {
		t.Errorf("refused replies stored %d messages (%v), want none", n, err)
	}
}
