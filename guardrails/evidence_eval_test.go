package guardrails

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// The tool results below are what the demo's tools return (captured from
// `csagent seed --demo` data through tools.Registry); the policy passages
// are read from the demo policies themselves.

const (
	// get_order and track_shipment of ORD-10003 (buyer-003): shipped with
	// UPS on 2026-12-03, in transit.
	order10003    = `{"order_id":"ORD-10003","status":"shipped","shop_id":"shop-maple","shop_name":"Maple \u0026 Pine Outfitters","total":{"minor":25800,"currency":"USD"},"refunded":{"minor":0,"currency":"USD"},"placed_at":"2026-12-03T07:35:00Z","paid_at":"2026-12-03T08:00:00Z","shipped_at":"2026-12-03T17:00:00Z","carrier":"UPS","tracking_number":"1Z9378414179","items":[{"line":1,"product_id":"p-maple-boots","name":"Trail hiking boots","quantity":2,"unit_price":{"minor":12900,"currency":"USD"},"refundable":true,"refunded_quantity":0}]}`
	order10003Sum = `Order ORD-10003 from Maple & Pine Outfitters is shipped. Total 258.00 USD. Shipped 2026-12-03 with UPS, tracking 1Z9378414179.`
	track10003    = `{"order_id":"ORD-10003","status":"in_transit","carrier":"UPS","tracking_number":"1Z9378414179","shipped_at":"2026-12-03T17:00:00Z","not_received_dispute_from":"2026-12-18T17:00:00Z","not_received_dispute_until":"2027-02-01T17:00:00Z"}`
	track10003Sum = `Order ORD-10003 shipped 2026-12-03 with UPS, tracking number 1Z9378414179; it is on its way. If it has not arrived by 2026-12-18, an "item not received" dispute can be opened.`

	// list_orders of buyer-005, then get_order ORD-10005 and the refund
	// the buyer confirmed this turn.
	orders005      = `{"orders":[{"order_id":"ORD-10155","status":"paid","shop_name":"Casa Sol","total":{"minor":16430,"currency":"EUR"},"placed_at":"2026-12-06T05:00:00Z","items":"Sandalias de cuero ×2, Lámpara de mesa de cerámica ×1"},{"order_id":"ORD-10205","status":"delivered","shop_name":"한강 리빙 (Hangang Living)","total":{"minor":196000,"currency":"KRW"},"placed_at":"2026-11-19T07:09:00Z","items":"극세사 담요 ×2, 캔버스 운동화 ×2"},{"order_id":"ORD-10105","status":"cancelled","shop_name":"Casa Sol","total":{"minor":27280,"currency":"EUR"},"placed_at":"2026-11-18T18:00:00Z","items":"Lámpara de mesa de cerámica ×2, Juego de toallas de algodón ×2, Bolso de esparto ×2"},{"order_id":"ORD-10005","status":"delivered","shop_name":"Maple \u0026 Pine Outfitters","total":{"minor":27298,"currency":"USD"},"placed_at":"2026-11-13T19:47:00Z","items":"Waterproof rain jacket ×2, Merino wool socks (3 pack) ×1, Rechargeable camp lantern ×2"},{"order_id":"ORD-10255","status":"shipped","shop_name":"Maple \u0026 Pine Outfitters","total":{"minor":35697,"currency":"USD"},"placed_at":"2026-11-13T19:16:00Z","items":"Rechargeable camp lantern ×2, Insulated steel bottle ×1, Trail hiking boots ×2"},{"order_id":"ORD-10055","status":"delivered","shop_name":"Тайга Крафт (Taiga Crafts)","total":{"minor":120000,"currency":"RUB"},"placed_at":"2026-11-13T09:20:00Z","items":"Алтайский мёд 1 кг ×1"}],"more":false}`
	orders005Sum   = `6 orders: ORD-10155 (paid, 164.30 EUR, 2026-12-06); ORD-10205 (delivered, 196000 KRW, 2026-11-19); ORD-10105 (cancelled, 272.80 EUR, 2026-11-18); ORD-10005 (delivered, 272.98 USD, 2026-11-13); ORD-10255 (shipped, 356.97 USD, 2026-11-13); ORD-10055 (delivered, 1200.00 RUB, 2026-11-13)`
	order10005     = `{"order_id":"ORD-10005","status":"delivered","shop_id":"shop-maple","shop_name":"Maple \u0026 Pine Outfitters","total":{"minor":27298,"currency":"USD"},"refunded":{"minor":0,"currency":"USD"},"placed_at":"2026-11-13T19:47:00Z","paid_at":"2026-11-13T20:00:00Z","shipped_at":"2026-11-15T00:00:00Z","delivered_at":"2026-11-18T00:00:00Z","carrier":"UPS","tracking_number":"1Z3038966636","items":[{"line":1,"product_id":"p-maple-jacket","name":"Waterproof rain jacket","quantity":2,"unit_price":{"minor":8950,"currency":"USD"},"refundable":true,"refunded_quantity":0},{"line":2,"product_id":"p-maple-socks","name":"Merino wool socks (3 pack)","quantity":1,"unit_price":{"minor":2400,"currency":"USD"},"refundable":true,"refunded_quantity":0},{"line":3,"product_id":"p-maple-lantern","name":"Rechargeable camp lantern","quantity":2,"unit_price":{"minor":3499,"currency":"USD"},"refundable":true,"refunded_quantity":0}]}`
	order10005Sum  = `Order ORD-10005 from Maple & Pine Outfitters is delivered. Total 272.98 USD. Shipped 2026-11-15 with UPS, tracking 1Z3038966636. Delivered 2026-11-18.`
	refund10005    = `{"refund_id":"RF-AQGRPR7SVJ","order_id":"ORD-10005","amount":{"minor":2400,"currency":"USD"},"status":"approved","reason":"damaged","items":[{"line":2,"name":"Merino wool socks (3 pack)","quantity":1}],"created_at":"2026-12-06T18:35:41.051439Z","expected_by":"2026-12-11T18:35:41.051439Z"}`
	refund10005Sum = `Refund RF-AQGRPR7SVJ of 24.00 USD for order ORD-10005 is approved (Merino wool socks (3 pack) ×1); it reaches the original payment method within 5 business days, by 2026-12-11.`

	// get_order ORD-10009 (buyer-009): delivered, refunded in full, CJ
	// Logistics.
	order10009    = `{"order_id":"ORD-10009","status":"delivered","shop_id":"shop-hangang","shop_name":"한강 리빙 (Hangang Living)","total":{"minor":137000,"currency":"KRW"},"refunded":{"minor":137000,"currency":"KRW"},"placed_at":"2026-11-14T19:48:00Z","paid_at":"2026-11-14T20:00:00Z","shipped_at":"2026-11-15T03:00:00Z","delivered_at":"2026-11-18T03:00:00Z","carrier":"CJ Logistics","tracking_number":"CJ1821573208","items":[{"line":1,"product_id":"p-hangang-blanket","name":"극세사 담요","quantity":2,"unit_price":{"minor":39000,"currency":"KRW"},"refundable":true,"refunded_quantity":2},{"line":2,"product_id":"p-hangang-sneakers","name":"캔버스 운동화","quantity":1,"unit_price":{"minor":59000,"currency":"KRW"},"refundable":true,"refunded_quantity":1}]}`
	order10009Sum = `Order ORD-10009 from 한강 리빙 (Hangang Living) is delivered. Total 137000 KRW, refunded 137000 KRW. Shipped 2026-11-15 with CJ Logistics, tracking CJ1821573208. Delivered 2026-11-18.`
)

