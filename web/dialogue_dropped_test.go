package web_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools/demo"
)

// A request taken back stays taken back, and a question about the order
// just looked up is about that order: played over the chat websocket with
// the local model, the real tools and Postgres in the four languages, in
// buyers' words rather than the model's templates.

// unshipped returns n demo buyers with an order paid and not shipped, each
// with that order.
func unshipped(t *testing.T, n int) [][2]string {
	t.Helper()
	var out [][2]string
	for _, b := range buyersWhere(t, n, func(b string) bool { return len(buyerOrders(b)[demo.Paid]) > 0 }) {
		out = append(out, [2]string{b, buyerOrders(b)[demo.Paid][0]})
	}
	return out
}

// After a cancellation or a refund is called off, a buyer who checks that
// nothing happened is told so, with the order named, and is never offered
// the dropped action again: no card, nothing waiting, nothing cancelled
// or refunded. Before the proposals were shown again in the history, the
// model could not tell the request had been proposed and dropped: "so
// it's still coming?" read as the open cancellation and proposed it anew.
func TestCalledOffRequestStaysCalledOff(t *testing.T) {
	e := newEnv(t)
	type say struct{ cancel, stop, check, refund, keep, check2 string }
	says := map[string]say{
		"en": {"please cancel %s, I ordered it by mistake", "hmm no, leave it, I'll keep it after all",
			"ok so it will still be shipped and nothing was cancelled, right?",
			"refund %s please, it arrived broken", "forget it, I'll keep it", "and nothing was charged or refunded?"},
		"ko": {"%s 주문 취소해 주세요 실수로 샀어요", "아 잠깐만요 그냥 두세요 취소하지 마세요",
			"그럼 취소 안 된 거죠? 그대로 오는 거 맞죠?",
			"%s 환불해 주세요 깨져서 왔어요", "됐어요 그냥 쓸게요 환불 안 할게요", "그럼 아무것도 처리 안 된 거죠?"},
		"es": {"cancelad el %s por favor, lo pedí sin querer", "mejor no, déjalo como está, me lo quedo",
			"vale, entonces sigue en pie el pedido y no se canceló nada, ¿no?",
			"quiero el reembolso del %s, llegó roto", "bah, olvídalo, me lo quedo", "¿y no me habéis cobrado ni devuelto nada?"},
		"ru": {"отмените заказ %s, я оформила его по ошибке", "ой нет, не надо, пусть остаётся",
			"то есть заказ всё так же в силе и ничего не отменено?",
			"верните деньги за %s, пришёл разбитым", "хотя нет, забудьте, оставлю себе", "и ничего не списали и не вернули?"},
	}
	paid := unshipped(t, 4)
	delivered := refundable(t, 8)[4:]
	for i, locale := range []string{"en", "ko", "es", "ru"} {
		t.Run(locale, func(t *testing.T) {
			s := says[locale]
			for _, tt := range []struct {
				name, buyer, order, ask, stop, check string
			}{
				{"cancel", paid[i][0], paid[i][1], s.cancel, s.stop, s.check},
				{"refund", delivered[i][0], delivered[i][1], s.refund, s.keep, s.check2},
			} {
				n, _ := e.refunds(t, tt.order)
				c := e.dial(t, tt.buyer)
				ready := c.hello("", 0)
				if _, cards := c.turn(tt.name+"1", fmt.Sprintf(tt.ask, tt.order)); len(cards) != 1 {
					t.Fatalf("%s %q: cards %+v, want one", tt.name, tt.ask, cards)
				}
				c.turn(tt.name+"2", tt.stop)
				msg, cards := c.turn(tt.name+"3", tt.check)
				if len(cards) > 0 {
					t.Errorf("%s %q after calling it off: cards %+v, want none (the dropped action proposed again)", tt.name, tt.check, cards)
				}
				if !strings.Contains(msg.Text, tt.order) || !nothingDone[locale].MatchString(msg.Text) {
					t.Errorf("%s %q: reply %q, want it to say nothing was done to %s", tt.name, tt.check, msg.Text, tt.order)
				}
				if p := e.count(t, `SELECT count(*) FROM pending_actions WHERE conversation_id = $1 AND status = 'pending'`, ready.ConversationID); p != 0 {
					t.Errorf("%s: %d actions wait after the check, want 0", tt.name, p)
				}
				if got, _ := e.refunds(t, tt.order); got != n {
					t.Errorf("%s: a refund of %s ran", tt.name, tt.order)
				}
				if k := e.count(t, `SELECT count(*) FROM orders WHERE id = $1 AND status = 'cancelled'`, tt.order); k != 0 {
					t.Errorf("%s: %s was cancelled", tt.name, tt.order)
				}
			}
		})
	}
}

