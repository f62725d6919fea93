package local

import (
	"testing"

	"github.com/csagent/csagent/agent/local/nlu"
)

// An action beside a question is split only when the question asks of
// something of its own (another order, a quoted message); a question about
// the action itself, or an order told rather than asked about, leaves the
// message whole.
func TestKindRequestsPairsAnActionWithAQuestionOfItsOwn(t *testing.T) {
	m := newModel(t)
	checkKindRequests(t, m, []kindCase{
		{"en", "The mug arrived cracked, refund the mug please. And my other parcel, where is it?", []nlu.Intent{nlu.RefundRequest, nlu.OrderStatus}, nil},
		{"es", "La taza llegó rota, devolvedme el dinero de la taza. Y mi otro pedido, ¿dónde está?", []nlu.Intent{nlu.RefundRequest, nlu.OrderStatus}, nil},
		{"ru", "Кружка пришла треснутой, верните деньги за кружку. А где мой другой заказ?", []nlu.Intent{nlu.RefundRequest, nlu.OrderStatus}, nil},
		{"ko", "머그컵이 깨져서 왔어요. 머그컵 환불해 주세요. 그리고 다른 주문은 어디쯤 왔나요?", []nlu.Intent{nlu.RefundRequest, nlu.OrderStatus}, nil},
		// The action asked about, not asked for.
		{"en", "Can an order be cancelled before it ships? Do I get all the money back?", nil, nil},
		{"ru", "можно ли отменить заказ, пока он не отправлен? деньги вернутся полностью?", nil, nil},
		// The same order's goods: the action's own amount asked.
		{"es", "Quiero devolver las sandalias del pedido 10102. El bolso me lo quedo, así que el importe debería ser 65,00, ¿correcto?", nil, nil},
		// An order told, not asked about.
		{"en", "My order arrived five days ago: boots and two packs of socks. Refund one pack of socks.", nil, nil},
	}, false)
}
