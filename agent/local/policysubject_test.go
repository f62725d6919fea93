package local_test

import (
	"testing"

	"github.com/csagent/csagent/agent/local"
)

// A question about one process gets the fact of that process, not the
// same kind of fact about another: how long a dispute's decision takes is
// not how long a refund takes, and until when a dispute may be opened is
// not until when a refund may be asked for. Written for this test (issue
// 14, round 8), in buyers' words that share none of the sections'
// headings, in the four languages.
func TestPolicyAnswersTheSubjectAsked(t *testing.T) {
	p := newPolicyAgent(t)
	c, err := classifier()
	if err != nil {
		t.Fatal(err)
	}
	m := local.New(c)
	tests := []struct {
		locale, question string
		// fact lists the fact's acceptable spellings.
		fact []string
	}{
		// The decision of a dispute, not the refund's 5 business days.
		{"en", "I opened a dispute a week ago and heard nothing. How long until somebody decides it?", []string{"10 days"}},
		{"ko", "분쟁 신청한 지 꽤 됐는데 결과 나오기까지 보통 얼마나 걸리나요?", []string{"10일"}},
		{"es", "abrí una disputa hace unos días, ¿cuánto tarda en resolverse normalmente?", []string{"10 días"}},
		{"ru", "Открыл спор по заказу, сколько времени занимает рассмотрение?", []string{"10 дней"}},
		// Until when a dispute may be opened, counted from delivery.
		{"en", "got the parcel a while back, how many days after receiving it can I still open a dispute?", []string{"60 days"}},
		{"ko", "택배 받은 후에 며칠 안에 분쟁 신청할 수 있어요?", []string{"60일"}},
		{"es", "¿cuántos días tengo para abrir una disputa después de recibir el paquete?", []string{"60 días"}},
		{"ru", "сколько дней после получения посылки можно открыть спор?", []string{"60 дней"}},
		// Until when a return may be asked for, in chat spelling.
		{"es", "q plazo tengo pa devolver unos zapatos q no me quedan?", []string{"30 días"}},
		// How long the money takes, in a message that counts days too.
		{"ko", "반품하면 환불금이 카드로 들어오기까지 대략 며칠 정도 걸리는지 궁금해요", []string{"5일"}},
		// What comes next in a dispute: the seller's answer, the
		// marketplace's decision.
		{"en", "ok I opened the dispute yesterday, what now? do I have to chase the seller myself?", []string{"3 days", "Maru Market decides"}},
		{"ko", "분쟁 신청했어요. 그다음엔 제가 판매자랑 얘기해야 하나요?", []string{"3일", "Maru Market"}},
		{"es", "ya abrí la disputa, ¿y ahora qué? ¿hablo yo con el vendedor?", []string{"3 días", "Maru Market decide"}},
		{"ru", "открыла спор, а дальше что? мне самой с продавцом договариваться?", []string{"3 дн", "Maru Market"}},
		// What to do about a broken item is how to ask for the money
		// back, with photos, though the buyer names no refund.
		{"en", "the mug came chipped, how do I sort this out?", []string{"photo"}},
		{"ko", "컵이 깨져서 왔는데 어떻게 해야 하나요?", []string{"사진"}},
		{"es", "la lámpara llegó rota, ¿qué debo hacer?", []string{"foto"}},
		{"ru", "чайник пришёл с трещиной, что нужно сделать?", []string{"фото"}},
		// How many of something: the number the policy sets.
		{"en", "how many times can one order be refunded?", []string{"3 refunds"}},
		{"ko", "분쟁 하나에 증빙 자료 몇 개까지 올릴 수 있어요?", []string{"10개"}},
		{"es", "¿cuántas pruebas puedo subir a una disputa?", []string{"10 pruebas"}},
		{"ru", "сколько раз можно вернуть деньги по одному заказу?", []string{"3 возврат"}},
		// A number of days that something takes.
		{"en", "how many business days does it take for the money to come back?", []string{"5 business days"}},
		// What happens about a broken item is its refund's request;
		// what happens to a parcel that never comes is the dispute
		// after 15 days, though the buyer hopes for the money back.
		{"en", "the blender came dented, what happens now?", []string{"photo"}},
		{"ko", "믹서기가 찌그러져서 왔어요 이런 경우 어떻게 처리돼요?", []string{"사진"}},
		{"es", "la tostadora llegó abollada, ¿qué pasa ahora?", []string{"foto"}},
		{"en", "what happens if my parcel never shows up, do I get my money back?", []string{"15 days"}},
		// A card payment reversed is a refund to the card.
		{"ko", "체크카드로 샀는데 환불하면 카드 취소로 처리되나요, 아니면 포인트로 들어오나요?", []string{"원래 결제 수단"}},
		// Money back for one item of several.
		{"ko", "셔츠랑 바지 샀는데 셔츠만 반품하면 얼마 돌려받아요?", []string{"부분 환불", "일부"}},
	}
	for _, tt := range tests {
		t.Run(tt.locale+"/"+tt.question, func(t *testing.T) {
			reply := p.answer(t, m, tt.locale, tt.question)
			if missing := missingFact(reply, [][]string{tt.fact}); missing != "" {
				t.Errorf("answer(%q) = %q, want it to state %q", tt.question, reply, missing)
			}
		})
	}
}
