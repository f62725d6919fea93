package local_test

import (
	"strings"
	"testing"
)

// A question whether an order can still be cancelled once it has gone
// out, in words the shipped state had no cue for ("dispatched", "발송되고
// 나면", "una vez que se envía", "после того как отправят"), gets the
// shipped orders' rule, not an order's status.
func TestCancelRuleAfterDispatch(t *testing.T) {
	p := newPolicyAgent(t)
	for _, q := range []struct {
		locale, text, want string
	}{
		{"en", "Would you be so kind as to tell me whether an order can be cancelled once it has been dispatched?", "no longer be cancelled"},
		{"ko", "주문이 발송되고 나면 취소가 되나요?", "취소할 수 없습니다"},
		{"es", "¿Se puede cancelar un pedido una vez que se envía?", "ya no se puede cancelar"},
		{"ru", "Можно ли отменить заказ после того, как его отправят?", "отменить нельзя"},
	} {
		t.Run(q.locale, func(t *testing.T) {
			reply, searched := p.ask(t, q.locale, q.text)
			if !searched || !strings.Contains(reply, q.want) {
				t.Errorf("%q = %q (policy searched: %v), want the shipped orders' rule %q", q.text, reply, searched, q.want)
			}
		})
	}
}
