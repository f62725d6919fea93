package local

import (
	"strings"
	"testing"
)

// A cancellation asked in the imperative the buyer uses, the vosotros one
// of Spain among them ("cancelad el de la lámpara"), with the order named,
// is proposed for that order (its card asks the buyer to confirm), not
// asked back whether the buyer means the policy, in the four languages.
func TestCancelImperativeProposesTheCancellation(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct{ locale, text string }{
		{"en", "ok then just cancel ORD-10042, I'll pick it up myself in March"},
		{"es", "vale, pues entonces cancelad el de la lámpara, ORD-10042, se la llevo yo en persona"},
		{"es", "pues anuladlo, ORD-10042, ya no lo necesito"},
		{"ru", "ладно, тогда отменяйте ORD-10042, сама заберу"},
		{"ko", "그럼 ORD-10042 그냥 취소해 주세요 제가 직접 가져갈게요"},
	} {
		msg := gen(t, m, tt.locale, user(tt.text))
		if len(msg.ToolCalls) != 1 || !strings.Contains(string(msg.ToolCalls[0].Arguments), "ORD-10042") ||
			(msg.ToolCalls[0].Name != "cancel_order" && msg.ToolCalls[0].Name != "get_order") {
			t.Errorf("%q: %s, want ORD-10042 looked up or its cancellation proposed", tt.text, describe(msg))
		}
	}
}
