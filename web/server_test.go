package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/guardrails"
	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/retrieval"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

var demoSeed = pgtest.Seed{Name: "demo", Run: func(ctx context.Context, pool *pgxpool.Pool) error {
	return demo.Seed(ctx, pool, time.Now())
}}

// demoPoliciesSeed is the demo data with the demo policy documents
// stored and indexed, as `csagent seed --demo` leaves them.
var demoPoliciesSeed = pgtest.Seed{Name: "demo_policies", Run: func(ctx context.Context, pool *pgxpool.Pool) error {
	if err := demo.Seed(ctx, pool, time.Now()); err != nil {
		return err
	}
	docs, errs := retrieval.LoadDir(retrieval.DemoPolicies())
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	st := retrieval.NewStore(pool)
	for _, d := range docs {
		if _, err := st.PutDocument(ctx, d); err != nil {
			return err
		}
	}
	return nil
}}

var testSecret = []byte("test-secret-test-secret-test-secret-0123")

var classifier = sync.OnceValues(nlu.New)

// guard is the guardrails with the built-in rules, as serve wires them.
var guard = sync.OnceValues(func() (*guardrails.Checker, error) { return guardrails.New(guardrails.DefaultConfig()) })

// env is a running server on its own seeded database.
type env struct {
	pool    *pgxpool.Pool
	srv     *httptest.Server
	web     *web.Server
	auth    *web.Auth
	agent   *agent.Agent
	opts    web.Options
	metrics *prometheus.Registry
}

// envOptions vary the server a test runs against.
type envOptions struct {
	// brain, given the local model, returns the model to answer with (the
	// local model when nil).
	brain func(localModel agent.Model) agent.Model
	cfg   agent.Config
	// web changes the server's options before it starts.
	web func(*web.Options)
	// policies stores the demo policy documents and lets the agent search
	// them (search_policy), so replies cite them.
	policies bool
	// tracer, when set, sees every query of the server's pool.
	tracer pgx.QueryTracer
	// experiments, when set, assigns buyers to experiment variants.
	experiments agent.Experiments
	// guard, when set, is the guardrails' Checker instead of the tests'
	// shared one (for a test that reloads its rules).
	guard *guardrails.Checker
}

func newEnv(t *testing.T) *env { return newEnvOpts(t, envOptions{}) }

// newLLMEnv is newEnvWith an LLM brain: a scripted fake OpenAI-compatible
// server (returned, for the test to push replies to) in front of the
// local model, which answers when the fake fails.
func newLLMEnv(t *testing.T, cfg agent.Config) (*fakellm.Server, *env) {
	t.Helper()
	fake := fakellm.New(fakellm.Options{APIKey: "k"})
	up := httptest.NewServer(fake)
	t.Cleanup(up.Close)
	return fake, newEnvWith(t, func(localModel agent.Model) agent.Model {
		return agent.NewChain(discard(), []agent.Model{
			agent.NewOpenAI(agent.OpenAIConfig{BaseURL: up.URL + "/v1", APIKey: "k", Model: "gpt-test", MaxRetries: 1}),
			localModel,
		}, []string{"gpt-test", "local"})
	}, cfg)
}

// newEnvWith is newEnv with another brain and agent configuration.
func newEnvWith(t *testing.T, brain func(localModel agent.Model) agent.Model, cfg agent.Config) *env {
	return newEnvOpts(t, envOptions{brain: brain, cfg: cfg})
}

func newEnvOpts(t *testing.T, o envOptions) *env {
	t.Helper()
	seed := demoSeed
	if o.policies {
		seed = demoPoliciesSeed
	}
	pool := pgtest.New(t, seed)
	if o.tracer != nil {
		cfg := pool.Config()
		cfg.ConnConfig.Tracer = o.tracer
		// The tracer counts what requests cost; registering the vector
		// type is each new connection's cost, and vectors still travel
		// (as text) without it.
		cfg.AfterConnect = nil
		traced, err := pgxpool.NewWithConfig(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(traced.Close)
		pool = traced
	}
	c, err := classifier()
	if err != nil {
		t.Fatalf("nlu.New: %v", err)
	}
	logger := discard()
	store := tools.NewStore(pool)
	all := tools.All(store, nil)
	if o.policies {
		all = append(all, retrieval.SearchTool(retrieval.NewStore(pool)))
	}
	reg, err := tools.NewRegistry(logger, tools.NewAudit(pool), all...)
	if err != nil {
		t.Fatal(err)
	}
	auth, err := web.NewAuth(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	g, err := guard()
	if err != nil {
		t.Fatalf("guardrails.New: %v", err)
	}
	if o.guard != nil {
		g = o.guard
	}
	promReg := prometheus.NewRegistry()
	localModel := local.New(c)
	var model, budgetModel agent.Model = localModel, nil
	if o.brain != nil {
		model, budgetModel = o.brain(localModel), localModel
	}
	ag := agent.New(agent.Options{
		Logger: logger, Model: model, Local: budgetModel, Tools: reg, Store: agent.NewStore(pool), Effects: store, Config: o.cfg,
		Confirmations: local.NewConfirmations(c), Summaries: local.Summaries{}, Metrics: agent.NewMetrics(promReg),
		Guard: g, Reader: localModel, Experiments: o.experiments,
	})
	opts := web.Options{
		Logger: logger, Agent: ag, Auth: auth, Directory: store, Registry: promReg, Pool: pool, Tools: reg,
		Ready: func(ctx context.Context) error { return pool.Ping(ctx) },
	}
	if o.web != nil {
		o.web(&opts)
	}
	e := &env{pool: pool, auth: auth, agent: ag, opts: opts, metrics: promReg}
	e.web, e.srv = e.start(t, opts)
	return e
}

// start runs a server for opts until the test ends.
func (e *env) start(t *testing.T, opts web.Options) (*web.Server, *httptest.Server) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	if opts.PublicOrigin == "" {
		// The pages' own origin, as serve's --public-origin says it.
		opts.PublicOrigin = "http://" + srv.Listener.Addr().String()
	}
	s := web.NewServer(opts)
	srv.Config.Handler = s
	srv.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
		srv.Close()
	})
	return s, srv
}

// replica starts a second server on the same database, as another replica
// behind a load balancer would run; it shares nothing with the first but
// Postgres.
func (e *env) replica(t *testing.T) *env {
	t.Helper()
	opts := e.opts
	opts.Registry = prometheus.NewRegistry()
	r := *e
	r.opts, r.metrics = opts, opts.Registry
	r.web, r.srv = e.start(t, opts)
	return &r
}

func discard() *slog.Logger {
	if os.Getenv("CSAGENT_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

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
	RetryAfter     int             `json:"retry_after"`
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

// frameWait bounds how long a test waits for the next frame: long enough
// that a machine loaded by a parallel CI run (a frame once took over 15 s
// at a load average of 30) never fails a test on time, short enough that
// a frame that never comes fails the test rather than the whole run.
const frameWait = 60 * time.Second

func (c *client) next() frame {
	c.t.Helper()
	c.ws.SetReadDeadline(time.Now().Add(frameWait))
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
	return c.reply()
}

// reply reads until a message that is not the buyer's own (every stored
// message reaches every connection, the buyer's own included) and returns
// it with the frames before it.
func (c *client) reply() (frame, []frame) {
	c.t.Helper()
	var before []frame
	for {
		f, more := c.until("message")
		before = append(before, more...)
		if f.Role != "user" {
			return f, before
		}
		before = append(before, f)
	}
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