// nothingDone is how a reply says, in each language, that nothing was done.
var nothingDone = map[string]*regexp.Regexp{
	"en": regexp.MustCompile(`(?i)nothing (was|has been) (done|cancelled|refunded)|stays as it was`),
	"ko": regexp.MustCompile(`아무것도`),
	"es": regexp.MustCompile(`(?i)no se ha (hecho|cancelado) nada`),
	"ru": regexp.MustCompile(`(?i)ничего не (сделано|отменено)`),
}

// With an LLM, a proposal the buyer called off is in the history of the
// next turn as the call it was, marked declined: the model reads what the
// stored conversation says happened, not its own earlier words.
func TestHistoryShowsACalledOffProposal(t *testing.T) {
	fake, e := newLLMEnv(t, agent.Config{})
	p := unshipped(t, 5)[4]
	buyer, order := p[0], p[1]
	c := e.dial(t, buyer)
	c.hello("", 0)
	fake.Push(fakellm.Call("cancel_order", map[string]any{"order_id": order}), fakellm.Text("Please confirm the cancellation."))
	if _, cards := c.turn("1", "cancel "+order+" please"); len(cards) != 1 {
		t.Fatalf("cards %+v, want one cancellation card", cards)
	}
	c.turn("2", "no wait, don't cancel it")
	fake.Push(fakellm.Text("Nothing was cancelled."))
	c.turn("3", "so it still ships?")
	reqs := fake.Requests()
	last := reqs[len(reqs)-1]
	var shown bool
	for _, m := range last.Messages {
		if m.Role == "tool" && m.Name == "cancel_order" && strings.Contains(m.Content, `"decision":"declined"`) && strings.Contains(m.Content, order) {
			shown = true
		}
	}
	if !shown {
		t.Errorf("the model's request after the decline has no declined cancel_order of %s: %+v", order, last.Messages)
	}
}

// A question about the delivery of the order just looked up, in few and
// loose words (the tracking number, when it comes, a worry that it will
// not come in time), is answered from that order's record: its tracking
// number, and no promise of a day; not a policy passage, not "I didn't
// understand", not a handoff.
func TestDeliveryQuestionAfterALookupIsAboutThatOrder(t *testing.T) {
	e := newEnv(t)
	type say struct{ where, tracking, when, worry string }
	says := map[string]say{
		"en": {"where is my order %s?", "got a tracking no. for it?", "eta?", "it has to be here by friday, I'm getting nervous"},
		"ko": {"%s 주문 어디쯤 왔나요?", "송장 번호 좀요", "언제 도착해요?", "금요일까지 못 오면 큰일인데 걱정돼요"},
		"es": {"¿dónde está mi pedido %s?", "¿hay código de seguimiento?", "¿y cuándo llega más o menos?", "lo necesito para el viernes, me preocupa que no llegue"},
		"ru": {"где мой заказ %s?", "а трек есть?", "когда придёт примерно?", "мне к пятнице надо, переживаю что не успеет"},
	}
	buyers := buyersWhere(t, 4, func(b string) bool { return len(buyerOrders(b)[demo.InTransit]) > 0 })
	promise := regexp.MustCompile(`(?i)(will|'ll) (arrive|be delivered|get there) (by|on) friday|llegará el viernes|도착할 것입니다|придёт к пятнице`)
	for i, locale := range []string{"en", "ko", "es", "ru"} {
		t.Run(locale, func(t *testing.T) {
			s := says[locale]
			buyer, order := buyers[i], buyerOrders(buyers[i])[demo.InTransit][0]
			var tracking string
			if err := e.pool.QueryRow(t.Context(), `SELECT tracking_number FROM orders WHERE id = $1`, order).Scan(&tracking); err != nil {
				t.Fatal(err)
			}
			c := e.dial(t, buyer)
			ready := c.hello("", 0)
			if msg, _ := c.turn("1", fmt.Sprintf(s.where, order)); !strings.Contains(msg.Text, order) {
				t.Fatalf("%q: reply %q does not name %s", s.where, msg.Text, order)
			}
			for j, text := range []string{s.tracking, s.when, s.worry} {
				msg, cards := c.turn(fmt.Sprint("f", j), text)
				if !strings.Contains(msg.Text, tracking) || !strings.Contains(msg.Text, order) || len(cards) > 0 {
					t.Errorf("%q: reply %q, want %s's tracking number %s", text, msg.Text, order, tracking)
				}
				if promise.MatchString(msg.Text) {
					t.Errorf("%q: reply %q promises a day", text, msg.Text)
				}
			}
			if h := e.count(t, `SELECT count(*) FROM handoffs WHERE conversation_id = $1`, ready.ConversationID); h != 0 {
				t.Errorf("the conversation was handed off %d times, want none", h)
			}
		})
	}
}

