package agent

import (
	"strings"
	"testing"
)

// TestHandoffBriefQuotesChecksAndThreats reads the checks a buyer made and
// the complaint they threaten, told in a message that names no problem
// and asks for a person, in the four languages: the brief quotes them
// with the order (the one looked up after, when the buyer gave no
// number), beside the problem told first; a message with neither adds
// nothing.
func TestHandoffBriefQuotesChecksAndThreats(t *testing.T) {
	const ok = `{"ok":true,"data":{}}`
	tests := []struct {
		name    string
		msgs    []Message
		order   string
		problem string
		// quoted must be among the brief's words; absent must not.
		quoted, absent string
	}{
		{"en checks", convo("ORD-10401 says delivered but there's nothing at my door", "track_shipment|ORD-10401|"+ok,
			"I asked the neighbours and checked the mailbox twice. get me an agent"),
			"ORD-10401", "not_received", "checked the mailbox", ""},
		{"en threat, no number", convo("3 weeks waiting for my lantern!!", "get_order|ORD-10402|"+ok,
			"put me through to a person or I'm filing a chargeback with my bank"),
			"ORD-10402", "not_received", "chargeback", ""},
		{"ko checks", convo("ORD-10403 배송완료로 나오는데 물건이 없어요", "track_shipment|ORD-10403|"+ok,
			"관리실이랑 택배함 다 확인했어요 상담원 바꿔주세요"),
			"ORD-10403", "not_received", "택배함", ""},
		{"ko threat", convo("ORD-10404 2주째 기다리고 있어요", "get_order|ORD-10404|"+ok,
			"소비자원에 신고할 거예요 사람 연결해 주세요"),
			"ORD-10404", "not_received", "소비자원", ""},
		{"es checks and threat, no number", convo("tres semanas esperando la lámpara, esto es una vergüenza", "get_order|ORD-10405|"+ok,
			"he preguntado al conserje y nada. o me pasáis con alguien o pongo una denuncia"),
			"ORD-10405", "not_received", "denuncia", ""},
		{"ru checks", convo("заказ ORD-10406 доставлен, но я его не получил", "track_shipment|ORD-10406|"+ok,
			"спрашивала у консьержа и соседей, никто не видел. дайте оператора"),
			"ORD-10406", "not_received", "консьержа", ""},
		{"ru threat", convo("жду самовар ORD-10407 уже месяц", "get_order|ORD-10407|"+ok,
			"пожалуюсь в Роспотребнадзор, позовите человека"),
			"ORD-10407", "not_received", "Роспотребнадзор", ""},
		{"ru jar is no bank", convo("заказ ORD-10408 не пришёл", "track_shipment|ORD-10408|"+ok,
			"там банка мёда была, дайте оператора"),
			"ORD-10408", "not_received", "", "банка"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := handoffBrief(tt.msgs)
			if b == nil || len(b.Orders) == 0 {
				t.Fatalf("handoffBrief = %+v, want a brief of %s", b, tt.order)
			}
			o := b.Orders[0]
			if o.ID != tt.order || !strings.Contains(strings.Join(o.Problems, "+"), tt.problem) {
				t.Errorf("first order = %s %v, want %s with %s", o.ID, o.Problems, tt.order, tt.problem)
			}
			words := strings.Join(o.Words, "\n")
			if tt.quoted != "" && !strings.Contains(words, tt.quoted) {
				t.Errorf("words %q, want the buyer's %q quoted", o.Words, tt.quoted)
			}
			if tt.absent != "" && strings.Contains(words, tt.absent) {
				t.Errorf("words %q, want no %q quoted", o.Words, tt.absent)
			}
			for _, locale := range []string{"en", "ko", "es", "ru"} {
				if text := b.Render(locale, nil); tt.quoted != "" && !strings.Contains(text, tt.quoted) {
					t.Errorf("Render(%s) = %q, want %q", locale, text, tt.quoted)
				}
			}
		})
	}
}
