package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools/demo"
)

const testSecret = "cmd-test-secret-cmd-test-secret-0123456789"

// testEnv builds a getenv for run from pairs of names and values.
func testEnv(pairs ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return func(k string) string { return m[k] }
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// The whole program, as the README runs it: migrate, seed, mint a token,
// serve, answer a chat turn, shut down cleanly on cancel.
func TestRunServesAChatTurnEndToEnd(t *testing.T) {
	t.Parallel()
	pool, dbURL := pgtest.NewWithURL(t)
	getenv := testEnv("DATABASE_URL", dbURL, "CSAGENT_AUTH_SECRET", testSecret)
	var out, errOut bytes.Buffer

	if err := run(t.Context(), []string{"csagent", "migrate", "status"}, getenv, nil, &out, &errOut); err != nil {
		t.Fatalf("migrate status: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "applied") {
		t.Errorf("migrate status printed %q, want applied migrations", out.String())
	}
	for range 2 { // seeding is idempotent
		out.Reset()
		if err := run(t.Context(), []string{"csagent", "seed", "--demo"}, getenv, nil, &out, &errOut); err != nil {
			t.Fatalf("seed --demo: %v\n%s", err, errOut.String())
		}
	}
	if !strings.Contains(out.String(), "(0 changed)") {
		t.Errorf("second seed printed %q, want no policy document changed", out.String())
	}

	var shipped demo.Order
	for _, o := range demo.Plan() {
		if o.Kind == demo.InTransit {
			shipped = o
			break
		}
	}
	out.Reset()
	if err := run(t.Context(), []string{"csagent", "token", "buyer", shipped.BuyerID}, getenv, nil, &out, &errOut); err != nil {
		t.Fatalf("token: %v", err)
	}
	token := strings.TrimSpace(out.String())

	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	var serveOut, serveErr syncBuffer
	go func() {
		done <- run(ctx, []string{"csagent", "serve", "--addr", addr, "--log-format", "json"}, getenv, nil, &serveOut, &serveErr)
	}()
	waitHealthy(t, "http://"+addr, done)
	if code := get(t, "http://"+addr+"/readyz"); code != http.StatusOK {
		t.Errorf("/readyz = %d, want 200", code)
	}

	ws, _, err := websocket.DefaultDialer.DialContext(t.Context(), "ws://"+addr+"/v1/chat/ws", http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer ws.Close()
	ws.WriteJSON(map[string]any{"type": "hello"})
	ws.WriteJSON(map[string]any{"type": "user_message", "id": "1", "text": "where is my order " + shipped.ID})
	ws.SetReadDeadline(time.Now().Add(60 * time.Second))
	var reply struct{ Type, Role, Text string }
	// The buyer's own message comes back first, with its sequence number.
	for reply.Type != "message" || reply.Role != "assistant" {
		if err := ws.ReadJSON(&reply); err != nil {
			t.Fatalf("read: %v", err)
		}
	}
	var tracking string
	if err := pool.QueryRow(t.Context(), "SELECT tracking_number FROM orders WHERE id = $1", shipped.ID).Scan(&tracking); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(reply.Text, shipped.ID) || !strings.Contains(reply.Text, tracking) {
		t.Errorf("reply = %q, want the shipping status of %s with tracking %s", reply.Text, shipped.ID, tracking)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after cancel, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30s of cancel")
	}
	// The client was told the server is going away.
	ws.SetReadDeadline(time.Now().Add(60 * time.Second))
	_, _, err = ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
		t.Errorf("after shutdown the websocket read %v, want close 1001", err)
	}
	if strings.Contains(serveErr.String(), testSecret) || strings.Contains(serveErr.String(), token) {
		t.Error("the server's logs contain the auth secret or a token")
	}
}

func TestRunRefusesBadConfiguration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		env    []string
		usage  bool
		substr string
	}{
		{"no command", []string{"csagent"}, nil, true, "no command"},
		{"unknown command", []string{"csagent", "fly"}, nil, true, "unknown command"},
		{"serve without a secret", []string{"csagent", "serve"}, []string{"DATABASE_URL", "postgres://x@127.0.0.1:1/x"}, false, "CSAGENT_AUTH_SECRET"},
		{"short secret", []string{"csagent", "token", "buyer", "b"}, []string{"CSAGENT_AUTH_SECRET", "short"}, false, "at least 32"},
		{"token with a bad role", []string{"csagent", "token", "admin", "x"}, []string{"CSAGENT_AUTH_SECRET", testSecret}, true, "buyer, seller or support"},
		{"token without an id", []string{"csagent", "token", "buyer"}, []string{"CSAGENT_AUTH_SECRET", testSecret}, true, "usage"},
		{"seed without --demo", []string{"csagent", "seed"}, nil, true, "--demo"},
		{"migrate with a bad action", []string{"csagent", "migrate", "sideways"}, nil, true, "usage"},
		{"no database", []string{"csagent", "migrate"}, nil, true, "DATABASE_URL"},
		{"bad log level", []string{"csagent", "serve", "--log-level", "loud"}, []string{"CSAGENT_AUTH_SECRET", testSecret}, true, "log-level"},
		{"unknown flag", []string{"csagent", "serve", "--frobnicate"}, nil, false, "frobnicate"},
		{"bad duration in the environment", []string{"csagent", "serve"}, []string{"CSAGENT_TURN_TIMEOUT", "forever"}, true, "CSAGENT_TURN_TIMEOUT"},
		{"bad integer in the environment", []string{"csagent", "serve"}, []string{"CSAGENT_MAX_STEPS", "many"}, true, "CSAGENT_MAX_STEPS"},
		{"bad boolean in the environment", []string{"csagent", "token", "buyer", "b"}, []string{"CSAGENT_DEV", "perhaps"}, true, "CSAGENT_DEV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(t.Context(), tt.args, testEnv(tt.env...), nil, &out, &errOut)
			if err == nil {
				t.Fatalf("run(%q) = nil, want an error", tt.args)
			}
			var u usageError
			if errors.As(err, &u) != tt.usage {
				t.Errorf("run(%q) = %v; usage error %v, want %v", tt.args, err, errors.As(err, &u), tt.usage)
			}
			if !strings.Contains(err.Error()+errOut.String(), tt.substr) {
				t.Errorf("run(%q) = %v (stderr %q), want it to mention %q", tt.args, err, errOut.String(), tt.substr)
			}
		})
	}
}

