package nlu

import "strings"

// lastOrderCues are ways of naming one's most recent order without its
// number, folded.
var lastOrderCues = prepare(
	"last order", "latest order", "most recent order", "recent order", "last purchase",
	"latest purchase", "order i just placed", "order i just made", "thing i just ordered",
	"what i just ordered", "last thing i ordered", "last one i ordered", "newest order", "previous order",
	"ultimo pedido", "ultima compra", "ultima orden", "pedido mas reciente", "compra mas reciente",
	"pedido que acabo de hacer", "lo que acabo de pedir", "lo ultimo que pedi", "pedido anterior",
	// The last thing bought, said without the word order: "lo último que
	// compré", "последнее, что я купила", "the last thing I bought".
	"lo ultimo que compr", "lo ultimo que he compr", "lo ultimo que he pedido", "last thing i bought",
	"последнее что я купил", "последнее что купил", "последнее что я заказ", "последнее что заказ",
	// The last parcel, and the newest one in other words: "el último
	// paquete", "el más reciente", "последняя посылка", "самый свежий
	// заказ", "крайний заказ" (said by those who avoid "последний").
	"last package", "last parcel", "the most recent one", "ultimo paquete", "el mas reciente", "la mas reciente",
	"lo ultimo q ", "последняя посылка", "последнюю посылку", "последней посылк", "самый последний",
	"самый свежий", "свежий заказ", "крайний заказ", "крайнего заказа", "крайнему заказу",
	"последний заказ", "последнего заказа", "последнему заказу", "последним заказом", "последнем заказе",
	"последнюю покупк", "последней покупк", "недавний заказ", "только что заказал", "предыдущий заказ",
	"마지막 주문", "마지막으로 주문", "마지막에 주문", "최근 주문", "최근에 주문", "방금 주문", "최근 구매", "최근에 산",
	"제일 최근", "가장 최근", "지난 주문", "지난번 주문", "저번 주문",
)

// oneOfCues say the buyer means one piece of a line of several.
var oneOfCues = prepare(
	"one of the", "one of my", "only one of", "just one of", "uno de los", "una de las", "uno de mis", "una de mis",
	"один из", "одну из", "одна из", "одного из", "중 하나", "중에 하나", "하나만", "한 개만", "1개만", "한개만",
	"one of them", "una de ellas", "uno de ellos", "одном из", "одной из",
)

// onlyCues restrict a request to part of an order.
var onlyCues = prepare(
	"just the", "only the", "just one", "only one", "just my", "only my", "not the whole", "not the entire",
	"solo el", "solo la", "solo los", "solo las", "solamente", "unicamente", "nada mas el", "nada mas la",
	"no todo", "no el pedido entero", "только", "лишь", "не весь", "не целиком",
	"만 환불", "만 취소", "만 빼", "만 반품", "만요", "만 돌려", "만 캔슬",
)

// ordinals maps folded ordinal words (prefixes for the inflecting
// languages) to positions.
var ordinals = []struct {
	pos   int
	words []string
}{
	{1, []string{"first", "1st", "primer", "primera", "первы", "первую", "первой", "첫 번째", "첫번째", "첫째"}},
	{2, []string{"second", "2nd", "segund", "втор", "두 번째", "두번째", "둘째"}},
	{3, []string{"third", "3rd", "tercer", "трет", "세 번째", "세번째", "셋째"}},
	{4, []string{"fourth", "4th", "cuart", "четверт", "네 번째", "네번째", "넷째"}},
	{5, []string{"fifth", "5th", "quint", "пят", "다섯 번째", "다섯번째"}},
}

// itemNouns are words that, right after an ordinal, make it an item's
// position in the order ("the second item") rather than a date or a try.
var itemNouns = []string{
	"item", "one", "thing", "product", "line", "article", "piece",
	"articulo", "producto", "cosa", "linea", "uno", "una",
	"товар", "вещ", "позици", "предмет", "продукт", "пункт",
	"상품", "제품", "물건", "거", "것", "품목",
}

// ordinalCues are the ordinals prepared for matching, Hangul ones
// without spaces.
var ordinalCues = func() []struct {
	pos int
	kw  keyword
} {
	var out []struct {
		pos int
		kw  keyword
	}
	for _, o := range ordinals {
		for _, kw := range prepare(o.words...) {
			out = append(out, struct {
				pos int
				kw  keyword
			}{o.pos, kw})
		}
	}
	return out
}()

// findItemPosition returns the position of an ordinal followed within two
// words by an item noun ("the second item", "두 번째 상품"), or 0.
func findItemPosition(kt keywordText) int {
	present := kt.present
	for _, o := range ordinalCues {
		if o.kw.script&present != o.kw.script {
			continue
		}
		if o.kw.script == scriptHangul {
			p := strings.Index(kt.compact, o.kw.text)
			if p < 0 {
				continue
			}
			rest := kt.compact[p+len(o.kw.text):]
			for _, n := range itemNouns {
				if hasHangul(n) && strings.HasPrefix(rest, n) {
					return o.pos
				}
			}
			continue
		}
		p := strings.Index(kt.words, o.kw.text)
		if p < 0 {
			continue
		}
		// The ordinal's word (which may be inflected: "второй", "segunda"),
		// then up to two words for the noun.
		rest := kt.words[p+len(o.kw.text):]
		after := strings.Fields(rest)
		if !strings.HasPrefix(rest, " ") && len(after) > 0 {
			after = after[1:]
		}
		for _, w := range after[:min(len(after), 2)] {
			for _, n := range itemNouns {
				if strings.HasPrefix(w, n) {
					return o.pos
				}
			}
		}
	}
	return 0
}
