package nlu

import "testing"

// A Russian conversation typed in Latin letters goes on in Russian when a
// message holds no more than a stray English-looking word ("k 20-go"
// reads "go"): before, such a message was sure English and the reply
// switched language. Plain English or Spanish still switches it. A
// conversation in English follows a message whose words are Russian ones
// typed in Latin letters ("posle", "budet", "pozdno" are words of the
// Russian examples, translitvocab.go): language follows the message.
func TestLatinMessageInARussianConversation(t *testing.T) {
	for _, tt := range []struct{ text, hint, want string }{
		{"posle 7-go budet pozdno", "ru", LocaleRussian},
		{"k 20-go uspeete?", "ru", LocaleRussian},
		{"hello, my parcel never came", "ru", LocaleEnglish},
		{"where is the refund for ORD-10042", "ru", LocaleEnglish},
		{"donde esta mi pedido", "ru", LocaleSpanish},
		{"posle 7-go budet pozdno", "en", LocaleRussian},
		{"ok 7-go", "en", LocaleEnglish},
	} {
		if got := DetectLocale(tt.text, tt.hint); got != tt.want {
			t.Errorf("DetectLocale(%q, %q) = %q, want %q", tt.text, tt.hint, got, tt.want)
		}
	}
}
