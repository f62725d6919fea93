package web_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/internal/fakellm"
)

// Taking a request back in the buyer's own words, and "the other one" when
// the conversation has named only one order, played over the chat
// websocket with the real tools and Postgres in the four languages.

// withdrawals are messages that take back the refund just asked for, told
// with a reason of the buyer's own, as buyers write them.
var withdrawals = map[string]string{
	"en": "oh actually never mind, my husband wants to keep it after all",
	"ko": "아 죄송해요 그냥 없던 걸로 해주세요, 동생이 쓴대요",
	"es": "ay no, olvídalo, mi hermana se lo queda al final",
	"ru": "ой, забудьте, дочка решила оставить себе",
}

// A buyer who takes the request back while its card waits gets the card
// declined and a reply that says what was called off (its order), and
// nothing runs, however long the message is. With an LLM the model is not
// asked: which action waits is the agent's state, not a guess.
func TestTakingTheRequestBackCallsOffTheCard(t *testing.T) {
	t.Parallel()
	fake := fakellm.New(fakellm.Options{APIKey: "k"})
	up := httptest.NewServer(fake)
	t.Cleanup(up.Close)
	brains := map[string]*env{
		"local": newEnv(t),
		"llm": newEnvWith(t, func(localModel agent.Model) agent.Model {
			return agent.NewChain(discard(), []agent.Model{
				agent.NewOpenAI(agent.OpenAIConfig{BaseURL: up.URL + "/v1", APIKey: "k", Model: "gpt-test", MaxRetries: 1}),
				localModel,
			}, []string{"gpt-test", "local"})
		}, agent.Config{}),
	}
	buyers := refundable(t, 8)
	ask := map[string]string{
		"en": "please refund %s, the lid came cracked",
		"ko": "%s 환불해 주세요. 뚜껑이 깨져서 왔어요",
		"es": "quiero el reembolso del %s, llegó roto",
		"ru": "верните деньги за %s, пришёл разбитым",
	}
	i := 0
	for _, brain := range []string{"local", "llm"} {
		for _, locale := range []string{"en", "ko", "es", "ru"} {
			buyer, order := buyers[i][0], buyers[i][1]
			i++
			t.Run(brain+"/"+locale, func(t *testing.T) {
				e := brains[brain]
				if brain == "llm" {
					fake.Push(
						fakellm.Call("request_refund", map[string]any{"order_id": order, "reason": "damaged"}),
						fakellm.Text("Please confirm the refund."),
					)
				}
				n, _ := e.refunds(t, order)
				c := e.dial(t, buyer)
				ready := c.hello("", 0)
				_, cards := c.turn("1", fmt.Sprintf(ask[locale], order))
				if len(cards) != 1 {
					t.Fatalf("cards %+v, want one refund card", cards)
				}
				asked := len(fake.Requests())
				msg, more := c.turn("2", withdrawals[locale])
				if len(more) > 0 || !strings.Contains(msg.Text, order) {
					t.Errorf("%q: reply %q (cards %+v), want the refund of %s named as called off", withdrawals[locale], msg.Text, more, order)
				}
				if got := len(fake.Requests()); got != asked {
					t.Errorf("the model was asked %d times about the withdrawal, want 0", got-asked)
				}
				if d := e.count(t, `SELECT count(*) FROM pending_actions WHERE conversation_id = $1 AND status = 'declined'`, ready.ConversationID); d != 1 {
					t.Errorf("%q declined %d actions, want 1", withdrawals[locale], d)
				}
				if got, _ := e.refunds(t, order); got != n {
					t.Errorf("a refund of %s ran", order)
				}
			})
		}
	}
}

// "The other one" when the conversation has named only one of the buyer's
// orders is the order not discussed yet, looked up in the buyer's own
// orders: with two on their way, the second one, named, and not the first
// again.
func TestTheOtherOneIsTheOrderNotDiscussed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	two := buyersWhere(t, 4, func(b string) bool { return len(activeOrders(b)) == 2 })
	says := map[string][2]string{
		"en": {"hey, any news on %s?", "cool, and what about my other one"},
		"ko": {"%s 배송 언제 와요?", "다른 주문은 어떻게 됐어요?"},
		"es": {"buenas, ¿qué sabéis del %s?", "¿y el otro pedido qué?"},
		"ru": {"подскажите, где сейчас %s?", "а другой заказ?"},
	}
	for i, locale := range []string{"en", "ko", "es", "ru"} {
		t.Run(locale, func(t *testing.T) {
			buyer := two[i]
			ids := activeOrders(buyer)
			a, b := ids[0], ids[1]
			c := e.dial(t, buyer)
			c.hello("", 0)
			msg, _ := c.turn("1", fmt.Sprintf(says[locale][0], a))
			if !strings.Contains(msg.Text, a) {
				t.Fatalf("reply %q does not name %s", msg.Text, a)
			}
			msg, cards := c.turn("2", says[locale][1])
			if !strings.Contains(msg.Text, b) || strings.Contains(msg.Text, a) || len(cards) > 0 {
				t.Errorf("%q after %s: reply %q (cards %+v), want %s (the other one) and not %s again", says[locale][1], a, msg.Text, cards, b, a)
			}
		})
	}
}
