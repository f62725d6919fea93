package local

import "testing"

// The kinds of fact read from phrasings the cues missed (issue 14, round
// 10): a processing time, a cutoff, whether something is free, who bears
// a cost, a final decision, what the buyer can do, a number of days.
func TestClassifyAskRound10(t *testing.T) {
	tests := []struct {
		q    string
		want askKind
	}{
		{"환불 처리 기간은 보통 어느 정도인가요?", askDuration},
		{"분쟁 결과가 나오려면 얼마나 기다려야 해요?", askDuration},
		{"what's the cutoff for opening a dispute?", askDeadline},
		{"Is there a cut-off date for returns?", askDeadline},
		{"is returning a jacket free?", askFee},
		{"can I send it back for free?", askFee},
		{"взимается ли комиссия за возврат?", askFee},
		{"Если отменить заказ, будет плата?", askFee},
		{"¿Quién asume el envío de la devolución?", askWhoPays},
		{"who bears the cost of sending it back?", askWhoPays},
		{"who makes the final decision in a dispute?", askWhatIf},
		{"분쟁은 최종 결정을 누가 하나요?", askWhatIf},
		{"my parcel is lost, what can I do?", askHowTo},
		{"mi paquete se perdió, ¿qué puedo hacer?", askHowTo},
		{"посылка потерялась, что можно сделать?", askHowTo},
		{"택배가 분실됐는데 어떻게 할 수 있나요?", askHowTo},
		{"what's the usual number of days for a refund to take?", askDuration},
		// Whole words: "feel", "coffee" and a phone charger are no fee.
		{"the shoes feel small, what do I do?", askHowTo},
		{"my phone charger arrived broken, what should I do?", askHowTo},
		{"is there a charge for cancelling?", askFee},
		// What to have ready is a step; "че делать" is chat for "что делать".
		{"접시가 깨져서 왔는데 뭘 준비해야 하나요?", askHowTo},
		{"what should I prepare if it arrives broken?", askHowTo},
		{"кружка пришла с трещиной, че делать?", askHowTo},
		// "сколько" holds "скол" (a chip): no damage read into it.
		{"сколько дней после получения можно вернуть товар?", askDeadline},
		{"where is the lamp you charge with the cord?", askOther},
	}
	for _, tt := range tests {
		if got := classifyAsk(tt.q); got != tt.want {
			t.Errorf("classifyAsk(%q) = %s, want %s", tt.q, askKindNames[got], askKindNames[tt.want])
		}
	}
}

func TestAsksDestination(t *testing.T) {
	tests := []struct {
		q    string
		want bool
	}{
		{"where does the money go when I get a refund?", true},
		{"can the refund be sent to another card?", true},
		{"I paid with two cards, how is the refund split?", true},
		{"환불되면 어디로 들어와요?", true},
		{"¿el reembolso puede ir a otra tarjeta?", true},
		{"куда придут деньги после возврата?", true},
		{"vernut na kartu ili na balans?", true},
		{"how long does a refund take?", false},
		{"can I return a cutting board?", false},
		{"можно вернуть разделочную доску?", false},
	}
	for _, tt := range tests {
		if got := asksDestination(tt.q); got != tt.want {
			t.Errorf("asksDestination(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

func TestNamedFood(t *testing.T) {
	tests := []struct {
		q, want string
	}{
		{"can I return a jar of honey?", "perishable food"},
		{"김치도 반품 되나요?", "부패하기 쉬운 식품"},
		{"¿puedo devolver el queso?", "alimentos perecederos"},
		{"можно вернуть мёд?", "скоропортящиеся продукты питания"},
		{"можно вернуть чайный набор?", ""},
		{"посылка идёт медленно", ""},
		{"can I return the boots?", ""},
	}
	for _, tt := range tests {
		if got := namedFood(tt.q, ""); got != tt.want {
			t.Errorf("namedFood(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

// A parcel that has not come is what a question about a late order is
// about, though it hopes for the money back; a return after delivery is
// not, though weeks have passed.
func TestLateParcel(t *testing.T) {
	tests := []struct {
		q    string
		want bool
	}{
		{"my order is two weeks late, do I get my money back?", true},
		{"el pedido va con retraso, ¿me devuelven el dinero?", true},
		{"배송 예정일이 지났는데 환불 되나요?", true},
		{"got the boots 3 weeks ago, can I still send them back?", false},
		{"how many days after the parcel arrives can I return it?", false},
		{"물건 받고 언제까지 돌려보낼 수 있어요?", false},
	}
	for _, tt := range tests {
		if got := lateParcel(tt.q); got != tt.want {
			t.Errorf("lateParcel(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// Two asks joined by 랑 in one Korean sentence are answered both.
func TestAskClausesKoreanJoin(t *testing.T) {
	q := "컵이 깨져서 왔는데 며칠 안에 신고해야 되는지랑 뭐 준비해야 되는지 알려주세요"
	got := askClauses(q)
	if len(got) != 2 || classifyAsk(got[0]) != askDeadline || classifyAsk(got[1]) != askHowTo {
		t.Errorf("askClauses(%q) = %q, want a deadline ask and a how-to ask", q, got)
	}
}

// The kinds of fact read from a question's form rather than its topic
// words (issue 14, round 12): a cost taken out of the refund or lost by
// cancelling, the time someone is given, "¿en cuánto…?", a guess to be
// confirmed, a chargeback that names no charge.
func TestClassifyAskByForm(t *testing.T) {
	tests := []struct {
		q    string
		want askKind
	}{
		{"will the return label be deducted from what I get back?", askFee},
		{"반품비는 환불액에서 차감되나요?", askFee},
		{"¿Me descuentan el envío si lo devuelvo?", askFee},
		{"Стоимость пересылки вычтут?", askFee},
		{"if I cancel now do I lose anything?", askFee},
		{"how long does the shop have to send my parcel?", askDeadline},
		{"how long do sellers get to answer a dispute?", askDeadline},
		{"how long does a refund take?", askDuration},
		{"¿En cuánto llega el reembolso?", askDuration},
		{"¿cuánto tiempo tiene el vendedor para responder?", askDeadline},
		{"I suppose I can't send back earrings?", askAllowed},
		{"이 케이크는 환불 안 되겠죠?", askAllowed},
		{"Up to when can I file a chargeback-style claim?", askDeadline},
	}
	for _, tt := range tests {
		if got := classifyAsk(tt.q); got != tt.want {
			t.Errorf("classifyAsk(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// A question asks yes or no by its shape: no question word and, in
// English, an auxiliary first; routing reads such a question about what
// the policies cover as one for them when the classifier is unsure.
func TestAsksYesNo(t *testing.T) {
	tests := []struct {
		q    string
		want bool
	}{
		{"Someone asked me for the code they texted me. Should I give it?", true},
		{"El vendedor me pide una transferencia directa. ¿Está bien?", true},
		{"Продавец просит перевести деньги напрямую. Это нормально?", true},
		{"배송 시작된 뒤에 주소 바꾸는 거 가능해요?", true},
		{"Где мой заказ?", false},
		{"내 돈 어디로 가나요?", false},
		{"what is this?", false},
		{"Хочу вернуть деньги.", false},
	}
	for _, tt := range tests {
		if got := asksYesNo(tt.q); got != tt.want {
			t.Errorf("asksYesNo(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}
