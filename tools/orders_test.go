package tools_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

var demoSeed = pgtest.Seed{Name: "demo", Run: func(ctx context.Context, pool *pgxpool.Pool) error {
	return demo.Seed(ctx, pool, time.Now())
}}

func newRegistry(t *testing.T) (*tools.Registry, *pgxpool.Pool) {
	t.Helper()
	pool := pgtest.New(t, demoSeed)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	r, err := tools.NewRegistry(logger, tools.NewAudit(pool), tools.GetOrder(tools.NewStore(pool)))
	if err != nil {
		t.Fatal(err)
	}
	return r, pool
}

func TestGetOrderAuthority(t *testing.T) {
	r, pool := newRegistry(t)
	plan := demo.Plan()
	own := plan[0]
	var otherBuyers, otherShop demo.Order
	for _, o := range plan {
		if o.BuyerID != own.BuyerID && otherBuyers.ID == "" {
			otherBuyers = o
		}
		if o.ShopID != own.ShopID && otherShop.ID == "" {
			otherShop = o
		}
	}
	var seller string
	if err := pool.QueryRow(t.Context(), "SELECT id FROM sellers WHERE shop_id = $1", own.ShopID).Scan(&seller); err != nil {
		t.Fatal(err)
	}
	buyer := tools.Caller{Role: tools.RoleBuyer, ID: own.BuyerID}
	shopSeller := tools.Caller{Role: tools.RoleSeller, ID: seller, ShopID: own.ShopID}

	tests := []struct {
		name   string
		caller tools.Caller
		args   string
		code   tools.Code // empty: success
	}{
		{"own order", buyer, `{"order_id":"` + own.ID + `"}`, ""},
		{"own order, lower case", buyer, `{"order_id":"` + strings.ToLower(own.ID) + `"}`, ""},
		{"own order, bare number", buyer, `{"order_id":"` + strings.TrimPrefix(own.ID, "ORD-") + `"}`, ""},
		{"another buyer's order", buyer, `{"order_id":"` + otherBuyers.ID + `"}`, tools.CodeNotFound},
		{"nonexistent order", buyer, `{"order_id":"ORD-99999"}`, tools.CodeNotFound},
		{"malformed id", buyer, `{"order_id":"order 12"}`, tools.CodeInvalidArgument},
		{"SQL metacharacters", buyer, `{"order_id":"ORD-10001' OR '1'='1"}`, tools.CodeInvalidArgument},
		{"missing id", buyer, `{}`, tools.CodeInvalidArgument},
		{"wrong type", buyer, `{"order_id":10001}`, tools.CodeInvalidArgument},
		{"unknown field", buyer, `{"order_id":"` + own.ID + `","buyer_id":"buyer-002"}`, tools.CodeInvalidArgument},
		{"not JSON", buyer, `order please`, tools.CodeInvalidArgument},
		{"two objects", buyer, `{"order_id":"` + own.ID + `"}{}`, tools.CodeInvalidArgument},
		{"oversized", buyer, `{"order_id":"` + strings.Repeat("1", tools.MaxArgumentBytes) + `"}`, tools.CodeInvalidArgument},
		{"seller, own shop", shopSeller, `{"order_id":"` + own.ID + `"}`, ""},
		{"seller, another shop", shopSeller, `{"order_id":"` + otherShop.ID + `"}`, tools.CodeNotFound},
		{"caller without a role", tools.Caller{ID: own.BuyerID}, `{"order_id":"` + own.ID + `"}`, tools.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tools.NewContext(t.Context(), tt.caller)
			out := r.Call(ctx, tools.Call{ID: "c1", Name: "get_order", Arguments: json.RawMessage(tt.args), TurnID: "t1"})
			if tt.code == "" {
				if out.Err != nil {
					t.Fatalf("get_order(%s) = %v, want success", tt.args, out.Err)
				}
				var o tools.Order
				if err := json.Unmarshal(out.Data, &o); err != nil || o.ID != own.ID || len(o.Items) == 0 {
					t.Errorf("get_order(%s) data = %s, want order %s with items", tt.args, out.Data, own.ID)
				}
				return
			}
			if out.Err == nil || out.Err.Code != tt.code {
				t.Fatalf("get_order(%s) = %v, want code %s", tt.args, out.Err, tt.code)
			}
			if out.Data != nil {
				t.Errorf("a failed call returned data %s", out.Data)
			}
			if tt.code == tools.CodeNotFound && strings.Contains(out.Err.Message, "another") {
				t.Errorf("not_found message %q hints that the order exists", out.Err.Message)
			}
		})
	}

	var audited, failed int
	if err := pool.QueryRow(t.Context(), `SELECT count(*), count(error_code) FROM tool_calls WHERE tool = 'get_order'`).Scan(&audited, &failed); err != nil {
		t.Fatal(err)
	}
	if audited != len(tests) || failed != len(tests)-4 {
		t.Errorf("audit log has %d calls (%d failed), want %d (%d failed)", audited, failed, len(tests), len(tests)-4)
	}
}

func TestRegistryRefusesUnknownToolsAndMissingCallers(t *testing.T) {
	r, _ := newRegistry(t)
	buyer := tools.NewContext(t.Context(), tools.Caller{Role: tools.RoleBuyer, ID: demo.BuyerID(0)})
	tests := []struct {
		name string
		ctx  context.Context
		call string
		code tools.Code
	}{
		{"unknown tool", buyer, "drop_tables", tools.CodeInvalidArgument},
		{"no caller", t.Context(), "get_order", tools.CodeUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := r.Call(tt.ctx, tools.Call{Name: tt.call, Arguments: json.RawMessage(`{"order_id":"ORD-10001"}`)})
			if out.Err == nil || out.Err.Code != tt.code {
				t.Errorf("Call(%s) = %v, want %s", tt.call, out.Err, tt.code)
			}
		})
	}
	if specs := r.Specs(tools.RoleBuyer); len(specs) != 1 || specs[0].Name != "get_order" || !json.Valid(specs[0].Parameters) {
		t.Errorf("Specs(buyer) = %+v", specs)
	}
}

func TestNewRegistryRejectsDuplicateNames(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := tools.NewStore(nil)
	if _, err := tools.NewRegistry(logger, nil, tools.GetOrder(s), tools.GetOrder(s)); err == nil {
		t.Error("NewRegistry with two get_order tools = nil error")
	}
}

func TestNormalizeOrderID(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"ORD-10042", "ORD-10042", true},
		{"ord-10042", "ORD-10042", true},
		{"ord10042", "ORD-10042", true},
		{"#10042", "ORD-10042", true},
		{" 10042 ", "ORD-10042", true},
		{"ORD-1004", "", false},
		{"ORD-100420", "", false},
		{"RF-10042", "", false},
		{"10042; DROP TABLE orders", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := tools.NormalizeOrderID(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeOrderID(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMoneyString(t *testing.T) {
	tests := []struct {
		m    tools.Money
		want string
	}{
		{tools.Money{Minor: 4250, Currency: "USD"}, "42.50 USD"},
		{tools.Money{Minor: 5, Currency: "EUR"}, "0.05 EUR"},
		{tools.Money{Minor: 15000, Currency: "KRW"}, "15000 KRW"},
		{tools.Money{Minor: -120, Currency: "RUB"}, "-1.20 RUB"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.m, got, tt.want)
		}
	}
}
