package agent

import (
	"encoding/json"
	"strings"
	"testing"
)

// convo builds what a model sees of a conversation: buyer lines, and
// calls ("call:tool:ORD-…:result") with their results.
func convo(lines ...string) []Message {
	var msgs []Message
	for i, l := range lines {
		tool, rest, isCall := strings.Cut(l, "|")
		if !isCall {
			msgs = append(msgs, Message{Role: RoleUser, Content: l})
			continue
		}
		order, result, _ := strings.Cut(rest, "|")
		id := "call_" + string(rune('a'+i))
		args, _ := json.Marshal(map[string]string{"order_id": order})
		msgs = append(msgs,
			Message{Role: RoleAssistant, ToolCalls: []ToolCall{{ID: id, Name: tool, Arguments: args}}},
			Message{Role: RoleTool, ToolCallID: id, Name: tool, Content: result},
			Message{Role: RoleAssistant, Content: "…"})
	}
	return msgs
}

// TestHandoffBrief reads the brief of the conversations angry buyers have
// before asking for a person, in the four languages: the order, the
// problem and what was tried come from the conversation, whatever the
// last message (or the model's summary) says.
func TestHandoffBrief(t *testing.T) {
	const ok = `{"ok":true,"data":{}}`
	tests := []struct {
		name    string
		msgs    []Message
		order   string
		problem string
		wants   string
		tried   string
		upset   bool
	}{
		{"en not received", convo("my boots order says delivered but nothing is here. ORD-10033", "track_shipment|ORD-10033|"+ok,
			"thats useless, I already checked with the neighbours. this is ridiculous", "get me a real human NOW"),
			"ORD-10033", "not_received", "person", "track_shipment:done", true},
		{"en site error", convo("the return button for ORD-10034 gives me an error", "get_order|ORD-10034|"+ok,
			"tried again, same error. i've wasted an hour on this", "i want to speak to a person, not a bot"),
			"ORD-10034", "site_error", "person", "get_order:done", true},
		{"ko refund not received", convo("환불 언제 돼요 ORD-10051", "get_refund_status|ORD-10051|"+ok, "저번에도 똑같은 말 했잖아요;;", "사람이랑 얘기할래요. 상담사 바꿔줘요"),
			"ORD-10051", "refund_not_received", "refund_status", "get_refund_status:done", true},
		{"ko not received", convo("배송완료라는데 이어폰 못 받았어요 ORD-10050", "track_shipment|ORD-10050|"+ok, "상담원 연결해 주세요"),
			"ORD-10050", "not_received", "person", "track_shipment:done", false},
		{"es refund not received", convo("el reembolso del ORD-10086 todavia no me llega", "get_refund_status|ORD-10086|"+ok, "pasame con un humano, estoy harta"),
			"ORD-10086", "refund_not_received", "refund_status", "get_refund_status:done", true},
		{"ru not received, order in a past call only", convo("самовар так и не пришёл", "track_shipment|ORD-10120|"+ok, "дайте живого оператора!!!"),
			"ORD-10120", "not_received", "person", "track_shipment:done", true},
		{"ru delivered but absent", convo("ORD-10120 пишет доставлен а самовара нет", "get_order|ORD-10120|"+ok, "дайте оператора"),
			"ORD-10120", "not_received", "person", "get_order:done", false},
		{"refused refund", convo("refund ORD-10042, the kettle is broken", `request_refund|ORD-10042|{"ok":false,"error":{"code":"window_expired"}}`, "a person please"),
			"ORD-10042", "damaged", "refund", "request_refund:refused", false},
		// A dent is damage, and a refund the card or bank does not show
		// has not arrived, whatever else the message says of the order.
		{"en dented, form error", convo("one of the two flasks in ORD-10400 came dented and the refund form keeps showing an error", "get_order|ORD-10400|"+ok, "a human please"),
			"ORD-10400", "site_error+damaged", "refund", "get_order:done", false},
		{"es cancelled, refund not on the card", convo("anularon el ORD-10401 hace diez días y el reembolso no se refleja en mi cuenta", "get_refund_status|ORD-10401|"+ok, "con una persona, por favor"),
			"ORD-10401", "refund_not_received", "refund_status", "get_refund_status:done", false},
		{"en refund not showing", convo("ORD-10402 was cancelled last week but the refund isn't showing on my statement", "get_refund_status|ORD-10402|"+ok, "let me talk to someone"),
			"ORD-10402", "refund_not_received", "refund_status", "get_refund_status:done", false},
		{"ru refund not credited", convo("заказ ORD-10403 отменили, а деньги так и не зачислили на карту", "get_refund_status|ORD-10403|"+ok, "позовите оператора"),
			"ORD-10403", "refund_not_received", "refund_status", "get_refund_status:done", false},
		{"en dead on arrival, page crashing", convo("the lantern from ORD-10405 was dead on arrival", "get_order|ORD-10405|"+ok,
			"I tried the return page three times and it keeps crashing on me", "get me a manager"),
			"ORD-10405", "damaged+site_error", "person", "get_order:done", false},
		{"es cancelled, still charged", convo("cancelé el ORD-10406 el lunes y me siguen cobrando", "get_order|ORD-10406|"+ok, "con un humano"),
			"ORD-10406", "refund_not_received", "refund_status", "get_order:done", false},
		{"ru cancelled, money still taken", convo("отменила ORD-10407, а деньги так и списаны", "get_order|ORD-10407|"+ok, "оператора"),
			"ORD-10407", "refund_not_received", "refund_status", "get_order:done", false},
		{"ko refund not deposited", convo("ORD-10404 취소했는데 환불금이 입금이 안 됐어요", "get_refund_status|ORD-10404|"+ok, "상담원 연결해 주세요"),
			"ORD-10404", "refund_not_received", "refund_status", "get_refund_status:done", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := handoffBrief(tt.msgs)
			if b == nil || len(b.Orders) == 0 {
				t.Fatalf("handoffBrief = %+v, want order %s", b, tt.order)
			}
			o := b.Orders[0]
			var tried []string
			for _, a := range o.Tried {
				tried = append(tried, a.Tool+":"+a.Outcome)
			}
			got := strings.Join(tried, ",")
			if o.ID != tt.order || strings.Join(o.Problems, "+") != tt.problem || o.Wants != tt.wants || got != tt.tried || b.Upset != tt.upset {
				t.Errorf("handoffBrief = %s %s wants %s tried %s upset %v, want %s %s wants %s tried %s upset %v",
					o.ID, o.Problems, o.Wants, got, b.Upset, tt.order, tt.problem, tt.wants, tt.tried, tt.upset)
			}
		})
	}
}

