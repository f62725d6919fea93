package nlu_test

import (
	"fmt"

	"github.com/csagent/csagent/agent/local/nlu"
)

func ExampleClassifier_Parse() {
	c, err := nlu.New()
	if err != nil {
		panic(err)
	}
	r := c.Parse("주문번호 10042 상품이 파손돼서 3만원 환불해 주세요", "")
	fmt.Println(r.Intent, r.Locale, r.Slots.OrderID, r.Slots.Reason, r.Slots.Amount.Minor, r.Slots.Amount.Currency)

	r = c.Parse("ORD-10042?", "es")
	fmt.Println(r.Intent, r.Locale, r.Confidence <= 0.5)
	// Output:
	// refund_request ko ORD-10042 damaged 30000 KRW
	// order_status es true
}

func ExampleExtractSlots() {
	s := nlu.ExtractSlots("mi pedido nº 10042 llegó roto, devuélvanme 1.250,75 €")
	fmt.Println(s.OrderID, s.Reason, s.Amount.Minor, s.Amount.Currency)
	// Output: ORD-10042 damaged 125075 EUR
}

func ExampleDetectLocale() {
	fmt.Println(nlu.DetectLocale("환불 refund 해주세요", "en"))
	fmt.Println(nlu.DetectLocale("¿dónde está mi pedido?", ""))
	fmt.Println(nlu.DetectLocale("ORD-10042", "ru-RU"))
	// Output:
	// ko
	// es
	// ru
}
