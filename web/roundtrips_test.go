package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// What the common requests cost the database, in round trips (statements
// and batches sent), counted, never timed: an authenticated request checks
// its token's version and finds its caller in one; a buyer's decision on a
// refund, a confirm frame or a typed yes, claims the action in one (with
// the confirm frame's message and the turn's reads; a confirm frame reads
// the action first, to word that message), records the outcome in one and
// stores the reply in one, besides what the tool itself costs. A typed yes
// reads the pending action once, with its message.
func TestRoundTrips(t *testing.T) {
	t.Parallel()
	counter := &dbCounter{}
	e := newEnvOpts(t, envOptions{tracer: counter,
		// The dashboard's rollup refresher queries on its own schedule.
		web: func(o *web.Options) { o.OpsRefreshEvery = -1 }})
	// check counts the round trips since counter.start, but a confirmed
	// tool's (its transaction and its audit row), which are its own.
	check := func(what string, max int) {
		t.Helper()
		_, seen := counter.roundTrips()
		var own []string
		for _, s := range seen {
			if !strings.HasPrefix(s, "tool: ") {
				own = append(own, s)
			}
		}
		if len(own) > max {
			t.Errorf("%s took %d round trips, want at most %d:\n%s", what, len(own), max, strings.Join(own, "\n"))
		}
	}

	buyer, _ := buyerWith(t, "en", demo.DeliveredRecently)
	tok := e.buyerToken(t, buyer)
	counter.start()
	if r := e.call(t, http.MethodGet, "/v1/me", tok, nil); r.status != http.StatusOK {
		t.Fatalf("me = %d %s", r.status, r.body)
	}
	// The caller with their token version, then who they are.
	check("GET /v1/me", 2)

	var orders []demo.Order
	for _, o := range demo.Plan() {
		if o.Kind == demo.DeliveredRecently && buyerLocale(o.BuyerID) == "en" && (len(orders) == 0 || orders[0].BuyerID != o.BuyerID) {
			orders = append(orders, o)
		}
	}
	for i, how := range []string{"confirm", "typed yes"} {
		buyer, order := orders[i].BuyerID, orders[i].ID
		c := e.dial(t, buyer)
		c.hello("", 0)
		msg, before := c.ask("r1", "I want a refund for "+order+", it arrived damaged")
		var req frame
		for _, f := range before {
			if f.Type == "confirm_request" {
				req = f
			}
		}
		if req.ActionID == "" {
			t.Fatalf("no confirm_request before %q", msg.Text)
		}
		counter.start()
		if how == "confirm" {
			c.sendJSON(map[string]any{"type": "confirm", "action_id": req.ActionID, "approved": true})
			msg, _ = c.reply()
		} else {
			msg, _ = c.ask("y", "yes")
		}
		if !strings.Contains(msg.Text, "RF-") {
			t.Fatalf("%s answered %q, want the refund", how, msg.Text)
		}
		// The decision (a confirm frame reads the action first), the
		// outcome, the reply.
		check(how, map[string]int{"confirm": 4, "typed yes": 4}[how])
	}
}