// TestHandoffBriefNoOrder gives no brief for a conversation about no
// order: the handoff then writes what it can without one.
func TestHandoffBriefNoOrder(t *testing.T) {
	if b := handoffBrief(convo("hablo con una persona?", "quiero una persona")); b != nil {
		t.Errorf("handoffBrief = %+v, want nil", b)
	}
}

// TestHandoffBriefRender writes a brief in each reader's language and for
// one shop's orders only.
func TestHandoffBriefRender(t *testing.T) {
	b := handoffBrief(convo("배송완료라는데 이어폰 못 받았어요 ORD-10050", "track_shipment|ORD-10050|{}",
		"and my ORD-10101 is broken", "상담원 연결해 주세요"))
	for locale, want := range map[string]string{"en": "has not received", "ko": "받지 못했습니다", "es": "no le ha llegado", "ru": "не получил"} {
		got := b.Render(locale, func(id string) bool { return id == "ORD-10050" })
		if !strings.Contains(got, "ORD-10050") || !strings.Contains(got, want) || strings.Contains(got, "ORD-10101") {
			t.Errorf("Render(%s, ORD-10050 only) = %q, want ORD-10050, %q and no ORD-10101", locale, got, want)
		}
	}
	if got := b.Render("ko", func(string) bool { return false }); got != "" {
		t.Errorf("Render with no order kept = %q, want empty", got)
	}
}

