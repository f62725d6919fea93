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
	checkKindRequests(t, m, []kindCase{
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
	}, false)
}

// kindCase is a message and the requests kindRequests must read in it.
type kindCase struct {
	locale, text string
	want         []nlu.Intent
	// in are words each request's text must hold, in order; none checks
	// the kinds alone.
	in []string
}

// checkKindRequests reads each case's message into requests and checks
// their kinds, in order, and the words each holds; with reasons, every
// dispute must also carry the fault its text tells.
func checkKindRequests(t *testing.T, m *Model, cases []kindCase, reasons bool) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.text, func(t *testing.T) {
			reqs := m.kindRequests(tt.text, tt.locale)
			if len(reqs) != len(tt.want) {
				t.Fatalf("kindRequests(%q) = %d requests %+v, want %d", tt.text, len(reqs), reqs, len(tt.want))
			}
			for i, rq := range reqs {
				if rq.r.Intent != tt.want[i] {
					t.Errorf("request %d = %s (%q), want %s", i, rq.r.Intent, rq.text, tt.want[i])
				}
				if len(tt.in) > 0 && !containsFold(rq.text, tt.in[i]) {
					t.Errorf("request %d text %q, want it to hold %q", i, rq.text, tt.in[i])
				}
				if reasons && rq.r.Intent == nlu.OpenDispute && toldDisputeReason(rq.r.Slots.Reason, rq.text) == "" {
					t.Errorf("dispute %q has no reason, want the fault it tells", rq.text)
				}
			}
		})
	}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// A refund and a dispute asked in one message are each read with their own
// goods and a dispute reason, however the buyer lays them out: numbered
// with no sentence end between them, the goods told in a sentence before
// the ask ("… on that"), the dispute asked as a question or a need, and
// the fault told in words no reason names ("a dent", "со сколом").
func TestKindRequestsEachWithItsGoodsAndReason(t *testing.T) {
	m := newModel(t)
	refundThenDispute := []nlu.Intent{nlu.RefundRequest, nlu.OpenDispute}
	disputeThenRefund := []nlu.Intent{nlu.OpenDispute, nlu.RefundRequest}
	checkKindRequests(t, m, []kindCase{
		// Numbered requests, no sentence end between them.
		{"en", "hi, 1) refund the blender please, the jug is cracked 2) the toaster looks nothing like the photo, open a dispute with the seller", refundThenDispute, []string{"blender", "toaster"}},
		{"ru", "по заказу две просьбы 1) за рюкзак верните деньги, молния порвана 2) часы совсем не такие как на фото, откройте спор", refundThenDispute, []string{"рюкзак", "часы"}},
		{"es", "dos cosas 1) devolvedme el dinero del abrigo, llegó roto 2) el bolso no se parece nada a la foto, abrid una disputa con el vendedor", refundThenDispute, []string{"abrigo", "bolso"}},
		{"ko", "1) 가방은 환불해 주세요 2) 시계는 사진이랑 너무 달라요 판매자한테 분쟁 걸어 주세요", refundThenDispute, []string{"가방", "시계"}},
		// The goods told before the ask that names none of its own.
		{"en", "the lantern arrived cracked, refund that one. and the kettle has a dent on the side, wrote to the shop twice. and no answer, could you open a dispute on it", refundThenDispute, []string{"lantern", "kettle"}},
		// The dispute asked as a question or a need.
		{"es", "el abrigo vino roto, devolvedme el dinero. Y el bolso llegó con una mancha enorme, ¿podéis abrir una disputa?", refundThenDispute, []string{"abrigo", "bolso"}},
		{"ru", "за рюкзак верните деньги, он порван. а часы пришли со сколом на стекле, можете открыть спор с продавцом?", refundThenDispute, []string{"рюкзак", "часы"}},
		{"ko", "시계는 유리에 흠집이 있어서 판매자한테 따져야 할 것 같아요. 가방은 마음에 안 들어서 환불해 주세요", disputeThenRefund, []string{"시계", "가방"}},
	}, true)
}

// A dispute asked with a fault told in the buyer's own words has that
// fault for its reason; one told with no fault has none, and is asked.
func TestToldDisputeReason(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct {
		locale, text string
		want         string
	}{
		{"en", "the speaker died after two days, open a dispute", nlu.ReasonDamaged},
		{"en", "the frame has a dent in the corner, open a dispute", nlu.ReasonDamaged},
		{"en", "the mug came with a chip and smells of paint, open a dispute", nlu.ReasonNotAsDescribed},
		{"es", "el altavoz se murió a los dos días, abrid una disputa", nlu.ReasonDamaged},
		{"es", "la camiseta vino azul cuando ponía verde, abrid una disputa", nlu.ReasonNotAsDescribed},
		{"ru", "колонка сдохла через два дня, откройте спор", nlu.ReasonDamaged},
		{"ru", "на тарелке скол и пахнет краской, откройте спор", nlu.ReasonNotAsDescribed},
		{"ko", "스피커 전원이 전혀 안 들어와요 분쟁 열어 주세요", nlu.ReasonDamaged},
		{"ko", "컵에서 이상한 냄새가 나요 분쟁 열어 주세요", nlu.ReasonNotAsDescribed},
		{"en", "open a dispute please", ""},
		{"ru", "откройте спор", ""},
	} {
		r := m.parse(tt.text, tt.locale)
		if got := toldDisputeReason(r.Slots.Reason, tt.text); got != tt.want {
			t.Errorf("toldDisputeReason(%q, %q) = %q, want %q", r.Slots.Reason, tt.text, got, tt.want)
		}
	}
}
