package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

// TestTurnScopeSQL checks that the turn's statements stamp its messages
// and route its conversation as the scope functions of
// migrations/00006_scope.sql decide (message_shop, turn_shop), which they
// replace on the hot path. buyer-001's orders: ORD-10001 of shop-maple,
// ORD-10051 of shop-taiga; ORD-10002 is buyer-002's.
func TestTurnScopeSQL(t *testing.T) {
	pool := pgtest.New(t, pgtest.Seed{Name: "demo", Run: func(ctx context.Context, pool *pgxpool.Pool) error {
		return demo.Seed(ctx, pool, time.Now())
	}})
	s := NewStore(pool)
	ctx := t.Context()
	tests := []struct {
		name     string
		handoff  string // the shop the conversation waits for, "" when open
		text     string
		toolArgs string // a get_order call's arguments, "" for none
		// wantUser is the buyer message's shop when stored and after the
		// reply; wantReply the reply's; wantRouted the conversation's.
		wantUser, wantStamped, wantReply, wantRouted string
	}{
		{name: "names one order", text: "where is ORD-10001", wantUser: "shop-maple", wantStamped: "shop-maple", wantReply: "shop-maple", wantRouted: "shop-maple"},
		{name: "the tool finds the order", text: "where is my parcel", toolArgs: `{"order_id":"ORD-10051"}`, wantStamped: "shop-taiga", wantReply: "shop-taiga", wantRouted: "shop-taiga"},
		{name: "two shops, any case", text: "ORD-10001 and ord-10051?", wantUser: "", wantStamped: "", wantReply: "", wantRouted: ""},
		{name: "another buyer's order", text: "where is ORD-10002", wantUser: "", wantStamped: "", wantReply: "", wantRouted: ""},
		{name: "waiting for a shop, names none", handoff: "shop-sol", text: "any news?", wantUser: "shop-sol", wantStamped: "shop-sol", wantReply: "shop-sol", wantRouted: "shop-sol"},
		{name: "waiting for a shop, the tool finds another", handoff: "shop-sol", text: "any news?", toolArgs: `{"order_id":"ORD-10001"}`,
			wantUser: "shop-sol", wantStamped: "shop-maple", wantReply: "shop-maple", wantRouted: "shop-sol"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv, err := s.Open(ctx, "buyer-001", "", "en")
			if err != nil {
				t.Fatal(err)
			}
			if tt.handoff != "" {
				if _, err := pool.Exec(ctx, `UPDATE conversations SET status = 'handoff', shop_id = $2 WHERE id = $1`, conv.ID, tt.handoff); err != nil {
					t.Fatal(err)
				}
			}
			turn := fmt.Sprintf("t%d", i)
			user, _, _, err := s.appendUser(ctx, conv.ID, StoredMessage{TurnID: turn, AuthorID: "buyer-001", Text: tt.text}, stateQuery{window: 10}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var fn string
			if err := pool.QueryRow(ctx, `SELECT coalesce(message_shop($1, $2), '')`, conv.ID, tt.text).Scan(&fn); err != nil {
				t.Fatal(err)
			}
			if user.ShopID != tt.wantUser || user.ShopID != fn {
				t.Errorf("buyer message %q stamped %q, want %q (message_shop: %q)", tt.text, user.ShopID, tt.wantUser, fn)
			}
			var audit []tools.AuditRow
			if tt.toolArgs != "" {
				audit = append(audit, tools.AuditRow{ConversationID: &conv.ID, TurnID: turn, CallID: "c1", Role: "buyer", ActorID: "buyer-001",
					Tool: "get_order", Arguments: json.RawMessage(tt.toolArgs), Result: json.RawMessage(`{"status":"shipped"}`)})
			}
			reply, err := s.appendReply(ctx, conv.ID, StoredMessage{TurnID: turn, AuthorID: "agent", Text: "Here it is."}, audit, 10, nil)
			if err != nil {
				t.Fatal(err)
			}
			var stamped, routed string
			if err := pool.QueryRow(ctx, `SELECT coalesce(turn_shop($1, $2), ''),
				(SELECT coalesce(shop_id, '') FROM messages WHERE conversation_id = $1 AND seq = $3),
				(SELECT coalesce(shop_id, '') FROM conversations WHERE id = $1)`, conv.ID, turn, user.Seq).Scan(&fn, &stamped, &routed); err != nil {
				t.Fatal(err)
			}
			if reply.ShopID != tt.wantReply || reply.ShopID != fn {
				t.Errorf("reply stamped %q, want %q (turn_shop: %q)", reply.ShopID, tt.wantReply, fn)
			}
			if stamped != tt.wantStamped {
				t.Errorf("buyer message after the reply: shop %q, want %q", stamped, tt.wantStamped)
			}
			if routed != tt.wantRouted {
				t.Errorf("conversation routed to %q, want %q", routed, tt.wantRouted)
			}
		})
	}
}