// TestHandoffBriefEveryProblem keeps each problem an angry buyer told
// before asking for a person, with the words that told it: a parcel whose
// tracking stopped moving, a wrong item and then an app that fails, a
// broken item and then a failing refund — before, the brief kept only the
// last problem told (the app's error), or none, and the summary then
// named neither the stuck parcel nor the wrong item.
func TestHandoffBriefEveryProblem(t *testing.T) {
	const ok = `{"ok":true,"data":{}}`
	tests := []struct {
		name     string
		msgs     []Message
		order    string
		problems string
		words    int
	}{
		{"en stuck", convo("ORD-10300 has shown the same tracking status for a week now, it just isn't moving", "track_shipment|ORD-10300|"+ok,
			"you keep telling me to wait", "connect me with someone"), "ORD-10300", "stuck", 1},
		{"en wrong then error", convo("opened the box from ORD-10301 and it's not my lamp, it's a set of mugs", "get_order|ORD-10301|"+ok,
			"and the return page throws an error every time", "a human please"), "ORD-10301", "wrong_item+site_error", 2},
		{"ko broken then error", convo("ORD-10302 선풍기가 깨져서 도착했어요", "get_order|ORD-10302|"+ok,
			"반품 신청하면 계속 오류 나요", "상담사 연결해 주세요"), "ORD-10302", "damaged+site_error", 2},
		{"ko stuck", convo("ORD-10303 배송 조회가 닷새째 멈춰 있어요", "track_shipment|ORD-10303|"+ok, "사람이랑 얘기할래요"), "ORD-10303", "stuck", 1},
		{"es wrong instead", convo("en el ORD-10304 me mandaron unas sábanas en vez de la manta", "get_order|ORD-10304|"+ok,
			"la app me da error al pedir el reembolso", "quiero hablar con alguien"), "ORD-10304", "wrong_item+site_error", 2},
		{"es stuck", convo("el envío del ORD-10305 sigue parado desde el lunes, no se mueve", "track_shipment|ORD-10305|"+ok, "páseme con una persona"), "ORD-10305", "stuck", 1},
		{"ru stuck", convo("посылка по ORD-10306 застряла, статус без изменений неделю", "track_shipment|ORD-10306|"+ok, "дайте оператора"), "ORD-10306", "stuck", 1},
		{"ru transliterated, wrong and stuck", convo("v ORD-10307 prislali chashki vmesto chaynika, a trek ne dvigaetsya", "get_order|ORD-10307|"+ok, "operator nuzhen"),
			"ORD-10307", "wrong_item+stuck", 1},
		{"ru wrong then error", convo("в заказе ORD-10308 прислали не мой свитер, а чужой", "get_order|ORD-10308|"+ok,
			"кнопка возврата выдаёт ошибку", "позовите человека"), "ORD-10308", "wrong_item+site_error", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := handoffBrief(tt.msgs)
			if b == nil || len(b.Orders) == 0 {
				t.Fatalf("handoffBrief = %+v, want order %s", b, tt.order)
			}
			o := b.Orders[0]
			if got := strings.Join(o.Problems, "+"); o.ID != tt.order || got != tt.problems || len(o.Words) != tt.words {
				t.Errorf("handoffBrief = %s %s (%d quotes), want %s %s (%d quotes)", o.ID, got, len(o.Words), tt.order, tt.problems, tt.words)
			}
		})
	}
}