// After one order was looked up, a buyer who asks after another order by
// its goods in a long, chatty message ("and the one with the boots from
// last week? I thought it'd be here by now") gets that order, found among
// their own by its goods, with its tracking number; not "I didn't
// understand", and not the first order again. A loose question after it
// ("is it moving at all?") is about that second order.
func TestOtherOrderNamedByItsGoods(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		locale, shop, currency, first, second string
		price                                 int64
		ask, other, moving                    string
	}{
		{"en", "shop-maple", "USD", "p-maple-lantern", "p-maple-boots", 5000,
			"hi, did my order %s go through? never got an email", "great thanks. and the one with the hiking boots from last week? thought they'd be here by now tbh", "is it moving at all?"},
		{"ko", "shop-hangang", "KRW", "p-hangang-blanket", "p-hangang-kettle", 45000,
			"%s 주문 잘 들어갔나요? 메일이 안 와서요", "네 감사해요. 그리고 저번주에 시킨 전기 주전자는요? 벌써 왔어야 할 것 같은데", "지금 오고 있는 거 맞아요?"},
		{"es", "shop-sol", "EUR", "p-sol-towels", "p-sol-sandals", 4990,
			"hola, ¿me confirmáis que el pedido %s entró bien? no me llegó ningún correo", "genial gracias. ¿y lo de las sandalias de cuero de la semana pasada? pensaba que ya habrían llegado", "¿se está moviendo o está parado?"},
		{"ru", "shop-taiga", "RUB", "p-taiga-scarf", "p-taiga-samovar", 890000,
			"здравствуйте, заказ %s точно оформился? письма не было", "спасибо. а тот что с самоваром, на прошлой неделе заказывала? думала уже придёт", "он вообще едет?"},
	}
	buyers := buyersWhere(t, 4, func(b string) bool {
		k := buyerOrders(b)
		return len(k[demo.Paid]) > 0 && len(k[demo.InTransit]) > 0
	})
	for i, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			buyer := buyers[i]
			first, second := buyerOrders(buyer)[demo.Paid][0], buyerOrders(buyer)[demo.InTransit][0]
			e.rewriteLines(t, first, tt.shop, tt.currency, tt.first, tt.price)
			e.rewriteLines(t, second, tt.shop, tt.currency, tt.second, tt.price)
			var tracking string
			if err := e.pool.QueryRow(t.Context(), `SELECT tracking_number FROM orders WHERE id = $1`, second).Scan(&tracking); err != nil {
				t.Fatal(err)
			}
			c := e.dial(t, buyer)
			c.hello("", 0)
			if msg, _ := c.turn("1", fmt.Sprintf(tt.ask, first)); !strings.Contains(msg.Text, first) {
				t.Fatalf("%q: reply %q does not name %s", tt.ask, msg.Text, first)
			}
			for j, text := range []string{tt.other, tt.moving} {
				msg, cards := c.turn(fmt.Sprint("o", j), text)
				if !strings.Contains(msg.Text, second) || !strings.Contains(msg.Text, tracking) || strings.Contains(msg.Text, first) || len(cards) > 0 {
					t.Errorf("%q: reply %q, want %s (the %s) with its tracking number %s", text, msg.Text, second, tt.second, tracking)
				}
			}
		})
	}
}