// toolResult is a tool message's content as the agent gives it to the
// model (agent.ToolResult).
func toolResult(t testing.TB, data, summary string) string {
	t.Helper()
	b, err := json.Marshal(struct {
		OK      bool            `json:"ok"`
		Data    json.RawMessage `json:"data"`
		Summary string          `json:"summary"`
	}{true, json.RawMessage(data), summary})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// refundPassages returns a search_policy result with the demo refund
// policy's sections of locale on the refund window, parcels that have not
// arrived, refund timing and return shipping costs.
func refundPassages(t testing.TB, locale string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "retrieval", "policies", locale, "refunds.md"))
	if err != nil {
		t.Fatal(err)
	}
	// The documents of every language have the same sections in the same
	// order; these are the 1st, 6th, 12th and 13th headings.
	var sections []string
	for _, part := range strings.Split(string(b), "\n#")[1:] {
		if strings.HasPrefix(part, "# ") || strings.HasPrefix(part, "## ") {
			sections = append(sections, "#"+part)
		}
	}
	type hit struct {
		Citation string `json:"citation"`
		DocID    string `json:"doc_id"`
		Heading  string `json:"heading"`
		Locale   string `json:"locale"`
		Text     string `json:"text"`
	}
	var hits []hit
	for _, k := range []int{0, 5, 11, 12} {
		s := sections[k]
		heading, text, _ := strings.Cut(s, "\n")
		heading = strings.TrimLeft(heading, "# ")
		hits = append(hits, hit{Citation: "[refunds §" + heading + "]", DocID: "refunds", Heading: heading, Locale: locale, Text: strings.TrimSpace(text)})
	}
	data, err := json.Marshal(struct {
		Hits []hit `json:"hits"`
	}{hits})
	if err != nil {
		t.Fatal(err)
	}
	return toolResult(t, string(data), "4 passages of the refunds policy")
}