// TestHandoffBriefSellerSilentAndOwnWords reads what an angry buyer tells
// before asking for a person when it is no item's fault: a seller who
// leaves the dispute unanswered is a problem of its own, which the
// platform is wanted to decide (before, "не отвечает" gave no problem, the
// dispute read as one to open, and "мне нужен специалист" held the change
// of mind "не нужен"); and a buyer's own account of an order that names no
// known problem ("needed for Saturday's opening") is quoted, so the
// person reads it.
func TestHandoffBriefSellerSilentAndOwnWords(t *testing.T) {
	const ok = `{"ok":true,"data":{}}`
	tests := []struct {
		name     string
		msgs     []Message
		problems string
		wants    string
		quoted   string
	}{
		{"en seller ignores the dispute", convo("I opened a dispute on ORD-10500 a week ago and the seller keeps ignoring it", "get_dispute|ORD-10500|"+ok, "a human, please"),
			"seller_silent", "decision", "ignoring"},
		{"ko seller no reply", convo("ORD-10501 분쟁 신청한 지 일주일인데 판매자 응답이 없어요", "get_dispute|ORD-10501|"+ok, "상담원 불러주세요"),
			"seller_silent", "decision", "응답이 없어요"},
		{"es seller silent", convo("la tienda no contesta a mi disputa del ORD-10502 desde hace días", "get_dispute|ORD-10502|"+ok, "páseme con alguien"),
			"seller_silent", "decision", "no contesta"},
		{"ru seller silent, wants a specialist", convo("по ORD-10503 продавец уже неделю не отвечает на спор", "get_dispute|ORD-10503|"+ok, "мне нужен специалист, а не бот"),
			"seller_silent", "decision", "не отвечает"},
		{"en own account quoted", convo("ORD-10504 has to be here by Friday, it's a birthday present for my son", "get_order|ORD-10504|"+ok, "let me talk to someone"),
			"", "person", "birthday"},
		{"ru not a change of mind", convo("по заказу ORD-10505 нужен срочный ответ", "get_order|ORD-10505|"+ok, "мне нужен живой человек"),
			"", "person", "срочный"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := handoffBrief(tt.msgs)
			if b == nil || len(b.Orders) == 0 {
				t.Fatalf("handoffBrief = %+v, want an order", b)
			}
			o := b.Orders[0]
			got := strings.Join(o.Problems, "+")
			if got != tt.problems || o.Wants != tt.wants || len(o.Words) == 0 || !strings.Contains(o.Words[0], tt.quoted) {
				t.Errorf("handoffBrief = %s wants %s words %q, want %s wants %s quoting %q", got, o.Wants, o.Words, tt.problems, tt.wants, tt.quoted)
			}
		})
	}
	// The reader's card says so, in the reader's language.
	b := handoffBrief(convo("по ORD-10503 продавец уже неделю не отвечает на спор", "get_dispute|ORD-10503|"+ok, "оператора"))
	for locale, want := range map[string]string{"en": "has not responded", "ko": "답변하지 않고", "es": "no ha respondido", "ru": "продавец не отвечает"} {
		if got := b.Render(locale, nil); !strings.Contains(got, want) {
			t.Errorf("Render(%s) = %q, want %q", locale, got, want)
		}
	}
}

// TestHandoffBriefReadsWhatBecameOfACard: an action proposed in an earlier
// turn comes back in the window with its fate (proposalContent); the
// stored summary must say the buyer declined it, not that it still waits
// for the buyer's confirmation, and a carried-out one is done.
func TestHandoffBriefReadsWhatBecameOfACard(t *testing.T) {
	tests := []struct {
		status, want string
	}{
		{ActionPending, "request_refund:waiting"},
		{ActionDeclined, "request_refund:declined"},
		{ActionExpired, "request_refund:expired"},
		{ActionExecuted, "request_refund:done"},
		{ActionFailed, "request_refund:failed"},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			content := proposalContent(Action{ID: "act_1", Tool: "request_refund", Status: tt.status, Summary: "Refund $34.99 for ORD-10201"})
			b := handoffBrief(convo("ORD-10201 arrived with a cracked lid, I want a refund", "request_refund|ORD-10201|"+content, "actually I want to talk to a person"))
			if b == nil || len(b.Orders) == 0 {
				t.Fatalf("handoffBrief = %+v, want ORD-10201", b)
			}
			var tried []string
			for _, a := range b.Orders[0].Tried {
				tried = append(tried, a.Tool+":"+a.Outcome)
			}
			if got := strings.Join(tried, ","); got != tt.want {
				t.Errorf("tried = %s, want %s", got, tt.want)
			}
		})
	}
}
