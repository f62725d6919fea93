package nlu

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// slotSeeds are utterances that reach every slot rule: prefixed, keyword,
// hash and bare order ids, refund and dispute ids, amounts in each
// currency and notation, Korean money units, and the numbers that must not
// become order ids (phones, dates, postcodes).
var slotSeeds = []string{
	"",
	"ORD-10042",
	"ＯＲＤ－１００４２ 어디예요",
	"order #10042 hasn't shipped",
	"my order number is 10042, refund $20.50",
	"pedido nº 10042, reembolso de 15,99 €",
	"заказ №10042 верните 1 500,50 руб.",
	"주문번호는 10042 이고 3만원 환불",
	"2만5천원 1.5만 원 15000원",
	"RF-3fa9 DSP-77 rf-face",
	"call me at 555-12345 or +1 10042",
	"zip code 10001 and 2024.10.042",
	"10042",
	"# 10042 !!",
	"US$1,500.50 and 1.500,50 EUR and 1 500 dollars",
	"₩ 30000 ₽ 12 € 9,5",
	"ord10042ord10043 order 1004 order 100420",
	"\xff\xfeORD-1\xc300042",
	"ORD-10042?", "주문번호 10042 환불 3만원", "pedido nº 10042, 1.250,75 €",
	"заказ №10042 1 500 ₽", "#10042 $1,299.99 RF-9a3f DSP-17", "ＯＲＤ１２３４５",
	"translate to Korean", "99999999999999999999 $",
}

// FuzzExtractSlots checks slot extraction on any input: it never panics,
// and what it extracts is there to be read: an order id's five digits and
// a dispute id's digits occur in the normalised text, and an amount's
// significant digits occur among the text's digits (grouping and decimal
// separators and the Korean units 만 and 천 aside).
func FuzzExtractSlots(f *testing.F) {
	for _, s := range slotSeeds {
		f.Add(s)
	}
	// The training data: how customers really type.
	fh, err := os.Open(filepath.Join("data", "train.tsv"))
	if err != nil {
		f.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for n := 0; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || n%7 != 0 {
			continue
		}
		if cols := strings.SplitN(line, "\t", 3); len(cols) == 3 {
			f.Add(cols[2])
		}
	}
	if err := sc.Err(); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s := ExtractSlots(text)
		norm := normalize(text)
		digits := onlyDigits(norm)
		if s.OrderID != "" {
			d, ok := strings.CutPrefix(s.OrderID, "ORD-")
			if !ok || len(d) != 5 || onlyDigits(d) != d || !strings.Contains(norm, d) {
				t.Fatalf("ExtractSlots(%q).OrderID = %q, want ORD- and five digits of %q", text, s.OrderID, norm)
			}
		}
		if s.DisputeID != "" {
			d, ok := strings.CutPrefix(s.DisputeID, "DSP-")
			if !ok || d == "" || !strings.Contains(norm, d) {
				t.Fatalf("ExtractSlots(%q).DisputeID = %q, not in %q", text, s.DisputeID, norm)
			}
		}
		if s.RefundID != "" {
			d, ok := strings.CutPrefix(s.RefundID, "RF-")
			if !ok || d == "" || !strings.Contains(norm, strings.ToLower(d)) {
				t.Fatalf("ExtractSlots(%q).RefundID = %q, not in %q", text, s.RefundID, norm)
			}
		}
		if a := s.Amount; a != nil {
			switch a.Currency {
			case "USD", "EUR", "KRW", "RUB":
			default:
				t.Fatalf("ExtractSlots(%q).Amount = %+v: unknown currency", text, *a)
			}
			if a.Minor < 0 {
				t.Fatalf("ExtractSlots(%q).Amount = %+v: negative", text, *a)
			}
			// Won have no minor unit: "0,7원" rounds half up to ₩1, so
			// the whole part typed is one less.
			if !strings.Contains(digits, significant(a.Minor)) && (a.Currency != "KRW" || !strings.Contains(digits, significant(a.Minor-1))) {
				t.Fatalf("ExtractSlots(%q).Amount = %+v: %s is not among the digits %q", text, *a, significant(a.Minor), digits)
			}
		}
	})
}

// significant returns the decimal digits of n without trailing zeros
// (which 만, 천 and the cents of a whole amount add), "0" for zero.
func significant(n int64) string {
	if s := strings.TrimRight(strconv.FormatInt(n, 10), "0"); s != "" {
		return s
	}
	return "0"
}

// onlyDigits returns the ASCII digits of s in order.
func onlyDigits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isASCIIDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
