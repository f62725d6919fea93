package local

import (
	"strings"
	"testing"
)

// A clause naming two orders without a comma or a joiner between them is
// cut between the orders, whichever side of its request each order is on.
func TestClauseNamingTwoOrdersIsCut(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"10061 취소 10063 텀블러 환불", []string{"10061 취소", "10063 텀블러 환불"}},
		{"ORD-10050 cancel ORD-10051 refund the mug", []string{"ORD-10050 cancel", "ORD-10051 refund the mug"}},
		{"cancel 10027 refund bottle 10028", []string{"cancel 10027", "refund bottle 10028"}},
		{"заказ 10131 отмена заказ 10133 возврат", []string{"заказ 10131 отмена", "заказ 10133 возврат"}},
		{"pedido 10096 cancelar", []string{"pedido 10096 cancelar"}},
	}
	for _, tt := range tests {
		var got []string
		for _, c := range splitAtOrders(tt.text, clauses(tt.text)) {
			got = append(got, strings.TrimSpace(tt.text[c.span[0]:c.span[1]]))
		}
		if len(got) != len(tt.want) {
			t.Errorf("%q: clauses %q, want %q", tt.text, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%q: clauses %q, want %q", tt.text, got, tt.want)
				break
			}
		}
	}
}

// Terse requests by order number, with no comma or "and" between them and
// a bare noun for the money back ("возврат", "reembolso", "환불"), are two
// requests: a cancellation of the first order and a refund of the goods of
// the second, never a refund status lookup.
func TestTerseRequestsByNumber(t *testing.T) {
	m := newModel(t)
	tests := []struct{ locale, text string }{
		{"en", "20051 cancel 20052 refund lantern"},
		{"ko", "20051 취소 20052 담요 환불"},
		{"es", "20051 cancelar 20052 reembolso sandalias"},
		{"ru", "20051 отмена. 20052 возврат шарф"},
	}
	for _, tt := range tests {
		msg := gen(t, m, tt.locale, user(tt.text))
		got := map[string]string{}
		for _, c := range msg.ToolCalls {
			got[orderIDIn(c.Arguments)] = c.Name
		}
		if got["ORD-20051"] != "cancel_order" || (got["ORD-20052"] != "request_refund" && got["ORD-20052"] != "get_order") {
			t.Errorf("%s %q: calls %v, want cancel_order for ORD-20051 and a refund (or its lookup) for ORD-20052", tt.locale, tt.text, got)
		}
	}
}
