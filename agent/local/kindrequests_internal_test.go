package local

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/agent/local/nlu"
)

// A message that asks a refund of some goods and a dispute about others,
// with no order number or one, is two requests, each with its own words;
// two refunds, a cancellation with its refund, or one request are not.
func TestKindRequestsSplitsARefundAndADispute(t *testing.T) {
	m := newModel(t)
	refundThenDispute := []nlu.Intent{nlu.RefundRequest, nlu.OpenDispute}
	disputeThenRefund := []nlu.Intent{nlu.OpenDispute, nlu.RefundRequest}
	for _, tt := range []struct {
		locale, text string
		want         []nlu.Intent
		// in are words each request's text must hold, in order.
		in []string
	}{
		{"en", "The kettle leaks, please refund it. Also the mug came chipped, open a dispute with the seller.", refundThenDispute, []string{"kettle", "mug"}},
		{"en", "pls open a dispute about the headphones, they dont charge and I want my money back for the hat", disputeThenRefund, []string{"headphones", "hat"}},
		{"ko", "가방은 마음에 안 들어서 환불해 주세요. 그리고 시계는 고장나서 판매자한테 분쟁 신청해 주세요", refundThenDispute, []string{"가방", "시계"}},
		{"es", "el abrigo me queda grande, quiero que me devuelvan el dinero. y la lámpara vino rota, abrid una disputa con el vendedor", refundThenDispute, []string{"abrigo", "lámpara"}},
		{"ru", "за рюкзак верните деньги, он мне не подошёл. а по часам откройте спор с продавцом, они сломаны", refundThenDispute, []string{"рюкзак", "часам"}},
		{"en", "ORD-10042: refund the blender please. And open a dispute for the toaster, it arrived smashed", refundThenDispute, []string{"blender", "toaster"}},
		{"en", "cancel my order and give me my money back", nil, nil},
		{"en", "I want a refund for the jacket. And also for the socks.", nil, nil},
		{"es", "quiero abrir una disputa por el bolso roto", nil, nil},
		{"en", "refund 10041 and open a dispute on 10042", nil, nil}, // two orders: splitRequests
		// One problem and two ways out of it: no second request.
		{"en", "Refund me for the lamp. Otherwise I'll open a dispute with the seller.", nil, nil},
		{"es", "quiero el reembolso de la lámpara. si no, abrid una disputa", nil, nil},
		{"ru", "верните деньги за самовар. иначе открою спор", nil, nil},
		{"ko", "주전자 환불해 주세요. 안 되면 분쟁 열어 주세요", nil, nil},
	} {
		t.Run(tt.text, func(t *testing.T) {
			reqs := m.kindRequests(tt.text, tt.locale)
			if len(reqs) != len(tt.want) {
				t.Fatalf("kindRequests(%q) = %d requests %+v, want %d", tt.text, len(reqs), reqs, len(tt.want))
			}
			for i, rq := range reqs {
				if rq.r.Intent != tt.want[i] {
					t.Errorf("request %d = %s (%q), want %s", i, rq.r.Intent, rq.text, tt.want[i])
				}
				if !containsFold(rq.text, tt.in[i]) {
					t.Errorf("request %d text %q, want it to hold %q", i, rq.text, tt.in[i])
				}
			}
		})
	}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
