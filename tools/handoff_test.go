package tools_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// newConversation stores a conversation of buyerID with shopID and returns
// its id.
func newConversation(e *env, id, buyerID, shopID string) string {
	e.exec(`INSERT INTO conversations (id, buyer_id, shop_id, locale) VALUES ($1, $2, $3, 'en')`, id, buyerID, shopID)
	return id
}

func handoffCall(ctx context.Context, e *env, conv, args string) tools.Outcome {
	return e.reg.Call(ctx, tools.Call{ID: "c1", Name: "handoff_to_human", Arguments: json.RawMessage(args), ConversationID: conv, TurnID: "t1"})
}

func TestHandoffToHuman(t *testing.T) {
	e := newEnv(t)
	o := e.pick(demo.DeliveredRecently)
	other := e.pick(demo.DeliveredRecently)
	conv := newConversation(e, "c_handoff0001", o.BuyerID, o.ShopID)
	foreignConv := newConversation(e, "c_handoff0002", other.BuyerID, other.ShopID)
	ctx := buyer(t.Context(), o.BuyerID)
	args := `{"reason":"limit_reached","summary":"Wants a 4th refund on ` + o.ID + `; the per-order limit stopped it."}`

	// Listen before the handoff, to see it announced.
	listener, err := pgx.Connect(t.Context(), e.pool.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close(context.Background())
	if _, err := listener.Exec(t.Context(), "LISTEN "+tools.HandoffChannel); err != nil {
		t.Fatal(err)
	}

	first := handoffCall(ctx, e, conv, args)
	wantCode(t, "handoff_to_human", first, "")
	h := decode[tools.Handoff](t, first.Data)
	if h.Status != "open" || h.ConversationID != conv || h.Reason != "limit_reached" {
		t.Errorf("handoff = %+v", h)
	}
	var status string
	e.scan(&status, `SELECT status FROM conversations WHERE id = $1`, conv)
	if status != "handoff" {
		t.Errorf("conversation status = %s, want handoff", status)
	}
	nctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if n, err := listener.WaitForNotification(nctx); err != nil || n.Payload != conv {
		t.Errorf("notification = %+v, %v; want the conversation id", n, err)
	}

	again := handoffCall(ctx, e, conv, `{"reason":"customer_request","summary":"Asked again."}`)
	wantCode(t, "handoff_to_human again", again, "")
	if h2 := decode[tools.Handoff](t, again.Data); h2.ID != h.ID {
		t.Errorf("a second handoff made %d beside %d", h2.ID, h.ID)
	}
	if n := e.count(`SELECT count(*) FROM handoffs WHERE conversation_id = $1`, conv); n != 1 {
		t.Errorf("conversation has %d handoffs, want one open", n)
	}

	tests := []struct {
		name, conv, args string
		code             tools.Code
	}{
		{"no conversation", "", args, tools.CodeNotEligible},
		{"another buyer's conversation", foreignConv, args, tools.CodeNotFound},
		{"nonexistent conversation", "c_doesnotexist", args, tools.CodeNotFound},
		{"unknown reason", conv, `{"reason":"bored","summary":"x"}`, tools.CodeInvalidArgument},
		{"empty summary", conv, `{"reason":"other","summary":""}`, tools.CodeInvalidArgument},
		{"summary of 2001 characters", conv, `{"reason":"other","summary":"` + strings.Repeat("a", 2001) + `"}`, tools.CodeInvalidArgument},
		{"a conversation id in the arguments", "", `{"reason":"other","summary":"x","conversation_id":"` + foreignConv + `"}`, tools.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, "handoff_to_human", handoffCall(ctx, e, tt.conv, tt.args), tt.code)
		})
	}
	if n := e.count(`SELECT count(*) FROM handoffs WHERE conversation_id = $1`, foreignConv); n != 0 {
		t.Errorf("another buyer's conversation was handed off")
	}

	// The seller of the conversation's shop works the queue.
	seller := e.seller(t.Context(), o.ShopID)
	sc, _ := tools.CallerFrom(seller)
	store := tools.NewStore(e.pool)
	queue, err := store.Handoffs(t.Context(), sc)
	if err != nil || len(queue) != 1 || queue[0].ID != h.ID {
		t.Fatalf("Handoffs(seller) = %+v, %v; want the one handoff", queue, err)
	}
	otherSeller, _ := tools.CallerFrom(e.seller(t.Context(), otherShop(o.ShopID).ShopID))
	if q, _ := store.Handoffs(t.Context(), otherSeller); len(q) != 0 {
		t.Errorf("another shop's seller sees %+v", q)
	}
	if _, err := store.TakeHandoff(t.Context(), otherSeller, h.ID); err != tools.ErrNotFound {
		t.Errorf("another shop's seller took the handoff: %v", err)
	}
	taken, err := store.TakeHandoff(t.Context(), sc, h.ID)
	if err != nil || taken.Status != "taken" || taken.TakenBy != sc.ID {
		t.Errorf("TakeHandoff = %+v, %v", taken, err)
	}
	e.scan(&status, `SELECT status FROM conversations WHERE id = $1`, conv)
	if status != "agent" {
		t.Errorf("conversation status after take = %s, want agent", status)
	}
	wantCode(t, "handoff_to_human while a person has it", handoffCall(ctx, e, conv, args), tools.CodeConflict)
	if _, err := store.TakeHandoff(t.Context(), sc, h.ID); err != tools.ErrNotFound {
		t.Errorf("taking a taken handoff: %v, want ErrNotFound", err)
	}
	closed, err := store.CloseHandoff(t.Context(), sc, h.ID)
	if err != nil || closed.Status != "closed" {
		t.Errorf("CloseHandoff = %+v, %v", closed, err)
	}
	wantCode(t, "handoff_to_human after the last one closed", handoffCall(ctx, e, conv, args), "")
}

