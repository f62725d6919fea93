package local

// A buyer in a hurry after an order was looked up ("sry no time, quick
// pls", "voy en el metro xfa rapido", "быстрее, я в метро", "빨리요
// 급해요") asks nothing the classifier can name, yet in the conversation
// wants the one fact that matters about that order: when it comes. The
// message is served as that question about the order under discussion
// (orderFollowUp), answered from its record in one or two sentences, not
// with a request to rephrase.

// hurryCues say the buyer is in a hurry, folded as cueText writes a
// message.
var hurryCues = []string{
	" hurry", " quick", " quickly", " asap", " fast", " in a rush", " rushing", " no time",
	" rapido", " rapida", " rapidito", " prisa", " deprisa", " urgente", " sin tiempo",
	" быстр", " срочно", " скорее", " побыстрее", " некогда", " нет времени", " bystro", " srochno",
	"빨리", "급해", "급하", "시간 없", "시간없",
}

// hurries reports whether text says the buyer is in a hurry.
func hurries(text string) bool { return containsAny(cues(text), hurryCues) }
