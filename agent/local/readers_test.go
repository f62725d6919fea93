package local

import (
	"slices"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// The readers' order is their precedence: a later reader that claims a
// message overrides an earlier one. Moving one, or adding one, is a
// change to review here, with the reason in its doc line in readers.go.
func TestReadersOrder(t *testing.T) {
	want := []string{
		"openRequest",
		"goodsFault",
		"asksRefund",
		"asksItemRefund",
		"asksOrderMoneyBack",
		"asksReturnStarted",
		"asksCancel",
		"followUp",
		"goodsFollowUp",
		"questionAnswer",
		"acceptsOffer",
		"orderFollowUp",
		"ownOrder",
		"asksPolicy",
		"waitsForGoods",
		"asksDescribedOrderRule",
		"readAskedReturn",
		"readReturnCase",
		"policyFollowUp",
		"asksOwnOrderRule",
		"asksCancelMoney",
		"refundsOwnItem",
		"moneyBackOfOrder",
		"asksGoodsMoneyBack",
		"refundAmountAsk",
		"toldOnly",
		"refundOfGoods",
		"ownProblem",
		"asksAdvice",
		"chargedTwice",
		"chargedUnconfirmed",
		"asksEscalation",
		"toldDone",
		"asksOtherStatus",
		"unsureOrder",
	}
	var got []string
	for _, r := range readers {
		got = append(got, r.name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("readers = %q,\nwant %q", got, want)
	}
	// readBy notes the claims in a uint64, one bit per reader.
	if len(readers) > 64 {
		t.Errorf("%d readers, readBy holds 64", len(readers))
	}
}

// Messages that two readers both claim, in the four languages: the later
// reader in the table decides what the message is read as.
func TestReaderPrecedence(t *testing.T) {
	tests := []struct {
		name   string
		locale string
		// before are the turns before the buyer's message, msg.
		before [][]agent.Message
		msg    string
		// claim are the readers that both claim the last message, the
		// winner last.
		claim []string
		want  nlu.Intent
	}{
		{
			// Money back asked of a faulty item, phrased as whether it
			// can be done: the rule is asked, not the refund.
			name: "refund words, rule asked", locale: "ru",
			msg:   "в заказе 3 вещи, одна бракованная. можно вернуть деньги только за неё?",
			claim: []string{"asksRefund", "asksPolicy"},
			want:  nlu.PolicyQuestion,
		},
		{
			name: "cancel words, rule asked", locale: "es",
			msg:   "¿Todavía puedo cancelar mi pedido?",
			claim: []string{"asksCancel", "asksPolicy"},
			want:  nlu.PolicyQuestion,
		},
		{
			name: "cancel words, fee asked", locale: "es",
			msg:   "cancelar el pedido tiene algun costo?",
			claim: []string{"asksCancel", "asksPolicy"},
			want:  nlu.PolicyQuestion,
		},
		{
			// An order named and a rule asked of it: the rule, not the
			// money back the classifier's lookup suggested.
			name: "order money back, own order's rule", locale: "en",
			msg:   "order 20571, got it 2 days ago. who pays shipping back?",
			claim: []string{"asksOrderMoneyBack", "asksOwnOrderRule"},
			want:  nlu.PolicyQuestion,
		},
		{
			// Money back for one item of the order told of, phrased as a
			// question: the buyer's own refund, not the rule.
			name: "rule asked, own item refunded", locale: "ko",
			before: [][]agent.Message{
				served(t, "안녕하십니까. 지난주에 주문번호 10031로 무선 이어폰과 전기 주전자를 구입한 사람입니다.", "get_order", "ORD-10031"),
				served(t, "이어폰은 잘 쓰고 있습니다만, 전기 주전자가 전원이 들어오지 않습니다. 콘센트를 바꿔 보아도 마찬가지입니다.", "get_order", "ORD-10031"),
			},
			msg:   "주전자 값만 환불받을 수 있겠습니까? 얼마가 환불되는지도 알려 주시면 고맙겠습니다.",
			claim: []string{"asksPolicy", "refundsOwnItem"},
			want:  nlu.RefundRequest,
		},
		{
			// The buyer's case told after asking who pays return
			// shipping: a refund the order settles, not the rule again.
			name: "rule asked, return case told", locale: "ko",
			before: [][]agent.Message{served(t, "아 그래요 그럼 반품하면 배송비는 누가내요", "search_policy", "")},
			msg:    "주전자 받은지3일됐는데 뚜껑이안닫혀요 불량이에요",
			claim:  []string{"asksPolicy", "readReturnCase"},
			want:   nlu.RefundRequest,
		},
		{
			// The same case with its order number before it: the number
			// is read as the order (a lone five-digit number beside a
			// count of days), so the rule reader does not claim it at all.
			name: "rule asked, return case told with its order", locale: "ko",
			before: [][]agent.Message{served(t, "아 그래요 그럼 반품하면 배송비는 누가내요", "search_policy", "")},
			msg:    "10055 주전자 받은지3일됐는데 뚜껑이안닫혀요 불량이에요",
			claim:  []string{"readReturnCase"},
			want:   nlu.RefundRequest,
		},
	}
	m := newModel(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var msgs []agent.Message
			for _, turn := range tt.before {
				msgs = append(msgs, turn...)
			}
			msgs = append(msgs, agent.Message{Role: agent.RoleUser, Content: tt.msg})
			d, _ := m.readMessages(agent.Request{Messages: msgs, Locale: tt.locale})
			by := readerNames(d.readBy)
			for _, name := range tt.claim {
				if !slices.Contains(by, name) {
					t.Errorf("readers claiming %q = %q, want %q among them", tt.msg, by, name)
				}
			}
			if d.intent != tt.want {
				t.Errorf("intent of %q = %s, want %s (claimed by %q)", tt.msg, d.intent, tt.want, by)
			}
		})
	}
}

