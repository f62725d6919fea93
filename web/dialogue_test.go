package web_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/tools/l10n"
)

// Dialogue state, refusals with the next step, the buyer's words as the
// stored reason, and handoffs, played as buyers would over the chat
// websocket with the local model, the real tools and Postgres (issue 14).
// Each behaviour is tried in the four languages, in the buyers' own
// phrasing rather than the model's templates.

// buyerOrders returns the demo orders of buyer, by kind.
func buyerOrders(buyer string) map[demo.Kind][]string {
	out := map[demo.Kind][]string{}
	for _, o := range demo.Plan() {
		if o.BuyerID == buyer {
			out[o.Kind] = append(out[o.Kind], o.ID)
		}
	}
	return out
}

// active are the kinds of an order not yet delivered or cancelled.
var active = []demo.Kind{demo.Pending, demo.Paid, demo.InTransit, demo.Overdue}

// activeOrders returns buyer's orders on their way (or still to pay).
func activeOrders(buyer string) []string {
	var ids []string
	for _, o := range demo.Plan() {
		if o.BuyerID == buyer && slices.Contains(active, o.Kind) {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

// buyersWhere returns n demo buyers whose orders satisfy ok, in order.
func buyersWhere(t *testing.T, n int, ok func(buyer string) bool) []string {
	t.Helper()
	var out []string
	for i := range demo.Buyers {
		if b := demo.BuyerID(i); ok(b) {
			out = append(out, b)
		}
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("only %d demo buyers fit, want %d", len(out), n)
	return nil
}

// turn sends text and returns the reply and the confirmation cards shown
// before it.
func (c *client) turn(id, text string) (frame, []frame) {
	c.t.Helper()
	msg, before := c.ask(id, text)
	var cards []frame
	for _, f := range before {
		if f.Type == "confirm_request" {
			cards = append(cards, f)
		}
	}
	return msg, cards
}

func (e *env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(t.Context(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// The one order a request can be about is used without asking, and the
// reply names it: "where is my order?" from a buyer with one order on its
// way. A buyer with two gets those two to pick from, not a bare "which
// order?" and not their delivered or cancelled orders.
func TestOneObviousOrderIsUsedAndNamed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	one := buyersWhere(t, 4, func(b string) bool { return len(activeOrders(b)) == 1 })
	two := buyersWhere(t, 4, func(b string) bool { return len(activeOrders(b)) == 2 })
	asks := map[string]string{
		"en": "hey, any news on my package?",
		"ko": "제가 주문한 거 지금 어디쯤 있어요?",
		"es": "hola, ¿por dónde va mi pedido?",
		"ru": "подскажите, где сейчас мой заказ?",
	}
	for i, locale := range []string{"en", "ko", "es", "ru"} {
		t.Run(locale, func(t *testing.T) {
			buyer, want := one[i], activeOrders(one[i])[0]
			c := e.dial(t, buyer)
			c.hello("", 0)
			msg, _ := c.turn("1", asks[locale])
			if !strings.Contains(msg.Text, want) {
				t.Errorf("%s with one order on its way (%s): reply %q does not name it", buyer, want, msg.Text)
			}
			if strings.Contains(msg.Text, "ORD-10042") {
				t.Errorf("reply %q asks for an order number", msg.Text)
			}

			buyer = two[i]
			c = e.dial(t, buyer)
			c.hello("", 0)
			msg, _ = c.turn("1", asks[locale])
			got := regexp.MustCompile(`ORD-\d{5}`).FindAllString(msg.Text, -1)
			slices.Sort(got)
			if want := activeOrders(buyer); !slices.Equal(got, want) {
				t.Errorf("%s with two orders on their way: reply %q lists %v, want exactly %v", buyer, msg.Text, got, want)
			}
		})
	}
}

// "and ORD-…?" asks the same about another order; "the other one" is the
// order discussed besides the last one, not the last one again; "the
// second" right after a list is the second order listed.
func TestFollowUpsResolveAgainstTheOrdersDiscussed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	two := buyersWhere(t, 4, func(b string) bool { return len(activeOrders(b)) == 2 })
	type say struct{ first, and, other, list, second string }
	says := map[string]say{
		"en": {"what's going on with %s?", "and %s?", "ok and the other one?", "has my order shipped yet?", "what about the second one"},
		"ko": {"%s 주문 상태 좀 알려주세요", "%s는요?", "그럼 다른 거는요?", "제 주문 어디쯤 왔어요?", "두 번째 거요"},
		"es": {"¿cómo va el pedido %s?", "¿y el %s?", "vale, ¿y el otro?", "¿dónde está mi pedido?", "el segundo"},
		"ru": {"что с заказом %s?", "а %s?", "а другой?", "где мой заказ?", "второй"},
	}
	for i, locale := range []string{"en", "ko", "es", "ru"} {
		t.Run(locale, func(t *testing.T) {
			s := says[locale]
			buyer := two[i]
			ids := activeOrders(buyer)
			a, b := ids[0], ids[1]
			c := e.dial(t, buyer)
			c.hello("", 0)
			msg, _ := c.turn("1", fmt.Sprintf(s.first, a))
			if !strings.Contains(msg.Text, a) {
				t.Fatalf("reply %q does not name %s", msg.Text, a)
			}
			msg, _ = c.turn("2", fmt.Sprintf(s.and, b))
			if !strings.Contains(msg.Text, b) || strings.Contains(msg.Text, a) {
				t.Errorf("%q: reply %q, want %s and not %s", fmt.Sprintf(s.and, b), msg.Text, b, a)
			}
			msg, _ = c.turn("3", s.other)
			if !strings.Contains(msg.Text, a) || strings.Contains(msg.Text, b) {
				t.Errorf("%q after %s: reply %q, want %s (the other one) and not %s again", s.other, b, msg.Text, a, b)
			}

			c = e.dial(t, buyer)
			c.hello("", 0)
			list, _ := c.turn("1", s.list)
			shown := regexp.MustCompile(`ORD-\d{5}`).FindAllString(list.Text, -1)
			if len(shown) != 2 {
				t.Fatalf("reply %q, want the two orders on their way to pick from", list.Text)
			}
			msg, _ = c.turn("2", s.second)
			if !strings.Contains(msg.Text, shown[1]) || strings.Contains(msg.Text, shown[0]) {
				t.Errorf("%q after the list %v: reply %q, want %s", s.second, shown, msg.Text, shown[1])
			}
		})
	}
}

// refundable returns buyers with two orders that can be refunded (one
// delivered recently, one partly refunded) and those orders.
func refundable(t *testing.T, n int) [][3]string {
	t.Helper()
	var out [][3]string
	for _, b := range buyersWhere(t, n, func(b string) bool {
		k := buyerOrders(b)
		return len(k[demo.DeliveredRecently]) > 0 && len(k[demo.PartiallyRefunded]) > 0
	}) {
		k := buyerOrders(b)
		out = append(out, [3]string{b, k[demo.DeliveredRecently][0], k[demo.PartiallyRefunded][0]})
	}
	return out
}

// pendingTwo prepares refunds of a and b and returns their cards.
func pendingTwo(t *testing.T, c *client, ask string, a, b string) (frame, frame) {
	t.Helper()
	_, ca := c.turn("p1", fmt.Sprintf(ask, a))
	_, cb := c.turn("p2", fmt.Sprintf(ask, b))
	if len(ca) != 1 || len(cb) != 1 || !strings.Contains(ca[0].Summary, a) || !strings.Contains(cb[0].Summary, b) {
		t.Fatalf("cards %+v and %+v, want one refund card for %s and one for %s", ca, cb, a, b)
	}
	return ca[0], cb[0]
}

// With two refunds waiting, a bare yes runs neither and re-sends no card:
// it asks which, listing both with their orders, amounts and items. Asked
// again, the question is not repeated word for word. A yes that names one
// order runs that one refund only.
func TestYesWithSeveralPendingAsksWhich(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	buyers := refundable(t, 4)
	type say struct{ ask, yes, again, pick string }
	says := map[string]say{
		"en": {"I'd like my money back for %s please, the stuff is damaged", "yep go ahead", "yes!!", "yes, %s"},
		"ko": {"%s 환불 부탁드려요. 물건이 파손돼서 왔어요", "네 진행해 주세요", "네", "네, %s 진행해 주세요"},
		"es": {"Quiero que me devuelvan el dinero del pedido %s, llegó roto", "sí, adelante", "sí", "sí, el %s"},
		"ru": {"верните, пожалуйста, деньги за %s, товар пришёл сломанным", "да, давайте", "да", "да, %s"},
	}
	for i, locale := range []string{"en", "ko", "es", "ru"} {
		t.Run(locale, func(t *testing.T) {
			s := says[locale]
			buyer, a, b := buyers[i][0], buyers[i][1], buyers[i][2]
			c := e.dial(t, buyer)
			c.hello("", 0)
			na, _ := e.refunds(t, a)
			nb, _ := e.refunds(t, b)
			ca, cb := pendingTwo(t, c, s.ask, a, b)

			which, cards := c.turn("y1", s.yes)
			if len(cards) > 0 {
				t.Errorf("a bare yes re-sent cards %+v", cards)
			}
			for _, card := range []frame{ca, cb} {
				if !strings.Contains(which.Text, card.Summary) {
					t.Errorf("reply %q does not list %q (its order, amount and items)", which.Text, card.Summary)
				}
			}
			if n, _ := e.refunds(t, a); n != na {
				t.Errorf("a bare yes refunded %s", a)
			}
			if n, _ := e.refunds(t, b); n != nb {
				t.Errorf("a bare yes refunded %s", b)
			}

			again, cards := c.turn("y2", s.again)
			if again.Text == which.Text || len(cards) > 0 {
				t.Errorf("second bare yes: reply %q (cards %+v), want no card and not the same words again", again.Text, cards)
			}

			done, _ := c.turn("y3", fmt.Sprintf(s.pick, a))
			if n, _ := e.refunds(t, a); n != na+1 {
				t.Errorf("%q: %s has %d refunds, want %d; reply %q", fmt.Sprintf(s.pick, a), a, n, na+1, done.Text)
			}
			if n, _ := e.refunds(t, b); n != nb {
				t.Errorf("%q also refunded %s", fmt.Sprintf(s.pick, a), b)
			}
			if !strings.Contains(done.Text, "RF-") {
				t.Errorf("reply %q does not name the refund", done.Text)
			}
		})
	}
}

// "no wait", "stop", "never mind" call off what waits, every card of it,
// and say so; a yes afterwards runs nothing.
func TestStopCancelsWhatIsPending(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	buyers := refundable(t, 8)
	type say struct{ ask, stop, single, yes string }
	says := map[string]say{
		"en": {"can you refund %s, it came broken", "no wait", "never mind", "yes"},
		"ko": {"%s 환불해 주세요. 깨져서 왔어요", "아니 잠깐", "됐어요 그냥 두세요", "네"},
		"es": {"¿me reembolsan el %s? llegó dañado", "no, espera", "olvídalo", "sí"},
		"ru": {"оформите возврат по %s, пришёл разбитым", "нет, стоп", "не надо", "да"},
	}
	for i, locale := range []string{"en", "ko", "es", "ru"} {
		t.Run(locale, func(t *testing.T) {
			s := says[locale]
			buyer, a, b := buyers[i][0], buyers[i][1], buyers[i][2]
			c := e.dial(t, buyer)
			ready := c.hello("", 0)
			na, _ := e.refunds(t, a)
			nb, _ := e.refunds(t, b)
			ca, cb := pendingTwo(t, c, s.ask, a, b)
			msg, cards := c.turn("s1", s.stop)
			if len(cards) > 0 || !strings.Contains(msg.Text, ca.Summary) || !strings.Contains(msg.Text, cb.Summary) {
				t.Errorf("%q: reply %q (cards %+v), want both requests named as called off", s.stop, msg.Text, cards)
			}
			if n := e.count(t, `SELECT count(*) FROM pending_actions WHERE conversation_id = $1 AND status = 'declined'`, ready.ConversationID); n != 2 {
				t.Errorf("%q declined %d actions, want 2", s.stop, n)
			}
			c.turn("s2", s.yes)
			if n, _ := e.refunds(t, a); n != na {
				t.Errorf("a refund of %s ran after %q", a, s.stop)
			}
			if n, _ := e.refunds(t, b); n != nb {
				t.Errorf("a refund of %s ran after %q", b, s.stop)
			}

			// One card, and the buyer thinks better of it.
			buyer, a = buyers[4+i][0], buyers[4+i][1]
			c = e.dial(t, buyer)
			ready = c.hello("", 0)
			na, _ = e.refunds(t, a)
			if _, cards := c.turn("o1", fmt.Sprintf(s.ask, a)); len(cards) != 1 {
				t.Fatalf("cards %+v, want one", cards)
			}
			c.turn("o2", s.single)
			c.turn("o3", s.yes)
			if n, _ := e.refunds(t, a); n != na {
				t.Errorf("a refund of %s ran after %q and %q", a, s.single, s.yes)
			}
			if n := e.count(t, `SELECT count(*) FROM pending_actions WHERE conversation_id = $1 AND status = 'declined'`, ready.ConversationID); n != 1 {
				t.Errorf("%q declined %d actions, want 1", s.single, n)
			}
		})
	}
}

// A refund the policy refuses is answered with the rule in the policy's
// words and cited, the order's own delivery date written the buyer's way,
// and the dispute the policy allows instead prepared as a card with the
// buyer's reason. An order not yet shipped gets a cancellation card.
func TestRefusalGivesTheRuleTheDateAndTheNextStep(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{policies: true})
	late := map[string]string{
		"en": "The handle snapped off the first time I used it. Refund %s please",
		"ko": "%s 받은 물건이 파손돼 있었어요. 환불 가능할까요?",
		"es": "El producto del pedido %s vino roto, quiero mi dinero",
		"ru": "В заказе %s товар оказался повреждён, верните деньги",
	}
	unshipped := map[string]string{
		"en": "refund %s, I don't need it anymore",
		"ko": "%s 환불해 주세요",
		"es": "devuélvanme el dinero del pedido %s",
		"ru": "хочу вернуть деньги за %s",
	}
	for _, locale := range []string{"en", "ko", "es", "ru"} {
		t.Run(locale, func(t *testing.T) {
			buyer, order := buyerWith(t, locale, demo.DeliveredLongAgo)
			var delivered time.Time
			if err := e.pool.QueryRow(t.Context(), `SELECT delivered_at FROM orders WHERE id = $1`, order).Scan(&delivered); err != nil {
				t.Fatal(err)
			}
			c := e.dial(t, buyer)
			c.hello("", 0)
			msg, cards := c.turn("1", fmt.Sprintf(late[locale], order))
			for _, want := range []string{order, "30", l10n.Date(locale, delivered), "[refunds §"} {
				if !strings.Contains(msg.Text, want) {
					t.Errorf("refusal %q lacks %q", msg.Text, want)
				}
			}
			if string(msg.Citations) == "" || string(msg.Citations) == "null" || string(msg.Citations) == "[]" {
				t.Errorf("refusal %q carries no citation", msg.Text)
			}
			if len(cards) != 1 || cards[0].Tool != "open_dispute" || !strings.Contains(cards[0].Summary, order) {
				t.Fatalf("cards %+v, want one dispute card for %s", cards, order)
			}
			if n, _ := e.refunds(t, order); n != 0 {
				t.Errorf("%d refunds of %s", n, order)
			}
			c.sendJSON(map[string]any{"type": "confirm", "action_id": cards[0].ActionID, "approved": true})
			c.reply()
			if n := e.count(t, `SELECT count(*) FROM disputes WHERE order_id = $1 AND reason = 'damaged'`, order); n != 1 {
				t.Errorf("%d damaged disputes for %s after confirming, want 1", n, order)
			}

			buyer, order = buyerWith(t, locale, demo.Paid)
			c = e.dial(t, buyer)
			c.hello("", 0)
			msg, cards = c.turn("2", fmt.Sprintf(unshipped[locale], order))
			if len(cards) != 1 || cards[0].Tool != "cancel_order" || !strings.Contains(cards[0].Summary, order) {
				t.Errorf("reply %q with cards %+v, want one cancellation card for %s", msg.Text, cards, order)
			}
			if !strings.Contains(msg.Text, "[refunds §") {
				t.Errorf("reply %q does not cite the rule", msg.Text)
			}
		})
	}
}

// The buyer's words become the refund's stored reason, said with the
// request or a message before it; "doesn't turn on" is a defect, stored as
// defective (migration 00016), apart from damage in transport.
func TestBuyersWordsBecomeTheStoredReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		locale string
		say    []string
		want   string
	}{
		{"en", []string{"the speaker I got doesn't turn on at all, I want a refund for %s"}, "defective"},
		{"en", []string{"hi, I changed my mind about it, don't need it anymore", "can I get a refund for %s"}, "changed_mind"},
		{"ko", []string{"전원이 안 켜져요", "%s 환불 요청할게요"}, "defective"},
		{"ko", []string{"%s 주문했는데 다른 상품이 왔어요. 환불해 주세요"}, "wrong_item"},
		{"es", []string{"no enciende desde que llegó, quiero el reembolso del %s"}, "defective"},
		{"es", []string{"lo que me llegó no coincide con la descripción", "reembolso del pedido %s por favor"}, "not_as_described"},
		{"ru", []string{"не включается вообще", "оформите возврат денег за %s"}, "defective"},
		{"ru", []string{"верните деньги за %s, прислали не тот товар"}, "wrong_item"},
	}
	buyers := buyersWhere(t, len(tests), func(b string) bool { return len(buyerOrders(b)[demo.DeliveredRecently]) > 0 })
	for i, tt := range tests {
		t.Run(tt.locale+"/"+tt.want, func(t *testing.T) {
			buyer := buyers[i]
			order := buyerOrders(buyer)[demo.DeliveredRecently][0]
			c := e.dial(t, buyer)
			c.hello("", 0)
			var cards []frame
			var msg frame
			for j, text := range tt.say {
				msg, cards = c.turn(fmt.Sprint(j), strings.Replace(text, "%s", order, 1))
			}
			if len(cards) != 1 {
				t.Fatalf("reply %q, cards %+v: want one refund card", msg.Text, cards)
			}
			c.sendJSON(map[string]any{"type": "confirm", "action_id": cards[0].ActionID, "approved": true})
			c.reply()
			var reason string
			if err := e.pool.QueryRow(t.Context(), `SELECT reason FROM refunds WHERE order_id = $1 ORDER BY created_at DESC LIMIT 1`, order).Scan(&reason); err != nil {
				t.Fatalf("no refund stored for %s: %v", order, err)
			}
			if reason != tt.want {
				t.Errorf("%q: stored reason %q, want %q", tt.say, reason, tt.want)
			}
		})
	}
}

// A buyer clearly angry after the assistant could not help is handed to a
// person; the same unhelpful answer is not given twice in a row.
func TestAngerAfterAFailureAndRepeatsHandOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	type say struct{ fail, angry, again, other string }
	says := map[string]say{
		"en": {"can you change the email on my account", "this is ridiculous, you are useless", "can you change the email on my account", "ok then can I get an invoice for my purchase?"},
		"ko": {"계정 이메일 좀 바꿔 주세요", "장난해요? 진짜 짜증나네요", "계정 이메일 좀 바꿔 주세요", "그럼 구매한 거 세금계산서 발행해 주세요"},
		"es": {"cámbieme el correo de la cuenta", "esto es una vergüenza, no sirve para nada", "cámbieme el correo de la cuenta", "vale, ¿y me pueden emitir una factura de la compra?"},
		"ru": {"поменяйте почту в моём аккаунте", "это издевательство, толку ноль", "поменяйте почту в моём аккаунте", "ладно, тогда выставьте мне счёт за покупку"},
	}
	handoffs := func(conv string) int {
		return e.count(t, `SELECT count(*) FROM handoffs WHERE conversation_id = $1`, conv)
	}
	for i, locale := range []string{"en", "ko", "es", "ru"} {
		t.Run(locale, func(t *testing.T) {
			s := says[locale]
			c := e.dial(t, demo.BuyerID(20+i))
			ready := c.hello("", 0)
			c.turn("1", s.fail)
			if n := handoffs(ready.ConversationID); n != 0 {
				t.Fatalf("%d handoffs before the buyer was angry", n)
			}
			c.turn("2", s.angry)
			if n := e.count(t, `SELECT count(*) FROM handoffs WHERE conversation_id = $1 AND reason = 'complaint'`, ready.ConversationID); n != 1 {
				t.Errorf("%q after a failed request: %d complaint handoffs, want 1", s.angry, n)
			}

			// The same request twice: the answer, which already offered a
			// person, is not given again word for word: a person takes
			// over.
			c = e.dial(t, demo.BuyerID(30+i))
			ready = c.hello("", 0)
			first, _ := c.turn("1", s.fail)
			second, _ := c.turn("2", s.again)
			if second.Text == first.Text {
				t.Errorf("the same reply twice in a row: %q", first.Text)
			}
			if n := handoffs(ready.ConversationID); n != 1 {
				t.Errorf("an answer that offered a person, given again: %d handoffs, want 1 (reply %q)", n, second.Text)
			}

			// Two different requests the assistant cannot serve: the
			// second time, a person takes over.
			c = e.dial(t, demo.BuyerID(40+i))
			ready = c.hello("", 0)
			c.turn("1", s.fail)
			second, _ = c.turn("2", s.other)
			if n := e.count(t, `SELECT count(*) FROM handoffs WHERE conversation_id = $1 AND reason = 'cannot_resolve'`, ready.ConversationID); n != 1 {
				t.Errorf("could not help twice: %d handoffs, want 1 (reply %q)", n, second.Text)
			}
		})
	}
}

// Which card a yes approves, and that a stop calls them all off, is
// settled by the agent whichever brain runs: with an LLM, a bare yes over
// two cards asks which without asking the model (which could only guess),
// and "never mind" declines both.
func TestSeveralPendingWithTheLLM(t *testing.T) {
	t.Parallel()
	fake, e := newLLMEnv(t, agent.Config{})
	bs := refundable(t, 1)
	buyer, a, b := bs[0][0], bs[0][1], bs[0][2]
	na, _ := e.refunds(t, a)
	nb, _ := e.refunds(t, b)
	fake.Push(
		fakellm.Call("request_refund", map[string]any{"order_id": a, "reason": "damaged"}),
		fakellm.Text("Please confirm the first refund."),
		fakellm.Call("request_refund", map[string]any{"order_id": b, "reason": "damaged"}),
		fakellm.Text("Please confirm the second refund."),
	)
	c := e.dial(t, buyer)
	ready := c.hello("", 0)
	_, ca := c.turn("1", "refund "+a+", it broke")
	_, cb := c.turn("2", "and "+b+" too, also broken")
	if len(ca) != 1 || len(cb) != 1 {
		t.Fatalf("cards %+v, %+v; want one each", ca, cb)
	}
	asked := len(fake.Requests())
	which, cards := c.turn("3", "yes")
	if len(cards) > 0 || !strings.Contains(which.Text, ca[0].Summary) || !strings.Contains(which.Text, cb[0].Summary) {
		t.Errorf("bare yes: reply %q, cards %+v; want both listed and no card", which.Text, cards)
	}
	stop, _ := c.turn("4", "never mind")
	if n := len(fake.Requests()); n != asked {
		t.Errorf("the model was asked %d times about the yes and the stop, want 0", n-asked)
	}
	if n := e.count(t, `SELECT count(*) FROM pending_actions WHERE conversation_id = $1 AND status = 'declined'`, ready.ConversationID); n != 2 {
		t.Errorf("never mind: %d actions declined, want 2 (reply %q)", n, stop.Text)
	}
	if n, _ := e.refunds(t, a); n != na {
		t.Errorf("%s was refunded", a)
	}
	if n, _ := e.refunds(t, b); n != nb {
		t.Errorf("%s was refunded", b)
	}
}
