package nlu

import "strings"

// A buyer who opens the parcel and finds something wrong with it tells
// what they found: a part missing ("came without the charging cable",
// "le falta la pantalla", "нет шнура в комплекте", "한쪽이 빠져 있어요"),
// something else in its place ("a red one instead of the black one", "dos
// sandalias izquierdas"), the goods worn, torn or stained ("con el asa
// descosida", "пришли с дыркой"), a download that will not open. Told
// without a request, that is a delivery problem; told with a want, the
// want decides (a refund, a dispute). The words are many and each is rare
// in training, and the goods named with them ("the lantern", "order
// 10042") pull towards a status or product question, so the classifier
// sees one feature for all of them (see featurize), as it sees one per
// complaint reason. The cues are no complaint reason: a missing piece or
// a stain is no refund reason of the tools', and the dialogue keeps to
// the reasons it knows.

// flawCues are folded keywords of goods found wrong on arrival, matched
// like the reason keywords, beyond the reasons' own words.
var flawCues = prepare(
	// English: parts missing, substitutes, wear and tear, downloads.
	"missing", "came without", "arrived without", "showed up without", "without the cable",
	"without the charger", "without the lid", "without the strap", "not in the box", "wasnt in the box",
	"isnt in the box", "only got one", "only received one", "only one of the",
	"instead of", "two left", "two right", "2 left", "2 right", "different sizes",
	"tear in", "tear on", "a tear", "a rip", "rip in", "rip on", "scratch on", "scratches", "a scratch",
	"a dent", "dents", "stain", "mould", "mold", "smell", "smells", "clearly used", "been used",
	"secondhand", "second hand", "frayed", "unstitched", "coming apart", "peeling",
	"faded", "bent", "loose thread", "wont open", "doesnt open", "wont download", "doesnt download",
	"link doesnt work", "link is broken", "code doesnt work", "code isnt working",
	// Spanish.
	"me falta", "le falta", "les falta", "falta un", "falta el", "falta la", "falta algo", "faltan ",
	"faltaba", "faltaban", "vino sin", "vinieron sin", "llego sin", "llegaron sin",
	"viene sin", "vienen sin", "no venia", "no traia", "no trae ", "solo llego", "solo vino",
	"solo me llego", "solo me vino", "en vez de", "en lugar de", "dos izquierd",
	"dos derech", "distinta a la que", "distinto al que", "distinta de la que", "distinto del que",
	"no son las que", "no son los que", "no es la que", "no es el que", "cosas que no son", "otro color",
	"otra talla", "otro numero", "otro modelo", "despegad", "deshilachad", "descosid",
	"mancha", "estan usad", "esta usad", "vienen usad", "viene usad", "venia usad", "parece usad",
	"parecen usad", "gastad", "sucio", "sucia", "huele", "olor", "doblad", "torcid", "desconchad",
	"rasgad", "rasgon", "abolladura", "arañaz", "aranaz", "no se descarga", "no se abre", "enlace da error", "enlace no funciona",
	"mal de fabrica",
	// Russian.
	"не хватает", "не хватало", "нет в комплекте", "в комплекте нет", "не положили", "недолож",
	"недовлож", "пришел без", "пришла без", "пришло без", "пришли без", "приехал без", "приехала без",
	"вместо", "два левых", "две левых", "два правых", "две правых", "разного размера",
	"разных размеров", "разные размеры", "вмятин", "скол ", "сколы", "сколом", "отколот", "потертост", "потерт", "ношен",
	"грязн", "пахнет", "запах", "затяжк", "погнут", "отклеил", "распорол", "разошел",
	"разошлась", "облез", "лопнул", "лопнула", "не скачивается", "не открывается",
	// Korean.
	"빠져", "빠졌", "누락", "안 들어있", "안 들어 있", "하나만 왔", "하나만 옴", "덜 왔", "덜 옴", "대신",
	"왼쪽만", "오른쪽만", "짝짝이", "냄새", "쓰던", "중고", "더러", "휘어", "벗겨", "뜯어져", "안 닫혀",
	"실밥", "보풀", "다운로드가 안", "다운로드 안", "안 열려", "안열려",
)

// flawReason reports whether r is one of the complaint reasons that say
// the goods came wrong. A fault in use (ReasonDefective: "it does not
// work") is left out: its words are said of a cancellation, a button or
// the site as often ("отмена заказа не работает"), and a cancellation
// told that way is no delivery problem.
func flawReason(r string) bool {
	switch r {
	case ReasonDamaged, ReasonWrongItem, ReasonNotAsDescribed, ReasonCounterfeit:
		return true
	}
	return false
}

// TellsFlaw reports whether text tells of goods found wrong on arrival,
// by a complaint reason of that kind or by flawCues: "the bottle has a
// dent", "чашка со сколом", "플라스틱 냄새가 심해요". The dialogue reads a
// dispute asked for with such words as one about goods not as described,
// rather than asking the buyer what is wrong after they said it.
func TellsFlaw(text string) bool {
	kt := newKeywordText(fold(strings.ToLower(normalize(text))))
	return findFlaw(kt, findReason(kt))
}

// findFlaw reports whether kt tells of goods found wrong on arrival, by a
// reason of that kind or by flawCues.
func findFlaw(kt keywordText, reason string) bool {
	return flawReason(reason) || anyCue(kt, kt.present, flawCues)
}