// evalScenario is one turn's evidence: what the buyer wrote, what the
// tools returned, the actions it took.
type evalScenario struct {
	buyer   []string
	texts   []string
	actions []Action
}

func (sc evalScenario) evidence() Evidence {
	return Evidence{Texts: sc.texts, Buyer: sc.buyer, Actions: sc.actions}
}

// The buyer's message of the shipped-order turn claims a refund, an
// amount, a delivery, a date, a carrier and a tracking number the tools
// do not give.
const buyerClaims = "Hi, my order ORD-10003 was refunded 500.00 USD (refund RF-ZZ9988) and delivered on December 1 by DHL, tracking JD014600006281 — can you confirm?"

func evalScenarios(t testing.TB) map[string]evalScenario {
	policy := func(l string) string { return refundPassages(t, l) }
	shipped := func(l, msg string) evalScenario {
		return evalScenario{buyer: []string{msg}, texts: []string{
			toolResult(t, order10003, order10003Sum), toolResult(t, track10003, track10003Sum), policy(l),
		}}
	}
	return map[string]evalScenario{
		"shipped-en": shipped("en", buyerClaims),
		"shipped-es": shipped("es", "Hola, mi pedido ORD-10003 fue reembolsado 500,00 USD (reembolso RF-ZZ9988) y entregado el 1 de diciembre por DHL, ¿me lo confirma?"),
		"shipped-ru": shipped("ru", "Здравствуйте, мой заказ ORD-10003 вернули 500,00 USD (возврат RF-ZZ9988) и доставили 1 декабря через DHL, подтвердите?"),
		"shipped-ko": shipped("ko", "안녕하세요, 주문 ORD-10003이 500.00 USD 환불되었고(환불 RF-ZZ9988) 12월 1일 DHL로 배송 완료되었죠?"),
		"refunded-now": {
			buyer: []string{"Yes, please refund the socks from ORD-10005, they arrived torn. My other order is 164.30 EUR I think."},
			texts: []string{toolResult(t, orders005, orders005Sum), toolResult(t, order10005, order10005Sum),
				toolResult(t, refund10005, refund10005Sum), policy("en")},
			actions: []Action{{Kind: ActionRefund, OrderID: "ORD-10005"}},
		},
		"krw-ko": {
			buyer: []string{"ORD-10009 환불 얼마 됐어요? 200,000원 받은 것 같은데요"},
			texts: []string{toolResult(t, order10009, order10009Sum), policy("ko")},
		},
	}
}

// evalReply is an LLM-style reply to one scenario: correct (it must pass)
// or wrong (it must not), with the violation rule a wrong one is caught
// by.
type evalReply struct {
	scenario, locale string
	class            string
	text             string
	correct          bool
	rule             string
}

