package agent

import (
	"strings"
	"testing"

	"github.com/csagent/csagent/tools"
)

// TestHandoffBriefRepeat reads whether the buyer says this is not their
// first time, in the four languages, and checks that the brief tells the
// person in each reader's language next to the order and the problem; a
// buyer who only asks to check again, or names a day before which, says
// nothing of the kind.
func TestHandoffBriefRepeat(t *testing.T) {
	const ok = `{"ok":true,"data":{}}`
	tests := []struct {
		name    string
		msgs    []Message
		order   string
		problem string
		repeat  bool
	}{
		{"en contacted before", convo("ORD-10310 tracking hasn't moved for a week", "track_shipment|ORD-10310|"+ok,
			"I already contacted you about this last Tuesday and got the same story. a human please"),
			"ORD-10310", "stuck", true},
		{"en happened before", convo("the mug in ORD-10311 arrived broken", "get_order|ORD-10311|"+ok,
			"this keeps happening with your couriers, put me through to an agent"),
			"ORD-10311", "damaged", true},
		{"en check again is no repeat", convo("my parcel ORD-10312 never arrived", "track_shipment|ORD-10312|"+ok,
			"can someone check again before Friday? I want a person"),
			"ORD-10312", "not_received", false},
		{"ko told to wait before", convo("ORD-10313 배송이 5일째 그대로예요", "get_order|ORD-10313|"+ok,
			"저번에 문의했을 때도 기다리라고만 하셨어요 상담원 연결해 주세요"),
			"ORD-10313", "stuck", true},
		{"ko third time", convo("ORD-10314 컵이 깨져서 왔어요", "get_order|ORD-10314|"+ok, "이거 세 번째 문의예요 사람 연결해줘요"),
			"ORD-10314", "damaged", true},
		{"ko no repeat", convo("ORD-10315 상품을 못 받았어요", "track_shipment|ORD-10315|"+ok, "상담원 연결해 주세요"),
			"ORD-10315", "not_received", false},
		{"es wrote before", convo("el pedido ORD-10316 llegó roto", "get_order|ORD-10316|"+ok,
			"ya les escribí hace una semana y nadie me ha solucionado nada, quiero hablar con una persona"),
			"ORD-10316", "damaged", true},
		{"es again", convo("otra vez me llega el paquete sin nada dentro, ORD-10317 no me ha llegado", "track_shipment|ORD-10317|"+ok, "con un humano por favor"),
			"ORD-10317", "not_received", true},
		{"es no repeat", convo("el ORD-10318 no me ha llegado", "track_shipment|ORD-10318|"+ok, "páseme con una persona"),
			"ORD-10318", "not_received", false},
		{"ru already wrote", convo("посылка ORD-10319 застряла, неделю без изменений", "track_shipment|ORD-10319|"+ok,
			"я уже писала вам в прошлый раз и ничего, позовите оператора"),
			"ORD-10319", "stuck", true},
		{"ru again", convo("опять пришёл разбитый чайник, заказ ORD-10320", "get_order|ORD-10320|"+ok, "дайте человека"),
			"ORD-10320", "damaged", true},
		{"ru no repeat", convo("заказ ORD-10321 так и не пришёл", "track_shipment|ORD-10321|"+ok, "дайте оператора"),
			"ORD-10321", "not_received", false},
	}
	repeatLine := map[string]string{}
	for _, locale := range []string{"en", "ko", "es", "ru"} {
		lines := tools.HandoffBrief{Orders: []tools.BriefOrder{{ID: "ORD-1"}}, Repeat: true}.Lines(locale, nil)
		repeatLine[locale] = lines[len(lines)-1]
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := handoffBrief(tt.msgs)
			if b == nil || len(b.Orders) == 0 {
				t.Fatalf("handoffBrief = %+v, want a brief of %s", b, tt.order)
			}
			if o := b.Orders[0]; o.ID != tt.order || !strings.Contains(strings.Join(o.Problems, "+"), tt.problem) {
				t.Errorf("first order = %s %v, want %s with %s", o.ID, o.Problems, tt.order, tt.problem)
			}
			if b.Repeat != tt.repeat {
				t.Errorf("Repeat = %v, want %v", b.Repeat, tt.repeat)
			}
			for locale, line := range repeatLine {
				text := b.Render(locale, nil)
				if got := strings.Contains(text, line); got != tt.repeat {
					t.Errorf("Render(%s) = %q; has the repeat line: %v, want %v", locale, text, got, tt.repeat)
				}
				if !strings.Contains(text, tt.order) {
					t.Errorf("Render(%s) = %q, want the order %s", locale, text, tt.order)
				}
			}
		})
	}
}

// TestRepeatLineNamesAnEarlierTime pins that the repeat sentence of each
// reader's language says "before" in its own words: what the person
// taking over must read.
func TestRepeatLineNamesAnEarlierTime(t *testing.T) {
	want := map[string]string{"en": "before", "ko": "이전에도", "es": "antes", "ru": "ранее"}
	for locale, w := range want {
		lines := tools.HandoffBrief{Orders: []tools.BriefOrder{{ID: "ORD-1"}}, Repeat: true}.Lines(locale, nil)
		if got := lines[len(lines)-1]; !strings.Contains(got, w) {
			t.Errorf("Lines(%s) last = %q, want it to say %q", locale, got, w)
		}
	}
}
