package tools_test

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

func TestShopTools(t *testing.T) {
	e := newEnv(t)
	o := e.pick(demo.PartiallyRefunded)
	foreign := otherShop(o.ShopID)
	seller := e.seller(t.Context(), o.ShopID)
	var email, name string
	e.scan(&email, `SELECT email FROM buyers WHERE id = $1`, o.BuyerID)
	e.scan(&name, `SELECT name FROM buyers WHERE id = $1`, o.BuyerID)

	tests := []struct {
		name, tool, args string
		ctx              bool // true: the buyer, not the seller
		code             tools.Code
	}{
		{"own shop's order", "get_shop_order", `{"order_id":"` + o.ID + `"}`, false, ""},
		{"another shop's order", "get_shop_order", `{"order_id":"` + foreign.ID + `"}`, false, tools.CodeNotFound},
		{"nonexistent order", "get_shop_order", `{"order_id":"ORD-99999"}`, false, tools.CodeNotFound},
		{"malformed id", "get_shop_order", `{"order_id":"ORD-1' --"}`, false, tools.CodeInvalidArgument},
		{"a shop id in the arguments", "get_shop_order", `{"order_id":"` + foreign.ID + `","shop_id":"` + foreign.ShopID + `"}`, false, tools.CodeInvalidArgument},
		{"a buyer", "get_shop_order", `{"order_id":"` + o.ID + `"}`, true, tools.CodeInvalidArgument},
		{"own shop's orders", "list_shop_orders", `{"limit":20}`, false, ""},
		{"own shop's delivered orders", "list_shop_orders", `{"status":"delivered"}`, false, ""},
		{"a buyer lists shop orders", "list_shop_orders", `{}`, true, tools.CodeInvalidArgument},
		{"limit 50", "list_shop_orders", `{"limit":50}`, false, tools.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := seller
			if tt.ctx {
				ctx = buyer(t.Context(), o.BuyerID)
			}
			out := e.call(ctx, tt.tool, tt.args)
			wantCode(t, tt.tool+" "+tt.args, out, tt.code)
			if tt.code != "" {
				return
			}
			if strings.Contains(string(out.Data), email) || strings.Contains(string(out.Data), "@") || strings.Contains(out.Text, "@") {
				t.Errorf("%s shows an email address: %s", tt.tool, out.Data)
			}
			if tt.tool == "get_shop_order" {
				so := decode[tools.ShopOrder](t, out.Data)
				if so.ID != o.ID || so.BuyerName != name || len(so.Items) == 0 || len(so.Refunds) != 1 {
					t.Errorf("shop order = %+v", so)
				}
				return
			}
			l := decode[tools.OrderList](t, out.Data)
			if len(l.Orders) == 0 {
				t.Fatal("no shop orders")
			}
			for _, r := range l.Orders {
				if r.BuyerName == "" || r.ShopName != "" {
					t.Errorf("row %+v, want the buyer's name", r)
				}
				if strings.Contains(tt.args, "delivered") && r.Status != "delivered" {
					t.Errorf("status filter let %s through", r.Status)
				}
			}
			if n := e.count(`SELECT count(*) FROM orders WHERE id = ANY($1) AND shop_id <> $2`, ids(l), o.ShopID); n != 0 {
				t.Errorf("list_shop_orders showed %d orders of other shops", n)
			}
		})
	}
	for _, name := range []string{"get_shop_order", "list_shop_orders"} {
		if hasSpec(e.reg.Specs(tools.RoleBuyer), name) || !hasSpec(e.reg.Specs(tools.RoleSeller), name) {
			t.Errorf("%s is not a seller-only tool", name)
		}
	}
}

func ids(l tools.OrderList) []string {
	out := make([]string, len(l.Orders))
	for i, r := range l.Orders {
		out[i] = r.ID
	}
	return out
}
