package local

import (
	"strings"

	"github.com/csagent/csagent/agent/local/nlu"
)

// Some goods fail in ways of their own that the classifier's problem words
// (broken, doesn't work, wrong item) do not name: a download that will not
// open or has blank pages, an engraving with the name misspelt. Told after
// the rules refused the money back for such an item ("digital downloads
// are not refundable" — "the pdf won't even open and half the pages are
// blank"), the fault is what a dispute covers, and the refusal promised
// one; read as no problem at all, the message was out of scope and the
// buyer's "ok do that" opened nothing. goodsFault reads these faults as
// the goods not being as described, so the refusal's next step, the
// dispute card (refusalfault.go), follows.

// goodsFaults are the faults of one kind of goods: the words that say
// the goods are that kind (kindWords) and the words of the fault
// (faultWords), folded (nlu.Fold, lower case, no apostrophes).
type goodsFaults struct {
	// category is the product category (tools.OrderItem.Category) the
	// faults belong to.
	category   string
	kindWords  []string
	faultWords []string
}

// goodsFaultTable lists the faults of the goods whose refunds the rules
// refuse and a dispute still covers: a file that does not open, an
// inscription not as ordered. Each is checked only for its own kind of
// goods, so "sorry, typo" about an order number or "the box won't open"
// is no fault of a download or an engraving.
var goodsFaultTable = []goodsFaults{
	{
		category: "digital",
		kindWords: foldAll([]string{
			"pdf", "file", "download", "ebook", "e-book", "link", "page",
			"파일", "다운", "pdf", "링크", "페이지", "전자책",
			"archivo", "descarga", "descarg", "enlace", "pagina", "libro digital",
			"файл", "скача", "загруз", "ссылк", "страниц",
		}),
		faultWords: foldAll([]string{
			"wont open", "doesnt open", "does not open", "didnt open", "cant open", "cannot open", "can not open", "unable to open",
			"wont load", "doesnt load", "wont download", "cant download", "cannot download", "corrupt", "blank page", "pages blank",
			"pages r blank", "pages are blank", "is blank", "are blank", "all blank", "just blank", "blank screen", "empty file", "file is empty",
			"0 bytes", "zero bytes", "broken link", "link is broken", "link doesnt work", "unreadable", "garbled", "missing pages",
			"안 열", "안열", "열리지", "안 열려", "다운로드가 안", "다운로드 안", "다운이 안", "다운 안", "백지", "빈 페이지", "빈페이지",
			"하얗게", "내용이 없",
			"no abre", "no se abre", "no me abre", "no puedo abrir", "no lo puedo abrir", "no carga", "no se descarga",
			"no puedo descargar", "corrupt", "en blanco", "archivo vacio", "esta vacio", "paginas vacias", "enlace roto", "link roto", "ilegible", "faltan paginas",
			"не открыва", "не открылся", "не открылась", "не могу открыть", "не скачива", "не могу скачать", "не загружа",
			"битый", "битая", "пустые страницы", "страницы пустые", "пустой файл", "файл пустой", "белые страницы", "ссылка не работает", "нечитаем", "не хватает страниц",
		}),
	},
	{
		category: "personalised",
		kindWords: foldAll([]string{
			// Words of the personalisation itself: "name" or "letter"
			// alone may be a parcel's label.
			"engrav", "inscription", "personali", "custom", "monogram", "initials",
			"각인", "이니셜", "새겨", "새긴", "맞춤",
			"grabad", "personaliz", "iniciales", "inscripcion",
			"гравир", "надпис", "инициал", "именн", "персонал",
		}),
		faultWords: foldAll([]string{
			"misspelt", "misspelled", "misspelling", "spelling mistake", "spelling error", "spelled wrong", "spelt wrong",
			"spelled incorrectly", "typo", "wrong name", "wrong letter", "wrong text", "wrong initial", "wrong engraving",
			"wrong inscription", "engraving is wrong", "engraved wrong", "engraved incorrectly", "name is wrong", "name wrong",
			"missing a letter", "missing letter", "letters are wrong", "mistake in the name", "error in the name",
			"철자가 틀", "철자 틀", "철자가 잘못", "오타", "이름이 틀", "이름이 잘못", "이름을 잘못", "이름을 틀", "잘못 새겨", "틀리게 새겨",
			"잘못 각인", "각인이 잘못", "각인이 틀", "글자가 틀", "글자가 잘못", "글자 하나가", "이니셜이 틀", "이니셜이 잘못",
			"이니셜이 다르", "문구가 틀", "문구가 잘못", "스펠링이 틀",
			"falta de ortografia", "faltas de ortografia", "error de ortografia", "errata", "mal escrito", "mal escrita",
			"nombre equivocado", "nombre mal", "nombre incorrecto", "letra equivocada", "letras equivocadas", "mal grabad",
			"grabado mal", "grabado incorrecto", "grabado equivocado", "iniciales equivocadas", "iniciales mal",
			"error en el nombre", "error en el grabado", "error en la inscripcion", "falta una letra", "le falta una letra",
			"ошибка в имени", "ошибку в имени", "ошибкой в имени", "ошибки в имени", "ошибка в надписи", "ошибку в надписи",
			"ошибка в гравировке", "ошибку в гравировке", "опечатк", "с ошибкой", "с ошибками", "неправильно написа",
			"неправильно выгравир", "неправильное имя", "неправильная надпись", "не то имя", "не та надпись", "не те буквы",
			"перепутали букв", "буквы перепутаны", "пропущена буква", "пропустили букву", "не хватает буквы",
			"ошиблись в имени", "ошиблись в надписи", "ошиблись в гравировке",
		}),
	},
}

// goodsFault reads a fault of the goods of the order under discussion, or
// of the goods the message names, that the classifier left without a
// problem: the goods not as described. It notes the reason in the slots
// and claims the message; it leaves a message with a problem read alone.
func (d *dialogue) goodsFault() bool {
	if d.slots.Reason != "" && d.slots.Reason != nlu.ReasonChangedMind {
		return false
	}
	q := " " + strings.ReplaceAll(nlu.Fold(strings.ToLower(d.text)), "'", "") + " "
	q = strings.ReplaceAll(q, "’", "")
	o, looked := d.looked[d.lastOrder]
	for _, g := range goodsFaultTable {
		if !containsAny(q, g.faultWords) {
			continue
		}
		held := false
		if looked {
			for _, it := range o.Items {
				held = held || it.Category == g.category
			}
		}
		if held || containsAny(q, g.kindWords) {
			d.slots.Reason = nlu.ReasonNotAsDescribed
			return true
		}
	}
	return false
}
