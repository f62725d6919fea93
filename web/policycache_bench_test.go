package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/gorilla/websocket"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// BenchmarkPolicyCacheHit is a whole buyer turn (agent.Run: store the
// message, read the state, look the question up, answer, guardrails, store
// the reply) on a policy question the cache answers, against the same turn
// with the cache off, which the local model answers after a search. It
// reports the p50 and p99 of the whole turn (µs) and of the time to the
// answer's first text (answer-µs), and fails when a "hit" turn was not
// answered from the cache.
//
// For hit and cache_off the clock runs from the call of agent.Run to the
// agent handing its first delta event to the caller (answer) and to Run's
// return (whole turn): no websocket. hit_websocket is the same hit through
// the server over a real websocket on loopback, timed by the client from
// just before it writes the buyer's user_message frame to its reading the
// first delta frame (answer) and the reply's message frame (whole turn):
// the server's frame read, rate limit, queue and frame write, the client's
// encoding and decoding and the loopback are in it.
//
// Each turn asks the question in its own spelling (letters in upper or
// lower case by the bits of the turn's number): the same normalised
// question, so the same cache key, but a text no earlier turn sent, as a
// new buyer's would be; the local model's memo of parsed messages then
// serves only the earlier messages of the conversation, never the
// newest.
func BenchmarkPolicyCacheHit(b *testing.B) {
	pool := pgtest.New(b, demoPoliciesSeed)
	buyer := demo.BuyerID(0)
	ctx := tools.NewContext(b.Context(), tools.Caller{Role: tools.RoleBuyer, ID: buyer, Locale: "en"})
	const q = "How many days do I have to return an item?"
	report := func(b *testing.B, lat, ans []time.Duration) {
		for unit, l := range map[string][]time.Duration{"µs": lat, "answer-µs": ans} {
			slices.Sort(l)
			if len(l) > 0 {
				b.ReportMetric(float64(l[len(l)*50/100].Microseconds()), "p50-"+unit)
				b.ReportMetric(float64(l[len(l)*99/100].Microseconds()), "p99-"+unit)
			}
		}
	}
	for _, cache := range []bool{true, false} {
		name := "hit"
		if !cache {
			name = "cache_off"
		}
		b.Run(name, func(b *testing.B) {
			ag, _ := cacheAgent(b, pool, cache)
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
				res, err := ag.Run(ctx, agent.Turn{ConversationID: conv.ID, ClientID: fmt.Sprint(name, i), Text: spelling(q, i), Locale: "en"}, func(e agent.Event) error {
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
			turn(1) // finds it in the table: later hits come from memory
			var lat, ans []time.Duration
			i := 2
			cpu := pgtest.StartCPU(b, pool)
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
			cpu.Report(b, len(lat), "turn")
			report(b, lat, ans)
		})
	}
	b.Run("hit_websocket", func(b *testing.B) {
		ag, metrics := cacheAgent(b, pool, true)
		auth, err := web.NewAuth(testSecret)
		if err != nil {
			b.Fatal(err)
		}
		unlimited := 1 << 30
		s := web.NewServer(web.Options{
			Logger: discard(), Agent: ag, Auth: auth, Directory: tools.NewStore(pool), Registry: metrics, Pool: pool,
			Limits: web.Limits{MessagesPerMinute: unlimited, MessageBurst: unlimited, ConversationsPerHour: unlimited,
				ConversationBurst: unlimited, ConnectionsPerBuyer: unlimited},
			Ready: func(ctx context.Context) error { return pool.Ping(ctx) },
		})
		srv := httptest.NewServer(s)
		b.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			s.Shutdown(ctx)
			srv.Close()
		})
		tok, err := auth.Mint(tools.RoleBuyer, buyer, time.Hour, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/chat/ws"
		var ws *websocket.Conn
		read := func() frame {
			b.Helper()
			ws.SetReadDeadline(time.Now().Add(frameWait))
			var f frame
			if err := ws.ReadJSON(&f); err != nil {
				b.Fatalf("read frame: %v", err)
			}
			if f.Type == "error" {
				b.Fatalf("error frame: %+v", f)
			}
			return f
		}
		turn := func(i int) (time.Duration, time.Duration) {
			b.Helper()
			// A fresh conversation (and connection) every 10 turns.
			if i%10 == 0 {
				if ws != nil {
					ws.Close()
				}
				var err error
				if ws, _, err = websocket.DefaultDialer.DialContext(b.Context(), url, http.Header{"Authorization": {"Bearer " + tok}}); err != nil {
					b.Fatal(err)
				}
				if err := ws.WriteJSON(map[string]any{"type": "hello"}); err != nil {
					b.Fatal(err)
				}
				for read().Type != "ready" {
				}
			}
			start := time.Now()
			if err := ws.WriteJSON(map[string]any{"type": "user_message", "id": fmt.Sprint("ws", i), "text": spelling(q, i)}); err != nil {
				b.Fatal(err)
			}
			var answered time.Duration
			for {
				f := read()
				if f.Type == "delta" && answered == 0 {
					answered = time.Since(start)
				}
				if f.Type == "message" && f.Role != "user" {
					return answered, time.Since(start)
				}
			}
		}
		turn(0)
		turn(1)
		hits := metric(b, metrics, "csagent_route_turns_total", "route", agent.RouteCache, "reason", "question")
		var lat, ans []time.Duration
		i := 2
		for b.Loop() {
			a, d := turn(i)
			lat, ans = append(lat, d), append(ans, a)
			i++
		}
		if n := metric(b, metrics, "csagent_route_turns_total", "route", agent.RouteCache, "reason", "question") - hits; int(n) != len(lat) {
			b.Fatalf("%v of %d turns answered from the cache", n, len(lat))
		}
		ws.Close()
		report(b, lat, ans)
	})
}

// spelling is q with its n-th letter in upper case when bit n of i is set
// and in lower case otherwise: a text of its own for each i below 2 to the
// number of letters, which normaliseQuestion reads as q.
func spelling(q string, i int) string {
	var sb strings.Builder
	n := 0
	for _, r := range q {
		if unicode.IsLetter(r) {
			if n < 62 && i>>n&1 == 1 {
				r = unicode.ToUpper(r)
			} else {
				r = unicode.ToLower(r)
			}
			n++
		}
		sb.WriteRune(r)
	}
	return sb.String()
}
