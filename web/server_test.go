package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

var demoSeed = pgtest.Seed{Name: "demo", Run: func(ctx context.Context, pool *pgxpool.Pool) error {
	return demo.Seed(ctx, pool, time.Now())
}}

var testSecret = []byte("test-secret-test-secret-test-secret-0123")

var classifier = sync.OnceValues(nlu.New)

// env is a running server on its own seeded database.
type env struct {
	pool *pgxpool.Pool
	srv  *httptest.Server
	web  *web.Server
	auth *web.Auth
}

func newEnv(t *testing.T) *env { return newEnvWith(t, nil, agent.Config{}) }

// newEnvWith is newEnv with another brain: brain, given the local model,
// returns the model to answer with (the local model when brain is nil).
func newEnvWith(t *testing.T, brain func(localModel agent.Model) agent.Model, cfg agent.Config) *env {
	t.Helper()
	pool := pgtest.New(t, demoSeed)
	c, err := classifier()
	if err != nil {
		t.Fatalf("nlu.New: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	store := tools.NewStore(pool)
	reg, err := tools.NewRegistry(logger, tools.NewAudit(pool), tools.All(store, nil)...)
	if err != nil {
		t.Fatal(err)
	}
	auth, err := web.NewAuth(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	promReg := prometheus.NewRegistry()
	localModel := local.New(c)
	var model, budgetModel agent.Model = localModel, nil
	if brain != nil {
		model, budgetModel = brain(localModel), localModel
	}
	ag := agent.New(agent.Options{
		Logger: logger, Model: model, Local: budgetModel, Tools: reg, Store: agent.NewStore(pool), Config: cfg,
		Confirmations: local.NewConfirmations(c), Summaries: local.Summaries{}, Metrics: agent.NewMetrics(promReg),
	})
	s := web.NewServer(web.Options{
		Logger: logger, Agent: ag, Auth: auth, Directory: store, Registry: promReg,
		Ready: func(ctx context.Context) error { return pool.Ping(ctx) },
	})
	srv := httptest.NewServer(s)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
		srv.Close()
	})
	return &env{pool: pool, srv: srv, web: s, auth: auth}
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func (e *env) token(t *testing.T, role tools.Role, id string) string {
	t.Helper()
	tok, err := e.auth.Mint(role, id, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (e *env) wsURL() string {
	return "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/v1/chat/ws"
}

// client is a chat websocket as a test drives it.
type client struct {
	t  *testing.T
	ws *websocket.Conn
}

// frame is any server frame, decoded loosely for assertions.
type frame struct {
	Type           string          `json:"type"`
	ConversationID string          `json:"conversation_id"`
	Seq            int64           `json:"seq"`
	TurnID         string          `json:"turn_id"`
	Role           string          `json:"role"`
	Text           string          `json:"text"`
	Name           string          `json:"name"`
	Status         string          `json:"status"`
	Code           string          `json:"code"`
	Message        string          `json:"message"`
	ID             string          `json:"id"`
	Citations      json.RawMessage `json:"citations"`
	Guardrail      string          `json:"guardrail"`
	ActionID       string          `json:"action_id"`
	Tool           string          `json:"tool"`
	Summary        string          `json:"summary"`
	Reason         string          `json:"reason"`
}

func (e *env) dial(t *testing.T, buyerID string) *client {
	t.Helper()
	h := http.Header{"Authorization": {"Bearer " + e.token(t, tools.RoleBuyer, buyerID)}}
	ws, resp, err := websocket.DefaultDialer.DialContext(t.Context(), e.wsURL(), h)
	if err != nil {
		t.Fatalf("dial chat as %s: %v (response %v)", buyerID, err, resp)
	}
	t.Cleanup(func() { ws.Close() })
	return &client{t: t, ws: ws}
}

func (c *client) sendJSON(v any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(v); err != nil {
		c.t.Fatalf("write frame: %v", err)
	}
}

func (c *client) sendRaw(mt int, data []byte) {
	c.t.Helper()
	if err := c.ws.WriteMessage(mt, data); err != nil {
		c.t.Fatalf("write frame: %v", err)
	}
}

func (c *client) next() frame {
	c.t.Helper()
	c.ws.SetReadDeadline(time.Now().Add(15 * time.Second))
	var f frame
	if err := c.ws.ReadJSON(&f); err != nil {
		c.t.Fatalf("read frame: %v", err)
	}
	return f
}

// until reads frames until one of type typ arrives and returns it with the
// frames before it.
func (c *client) until(typ string) (frame, []frame) {
	c.t.Helper()
	var before []frame
	for {
		f := c.next()
		if f.Type == typ {
			return f, before
		}
		before = append(before, f)
	}
}

func (c *client) hello(convID string, lastSeq int64) frame {
	c.t.Helper()
	c.sendJSON(map[string]any{"type": "hello", "conversation_id": convID, "last_seq": lastSeq})
	f := c.next()
	if f.Type != "ready" {
		c.t.Fatalf("hello answered with %+v, want ready", f)
	}
	return f
}

// ask sends a user message and returns the reply's message frame and the
// frames that came before it.
func (c *client) ask(id, text string) (frame, []frame) {
	c.t.Helper()
	c.sendJSON(map[string]any{"type": "user_message", "id": id, "text": text})
	return c.until("message")
}

func orderWithKind(t *testing.T, kind demo.Kind) demo.Order {
	t.Helper()
	for _, o := range demo.Plan() {
		if o.Kind == kind {
			return o
		}
	}
	t.Fatalf("demo data has no %v order", kind)
	return demo.Order{}
}
