package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/csagent/csagent/tools"
)

// The per-person limits besides the buyer's message rate (limits.go): each
// a token bucket per key (a buyer, a seller, a person) of one replica, in a
// bounded map. Refusals are rate_limited, with Retry-After on HTTP.
const (
	limitConversations = "conversations_per_buyer"
	limitHellos        = "hellos_per_connection"
	limitSellerSends   = "seller_messages"
	limitSuggestions   = "seller_suggestions"
	limitTickets       = "tickets"
)

// rateRule is one limit: a sustained rate and a burst.
type rateRule struct {
	every rate.Limit
	burst int
	// what names what is limited, for the refusal's message.
	what string
	per  string // "a minute" or "an hour"
}

// rates keeps the per-key buckets of several rules.
type rates struct {
	metrics *metrics
	rules   map[string]rateRule
	max     int

	mu   sync.Mutex
	sets map[string]map[string]*bucket
}

func newRates(l Limits, m *metrics) *rates {
	perHour := func(n int) rate.Limit { return rate.Limit(float64(n) / 3600) }
	perMinute := func(n int) rate.Limit { return rate.Limit(float64(n) / 60) }
	return &rates{
		metrics: m,
		max:     l.TrackedBuyers,
		rules: map[string]rateRule{
			limitConversations: {perHour(l.ConversationsPerHour), l.ConversationBurst, "new conversations", "an hour"},
			limitSellerSends:   {perMinute(l.SellerMessagesPerMinute), l.SellerMessagesPerMinute / 2, "replies", "a minute"},
			limitSuggestions:   {perMinute(l.SuggestionsPerMinute), l.SuggestionsPerMinute / 2, "suggestion and translation requests", "a minute"},
			limitTickets:       {perMinute(30), 10, "tickets", "a minute"},
		},
		sets: map[string]map[string]*bucket{},
	}
}

// allow takes one from key's bucket under limit, and reports whether there
// was one. A refusal is counted.
func (r *rates) allow(limit, key string) bool {
	rule := r.rules[limit]
	now := time.Now()
	r.mu.Lock()
	set := r.sets[limit]
	if set == nil {
		set = map[string]*bucket{}
		r.sets[limit] = set
	}
	b := set[key]
	if b == nil {
		if len(set) >= r.max {
			evictBuckets(set, rule, r.max, now)
			r.metrics.limiterEvictions.Inc()
		}
		b = &bucket{lim: rate.NewLimiter(rule.every, max(rule.burst, 1))}
		set[key] = b
	}
	b.seen = now
	ok := b.lim.AllowN(now, 1)
	r.mu.Unlock()
	if !ok {
		r.metrics.limited.WithLabelValues(limit).Inc()
	}
	return ok
}

// evictBuckets makes room in set as limiter.evict does: full buckets first
// (forgetting them changes nothing), then arbitrary ones.
func evictBuckets(set map[string]*bucket, rule rateRule, bound int, now time.Time) {
	refill := time.Duration(float64(max(rule.burst, 1)) / float64(rule.every) * float64(time.Second))
	for k, b := range set {
		if now.Sub(b.seen) >= refill {
			delete(set, k)
		}
	}
	target := bound - max(bound/100, 1)
	for k := range set {
		if len(set) <= target {
			break
		}
		delete(set, k)
	}
}

// retryAfter is how long until limit gives one more, at its rate.
func (r *rates) retryAfter(limit string) time.Duration {
	return time.Duration(float64(time.Second) / float64(r.rules[limit].every))
}

// message says what limit refused, for the person who hit it.
func (r *rates) message(limit string) string {
	rule := r.rules[limit]
	n := float64(rule.every) * 60
	if rule.per == "an hour" {
		n *= 60
	}
	return fmt.Sprintf("too many %s (at most %d %s, %d at once); please wait a moment", rule.what, int(math.Round(n)), rule.per, max(rule.burst, 1))
}

// refuseRate answers 429 rate_limited with Retry-After for limit.
func (s *Server) refuseRate(w http.ResponseWriter, r *http.Request, limit string) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(s.rates.retryAfter(limit).Seconds())))))
	writeError(w, r, codeRateLimited, s.rates.message(limit))
}

// perPerson refuses requests past limit for the caller in the request's
// context, before the handler runs.
func (s *Server) perPerson(limit string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, _ := tools.CallerFrom(r.Context())
			if !s.rates.allow(limit, personKey(c)) {
				s.refuseRate(w, r, limit)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// personKey is the caller's key in the rate limits.
func personKey(c tools.Caller) string { return sessionTopic(c.Role, c.ID) }
