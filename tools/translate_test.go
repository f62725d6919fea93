package tools_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/csagent/csagent/tools"
)

// answer is how fakeLibre answers: with status and body, or with its own
// translation when body is empty, after delay.
type answer struct {
	status int
	body   string
	delay  time.Duration
}

// fakeLibre is a LibreTranslate stand-in that records each request.
type fakeLibre struct {
	answer
	hits atomic.Int32
	last atomic.Value // map[string]any
}

func (f *fakeLibre) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.hits.Add(1)
	if r.Method != http.MethodPost || r.URL.Path != "/translate" || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, `{"error":"bad route"}`, http.StatusNotFound)
		return
	}
	var req map[string]any
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, `{"error":"bad json"}`, http.StatusBadRequest)
		return
	}
	f.last.Store(req)
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-r.Context().Done():
			return
		}
	}
	if f.body == "" {
		json.NewEncoder(w).Encode(map[string]string{"translatedText": "[" + req["target"].(string) + "] " + req["q"].(string)}) //nolint:errcheck
		return
	}
	w.WriteHeader(f.status)
	io.WriteString(w, f.body) //nolint:errcheck
}

func translateRegistry(t *testing.T, tr tools.Translator) *tools.Registry {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	reg, err := tools.NewRegistry(logger, nil, tools.Translate(tr))
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func sellerCtx(ctx context.Context) context.Context {
	return tools.NewContext(ctx, tools.Caller{Role: tools.RoleSeller, ID: "seller-maple", ShopID: "shop-maple"})
}

const english = "Hello, my order arrived with a cracked lantern and I would like to know what I can do about it."

func TestTranslate(t *testing.T) {
	tests := []struct {
		name   string
		fake   answer
		args   string
		code   tools.Code
		source string // sent to the server; "" when no request is wanted
		want   tools.Translation
	}{
		{name: "source detected", args: `{"text":"` + english + `","target":"ko"}`, source: "en",
			want: tools.Translation{Text: "[ko] " + english, Source: "en", Target: "ko", Detected: true}},
		{name: "short text: the server detects", args: `{"text":"Hola","target":"en"}`, source: "auto",
			want: tools.Translation{Text: "[en] Hola", Source: "auto", Target: "en", Detected: true}},
		{name: "source given", args: `{"text":"Спасибо","target":"en","source":"ru"}`, source: "ru",
			want: tools.Translation{Text: "[en] Спасибо", Source: "ru", Target: "en"}},
		{name: "already in the target language", args: `{"text":"` + english + `","target":"en"}`,
			want: tools.Translation{Text: english, Source: "en", Target: "en", Detected: true}},
		{name: "unsupported language", fake: answer{status: 400, body: `{"error":"xx is not supported"}`},
			args: `{"text":"hi","target":"xx"}`, code: tools.CodeInvalidArgument, source: "auto"},
		{name: "other bad request", fake: answer{status: 400, body: `{"error":"Invalid request: missing q parameter"}`},
			args: `{"text":"hi","target":"es"}`, code: tools.CodeUnavailable, source: "auto"},
		{name: "refused key", fake: answer{status: 403, body: `{"error":"Invalid API key"}`},
			args: `{"text":"hi","target":"es"}`, code: tools.CodeUnavailable, source: "auto"},
		{name: "rate limited", fake: answer{status: 429, body: `{"error":"Too many requests"}`},
			args: `{"text":"hi","target":"es"}`, code: tools.CodeUnavailable, source: "auto"},
		{name: "server error", fake: answer{status: 500, body: `oops`},
			args: `{"text":"hi","target":"es"}`, code: tools.CodeUnavailable, source: "auto"},
		{name: "answer without a translation", fake: answer{status: 200, body: `{"detectedLanguage":{}}`},
			args: `{"text":"hi","target":"es"}`, code: tools.CodeUnavailable, source: "auto"},
		{name: "answer that is not JSON", fake: answer{status: 200, body: `<html>`},
			args: `{"text":"hi","target":"es"}`, code: tools.CodeUnavailable, source: "auto"},
		{name: "too slow", fake: answer{delay: 2 * time.Second},
			args: `{"text":"hi","target":"es"}`, code: tools.CodeUnavailable, source: "auto"},
		{name: "empty text", args: `{"text":"  ","target":"es"}`, code: tools.CodeInvalidArgument},
		{name: "text of 4001 characters", args: `{"text":"` + strings.Repeat("가", 4001) + `","target":"en"}`, code: tools.CodeInvalidArgument},
		{name: "NUL in the text", args: `{"text":"a\u0000b","target":"en"}`, code: tools.CodeInvalidArgument},
		{name: "a language name, not a code", args: `{"text":"hi","target":"Korean"}`, code: tools.CodeInvalidArgument},
		{name: "no target", args: `{"text":"hi"}`, code: tools.CodeInvalidArgument},
		{name: "an injected field", args: `{"text":"hi","target":"es","api_key":"stolen"}`, code: tools.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeLibre{answer: tt.fake}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			tr := tools.NewLibreTranslate(srv.URL+"/", "secret-key", &http.Client{Timeout: 300 * time.Millisecond})
			out := translateRegistry(t, tr).Call(sellerCtx(t.Context()), tools.Call{Name: "translate", Arguments: json.RawMessage(tt.args)})
			wantCode(t, "translate "+truncated(tt.args), out, tt.code)
			if hits := fake.hits.Load(); (tt.source != "") != (hits > 0) {
				t.Errorf("server got %d requests, want them: %v", hits, tt.source != "")
			}
			if req, ok := fake.last.Load().(map[string]any); ok {
				if req["source"] != tt.source || req["api_key"] != "secret-key" || req["format"] != "text" {
					t.Errorf("request = %v, want source %q with the key", req, tt.source)
				}
			}
			if tt.code == "" {
				if got := decode[tools.Translation](t, out.Data); got != tt.want {
					t.Errorf("translation = %+v, want %+v", got, tt.want)
				}
			}
			if out.Err != nil && strings.Contains(out.Err.Message, "secret-key") {
				t.Errorf("error message shows the key: %q", out.Err.Message)
			}
		})
	}
}

