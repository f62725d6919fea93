package local

import "testing"

func TestSubjectsOf(t *testing.T) {
	tests := []struct {
		text string
		want subject
	}{
		{"how long does a dispute take to be decided?", subjectDispute},
		{"분쟁 넣은 지 5일 됐어요", subjectDispute},
		{"¿cuánto tarda la disputa?", subjectDispute},
		{"сколько длится спор?", subjectDispute},
		{"спортивная сумка пришла", 0}, // a sports bag is no dispute
		{"when do I get my refund?", subjectRefund},
		{"반품하면 돈 언제 들어와요?", subjectRefund},
		{"¿puedo devolverlo?", subjectRefund},
		{"Можно отменить заказ?", subjectCancel},
		{"Refunds after a dispute", subjectRefund | subjectDispute},
		{"where is my parcel?", 0},
		{"환불되면 그 카드로 취소되나요?", subjectRefund}, // the card payment reversed
	}
	for _, tt := range tests {
		if got := subjectsOf(tt.text); got != tt.want {
			t.Errorf("subjectsOf(%q) = %b, want %b", tt.text, got, tt.want)
		}
	}
}

func TestSubjectFit(t *testing.T) {
	tests := []struct {
		name           string
		asked          subject
		heading, title string
		want           float64
	}{
		{"the process asked", subjectDispute, "Decision time", "Disputes", 0.1},
		{"another process", subjectDispute, "Refund timing", "Refunds and returns", -0.15},
		{"the heading decides before the title", subjectCancel, "Cancelling an order instead of refunding it > Shipped orders", "Refunds and returns", 0.1},
		{"a section of no process", subjectRefund, "Order has not arrived", "Shipping and delivery", 0},
		{"a question of no process", 0, "Refund timing", "Refunds and returns", 0},
	}
	for _, tt := range tests {
		if got := subjectFit(tt.asked, tt.heading, tt.title); got != tt.want {
			t.Errorf("%s: subjectFit(%b, %q, %q) = %v, want %v", tt.name, tt.asked, tt.heading, tt.title, got, tt.want)
		}
	}
}

// A broken item or a change of mind asks for the money back, though the
// buyer names no refund; a process named wins over one implied.
func TestAskedSubjects(t *testing.T) {
	tests := []struct {
		q    string
		want subject
	}{
		{"the lamp arrived cracked, what do I do?", subjectRefund},
		{"컵이 깨져서 왔어요", subjectRefund},
		{"ya no lo quiero, cambié de opinión", subjectRefund},
		{"чайник сломан, хочу открыть спор", subjectDispute},
		{"where is my parcel?", 0},
	}
	for _, tt := range tests {
		if got := askedSubjects(tt.q); got != tt.want {
			t.Errorf("askedSubjects(%q) = %b, want %b", tt.q, got, tt.want)
		}
	}
}

// A question asks a kind of fact whatever the chat spelling or the words
// for "still" and "how many days does it take".
func TestClassifyAskSpellings(t *testing.T) {
	tests := []struct {
		q    string
		want askKind
	}{
		{"me llegó roto, q hago?", askHowTo},
		{"tengo q mandar fotos?", askAllowed},
		{"물건 받은 지 한참 됐는데 지금도 분쟁 신청할 수 있나요?", askDeadline},
		{"환불금이 통장에 들어오기까지 며칠 정도 걸리는지 궁금해요", askDuration},
		{"спор открыла, а дальше что?", askWhatIf},
		{"disputa abierta, y ahora qué?", askWhatIf},
		{"how many refunds can one order get?", askCount},
		{"한 주문에 환불 몇 번까지 돼요?", askCount},
		{"¿cuántas pruebas puedo añadir?", askCount},
		{"Сколько раз можно вернуть деньги?", askCount},
		{"how many business days does a refund take?", askDuration},
		{"몇 주 걸려요?", askDuration},
		{"how many weeks do I have to return it?", askDeadline},
	}
	for _, tt := range tests {
		if got := classifyAsk(tt.q); got != tt.want {
			t.Errorf("classifyAsk(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// The subject's words for a time limit join the search only when the
// buyer asks their own limit: the seller's 48 hours to answer are not it.
func TestSubjectConcepts(t *testing.T) {
	tests := []struct {
		q      string
		kind   askKind
		locale string
		want   string
	}{
		{"how long does a dispute take?", askDuration, "en", "decision time decides"},
		{"¿hasta cuándo puedo abrir una disputa?", askDeadline, "es", "plazos para abrir una disputa"},
		{"si abro una disputa el vendedor tiene 48 horas para contestar, es así?", askDeadline, "es", ""},
		{"환불 얼마나 걸려요?", askDuration, "ko", "환불 처리 기간"},
		{"can I get a refund after a dispute?", askAllowed, "en", ""},
		{"how long does the seller have to respond to my dispute?", askDuration, "en", ""},
	}
	for _, tt := range tests {
		if got := subjectConcepts(tt.q, tt.kind, tt.locale); got != tt.want {
			t.Errorf("subjectConcepts(%q, %v, %s) = %q, want %q", tt.q, tt.kind, tt.locale, got, tt.want)
		}
	}
}
