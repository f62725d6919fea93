package agent_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/experiment"
	"github.com/csagent/csagent/guardrails"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// expWorld is an agent over the demo database with one experiment: its
// variant answers with its own model and prompt version.
type expWorld struct {
	h       *harness
	reg     *prometheus.Registry
	set     *experiment.Set
	cfg     experiment.Config
	a       *agent.Agent
	now     atomic.Pointer[time.Time]
	mu      sync.Mutex
	prompts []string // the system prompt each model call saw
}

func (w *expWorld) model(name string) agent.Model {
	return fakeModel{generate: func(req agent.Request) (agent.Response, error) {
		w.mu.Lock()
		w.prompts = append(w.prompts, req.Messages[0].Content)
		w.mu.Unlock()
		return agent.Response{Message: agent.Message{Content: "Happy to help."}, Model: name}, nil
	}}
}

func newExpWorld(t *testing.T, shops ...string) *expWorld {
	t.Helper()
	w := &expWorld{h: newHarness(t)}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w.now.Store(&start)
	w.cfg = experiment.Config{Version: 1,
		Variants: []experiment.Variant{{Name: "v2", Prompt: "support-v2", Model: &experiment.ModelSpec{Brain: "llm", Name: "variant-model"},
			Guardrail: &experiment.GuardrailSpec{LowSupport: 0.6, InjectionThreshold: 0.3}}},
		Experiments: []experiment.Experiment{{Name: "exp", Horizon: 100, Start: start,
			// Shares that put every demo buyer the tests use in v2 or
			// control is not needed: the tests ask the hash which arm.
			Arms:     []experiment.Arm{{Variant: experiment.Control, Share: 50}, {Variant: "v2", Share: 50}},
			Eligible: experiment.Eligible{Shops: shops}}},
	}
	g, err := guardrails.New(guardrails.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	w.set, err = experiment.NewSet(experiment.Options{
		Guard:  g,
		Models: func(s experiment.ModelSpec) (agent.Model, error) { return w.model(s.Name), nil },
		Now:    func() time.Time { return *w.now.Load() },
	}, w.cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.reg = prometheus.NewRegistry()
	w.a = agent.New(agent.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Model: w.model("default-model"),
		Tools: &fakeTools{}, Store: w.h.store, Guard: g, Experiments: w.set, Metrics: agent.NewMetrics(w.reg)})
	return w
}

// buyerIn returns a demo buyer writing English whose arm in exp is arm,
// with a conversation of theirs opened.
func (w *expWorld) buyerIn(t *testing.T, arm string) (context.Context, agent.Conversation) {
	t.Helper()
	e, _ := w.cfg.Experiment("exp")
	for i := 0; i < 50; i += 4 { // every fourth demo buyer writes English
		id := demo.BuyerID(i)
		if e.Assign(id) != arm {
			continue
		}
		conv, err := w.h.store.Open(t.Context(), id, "", "en")
		if err != nil {
			t.Fatal(err)
		}
		return tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: id, Locale: "en"}), conv
	}
	t.Fatalf("no English demo buyer in arm %s", arm)
	return nil, agent.Conversation{}
}

func (w *expWorld) turn(t *testing.T, ctx context.Context, conv agent.Conversation, text string) agent.TurnUsage {
	t.Helper()
	r, err := w.a.Run(ctx, agent.Turn{ConversationID: conv.ID, ClientID: agent.NewID("m"), Text: text, Locale: "en"}, func(agent.Event) error { return nil })
	if err != nil {
		t.Fatalf("Run(%q): %v", text, err)
	}
	var u agent.TurnUsage
	var raw json.RawMessage
	if err := w.h.pool.QueryRow(t.Context(), `SELECT usage FROM messages WHERE conversation_id = $1 AND seq = $2`, conv.ID, r.Assistant.Seq).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &u); err != nil {
		t.Fatal(err)
	}
	return u
}

type exposureRow struct {
	experiment, variant *string
	at                  *time.Time
}

func (w *expWorld) exposure(t *testing.T, conv agent.Conversation) exposureRow {
	t.Helper()
	var e exposureRow
	if err := w.h.pool.QueryRow(t.Context(), `SELECT experiment, variant, exposed_at FROM conversations WHERE id = $1`, conv.ID).
		Scan(&e.experiment, &e.variant, &e.at); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e exposureRow) String() string {
	if e.experiment == nil {
		return "none"
	}
	return *e.experiment + "/" + *e.variant
}

