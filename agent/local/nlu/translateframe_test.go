package nlu

import "testing"

// A short frame naming the language wanted, with a passage in quotes or
// after a colon, asks for a translation whatever the passage says; a
// story that happens to quote something does not.
func TestTranslationAskedByItsFrame(t *testing.T) {
	c := classifier(t)
	for _, tt := range []struct {
		text, loc string
		want      Intent
	}{
		{`spanish please - "the lid is missing from my order"`, "en", Translate},
		{"in korean pls: cancel my order, I changed my mind", "en", Translate},
		{`¿cómo pongo en inglés "mi paquete llegó roto"?`, "es", Translate},
		{"нужно по-английски: заказ пришёл пустой", "ru", Translate},
		{`"주문 취소해 주세요" 러시아어로 어떻게 써요`, "ko", Translate},
		{"where is my order? I need it by friday", "en", OrderStatus},
	} {
		if r := c.Parse(tt.text, tt.loc); r.Intent != tt.want {
			t.Errorf("Parse(%q) = %s (%.2f), want %s", tt.text, r.Intent, r.Confidence, tt.want)
		}
	}
	for _, text := range []string{
		`the seller wrote to me in english and then said "no refunds after 30 days" but I only had it a week, can you check the rules`,
		"where is my order",
	} {
		if asksTranslationByFrame(text) {
			t.Errorf("asksTranslationByFrame(%q) = true, want false", text)
		}
	}
}
