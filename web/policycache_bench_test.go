package web_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/retrieval"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/prometheus/client_golang/prometheus"
)

// BenchmarkPolicyCacheHit is a whole buyer turn (agent.Run: store the
// message, read the state, look the question up, answer, guardrails, store
// the reply) on a policy question the cache answers, against the same turn
// with the cache off, which the local model answers after a search. It
// reports the p50 and p99 of the whole turn (µs) and of the time to the
// answer's first text (answer-µs), and fails when a "hit" turn was not
// answered from the cache.
func BenchmarkPolicyCacheHit(b *testing.B) {
	pool := pgtest.New(b, demoPoliciesSeed)
	c, err := classifier()
	if err != nil {
		b.Fatal(err)
	}
	g, err := guard()
	if err != nil {
		b.Fatal(err)
	}
	store := tools.NewStore(pool)
	reg, err := tools.NewRegistry(discard(), tools.NewAudit(pool), append(tools.All(store, nil), retrieval.SearchTool(retrieval.NewStore(pool)))...)
	if err != nil {
		b.Fatal(err)
	}
	buyer := demo.BuyerID(0)
	ctx := tools.NewContext(b.Context(), tools.Caller{Role: tools.RoleBuyer, ID: buyer, Locale: "en"})
	const q = "How many days do I have to return an item?"
	for _, cache := range []bool{true, false} {
		name := "hit"
		if !cache {
			name = "cache_off"
		}
		b.Run(name, func(b *testing.B) {
			lm := local.New(c)
			ag := agent.New(agent.Options{
				Logger: discard(), Model: lm, Tools: reg, Store: agent.NewStore(pool), Effects: store,
				Config: agent.Config{PolicyCache: cache}, Confirmations: local.NewConfirmations(c), Summaries: local.Summaries{},
				Metrics: agent.NewMetrics(prometheus.NewRegistry()), Guard: g, Reader: lm,
			})
			var conv agent.Conversation
			turn := func(i int) (agent.Reply, time.Duration, time.Duration) {
				b.Helper()
				// A fresh conversation every 10 turns keeps the window realistic.
				if i%10 == 0 {
					var err error
					if conv, err = agent.NewStore(pool).Open(b.Context(), buyer, "", "en"); err != nil {
						b.Fatal(err)
					}
				}
				start := time.Now()
				var answered time.Duration
				res, err := ag.Run(ctx, agent.Turn{ConversationID: conv.ID, ClientID: fmt.Sprint(name, i), Text: q, Locale: "en"}, func(e agent.Event) error {
					if e.Kind == agent.EventDelta && answered == 0 {
						answered = time.Since(start)
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				return res, answered, time.Since(start)
			}
			turn(0) // stores the answer when the cache is on
			var lat, ans []time.Duration
			i := 1
			for b.Loop() {
				res, a, d := turn(i)
				var u agent.TurnUsage
				if err := json.Unmarshal(res.Assistant.Usage, &u); err != nil {
					b.Fatal(err)
				}
				if cache != (u.Route == agent.RouteCache) {
					b.Fatalf("turn %d took route %q (cache on: %v)", i, u.Route, cache)
				}
				lat, ans = append(lat, d), append(ans, a)
				i++
			}
			for unit, l := range map[string][]time.Duration{"µs": lat, "answer-µs": ans} {
				slices.Sort(l)
				if len(l) > 0 {
					b.ReportMetric(float64(l[len(l)*50/100].Microseconds()), "p50-"+unit)
					b.ReportMetric(float64(l[len(l)*99/100].Microseconds()), "p99-"+unit)
				}
			}
		})
	}
}