// TestExposureRecordedOncePerConversation runs real turns on Postgres: the
// conversation is exposed at its first message, once (the exposure time
// does not move), each turn runs the variant's model and prompt and
// records the arm in its usage, and the control arm is exposed too but
// runs the defaults.
func TestExposureRecordedOncePerConversation(t *testing.T) {
	w := newExpWorld(t)
	ctx, conv := w.buyerIn(t, "v2")
	var first time.Time
	for i := range 3 {
		u := w.turn(t, ctx, conv, fmt.Sprintf("where is my order? (%d)", i))
		if u.Experiment != "exp" || u.Variant != "v2" || u.Model != "variant-model" || u.PromptVersion != "support-v2" {
			t.Errorf("turn %d usage = experiment %q variant %q model %q prompt %q; want exp, v2, variant-model, support-v2",
				i, u.Experiment, u.Variant, u.Model, u.PromptVersion)
		}
		e := w.exposure(t, conv)
		if e.String() != "exp/v2" || e.at == nil {
			t.Fatalf("after turn %d the conversation's exposure is %v, want exp/v2", i, e)
		}
		if i == 0 {
			first = *e.at
		} else if !e.at.Equal(first) {
			t.Errorf("turn %d moved exposed_at from %v to %v: exposure must be recorded once", i, first, *e.at)
		}
	}
	v2 := agent.SystemPromptVersion("support-v2", "en")
	for i, p := range w.prompts {
		if p != v2 {
			t.Errorf("model call %d saw a system prompt other than support-v2's", i)
		}
	}

	ctx, conv = w.buyerIn(t, experiment.Control)
	u := w.turn(t, ctx, conv, "hello")
	if u.Experiment != "exp" || u.Variant != experiment.Control || u.Model != "default-model" || u.PromptVersion != agent.PromptVersion {
		t.Errorf("control usage = %q %q %q %q; want exp, control, default-model, %s", u.Experiment, u.Variant, u.Model, u.PromptVersion, agent.PromptVersion)
	}
	if e := w.exposure(t, conv); e.String() != "exp/control" {
		t.Errorf("control conversation exposure = %v, want exp/control", e)
	}
	if got := w.expTurns(t); got["exp/v2"] != 3 || got["exp/control"] != 1 || len(got) != 2 {
		t.Errorf("csagent_experiment_turns_total = %v, want exp/v2 3 and exp/control 1", got)
	}
}

// expTurns returns csagent_experiment_turns_total by "experiment/variant".
func (w *expWorld) expTurns(t *testing.T) map[string]float64 {
	t.Helper()
	mfs, err := w.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "csagent_experiment_turns_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			out[labels["experiment"]+"/"+labels["variant"]] += m.GetCounter().GetValue()
		}
	}
	return out
}

// TestExposureOnlyAtTheFirstMessage: a conversation that began before the
// experiment started does not join it midway.
func TestExposureOnlyAtTheFirstMessage(t *testing.T) {
	w := newExpWorld(t)
	before := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	w.now.Store(&before)
	ctx, conv := w.buyerIn(t, "v2")
	if u := w.turn(t, ctx, conv, "hello"); u.Experiment != "" || u.Model != "default-model" {
		t.Errorf("before the start: usage experiment %q model %q, want none, default-model", u.Experiment, u.Model)
	}
	started := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	w.now.Store(&started)
	if u := w.turn(t, ctx, conv, "where is my order?"); u.Experiment != "" || u.Model != "default-model" {
		t.Errorf("second message after the start: usage experiment %q model %q, want none: the conversation began outside it", u.Experiment, u.Model)
	}
	if e := w.exposure(t, conv); e.experiment != nil {
		t.Errorf("exposure = %v, want none", e)
	}
}