func TestTokenDevSecretIsGeneratedOnceAndKept(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	getenv := testEnv("CSAGENT_DEV", "1", "CSAGENT_DATA_DIR", dir)
	var first, second bytes.Buffer
	if err := run(t.Context(), []string{"csagent", "token", "buyer", "buyer-001"}, getenv, nil, &first, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(t.Context(), []string{"csagent", "token", "--ttl", "1h", "seller", "seller-maple"}, getenv, nil, &second, io.Discard); err != nil {
		t.Fatal(err)
	}
	c := common{dataDir: dir, dev: true}
	secret, err := c.authSecret(testEnv())
	if err != nil || len(secret) < 32 {
		t.Fatalf("dev secret = %q, %v", secret, err)
	}
	if strings.Count(first.String(), ".") != 2 || strings.Count(second.String(), ".") != 2 {
		t.Errorf("tokens %q and %q are not JWTs", first.String(), second.String())
	}
}

func waitHealthy(t *testing.T, base string, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v", err)
		default:
		}
		if get(t, base+"/healthz") == http.StatusOK {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("server did not become healthy within 30s")
}

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// syncBuffer is a bytes.Buffer safe for the server goroutine to write while
// the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestNLUReadsJSONLines(t *testing.T) {
	t.Parallel()
	in := strings.NewReader(`{"text":"where is my order ORD-10042?","locale":"en"}
{"text":"환불해 주세요 주문번호 10077"}
not json

{"text":""}
{"text":"I want 20 dollars back, it arrived broken"}
`)
	var out bytes.Buffer
	if err := run(t.Context(), []string{"csagent", "nlu"}, testEnv(), in, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("got %d output lines, want 5 (blank lines skipped):\n%s", len(lines), out.String())
	}
	type result struct {
		Intent string  `json:"intent"`
		Conf   float64 `json:"confidence"`
		Locale string  `json:"locale"`
		Error  string  `json:"error"`
		Line   int     `json:"line"`
		Slots  struct {
			OrderID string `json:"order_id"`
			Reason  string `json:"reason"`
			Amount  *struct {
				Minor    int64  `json:"minor"`
				Currency string `json:"currency"`
			} `json:"amount"`
		} `json:"slots"`
	}
	var got []result
	for _, l := range lines {
		var o result
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("output line %q is not JSON: %v", l, err)
		}
		got = append(got, o)
	}
	if got[0].Intent != "order_status" || got[0].Slots.OrderID != "ORD-10042" || got[0].Conf <= 0 {
		t.Errorf("line 1 = %+v, want order_status with ORD-10042", got[0])
	}
	if got[1].Intent != "refund_request" || got[1].Locale != "ko" || got[1].Slots.OrderID != "ORD-10077" {
		t.Errorf("line 2 = %+v, want a Korean refund_request for ORD-10077", got[1])
	}
	if got[2].Error == "" || got[2].Line != 3 || got[3].Error == "" {
		t.Errorf("lines 3 and 5 = %+v, %+v; want errors naming their lines", got[2], got[3])
	}
	if a := got[4].Slots.Amount; a == nil || a.Minor != 2000 || a.Currency != "USD" || got[4].Slots.Reason != "damaged" {
		t.Errorf("line 6 = %+v, want 20.00 USD and reason damaged", got[4])
	}
}