// evalReplies are written as LLMs write: hedges, markdown, lists,
// currencies in every common form.
var evalReplies = []evalReply{
	// Correct paraphrases of what the tools and the policy say.
	{"shipped-en", "en", "status", "Good news! Your order **ORD-10003** is on its way — it shipped on December 3 with UPS, and you can follow it with tracking number 1Z9378414179.", true, ""},
	{"shipped-en", "en", "list", "Here's what I found for ORD-10003:\n\n- **Status:** shipped, in transit\n- **Carrier:** UPS\n- **Tracking #:** 1Z9378414179\n- **Order total:** $258.00\n\nLet me know if there's anything else!", true, ""},
	{"shipped-en", "en", "buyer-claim-corrected", "I checked ORD-10003, and I don't see any refund on it: nothing has been refunded so far, and it's still in transit with UPS (tracking 1Z9378414179).", true, ""},
	{"shipped-en", "en", "policy", "You can request a refund up to 30 days after your order was delivered [refunds §Refund window].", true, ""},
	{"shipped-en", "en", "policy-cost", "If you return an item because you changed your mind, the buyer pays for return shipping; if it arrived damaged, the seller pays [refunds §Return shipping costs].", true, ""},
	{"shipped-en", "en", "policy-timing", "Once approved, refunds are sent back to your original payment method within 5 business days.", true, ""},
	{"refunded-now", "en", "action-taken", "Done! I've issued a refund of $24.00 for the Merino wool socks on ORD-10005 (refund RF-AQGRPR7SVJ). It should reach your original payment method by December 11.", true, ""},
	{"refunded-now", "en", "scoped-amounts", "Sure — ORD-10005 from Maple & Pine Outfitters came to USD 272.98, and ORD-10155 from Casa Sol is 164,30 € (paid, not shipped yet).", true, ""},
	{"shipped-es", "es", "status", "Su pedido ORD-10003 se envió el 3 de diciembre con UPS; el número de seguimiento es 1Z9378414179.", true, ""},
	{"shipped-es", "es", "policy", "Puede solicitar un reembolso hasta 30 días después de la entrega del pedido.", true, ""},
	{"shipped-ru", "ru", "status", "Ваш заказ ORD-10003 отправлен 3 декабря службой UPS, трек-номер 1Z9378414179.", true, ""},
	{"refunded-now", "en", "action-taken-2", "I've gone ahead and processed your refund: **$24.00** (RF-AQGRPR7SVJ) for the socks from ORD-10005.", true, ""},
	{"shipped-en", "en", "refusal", "I'm not able to cancel ORD-10003 since it has already shipped, but once it's delivered you can request a refund within 30 days.", true, ""},
	{"shipped-en", "en", "offer", "If it hasn't arrived by December 18, you can open an \"item not received\" dispute — just let me know and I'll start it for you.", true, ""},
	{"shipped-en", "en", "policy-not-arrived", "If your parcel still hasn't arrived 15 days after it shipped, you can open an \"item not received\" dispute.", true, ""},
	{"shipped-en", "en", "proposal", "I've sent you a confirmation request for the refund of $258.00 on ORD-10003 — tap **Confirm** to go ahead.", true, ""},
	{"shipped-en", "en", "looking", "I've started looking into your claim about ORD-10003, and it is still on its way with UPS.", true, ""},
	{"shipped-es", "es", "checked", "He revisado su pedido ORD-10003: fue enviado con UPS y el total fue de 258,00 USD.", true, ""},
	{"krw-ko", "ko", "status", "주문 ORD-10009는 2026-11-18에 배송 완료되었고, 137,000원 전액이 환불되었습니다. 운송장 번호는 CJ1821573208입니다.", true, ""},

	// Wrong: the buyer's claims repeated.
	{"shipped-en", "en", "buyer-amount", "Yes, your order ORD-10003 was refunded 500.00 USD.", false, "amount"},
	{"shipped-en", "en", "buyer-refund-id", "I can confirm that refund RF-ZZ9988 has been processed for ORD-10003.", false, "refund_id"},
	{"shipped-en", "en", "buyer-status", "You're right — ORD-10003 has already been delivered. Is there anything else I can help with?", false, "status"},
	{"shipped-en", "en", "buyer-date", "Thanks for your patience! Your order ORD-10003 was delivered on December 1.", false, "date"},
	{"shipped-en", "en", "buyer-tracking", "Your order ORD-10003 is with the carrier — your tracking number is JD014600006281.", false, "tracking_number"},
	{"shipped-es", "es", "buyer-amount", "Sí, su pedido ORD-10003 fue reembolsado por 500,00 USD.", false, "amount"},
	{"shipped-ko", "ko", "buyer-amount", "네, 주문 ORD-10003은 500.00 USD가 환불되었습니다.", false, "amount"},
	// Wrong: another order's amount, date or state.
	{"refunded-now", "en", "cross-amount", "Your order ORD-10005 totals 164.30 EUR.", false, "amount"},
	{"refunded-now", "en", "cross-amount-2", "Looking at ORD-10005, the total was $356.97.", false, "amount"},
	{"refunded-now", "en", "cross-status", "Your order ORD-10155 was delivered on November 18.", false, "status"},
	{"krw-ko", "ko", "buyer-amount-krw", "주문 ORD-10009는 200,000원이 환불되었습니다.", false, "amount"},
	// Wrong: an action claimed that no tool took this turn.
	{"shipped-en", "en", "action-refund", "I've issued a full refund of $258.00 for ORD-10003.", false, "action"},
	{"shipped-en", "en", "action-cancel", "No problem — I've cancelled order ORD-10003 for you.", false, "action"},
	{"shipped-en", "en", "action-dispute", "I have opened an \"item not received\" dispute for ORD-10003, and the seller will be in touch.", false, "action"},
	{"shipped-es", "es", "action-refund", "He procesado el reembolso de 258,00 USD para su pedido ORD-10003.", false, "action"},
	{"refunded-now", "en", "action-other-kind", "All set: I've refunded the socks and cancelled ORD-10005.", false, "action"},
	// Wrong: carrier, tracking number, date.
	{"shipped-en", "en", "carrier", "Your order ORD-10003 shipped with DHL.", false, "carrier"},
	{"shipped-ko", "ko", "carrier", "주문 ORD-10003은 우체국 택배로 발송되었습니다.", false, "carrier"},
	{"shipped-en", "en", "tracking", "You can track ORD-10003 with tracking number 1Z9378414180.", false, "tracking_number"},
	{"shipped-en", "en", "date", "ORD-10003 shipped on December 5 with UPS.", false, "date"},
	// Wrong: the policy contradicted.
	{"shipped-en", "en", "policy-free-returns", "Return shipping is always free for you.", false, "policy_contradiction"},
	{"shipped-en", "en", "policy-prepaid", "Don't worry about the cost: we'll email you a prepaid return label, so return shipping is free.", false, "policy_contradiction"},
	{"shipped-en", "en", "policy-damaged-buyer-pays", "If the item arrived damaged, you'll need to pay the return shipping yourself.", false, "policy_contradiction"},
	{"shipped-es", "es", "policy-free-returns", "El envío de devolución siempre es gratis para usted.", false, "policy_contradiction"},
	{"shipped-en", "en", "policy-days", "You have 60 days after delivery to request a refund.", false, "duration"},
	{"shipped-en", "en", "policy-days-2", "Approved refunds reach your card within 10 business days.", false, "duration"},
	{"shipped-ru", "ru", "policy-days", "Вы можете запросить возврат средств в течение 60 дней после доставки.", false, "duration"},
}