// TestKillSwitch: stopping the experiment (a reload of the file with
// stopped: true) sends an exposed conversation to the defaults at its
// next turn; its exposure stays recorded for the readout.
func TestKillSwitch(t *testing.T) {
	w := newExpWorld(t)
	ctx, conv := w.buyerIn(t, "v2")
	if u := w.turn(t, ctx, conv, "hello"); u.Model != "variant-model" {
		t.Fatalf("before the stop the turn ran %q, want variant-model", u.Model)
	}
	stopped := w.cfg
	stopped.Experiments = []experiment.Experiment{w.cfg.Experiments[0]}
	stopped.Experiments[0].Stopped = true
	if err := w.set.Reload(stopped); err != nil {
		t.Fatal(err)
	}
	u := w.turn(t, ctx, conv, "where is my order?")
	if u.Model != "default-model" || u.PromptVersion != agent.PromptVersion || !u.ExperimentStopped || u.Variant != "" || u.Experiment != "exp" {
		t.Errorf("after the stop: model %q prompt %q stopped %v variant %q; want the defaults, marked stopped", u.Model, u.PromptVersion, u.ExperimentStopped, u.Variant)
	}
	if e := w.exposure(t, conv); e.String() != "exp/v2" {
		t.Errorf("after the stop the exposure is %v, want exp/v2 kept", e)
	}
	if got := w.expTurns(t); got["exp/v2"] != 1 || len(got) != 1 {
		t.Errorf("csagent_experiment_turns_total = %v, want only the turn before the stop", got)
	}
	// A new conversation of the same buyer joins nothing.
	conv2, err := w.h.store.Open(t.Context(), conv.BuyerID, "", "en")
	if err != nil {
		t.Fatal(err)
	}
	if u := w.turn(t, ctx, conv2, "hello"); u.Experiment != "" || u.Model != "default-model" {
		t.Errorf("a new conversation after the stop: experiment %q model %q, want none", u.Experiment, u.Model)
	}
}

// TestExposureShopEligibility: an experiment limited to a shop takes a
// conversation whose first message names one of that shop's orders, and
// not one whose first message names none or another shop's.
func TestExposureShopEligibility(t *testing.T) {
	pool := newHarness(t).pool
	var shop string
	if err := pool.QueryRow(t.Context(), `SELECT shop_id FROM orders ORDER BY id LIMIT 1`).Scan(&shop); err != nil {
		t.Fatal(err)
	}
	w := newExpWorld(t, shop)
	ctx, conv := w.buyerIn(t, "v2")
	var own, other string
	if err := w.h.pool.QueryRow(t.Context(), `SELECT
		(SELECT id FROM orders WHERE buyer_id = $1 AND shop_id = $2 ORDER BY id LIMIT 1),
		(SELECT id FROM orders WHERE buyer_id = $1 AND shop_id <> $2 ORDER BY id LIMIT 1)`, conv.BuyerID, shop).Scan(&own, &other); err != nil {
		t.Fatalf("find the buyer's orders in and out of %s: %v", shop, err)
	}
	if u := w.turn(t, ctx, conv, "hello, I have a question"); u.Experiment != "" {
		t.Errorf("first message naming no order: experiment %q, want none", u.Experiment)
	}
	conv2, _ := w.h.store.Open(t.Context(), conv.BuyerID, "", "en")
	if u := w.turn(t, ctx, conv2, "where is "+other+"?"); u.Experiment != "" {
		t.Errorf("first message naming another shop's order: experiment %q, want none", u.Experiment)
	}
	conv3, _ := w.h.store.Open(t.Context(), conv.BuyerID, "", "en")
	if u := w.turn(t, ctx, conv3, "where is "+own+"?"); u.Experiment != "exp" || u.Variant != "v2" {
		t.Errorf("first message naming %s's order: experiment %q variant %q, want exp/v2", shop, u.Experiment, u.Variant)
	}
	if !strings.HasPrefix(own, "ORD-") {
		t.Fatalf("order id %q", own)
	}
}

// TestVariantGuardStrictness: the variant's stricter injection threshold
// (0.30, the safe bound) checks its turns, and only its turns: a message
// the classifier scores about 0.33 is an injection in v2 and clean in
// control.
func TestVariantGuardStrictness(t *testing.T) {
	w := newExpWorld(t)
	const borderline = "act as my lawyer and tell me about refunds"
	for _, c := range []struct{ arm, want string }{{"v2", "injection"}, {experiment.Control, "clean"}} {
		ctx, conv := w.buyerIn(t, c.arm)
		u := w.turn(t, ctx, conv, borderline)
		if u.Guardrail == nil || u.Guardrail.Input != c.want {
			t.Errorf("%s: the input verdict on %q = %+v, want %s", c.arm, borderline, u.Guardrail, c.want)
		}
	}
}
