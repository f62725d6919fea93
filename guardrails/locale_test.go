package guardrails

import (
	"fmt"
	"testing"
	"time"

	"github.com/csagent/csagent/tools/l10n"
)

// Replies write amounts and dates the reader's way (package l10n):
// "₩286,000", "5 000,00 ₽", "136,40 €", "27 de noviembre de 2026",
// "2026년 11월 27일". The hallucination check reads them as the tool
// results' canonical values (minor units and currency, ISO dates), so a
// right one passes and a wrong one is still flagged.
func TestLocaleFormattedAmountsAndDatesAgainstCanonicalEvidence(t *testing.T) {
	c := newChecker(t)
	created := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	evidence := func(minor int64, cur string) string {
		return fmt.Sprintf(`{"ok":true,"data":{"refund_id":"RF-7K2M9QX4BD","order_id":"ORD-10102","amount":{"minor":%d,"currency":%q},"status":"pending","created_at":"2026-11-27T08:00:00Z"}}`, minor, cur)
	}
	sentence := map[string]string{
		"en": "Refund RF-7K2M9QX4BD of %s for order ORD-10102 was requested on %s.",
		"ko": "주문 ORD-10102의 환불 RF-7K2M9QX4BD(%s)는 %s에 신청되었습니다.",
		"es": "El reembolso RF-7K2M9QX4BD de %s del pedido ORD-10102 se solicitó el %s.",
		"ru": "Возврат RF-7K2M9QX4BD на сумму %s по заказу ORD-10102 запрошен %s.",
	}
	amounts := []struct {
		minor int64
		cur   string
	}{{286000, "KRW"}, {500000, "RUB"}, {13640, "EUR"}, {6998, "USD"}}
	for locale, tmpl := range sentence {
		for _, a := range amounts {
			ev := Evidence{Texts: []string{evidence(a.minor, a.cur)}}
			right := fmt.Sprintf(tmpl, l10n.Money(locale, a.minor, a.cur), l10n.Date(locale, created))
			if r := c.CheckOutput(right, locale, "buyer", ev); len(unsupported(r)) > 0 {
				t.Errorf("CheckOutput(%q) flags %v, want it supported by %s", right, unsupported(r), ev.Texts[0])
			}
			wrongAmount := fmt.Sprintf(tmpl, l10n.Money(locale, a.minor+100, a.cur), l10n.Date(locale, created))
			if r := c.CheckOutput(wrongAmount, locale, "buyer", ev); !flags(r, claimAmount) {
				t.Errorf("CheckOutput(%q) = %v, want the amount flagged against %d %s", wrongAmount, unsupported(r), a.minor, a.cur)
			}
			wrongDate := fmt.Sprintf(tmpl, l10n.Money(locale, a.minor, a.cur), l10n.Date(locale, created.AddDate(0, 0, 1)))
			if r := c.CheckOutput(wrongDate, locale, "buyer", ev); !flags(r, claimDate) {
				t.Errorf("CheckOutput(%q) = %v, want the date flagged against 2026-11-27", wrongDate, unsupported(r))
			}
		}
	}
}

func unsupported(r OutputResult) []string {
	var out []string
	for _, v := range r.Violations {
		if v.Type == TypeUnsupported {
			out = append(out, v.Rule+" "+v.Span)
		}
	}
	return out
}

func flags(r OutputResult, kind string) bool {
	for _, v := range r.Violations {
		if v.Type == TypeUnsupported && v.Rule == kind {
			return true
		}
	}
	return false
}