// TestOnlyTrustedSourcesBackClaims runs LLM-style replies against real tool
// results and the demo refund policy: every correct paraphrase passes, and
// every wrong reply is caught by the claim class it breaks.
func TestOnlyTrustedSourcesBackClaims(t *testing.T) {
	c := newChecker(t)
	scs := evalScenarios(t)
	var passed, correct, caught, wrong int
	for _, r := range evalReplies {
		t.Run(r.scenario+"/"+r.class, func(t *testing.T) {
			sc, ok := scs[r.scenario]
			if !ok {
				t.Fatalf("no scenario %q", r.scenario)
			}
			got := c.CheckOutput(r.text, r.locale, "buyer", sc.evidence())
			// Streamed in small deltas, the reply gets the same verdict.
			st := c.NewStream(r.locale, "buyer", sc.evidence())
			for rest := r.text; rest != ""; {
				n := min(len(rest), 7)
				for n < len(rest) && !utf8.RuneStart(rest[n]) {
					n++
				}
				st.Write(rest[:n])
				rest = rest[n:]
			}
			st.Flush()
			if sv := st.Result().Verdict; (sv == Pass) != (got.Verdict == Pass) {
				t.Errorf("streamed, %q is %s; checked whole, %s", r.text, sv, got.Verdict)
			}
			var rules []string
			for _, v := range got.Violations {
				rules = append(rules, v.Type+":"+v.Rule)
			}
			if r.correct {
				correct++
				if got.Verdict == Pass {
					passed++
				} else {
					t.Errorf("CheckOutput(%q) = %s %v, want pass", r.text, got.Verdict, rules)
				}
				return
			}
			wrong++
			if got.Verdict == Pass {
				t.Errorf("CheckOutput(%q) = pass, want it caught (%s)", r.text, r.rule)
				return
			}
			caught++
			if !strings.Contains(strings.Join(rules, " "), ":"+r.rule) {
				t.Errorf("CheckOutput(%q) caught it by %v, want by %s", r.text, rules, r.rule)
			}
		})
	}
	t.Logf("correct paraphrases passed: %d/%d; wrong replies caught: %d/%d", passed, correct, caught, wrong)
}