// bench nlu reports the regression set and, from whatever directory it
// runs in, the independent held-out set it carries.
func TestBenchNLUReportsHeldOutScores(t *testing.T) {
	want, err := nlu.LoadCases("../../agent/local/nlu/data/independent")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "nlu.json")
	t.Chdir(t.TempDir())
	var stdout bytes.Buffer
	if err := run(t.Context(), []string{"csagent", "bench", "nlu", "--out", out}, testEnv(), nil, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"en", "ko", "es", "ru", "all"} {
		if !strings.Contains(stdout.String(), l) {
			t.Errorf("table lacks locale %s:\n%s", l, stdout.String())
		}
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		HeldOut map[string]struct {
			N       int     `json:"N"`
			MacroF1 float64 `json:"MacroF1"`
		} `json:"held_out"`
		Independent map[string]struct {
			N int `json:"N"`
		} `json:"independent"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if all := rep.HeldOut["all"]; all.N < 100 || all.MacroF1 <= 0 || all.MacroF1 > 1 {
		t.Errorf("held-out overall = %+v, want a real score over the held-out set", all)
	}
	if n := rep.Independent["all"].N; len(want) < 100 || n != len(want) {
		t.Errorf("bench nlu run outside the repository measured %d independent cases, want all %d of the set", n, len(want))
	}
	if err := run(t.Context(), []string{"csagent", "bench", "warp"}, testEnv(), nil, io.Discard, io.Discard); err == nil {
		t.Error("bench warp = nil, want an unknown benchmark error")
	}
}

// bench nlu reads an independent held-out directory and reports intents,
// order and item references and the out-of-scope safety rate per language.
func TestBenchNLUReportsIndependentHeldOut(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "independent")
	// A rotated-out set next to it is measured too, as a spent one.
	for _, d := range []string{dir, filepath.Join(root, "test2")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "test2", "ru.tsv"), []byte("ru\torder_status\t\t\tгде мой заказ\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lines := "en\torder_status\tORD-10003\t\twhere is ORD-10003\n" +
		"en\trefund_request\tlast\tRechargeable camp lantern\trefund just the lantern from my last order please\n" +
		"en\tout_of_scope\t\t\tdelete my account\n" +
		"ko\tcancel_order\tORD-10011\t\t10011 주문 취소해 주세요\n" +
		// Labelled wrong on purpose: a confusion to report for Spanish.
		"es\tthanks\t\t\t¿dónde está mi pedido?\n"
	if err := os.WriteFile(filepath.Join(dir, "x.tsv"), []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "nlu.json")
	var stdout bytes.Buffer
	if err := run(t.Context(), []string{"csagent", "bench", "nlu", "--heldout", dir, "--out", out}, testEnv(), nil, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"independent held-out set", "order ref", "item ref", "proposed as action", "cross-val", "spent held-out sets", "TEST-2"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Independent map[string]struct {
			N                int     `json:"N"`
			Accuracy         float64 `json:"Accuracy"`
			OrderN           int     `json:"order_n"`
			OrderExact       float64 `json:"order_exact"`
			ItemN            int     `json:"item_n"`
			OutOfScopeN      int     `json:"out_of_scope_n"`
			OutOfScopeUnsafe float64 `json:"out_of_scope_unsafe"`
		} `json:"independent"`
		LocaleConfusions map[string][]string `json:"locale_confusions"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	en, ko := rep.Independent["en"], rep.Independent["ko"]
	if en.N != 3 || ko.N != 1 || rep.Independent["all"].N != 5 {
		t.Errorf("independent counts = en %d, ko %d, all %d; want 3, 1, 5", en.N, ko.N, rep.Independent["all"].N)
	}
	// The confusions are reported per language too.
	if es := rep.LocaleConfusions["es"]; len(es) != 1 || !strings.HasPrefix(es[0], "thanks->") {
		t.Errorf("Spanish confusions = %q, want the one mislabelled line's", es)
	}
	if !strings.Contains(stdout.String(), "es: [thanks->") {
		t.Errorf("output lacks the Spanish confusions:\n%s", stdout.String())
	}
	if en.OrderN != 2 || en.ItemN < 1 || en.OutOfScopeN != 1 {
		t.Errorf("en = %+v, want 2 order references, an item reference and 1 out-of-scope message scored", en)
	}
	if en.Accuracy <= 0 || en.Accuracy > 1 {
		t.Errorf("en accuracy = %v, want a real score", en.Accuracy)
	}
	var spent struct {
		Spent map[string]map[string]struct {
			N int `json:"N"`
		} `json:"spent"`
	}
	if err := json.Unmarshal(b, &spent); err != nil {
		t.Fatal(err)
	}
	if n := spent.Spent["TEST-2"]["ru"].N; n != 1 || len(spent.Spent) != 1 {
		t.Errorf("spent sets = %+v, want TEST-2 alone with 1 ru message", spent.Spent)
	}
}
