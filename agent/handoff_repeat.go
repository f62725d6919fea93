package agent

// A buyer who says this is not the first time ("this is the SECOND time",
// "지난번에도 기다리라고 했잖아요", "ya os escribí la semana pasada", "я уже
// второй раз пишу") tells the person taking over something the
// conversation cannot show: an earlier chat, or the same problem before.
// The assistant cannot see earlier conversations, so the buyer's word is
// all there is, and a person who does not know it answers with the same
// "please wait" the buyer was given before. The brief says so
// (tools.HandoffBrief.Repeat).

// repeatWords say the buyer has contacted about this before, or it has
// happened to them before, lower-cased. Bare "again" and "before" are left
// out: "check again", "before Friday" say neither.
var repeatWords = []string{
	"second time", "third time", "2nd time", "3rd time", "not the first time", "again and again", "once again",
	"happened again", "happening again", "happens again", "keeps happening", "happened before", "happened to me before",
	"already wrote", "already written", "already contacted", "already asked", "already complained", "already reported", "already told",
	"already messaged", "already chatted", "wrote before", "written before", "contacted you before", "asked before", "told me before",
	"told me to wait", "told to wait", "last time", "previous chat", "earlier chat", "keep telling me",
	"지난번", "저번에", "저번 ", "전에도", "이전에도", "두 번째", "두번째", "세 번째", "세번째", "몇 번째", "몇번째", "몇 번이나", "몇번이나",
	"여러 번", "여러번", "또 이런", "또 이러", "또 같은", "또 기다리", "이미 문의", "이미 연락", "벌써 몇",
	"segunda vez", "tercera vez", "otra vez", "de nuevo", "no es la primera vez", "la última vez", "la ultima vez", "la vez pasada", "la otra vez",
	"ya escribí", "ya escribi", "ya les escribí", "ya les escribi", "ya os escribí", "ya os escribi", "ya he escrito", "ya contacté", "ya contacte",
	"ya he contactado", "ya me dijeron", "ya reclamé", "ya reclame", "ya pregunté", "ya pregunte", "ya me pasó", "ya me paso", "siempre me pasa",
	"второй раз", "третий раз", "в который раз", "не первый раз", "не в первый раз", "снова", "опять", "повторно", "в прошлый раз", "прошлый раз",
	"уже писал", "уже писала", "уже обращал", "уже спрашивал", "уже жаловал", "уже говорил", "ранее писал", "ранее обращал",
	"vtoroy raz", "opyat", "snova",
}

// saysRepeat reports whether text, a buyer's message lower-cased and
// padded with spaces, says this is not their first contact or the first
// time it happened.
func saysRepeat(text string) bool {
	return containsAnyOf(text, repeatWords)
}
