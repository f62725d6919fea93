package local

import "github.com/csagent/csagent/agent/local/nlu"

// Goods that fail at what they are for are told in more ways than the
// classifier's reason words know: a kettle or a samovar that does not heat
// ("не нагревается", "no calienta", "안 데워져요"), a lamp that does not
// light, earphones with no sound. Read without a reason, "самовар не
// нагревается" is no problem at all, and the buyer who asks what to do
// gets "I didn't understand". These are read beside the classifier's
// reason (nlu.Reason*) where a problem with the buyer's own goods is
// looked for (ownProblem), as a defect; the classifier's words stay as
// they are.

// moreFaultCues are defects the classifier's reason words do not know,
// folded as cueText writes a message.
var moreFaultCues = foldAll([]string{
	// en
	" doesn t heat", " doesnt heat", " does not heat", " won t heat", " wont heat", " not heating", " stopped heating", " doesn t warm",
	" doesnt warm", " won t boil", " wont boil", " doesn t boil", " doesnt boil", " doesn t light", " doesnt light", " won t light",
	" no sound", " doesn t make sound", " no audio", " stopped charging", " won t hold a charge", " doesn t hold a charge",
	" doesn t cool", " doesnt cool", " doesn t keep", " doesnt keep", " broke after", " fell apart", " came apart",
	// es
	" no calienta", " no se calienta", " no hierve", " no ilumina", " no se ilumina", " no suena", " sin sonido", " no mantiene",
	" no enfria", " se rompio al", " se deshizo", " se despego",
	// ru
	" не нагревается", " не греет", " не нагревает", " перестал греть", " перестал нагреваться", " не закипает", " не кипятит",
	" не светит", " не горит", " нет звука", " не звучит", " не держит", " не заряжает", " развалил", " отклеил",
	" ne greet", " ne nagrevaetsya",
	// ko
	"안 데워", "데워지지", "가열이 안", "가열 안", "안 끓", "끓지 않", "불이 안 들어", "소리가 안", "sound가 안", "소리 안",
	"보온이 안", "보온 안", "충전이 안 돼", "떨어졌어요", "뜯어졌",
})

// faultReason is the reason a message tells a problem with the goods in:
// the classifier's, or a defect in the words above; "" for none.
func faultReason(r nlu.Result, text string) string {
	if r.Slots.Reason != "" {
		return r.Slots.Reason
	}
	if containsAny(cueText(text), moreFaultCues) {
		return nlu.ReasonDefective
	}
	return ""
}