// served returns a turn of the buyer's in which the model served text
// with a call of tool (about order, when it is one) and answered.
func served(t *testing.T, text, tool, order string) []agent.Message {
	t.Helper()
	args := `{"query":"policy"}`
	if order != "" {
		args = `{"order_id":"` + order + `"}`
	}
	return []agent.Message{
		{Role: agent.RoleUser, Content: text},
		{Role: agent.RoleAssistant, ToolCalls: []agent.ToolCall{{ID: "call_1", Name: tool, Arguments: []byte(args)}}},
		{Role: agent.RoleTool, ToolCallID: "call_1", Name: tool, Content: `{"ok":true,"data":{}}`},
		{Role: agent.RoleAssistant, Content: "…"},
	}
}

// A reader that claims a message sets the confidence by its rule: at
// least the threshold, at least minConfidence, or under the threshold.
func TestConfidenceApply(t *testing.T) {
	under := nlu.ActionThreshold - 0.01
	tests := []struct {
		c    confidence
		conf float64
		want float64
		why  string
	}{
		{atLeastAction, 0.2, nlu.ActionThreshold, "raised to the threshold"},
		{atLeastAction, 0.95, 0.95, "kept above it"},
		{atLeastMin, 0.1, minConfidence, "raised to minConfidence"},
		{atLeastMin, 0.9, 0.9, "kept above it"},
		{unsure, 0.1, minConfidence, "raised to minConfidence"},
		{unsure, 0.95, under, "capped under the threshold"},
		{underAction, 0.95, under, "capped under the threshold"},
		{underAction, 0.1, 0.1, "kept under it"},
		{setsItself, 0.3, 0.3, "left to the reader"},
	}
	for _, tt := range tests {
		if got := tt.c.apply(tt.conf); got != tt.want {
			t.Errorf("confidence(%d).apply(%v) = %v, want %v (%s)", tt.c, tt.conf, got, tt.want, tt.why)
		}
	}
}

// The table's mechanics, on readers of its own: a later reader that claims
// the message overrides an earlier one; a reader that does not read a
// carried request is skipped once one is carried; each claim sets the
// confidence by its reader's rule and is noted in readBy.
func TestRunReaders(t *testing.T) {
	claims := func(d *dialogue, in *input) bool { return true }
	declines := func(d *dialogue, in *input) bool { return false }
	carries := func(d *dialogue, in *input) bool {
		d.intent, d.conf, d.carried = nlu.OrderStatus, 1, true
		return true
	}
	tests := []struct {
		name       string
		rs         []reader
		conf       float64
		wantIntent nlu.Intent
		wantConf   float64
		wantBy     uint64
	}{
		{
			name: "the later claim decides",
			rs: []reader{
				{name: "refund", read: claims, intent: nlu.RefundRequest, conf: atLeastAction},
				{name: "policy", read: claims, intent: nlu.PolicyQuestion, conf: atLeastMin},
			},
			conf: 0.3, wantIntent: nlu.PolicyQuestion, wantConf: nlu.ActionThreshold, wantBy: 0b11,
		},
		{
			name: "a declined reading changes nothing",
			rs: []reader{
				{name: "refund", read: claims, intent: nlu.RefundRequest, conf: atLeastAction},
				{name: "policy", read: declines, intent: nlu.PolicyQuestion, conf: atLeastMin},
			},
			conf: 0.3, wantIntent: nlu.RefundRequest, wantConf: nlu.ActionThreshold, wantBy: 0b01,
		},
		{
			name: "a carried request is left to the readers that read one",
			rs: []reader{
				{name: "carry", read: carries, conf: setsItself},
				{name: "refund", read: claims, intent: nlu.RefundRequest, conf: atLeastAction},
				{name: "cap", read: claims, conf: underAction, readsCarried: true},
			},
			conf: 0.3, wantIntent: nlu.OrderStatus, wantConf: nlu.ActionThreshold - 0.01, wantBy: 0b101,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &dialogue{intent: nlu.Greeting, conf: tt.conf}
			d.runReaders(tt.rs, &input{})
			if d.intent != tt.wantIntent || d.conf != tt.wantConf || d.readBy != tt.wantBy {
				t.Errorf("runReaders = %s %v by %b, want %s %v by %b", d.intent, d.conf, d.readBy, tt.wantIntent, tt.wantConf, tt.wantBy)
			}
		})
	}
}