func truncated(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

func TestTranslateWithoutTranslator(t *testing.T) {
	out := translateRegistry(t, nil).Call(sellerCtx(t.Context()), tools.Call{Name: "translate", Arguments: json.RawMessage(`{"text":"hi","target":"es"}`)})
	wantCode(t, "translate without a translator", out, tools.CodeUnavailable)
	if !strings.Contains(out.Err.Message, "not available") {
		t.Errorf("message %q does not say translation is not available", out.Err.Message)
	}
	// Buyers may ask for translations too; without a translator they get
	// the same clear answer.
	buyerOut := translateRegistry(t, nil).Call(buyer(t.Context(), "buyer-001"), tools.Call{Name: "translate", Arguments: json.RawMessage(`{"text":"hi","target":"es"}`)})
	wantCode(t, "translate by a buyer", buyerOut, tools.CodeUnavailable)
}

func TestLibreTranslateErrors(t *testing.T) {
	tests := []struct {
		name        string
		fake        answer
		unsupported bool
	}{
		{"unsupported target", answer{status: 400, body: `{"error":"zz is not supported"}`}, true},
		{"server error", answer{status: 502, body: `bad gateway`}, false},
		{"huge answer", answer{status: 200, body: `{"translatedText":"` + strings.Repeat("a", 2<<20) + `"}`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(&fakeLibre{answer: tt.fake})
			defer srv.Close()
			_, err := tools.NewLibreTranslate(srv.URL, "", nil).Translate(t.Context(), "hi", "", "zz")
			if err == nil || errors.Is(err, tools.ErrUnsupportedLanguage) != tt.unsupported {
				t.Errorf("Translate = %v, want an error (unsupported: %v)", err, tt.unsupported)
			}
		})
	}
	srv := httptest.NewServer(&fakeLibre{})
	srv.Close()
	if _, err := tools.NewLibreTranslate(srv.URL, "", nil).Translate(t.Context(), "hi", "en", "es"); err == nil {
		t.Error("Translate against a closed server = nil error")
	}
}

func TestDetectLanguage(t *testing.T) {
	tests := []struct {
		text, want string
		reliable   bool
	}{
		{english, "en", true},
		{"주문한 전기 주전자가 아직 도착하지 않았어요. 언제 도착하나요?", "ko", true},
		{"Mi pedido llegó roto y quiero un reembolso, por favor.", "es", true},
		{"Мой заказ пришёл сломанным, я хочу вернуть деньги.", "ru", true},
		{"ok", "", false},
		// Beyond the local model's four: Latin-script languages that its
		// English/Spanish test would call Spanish or English, sure of it,
		// so the translate tool would send French as Spanish and the
		// seller panel would leave a French message untranslated.
		{"Bonjour, ma commande n'est pas arrivée et je voudrais un remboursement, s'il vous plaît.", "fr", true},
		{"Hallo, meine Bestellung ist noch nicht angekommen. Ich möchte mein Geld zurück.", "de", true},
		{"Olá, o meu pedido ainda não chegou e eu gostaria de um reembolso, por favor.", "pt", true},
		{"Ciao, il mio ordine non è ancora arrivato e vorrei un rimborso, per favore.", "it", true},
		{"注文した商品がまだ届きません。返金をお願いします。", "ja", true},
	}
	for _, tt := range tests {
		got, reliable := tools.DetectLanguage(tt.text)
		if reliable != tt.reliable || (tt.reliable && got != tt.want) {
			t.Errorf("DetectLanguage(%q) = %q, %v; want %q, %v", tt.text, got, reliable, tt.want, tt.reliable)
		}
	}
}
