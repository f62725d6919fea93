package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools/demo"
)

// transcript returns the stored messages of a conversation in order.
func (e *env) transcript(t *testing.T, convID string) []agent.StoredMessage {
	t.Helper()
	msgs, err := e.agent.Store().Messages(t.Context(), convID, 0, 1000)
	if err != nil {
		t.Fatalf("read transcript of %s: %v", convID, err)
	}
	return msgs
}

// series describes every series of the metric name in reg, for failure
// messages.
func series(t testing.TB, reg *prometheus.Registry, name string) string {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			b.WriteString("{")
			for i, lp := range m.GetLabel() {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, "%s=%q", lp.GetName(), lp.GetValue())
			}
			fmt.Fprintf(&b, "}=%v ", m.GetCounter().GetValue()+m.GetGauge().GetValue())
		}
	}
	return b.String()
}

// counted waits until csagent_turns_total{model, fallback} is want and
// fails the test with every series counted if it does not get there.
func counted(t testing.TB, reg *prometheus.Registry, model, fallback string, want float64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for metric(t, reg, "csagent_turns_total", "model", model, "fallback", fallback) != want {
		if time.Now().After(deadline) {
			t.Fatalf("csagent_turns_total{model=%q,fallback=%q} != %v; counted: %s", model, fallback, want, series(t, reg, "csagent_turns_total"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// llmEnv is a server whose brain is the fake LLM at url, falling back to
// the local model, with the turn timeout given.
func llmEnv(t *testing.T, url string, turnTimeout time.Duration) *env {
	t.Helper()
	return newEnvWith(t, func(localModel agent.Model) agent.Model {
		return agent.NewChain(discard(), []agent.Model{
			agent.NewOpenAI(agent.OpenAIConfig{BaseURL: url + "/v1", Model: "gpt-test", MaxRetries: 0, RequestTimeout: 30 * time.Second}),
			localModel,
		}, []string{"gpt-test", "local"})
	}, agent.Config{TurnTimeout: turnTimeout})
}

// Every fault of the upstream, the hang past the whole turn's timeout
// included, ends the same way for the buyer and the operator: a readable
// reply that is also in the transcript, right after the question and
// nothing else, and a turn counted under the model that answered and the
// reason it fell back. A second turn after the fault is answered by the
// LLM again: one bad response does not poison the conversation.
func TestLLMFaultsAreCountedAndTheTranscriptComplete(t *testing.T) {
	// Not t.Parallel: it runs against wall-clock windows (a deadline, a
	// lifetime or a grace period of a second or less), so it runs alone.
	tests := []struct {
		fault fakellm.Fault
		// turnTimeout, when set, is shorter than the LLM's own request
		// timeout, so the turn's deadline is what ends the hang.
		turnTimeout time.Duration
		// model and fallback are the labels the faulty turn is counted
		// under; safe says the reply is the safe fallback text.
		model, fallback string
		safe            bool
	}{
		{fault: fakellm.RateLimited, model: "local", fallback: "fallback_from_gpt-test"},
		{fault: fakellm.ServerError, model: "local", fallback: "fallback_from_gpt-test"},
		{fault: fakellm.BadGateway, model: "local", fallback: "fallback_from_gpt-test"},
		{fault: fakellm.CutStream, model: "local", fallback: "fallback_from_gpt-test"},
		{fault: fakellm.EmptyChoices, model: "local", fallback: "fallback_from_gpt-test"},
		// The model sends the same bad call again after seeing the error:
		// the repeat detector ends the turn before the tool ever runs.
		{fault: fakellm.MalformedToolArgs, model: "gpt-test", fallback: "repeated_call", safe: true},
		{fault: fakellm.UnknownTool, model: "gpt-test", fallback: "repeated_call", safe: true},
		{fault: fakellm.Hang, turnTimeout: 1500 * time.Millisecond, model: "none", fallback: "model_error", safe: true},
	}
	for _, tt := range tests {
		name := tt.fault.String()
		if tt.turnTimeout > 0 {
			name += " past the turn timeout"
		}
		t.Run(name, func(t *testing.T) {
			fake := fakellm.New(fakellm.Options{})
			up := httptest.NewServer(fake)
			t.Cleanup(up.Close)
			e := llmEnv(t, up.URL, tt.turnTimeout)
			buyer, order := buyerWith(t, "es", demo.InTransit)
			for range 4 {
				fake.Push(fakellm.Reply{Fault: tt.fault, Text: "respuesta parcial", ToolCalls: []fakellm.ToolCall{{Name: "get_order", Arguments: `{"order_id":"` + order + `"}`}}})
			}
			c := e.dial(t, buyer)
			ready := c.hello("", 0)
			question := "¿dónde está mi pedido " + order + "?"
			msg, _ := c.ask("1", question)
			if msg.Role != "assistant" || msg.Text == "" {
				t.Fatalf("reply = %+v, want a readable assistant message", msg)
			}
			if safe := msg.Text == agent.Fallback("es"); safe != tt.safe {
				t.Errorf("reply %q: safe reply = %v, want %v", msg.Text, safe, tt.safe)
			}
			// The turn is counted just after its reply is stored, which
			// the buyer may see first.
			counted(t, e.metrics, tt.model, tt.fallback, 1)

			// The next turn reaches the LLM again, which answers it.
			fake.Reset()
			fake.Push(fakellm.Text("Su pedido " + order + " está en camino."))
			next, _ := c.ask("2", "gracias, ¿y cuándo llega?")
			if next.Text != "Su pedido "+order+" está en camino." {
				t.Errorf("after the fault the reply is %q, want the LLM's", next.Text)
			}
			counted(t, e.metrics, "gpt-test", "", 1)

			want := []struct{ role, text string }{
				{"user", question}, {"assistant", msg.Text}, {"user", "gracias, ¿y cuándo llega?"}, {"assistant", next.Text},
			}
			got := e.transcript(t, ready.ConversationID)
			if len(got) != len(want) {
				t.Fatalf("transcript has %d messages (%+v), want %d", len(got), got, len(want))
			}
			for i, w := range want {
				if got[i].Seq != int64(i+1) || got[i].Role != w.role || got[i].Text != w.text {
					t.Errorf("transcript[%d] = seq %d %s %q, want seq %d %s %q", i, got[i].Seq, got[i].Role, got[i].Text, i+1, w.role, w.text)
				}
			}
		})
	}
}

// terminateBackends does to the test's database what a Postgres restart
// does to its clients: every connection but the one asking is cut, the
// pool's idle ones and the hub's listener included. The shared cluster
// itself keeps running for the other tests.
func (e *env) terminateBackends(t *testing.T) int {
	t.Helper()
	var n int
	// The pool may hand this query a connection an earlier termination
	// killed, idle too briefly for the pool to check it: the query fails
	// on it, the pool drops it, and the next one is alive.
	for try := 0; ; try++ {
		err := e.pool.QueryRow(t.Context(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&n)
		var pgErr *pgconn.PgError
		if err == nil {
			return n
		}
		if try == 5 || !(pgconn.SafeToRetry(err) || errors.As(err, &pgErr) && pgErr.Code == "57P01") {
			t.Fatalf("terminate the database's connections: %v", err)
		}
	}
}

// refuseConnections makes the test's database refuse every connection and
// cuts the ones it has, as a database that is down does; the returned
// function lets connections in again (and runs at cleanup in any case).
func (e *env) refuseConnections(t *testing.T) (restore func()) {
	t.Helper()
	var name string
	if err := e.pool.QueryRow(t.Context(), `SELECT current_database()`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	// ALTER DATABASE runs from the cluster's own database: the test's is
	// about to refuse everyone.
	admin, err := pgx.Connect(t.Context(), os.Getenv("DATABASE_URL"))
	if err != nil {
		t.Fatalf("connect to the cluster: %v", err)
	}
	allow := func(on bool) error {
		_, err := admin.Exec(context.Background(), fmt.Sprintf(`ALTER DATABASE %s ALLOW_CONNECTIONS %t`, pgx.Identifier{name}.Sanitize(), on))
		return err
	}
	if err := allow(false); err != nil {
		t.Fatalf("refuse connections to %s: %v", name, err)
	}
	if _, err := admin.Exec(t.Context(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, name); err != nil {
		t.Fatalf("terminate the connections to %s: %v", name, err)
	}
	var once sync.Once
	// restore may run on another goroutine: it reports, never stops the
	// test.
	restore = func() {
		once.Do(func() {
			if err := allow(true); err != nil {
				t.Errorf("let connections to %s in again: %v", name, err)
			}
			admin.Close(context.Background())
		})
	}
	t.Cleanup(restore)
	return restore
}

// outcome is what a buyer saw after sending one frame: the stored echo of
// their message (if any), then either the reply or an error frame.
type outcome struct {
	echo   *frame
	reply  *frame
	err    *frame
	frames []frame
}

// await reads frames until the reply to the buyer's last frame or an error
// frame arrives.
func (c *client) await() outcome {
	c.t.Helper()
	var o outcome
	for {
		f := c.next()
		o.frames = append(o.frames, f)
		switch {
		case f.Type == "error":
			o.err = &f
			return o
		case f.Type == "message" && f.Role == "user":
			o.echo = &f
		case f.Type == "message":
			o.reply = &f
			return o
		}
	}
}

// send sends frame v and, while the answer is a retryable unavailable
// error, sends it again as a client does, up to five times. It returns the
// final outcome and how many unavailable errors came before it; any other
// error fails the test.
func (c *client) sendRetrying(v map[string]any) (outcome, int) {
	c.t.Helper()
	var retries int
	for {
		c.sendJSON(v)
		o := c.await()
		if o.err == nil {
			return o, retries
		}
		if o.err.Code != "unavailable" || retries == 5 {
			c.t.Fatalf("%v answered %+v after %d retries, want a reply or a retryable unavailable error", v, *o.err, retries)
		}
		retries++
		time.Sleep(100 * time.Millisecond)
	}
}

// A Postgres restart under a conversation, before a turn and in the middle
// of one: a turn that cannot be stored fails with a retryable unavailable
// error, the pool reconnects by itself, a retried message or confirmation
// is answered once, every message whose echo the buyer saw is in the
// transcript, and a retried confirmation does not refund twice.
func TestPostgresRestartMidConversation(t *testing.T) {
	// Not t.Parallel: it runs against wall-clock windows (a deadline, a
	// lifetime or a grace period of a second or less), so it runs alone.
	fake := fakellm.New(fakellm.Options{})
	up := httptest.NewServer(fake)
	t.Cleanup(up.Close)
	e := llmEnv(t, up.URL, 0)
	buyer, order := buyerWith(t, "en", demo.DeliveredRecently)
	c := e.dial(t, buyer)
	ready := c.hello("", 0)
	echoed := map[string]bool{} // client ids the buyer saw stored
	note := func(o outcome) {
		if o.echo != nil {
			echoed[o.echo.ID] = true
		}
	}

	// Before a turn: the connections die while the buyer reads the
	// confirmation request.
	fake.Push(fakellm.Call("request_refund", map[string]any{"order_id": order, "reason": "damaged"}),
		fakellm.Text("Please confirm the refund."))
	c.sendJSON(map[string]any{"type": "user_message", "id": "1", "text": "refund " + order + " please, it arrived broken"})
	o := c.await()
	note(o)
	var actionID string
	for _, f := range o.frames {
		if f.Type == "confirm_request" {
			actionID = f.ActionID
		}
	}
	if actionID == "" || o.reply == nil {
		t.Fatalf("frames %+v, want a confirm_request and the reply", o.frames)
	}
	if n := e.terminateBackends(t); n < 2 {
		t.Fatalf("terminated %d connections, want the pool's and the listener's", n)
	}
	fake.Push(fakellm.Text("Your refund is done."))
	confirm := map[string]any{"type": "confirm", "action_id": actionID, "approved": true}
	o, retries := c.sendRetrying(confirm)
	note(o)
	t.Logf("confirm after the restart: %d unavailable errors, then %q", retries, o.reply.Text)
	// The buyer cannot know whether a failed confirm ran: they send it
	// again, and it must not refund twice.
	c.sendJSON(confirm)
	again := c.await()
	if n, _ := e.refunds(t, order); n != 1 {
		t.Fatalf("%d refunds of %s after confirming across a restart (second answer %+v), want 1", n, order, again.frames)
	}

	// Before a message: the buyer writes again at once.
	e.terminateBackends(t)
	fake.Reset()
	fake.Push(fakellm.Text("Glad to help with anything else about it."), fakellm.Text("Glad to help with anything else about it."))
	o, retries = c.sendRetrying(map[string]any{"type": "user_message", "id": "1b", "text": "when will I see the money?"})
	note(o)
	t.Logf("message after the restart: %d unavailable errors, then %q", retries, o.reply.Text)
	if o.reply.Text != "Glad to help with anything else about it." {
		t.Errorf("reply after the restart %q, want the model's", o.reply.Text)
	}

	// During a turn: the buyer has seen their message stored, the model
	// is thinking, and then the connections die.
	fake.Reset()
	fake.Push(fakellm.Reply{Text: "It should arrive on Friday.", Delay: 700 * time.Millisecond})
	c.sendJSON(map[string]any{"type": "user_message", "id": "2", "text": "and when does my other parcel come?"})
	for {
		f := c.next()
		if f.Type == "message" && f.Role == "user" && f.ID == "2" {
			echoed["2"] = true
			break
		}
	}
	eventually(t, "the model to be asked", func() bool { return len(fake.Requests()) == 1 })
	e.terminateBackends(t)
	o = c.await()
	t.Logf("turn cut by the restart: reply %v, error %v", o.reply, o.err)
	if o.err != nil {
		if o.err.Code != "unavailable" {
			t.Fatalf("the cut turn failed with %+v, want a retryable unavailable error", *o.err)
		}
		fake.Push(fakellm.Text("It should arrive on Friday."))
		o, _ = c.sendRetrying(map[string]any{"type": "user_message", "id": "2", "text": "and when does my other parcel come?"})
	}
	if o.reply == nil || o.reply.Text != "It should arrive on Friday." {
		t.Fatalf("the turn cut by the restart ended with %+v, want its reply", o.frames)
	}

	// A restart that takes a while, during a turn: the database refuses
	// every connection for 4 s while the model answers, and the turn's
	// reply is stored once it is back, inside the ten seconds a reply has
	// to be stored.
	fake.Reset()
	fake.Push(fakellm.Reply{Text: "Anything else I can do?", Delay: 200 * time.Millisecond})
	c.sendJSON(map[string]any{"type": "user_message", "id": "2a", "text": "ok, good to know"})
	for {
		if f := c.next(); f.Type == "message" && f.Role == "user" && f.ID == "2a" {
			echoed["2a"] = true
			break
		}
	}
	eventually(t, "the model to be asked", func() bool { return len(fake.Requests()) == 1 })
	back := e.refuseConnections(t)
	go func() {
		time.Sleep(4 * time.Second)
		back()
	}()
	o = c.await()
	if o.reply == nil || o.reply.Text != "Anything else I can do?" {
		t.Fatalf("a turn across a short outage ended with %+v, want its reply", o.frames)
	}

	// An outage that outlasts the turn's retries: the message is refused
	// with a retryable error and nothing is stored, and once the database
	// is back the same message goes through.
	restore := e.refuseConnections(t)
	c.sendJSON(map[string]any{"type": "user_message", "id": "2b", "text": "are you there?"})
	o = c.await()
	if o.err == nil || o.err.Code != "unavailable" || o.echo != nil {
		t.Fatalf("during the outage the buyer got %+v, want only a retryable unavailable error", o.frames)
	}
	restore()
	fake.Reset()
	fake.Push(fakellm.Text("Yes, I'm here."))
	o, _ = c.sendRetrying(map[string]any{"type": "user_message", "id": "2b", "text": "are you there?"})
	note(o)
	if o.reply.Text != "Yes, I'm here." {
		t.Errorf("after the outage the reply is %q, want the model's", o.reply.Text)
	}

	// The server works as before, without a restart.
	fake.Push(fakellm.Text("You're welcome!"))
	o, retries = c.sendRetrying(map[string]any{"type": "user_message", "id": "3", "text": "thanks"})
	note(o)
	if retries != 0 || o.reply.Text != "You're welcome!" {
		t.Errorf("after reconnecting: %d retries, reply %+v; want the reply at once", retries, o.reply)
	}

	// Every acknowledged message is stored once, and each has its reply.
	stored := map[string]int{}
	replies := 0
	for _, m := range e.transcript(t, ready.ConversationID) {
		switch m.Role {
		case "user":
			stored[m.ClientID]++
		case "assistant":
			replies++
		}
	}
	for id := range echoed {
		if stored[id] != 1 {
			t.Errorf("message %s was acknowledged but is stored %d times", id, stored[id])
		}
	}
	if replies < len(stored) {
		t.Errorf("%d user messages but %d replies in the transcript", len(stored), replies)
	}
	eventually(t, "the listener to reconnect", func() bool { return metric(t, e.metrics, "csagent_hub_listening") == 1 })
	if metric(t, e.metrics, "csagent_hub_reconnects_total") < 1 {
		t.Error("the listener's reconnects were not counted")
	}
}