// The schema keeps one open handoff per conversation, whatever writes it.
func TestDatabaseKeepsOneOpenHandoff(t *testing.T) {
	pool := pgtest.New(t, demoSeed)
	ctx := t.Context()
	if _, err := pool.Exec(ctx, `INSERT INTO conversations (id, buyer_id, locale) VALUES ('c_onehandoff1', 'buyer-001', 'en')`); err != nil {
		t.Fatal(err)
	}
	insert := `INSERT INTO handoffs (conversation_id, reason, summary) VALUES ('c_onehandoff1', 'other', 's')`
	if _, err := pool.Exec(ctx, insert); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, insert); err == nil {
		t.Error("a second open handoff was stored")
	}
}

// A handoff goes to the shop whose order its turn is about — the orders
// the turn's tool calls touched and the summary names, of the buyer's own
// — with a summary built from that shop's scope; a handoff about no order,
// several shops' orders or another buyer's goes to platform support, whose
// queue holds every handoff, with no summary for any shop.
func TestHandoffRouting(t *testing.T) {
	e := newEnv(t)
	o := e.pick(demo.DeliveredRecently)
	var other, foreign demo.Order
	for _, p := range demo.Plan() {
		if p.BuyerID == o.BuyerID && p.ShopID != o.ShopID && other.ID == "" {
			other = p
		}
		if p.BuyerID != o.BuyerID && foreign.ID == "" {
			foreign = p
		}
	}
	ctx := buyer(t.Context(), o.BuyerID)
	store := tools.NewStore(e.pool)
	shopSeller, _ := tools.CallerFrom(e.seller(t.Context(), o.ShopID))
	otherSeller, _ := tools.CallerFrom(e.seller(t.Context(), other.ShopID))
	support := tools.Caller{Role: tools.RoleSupport, ID: demo.SupportID}
	const modelWords = "MODEL-SUMMARY"

	tests := []struct {
		name    string
		said    string // the buyer's message of the turn
		touched string // an order the turn's tools looked up
		summary string
		shop    string // the queue, "" for support
	}{
		{"an order the tools looked up", "is it on its way?", o.ID, modelWords, o.ShopID},
		{"an order the summary names", "I want a person", "", modelWords + " about " + o.ID, o.ShopID},
		{"an order the buyer named", "a person please, about " + strings.ToLower(o.ID), "", modelWords, o.ShopID},
		{"no order", "I want a person", "", modelWords, ""},
		{"orders of two shops", "a person for " + o.ID, other.ID, modelWords, ""},
		{"another buyer's order", "a person please", "", modelWords + " about " + foreign.ID, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := fmt.Sprintf("c_routing%05d", i)
			e.exec(`INSERT INTO conversations (id, buyer_id, locale) VALUES ($1, $2, 'en')`, conv, o.BuyerID)
			e.exec(`INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text) VALUES ($1, 1, 't1', 'user', $2, $3)`,
				conv, o.BuyerID, tt.said)
			if tt.touched != "" {
				e.exec(`INSERT INTO tool_calls (conversation_id, turn_id, call_id, actor_role, actor_id, tool, arguments, latency_us)
					VALUES ($1, 't1', 'c0', 'buyer', $2, 'get_order', jsonb_build_object('order_id', $3::text), 1)`, conv, o.BuyerID, tt.touched)
			}
			args, _ := json.Marshal(map[string]string{"reason": "customer_request", "summary": tt.summary})
			out := handoffCall(ctx, e, conv, string(args))
			wantCode(t, "handoff_to_human", out, "")
			h := decode[tools.Handoff](t, out.Data)
			var queue, shopSummary, routed *string
			e.scan(&queue, `SELECT shop_id FROM handoffs WHERE id = $1`, h.ID)
			e.scan(&shopSummary, `SELECT shop_summary FROM handoffs WHERE id = $1`, h.ID)
			e.scan(&routed, `SELECT shop_id FROM conversations WHERE id = $1`, conv)
			if got := deref(queue); got != tt.shop || deref(routed) != tt.shop {
				t.Errorf("handoff queued for %q, conversation routed to %q; want %q", got, deref(routed), tt.shop)
			}
			inQueue := func(c tools.Caller) bool {
				hs, err := store.Handoffs(t.Context(), c)
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range hs {
					if x.ID == h.ID {
						return true
					}
				}
				return false
			}
			if !inQueue(support) {
				t.Error("support's queue lacks the handoff")
			}
			if inQueue(otherSeller) {
				t.Error("the other shop's queue has the handoff")
			}
			if tt.shop == "" {
				if shopSummary != nil || inQueue(shopSeller) {
					t.Errorf("a platform handoff reaches a shop: summary %v", deref(shopSummary))
				}
				if _, err := store.TakeHandoff(t.Context(), shopSeller, h.ID); err != tools.ErrNotFound {
					t.Errorf("a shop took a platform handoff: %v", err)
				}
				if _, err := store.TakeHandoff(t.Context(), support, h.ID); err != nil {
					t.Errorf("support could not take the handoff: %v", err)
				}
				return
			}
			if !inQueue(shopSeller) {
				t.Error("the shop's queue lacks its handoff")
			}
			if s := deref(shopSummary); strings.Contains(s, modelWords) || !strings.Contains(s, o.ID) || !strings.Contains(s, tt.said) {
				t.Errorf("the shop's summary %q, want the order and the buyer's words, not the model's", s)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// The agent's brief is about the buyer's own orders, but it is read from
// what the buyer typed: an order of another buyer, or of another shop,
// that it names never routes the handoff nor reaches the shop's summary,
// which is the brief of that shop's own orders, in the shop's language.
func TestHandoffBriefScope(t *testing.T) {
	e := newEnv(t)
	var o, other, foreign demo.Order
	for _, p := range demo.Plan() {
		if o.ID == "" && p.ShopID == "shop-hangang" && p.Kind == demo.DeliveredRecently {
			o = p
		}
	}
	for _, p := range demo.Plan() {
		if p.BuyerID == o.BuyerID && p.ShopID != o.ShopID && other.ID == "" {
			other = p
		}
		if p.BuyerID != o.BuyerID && p.ShopID == o.ShopID && foreign.ID == "" {
			foreign = p
		}
	}
	ctx := buyer(t.Context(), o.BuyerID)
	tests := []struct {
		name  string
		brief tools.HandoffBrief
		shop  string
		want  []string
		never []string
		// support is what support's summary holds: an order's facts
		// only for the buyer's own orders.
		support string
	}{
		{"own order", tools.HandoffBrief{Orders: []tools.BriefOrder{{ID: o.ID, Problems: []string{"not_received", "site_error"}, Wants: "refund"}}},
			o.ShopID, []string{o.ID, "배송 완료(", "받지 못했습니다", "오류가 발생합니다", "구매자 요청: 환불."}, nil, "Order " + o.ID + ". Delivered on "},
		{"another buyer's order first", tools.HandoffBrief{Orders: []tools.BriefOrder{{ID: foreign.ID, Problems: []string{"damaged"}}, {ID: o.ID, Problems: []string{"not_received"}}}},
			"", nil, nil, "Order " + foreign.ID + ". Problem:"},
		{"another shop's order besides", tools.HandoffBrief{Orders: []tools.BriefOrder{{ID: o.ID, Problems: []string{"not_received"}}, {ID: other.ID, Problems: []string{"damaged"}, Words: []string{"secret of the other shop"}}}},
			o.ShopID, []string{o.ID}, []string{other.ID, "secret of the other shop"}, "Order " + o.ID + ". Delivered on "},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := fmt.Sprintf("c_brief%05d", i)
			e.exec(`INSERT INTO conversations (id, buyer_id, locale) VALUES ($1, $2, 'ko')`, conv, o.BuyerID)
			e.exec(`INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text) VALUES ($1, 1, 't1', 'user', $2, '상담원 연결해 주세요')`,
				conv, o.BuyerID)
			b := tt.brief
			out := e.reg.Call(ctx, tools.Call{ID: "c1", Name: "handoff_to_human", Arguments: json.RawMessage(`{"reason":"customer_request","summary":"MODEL"}`),
				ConversationID: conv, TurnID: "t1", Brief: &b})
			wantCode(t, "handoff_to_human", out, "")
			h := decode[tools.Handoff](t, out.Data)
			var queue, shopSummary *string
			e.scan(&queue, `SELECT shop_id FROM handoffs WHERE id = $1`, h.ID)
			e.scan(&shopSummary, `SELECT shop_summary FROM handoffs WHERE id = $1`, h.ID)
			if deref(queue) != tt.shop {
				t.Fatalf("handoff queued for %q, want %q", deref(queue), tt.shop)
			}
			for _, w := range tt.want {
				if !strings.Contains(deref(shopSummary), w) {
					t.Errorf("shop summary lacks %q: %s", w, deref(shopSummary))
				}
			}
			for _, w := range tt.never {
				if strings.Contains(deref(shopSummary), w) {
					t.Errorf("shop summary has %q: %s", w, deref(shopSummary))
				}
			}
			var summary string
			e.scan(&summary, `SELECT summary FROM handoffs WHERE id = $1`, h.ID)
			if !strings.Contains(summary, "Assistant's note: MODEL") || !strings.Contains(summary, "Order "+tt.brief.Orders[0].ID) || !strings.Contains(summary, tt.support) {
				t.Errorf("support's summary = %q, want the brief in English and the model's note", summary)
			}
			if h.Summary != "MODEL" {
				t.Errorf("the model reads back %q, want its own summary", h.Summary)
			}
		})
	}
}
