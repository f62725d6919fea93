package nlu

import (
	"strings"
	"unicode"
)

// Buyers close one matter and open the next in the same message: "ok
// thanks. what about ORD-10014?", "спасибо! а что со вторым заказом?".
// The thanks is for the last answer; what the message asks is what
// follows it, and read whole it is mostly thanks.

// ackWords are the words of an acknowledgement, folded. "Yes" and "no"
// are not among them: they answer a question the model asked.
var ackWords = setOf(
	"ok", "okay", "okey", "okk", "kk", "k", "thanks", "thank", "you", "thx", "thnx", "tnx", "ty", "tysm",
	"cheers", "great", "cool", "perfect", "nice", "awesome", "got", "it", "alright", "allright",
	"understood", "much", "so", "very", "i", "see", "well", "for", "that", "the", "info",
	"gracias", "muchas", "mil", "vale", "perfecto", "genial", "entendido", "bueno", "listo", "por", "la",
	"informacion", "entiendo",
	"спасибо", "спс", "благодарю", "большое", "ок", "окей", "понятно", "ясно", "хорошо", "отлично",
	"супер", "за", "информацию", "ответ",
	"감사합니다", "감사해요", "감사", "고맙습니다", "고마워요", "알겠습니다", "알겠어요", "좋아요", "오케이", "ㅇㅋ",
	// A greeting opens like an "ok": "buenas, ¿qué sabéis del
	// ORD-10155?" asks about the order, and is greeting only read whole.
	"hi", "hello", "hey", "hiya", "good", "morning", "afternoon", "evening",
	"hola", "buenas", "buenos", "dias", "tardes", "noches",
	"привет", "здравствуйте", "здрасте", "добрый", "доброе", "день", "вечер", "утро",
	"안녕하세요", "안녕",
)

// thanksWords are the ackWords that thank.
var thanksWords = setOf(
	"thanks", "thank", "thx", "thnx", "tnx", "ty", "tysm", "cheers", "gracias", "спасибо", "спс",
	"благодарю", "감사합니다", "감사해요", "감사", "고맙습니다", "고마워요",
)

// AfterAcknowledgement returns text without a leading acknowledgement
// ("ok thanks.", "gracias!", "спасибо,", "감사합니다.") when something
// follows it that says more: a thanks is dropped before anything, a bare
// "ok" only before a question or a number ("ok. what about ORD-10014?"),
// since "ok, do it" answers the model. Otherwise it returns text as it is.
func AfterAcknowledgement(text string) string {
	for {
		rest := afterAck(text)
		if rest == text {
			return text
		}
		text = rest
	}
}

// afterAck takes one acknowledgement off text, as AfterAcknowledgement
// says.
func afterAck(text string) string {
	cut := strings.IndexFunc(text, func(r rune) bool { return strings.ContainsRune(".!,;…\n", r) })
	if cut < 0 {
		return text
	}
	head := fold(strings.ToLower(normalize(text[:cut])))
	words := strings.FieldsFunc(head, func(r rune) bool { return !isWordRune(r) })
	if len(words) == 0 {
		return text
	}
	thanks := false
	for _, w := range words {
		if !ackWords[w] {
			return text
		}
		thanks = thanks || thanksWords[w]
	}
	rest := strings.TrimLeft(text[cut:], ".!,;…\n \t")
	if !strings.ContainsFunc(rest, isWordRune) {
		return text
	}
	if !thanks && !strings.ContainsAny(rest, "?？") && !strings.ContainsFunc(rest, unicode.IsDigit) {
		return text
	}
	return rest
}

// closing reports whether i only acknowledges, greets or answers yes or
// no: a reading of what follows a thanks that says no more than the
// thanks.
func closing(i Intent) bool {
	return i == Thanks || i == Greeting || i == Affirm || i == Deny
}
