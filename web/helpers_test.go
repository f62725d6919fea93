package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// response is an HTTP answer as a test inspects it.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into v, failing the test if it is not JSON.
func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("response %d %q is not JSON: %v", r.status, r.body, err)
	}
}

// errorCode returns the code of an error body, or "".
func (r response) errorCode() string {
	var b struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	json.Unmarshal(r.body, &b) //nolint:errcheck // not an error body: no code
	return b.Error.Code
}

// call makes a request to the server with token as bearer (none if empty);
// body is sent as JSON unless it is a string or []byte, sent as is.
func (e *env) call(t testing.TB, method, path, token string, body any, header ...string) response {
	t.Helper()
	return callURL(t, e.srv.URL, method, path, token, body, header...)
}

func callURL(t testing.TB, base, method, path, token string, body any, header ...string) response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func (e *env) buyerToken(t testing.TB, id string) string {
	t.Helper()
	tok, err := e.auth.Mint(tools.RoleBuyer, id, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (e *env) sellerToken(t testing.TB, id string) string {
	t.Helper()
	tok, err := e.auth.Mint(tools.RoleSeller, id, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// metric returns the value of the counter or gauge name with labels (name,
// value pairs) in reg, 0 when it has not been set.
func metric(t testing.TB, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			have := map[string]string{}
			for _, lp := range m.GetLabel() {
				have[lp.GetName()] = lp.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue next
				}
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

// eventually polls cond every 20 ms until it holds or a minute passes (a bound for a loaded CI machine, never a speed check).
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// shopOrder returns a demo order of shop in situation kind whose buyer has
// locale, with the seller of that shop.
func shopOrder(t testing.TB, shop, locale string, kind demo.Kind) (order demo.Order, seller string) {
	t.Helper()
	sellers := map[string]string{"shop-maple": "seller-maple", "shop-hangang": "seller-hangang", "shop-sol": "seller-sol", "shop-taiga": "seller-taiga"}
	for _, o := range demo.Plan() {
		if o.ShopID == shop && o.Kind == kind && buyerLocale(o.BuyerID) == locale {
			return o, sellers[shop]
		}
	}
	t.Fatalf("no %s order of a %s buyer in %s", kind, locale, shop)
	return demo.Order{}, ""
}

func buyerLocale(id string) string {
	for i := range demo.Buyers {
		if demo.BuyerID(i) == id {
			return demo.BuyerLocale(i)
		}
	}
	return ""
}

// messages reads frames until n message frames have come and returns
// them; any other frame fails the test unless allowed lists its type.
func (c *client) messages(n int, allowed ...string) []frame {
	c.t.Helper()
	var out []frame
	for len(out) < n {
		f := c.next()
		switch {
		case f.Type == "message":
			out = append(out, f)
		case slices.Contains(allowed, f.Type):
		default:
			c.t.Fatalf("frame %+v while waiting for %d messages (got %d)", f, n, len(out))
		}
	}
	return out
}

// waitStatus reads frames until a status frame says want; earlier status
// frames (the handoff before a take-over, say) are skipped, anything else
// fails the test.
func (c *client) waitStatus(want string) {
	c.t.Helper()
	for {
		f := c.next()
		if f.Type != "status" {
			c.t.Fatalf("frame %+v while waiting for status %s", f, want)
		}
		if f.Status == want {
			return
		}
	}
}

// quiet checks that nothing but the answer to a marker frame arrives: no
// stray or repeated message.
func (c *client) quiet() {
	c.t.Helper()
	c.sendJSON(map[string]any{"type": "marker"})
	if f := c.next(); f.Type != "error" {
		c.t.Errorf("expected nothing more, got %+v", f)
	}
}
