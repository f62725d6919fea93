package nlu

import "strings"

// slang maps the chat spellings buyers use to the words the training data
// spells out, so that "wanna", "ur" and "pls" read like "want to", "your"
// and "please" however few training examples use them. Keys are folded
// tokens; a value may hold several words.
var slang = map[string][]string{
	// English.
	"u": {"you"}, "ur": {"your"}, "youre": {"you", "are"}, "r": {"are"}, "pls": {"please"}, "plz": {"please"},
	"plss": {"please"}, "plox": {"please"}, "pleaseee": {"please"}, "pleasee": {"please"}, "wanna": {"want", "to"},
	"gonna": {"going", "to"}, "gotta": {"have", "to"}, "gimme": {"give", "me"}, "lemme": {"let", "me"},
	"thx": {"thanks"}, "thnx": {"thanks"}, "tnx": {"thanks"}, "ty": {"thank", "you"}, "tysm": {"thank", "you"},
	"rn": {"right", "now"}, "cuz": {"because"}, "coz": {"because"}, "bc": {"because"}, "wat": {"what"},
	"wut": {"what"}, "wht": {"what"}, "hw": {"how"}, "wher": {"where"}, "whr": {"where"}, "pkg": {"package"},
	"pkge": {"package"}, "ordr": {"order"}, "oder": {"order"}, "refnd": {"refund"}, "reffund": {"refund"},
	"refun": {"refund"}, "acct": {"account"}, "acc": {"account"}, "addy": {"address"}, "msg": {"message"},
	"im": {"i", "am"}, "ive": {"i", "have"}, "dunno": {"do", "not", "know"}, "idk": {"i", "do", "not", "know"},
	"asap": {"now"}, "yall": {"you"}, "k": {"ok"}, "kk": {"ok"}, "okey": {"ok"}, "okay": {"ok"},
	"yup": {"yes"}, "yep": {"yes"}, "yeah": {"yes"}, "ya'll": {"you"}, "nah": {"no"}, "nope": {"no"},
	"tho": {"though"}, "w": {"with"}, "smth": {"something"}, "sth": {"something"}, "b4": {"before"},
	// Spanish.
	"q": {"que"}, "xq": {"porque"}, "pq": {"porque"}, "porq": {"porque"}, "x": {"por"}, "tb": {"tambien"},
	"tmb": {"tambien"}, "porfa": {"por", "favor"}, "porfis": {"por", "favor"}, "xfa": {"por", "favor"},
	"xfavor": {"por", "favor"}, "porfavor": {"por", "favor"}, "d": {"de"}, "pa": {"para"}, "pal": {"para", "el"},
	"toy": {"estoy"}, "ta": {"esta"}, "kiero": {"quiero"}, "nesesito": {"necesito"}, "ola": {"hola"},
	"grax": {"gracias"}, "grcs": {"gracias"}, "dnd": {"donde"}, "pedio": {"pedido"}, "rembolso": {"reembolso"},
	"reembolzo": {"reembolso"}, "devolucion": {"devolucion"},
	// Russian.
	"пж": {"пожалуйста"}, "пжл": {"пожалуйста"}, "плз": {"пожалуйста"}, "пжлст": {"пожалуйста"},
	"пожалуста": {"пожалуйста"}, "щас": {"сейчас"}, "спс": {"спасибо"}, "сяп": {"спасибо"}, "чё": {"что"},
	"че": {"что"}, "чо": {"что"}, "шо": {"что"}, "када": {"когда"}, "скока": {"сколько"}, "скок": {"сколько"}, "скоко": {"сколько"}, "ща": {"сейчас"},
	"мб": {"может", "быть"}, "нз": {"не", "знаю"}, "хз": {"не", "знаю"}, "оч": {"очень"}, "норм": {"нормально"},
	"ок": {"ок"}, "окей": {"ок"}, "заказик": {"заказ"},
}

// emoji maps the emoji that carry intent to words. Other symbols are
// dropped by tokenize as punctuation.
var emoji = map[rune]string{
	'👍': "ok", '👌': "ok", '✅': "ok", '🆗': "ok", '✔': "ok", '🙏': "please", '👎': "no", '❌': "no",
	'🙅': "no", '😡': "angry", '🤬': "angry", '😤': "angry", '💢': "angry", '😠': "angry", '😢': "sad",
	'😭': "sad", '😞': "sad", '😩': "sad", '😔': "sad", '❤': "thanks", '🥰': "thanks", '😘': "thanks",
	'👋': "hello", '💸': "money", '💰': "money", '💵': "money", '📦': "package", '🚚': "delivery",
	'🤔': "question", '❓': "question", '❔': "question",
}

// loanwords are English words that Korean and Russian buyers write in
// their own script ("리펀드 해주세요", "хочу рефанд"), with the native word
// they stand for. They are matched at the start of a token, so that
// particles and case endings carry over: "리펀드는" reads "환불는",
// "рефанда" reads "возврата".
var loanwords = []struct{ from, to string }{
	{"리펀드", "환불"}, {"리펀", "환불"}, {"캔슬", "취소"},
	{"рефанд", "возврат"}, {"рифанд", "возврат"}, {"кэнсел", "отмен"}, {"кенсел", "отмен"},
}

// fromLoanword returns w with a leading loanword replaced by its native
// word, or w and false.
func fromLoanword(w string) (string, bool) {
	for _, l := range loanwords {
		if rest, ok := strings.CutPrefix(w, l.from); ok {
			return l.to + rest, true
		}
	}
	return w, false
}
