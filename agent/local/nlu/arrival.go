package nlu

// Whether the parcel has come is what tells a delivery problem from a
// question about the order. A buyer whose parcel has not come, however
// late, stuck or lost it is, wants to know where it is: that is the
// order's status ("tracking hasn't moved since monday", "где он", "어디
// 멈춘거죠"). A delivery problem is told of a parcel that came: the goods
// found wrong in it (flaw.go), or a parcel the tracking marks delivered
// that the buyer does not have ("says delivered but nothing at the door",
// "배송완료라는데 아무것도 안 왔어요"). The words of either are many and
// the order words that come with both pull to a status, so the
// classifier sees what the message says of the arrival as features of
// its own (see featurize): the parcel came, the parcel came with goods
// found wrong, the parcel is marked delivered and is missing.

// arrivedCues are folded keywords saying the parcel or the goods came:
// Latin and Cyrillic at a word start, Hangul anywhere. A negated arrival
// ("never arrived", "안 왔어요") is the not-received reason, which
// arrivalOf reads first.
var arrivedCues = prepare(
	"arrived", "came ", "came with", "came in", "came today", "got here", "showed up", "turned up",
	"received", "i got ", "we got ", "just got ", "delivered today", "opened the box", "opened the parcel",
	"opened it", "unboxed", "inside the box", "in the box", "inside was", "inside were",
	"llego", "llegaron", "me llego", "me han llegado", "me ha llegado", "ha llegado", "han llegado",
	"vino ", "vinieron", "viene ", "vienen ", "venia", "recibi", "he recibido", "abri la caja",
	"abri el paquete", "dentro de la caja", "en la caja",
	"пришел", "пришла", "пришло", "пришли", "приехал", "приехала", "приехало", "привезли",
	"получил", "получила", "получили", "доставили", "открыл", "открыла", "в коробке", "в посылке",
	"왔어", "왔는데", "왔네", "왔고", "왔습니다", "왔음", "도착했", "도착하였", "받았", "받아보", "받은",
	"열어보", "열었더니", "뜯어보", "뜯었더니", "상자에", "박스에", "들어있",
)

// deliveredMarkCues are folded keywords of a tracking status that says
// the parcel was handed over: with the parcel missing, a delivery
// problem, not a question of where it is.
var deliveredMarkCues = prepare(
	"delivered", "marked as delivered", "handed to", "proof of delivery", "signed for",
	"entregado", "entregada", "pone entregado", "figura entregado", "foto de entrega", "firmado por",
	"доставлен", "доставлена", "вручен", "вручено", "отметка о доставке",
	"배송완료", "배송 완료", "배달완료", "배달 완료", "수령 완료", "수령완료", "본인 수령", "완료라",
)

// undeliveredCues negate deliveredMarkCues: "not delivered yet" is a
// parcel on its way.
var undeliveredCues = prepare(
	"not delivered", "never delivered", "wasnt delivered", "isnt delivered", "not been delivered",
	"no entregado", "no ha sido entregado", "sin entregar", "no me lo han entregado",
	"не доставлен", "не доставлено", "не вручен", "не вручено",
)

// missingCues are folded keywords of nothing found where the parcel
// should be.
var missingCues = prepare(
	"nothing", "nobody", "no one", "not there", "isnt there", "wasnt there", "empty", "not mine",
	"nada", "nadie", "vacio", "vacia", "no esta", "no hay", "no es mi",
	"ничего", "никто", "пусто", "пустая", "пустой", "нет ", "не моя", "не мой",
	"없어", "없고", "없는", "없음", "비어", "안 왔", "안왔", "아니에요", "아닌데",
)

// arrival is what a message says of the parcel's arrival.
type arrival struct {
	// came is set when the message says the parcel or goods came.
	came bool
	// missing is set when the tracking marks the parcel delivered and
	// the buyer says it is not there.
	missing bool
}

// arrivalOf reads kt, the folded message with its reason, for what it
// says of the parcel's arrival.
func arrivalOf(kt keywordText, reason string) arrival {
	var a arrival
	marked := anyCue(kt, kt.present, deliveredMarkCues) && !anyCue(kt, kt.present, undeliveredCues)
	if marked && (reason == ReasonNotReceived || anyCue(kt, kt.present, missingCues)) {
		a.missing = true
	}
	if reason != ReasonNotReceived && anyCue(kt, kt.present, arrivedCues) {
		a.came = true
	}
	return a
}

// delayCues are folded keywords of a parcel late or lost on its way,
// beyond the stall cues (act.go).
var delayCues = prepare(
	"late", "delayed", "delay", "lost", "overdue", "still not here", "never came", "never arrived",
	"retras", "tarde", "perdi", "extravi", "no ha llegado", "no me ha llegado", "nunca llego",
	"задерж", "опазд", "потерял", "потерян", "утерян", "так и не приш", "до сих пор нет",
	"늦", "지연", "분실", "잃어버", "아직도 안", "감감무소식",
)

// TellsDelay reports whether text tells of a parcel late, stuck or lost on
// its way ("my package is late, tracking hasn't updated", "посылка
// застряла", "배송이 지연돼요"). Such a message asks where the parcel is,
// an order's status; its tracking says more of it than the order does.
func TellsDelay(text string) bool {
	n := normalize(text)
	if looksTranslit(n) {
		n = detranslit(n)
	}
	kt := newKeywordText(fold(n))
	return anyCue(kt, kt.present, delayCues) || anyCue(kt, kt.present, actMatchers.stall)
}
