package local

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools/l10n"
)

// A buyer shown a card who says "wait", "hold on", "un momento", "погодите"
// or "잠깐만요" has neither confirmed nor called it off: they are thinking,
// or checking with someone. Read on its own words such a message is out
// of scope ("I can only help with your orders"), which leaves the buyer
// unsure whether the card still stands. The reply says that nothing was
// done, that the card still waits for a yes, and that a no is just as
// fine; the card stays as it is. A hold that also takes the request back
// ("wait, don't cancel it") is a withdrawal, which the agent reads first.

// holdCues ask for a moment, folded as cueText writes a message; a
// leading space anchors a cue at a word's start.
var holdCues = foldAll([]string{
	// en
	" wait", " hold on", " hold up", " hang on", " one moment", " one sec", " a sec ", " a second", " a moment", " a minute", " give me a",
	" let me think", " let me check", " let me ask", " let me see", " i ll think", " ill think", " thinking about it", " not sure yet",
	// es
	" espera", " espere", " esperen", " un momento", " un segundo", " un minuto", " un seg", " dame un", " deme un", " déjame pensar", " dejame pensar",
	" déjeme pensar", " dejeme pensar", " déjame ver", " dejame ver", " déjeme ver", " dejeme ver", " lo pienso", " lo consulto", " tengo que pensar",
	// ru, and as typed in Latin letters
	" погоди", " подожди", " подождит", " секунд", " минутк", " минуточк", " момент", " дайте подумать", " дай подумать", " сейчас уточню",
	" уточню", " подумаю", " надо подумать", " нужно подумать", " не спешите", " не торопитесь",
	" podozhd", " pogodi", " sekund", " minutk", " minutochk",
	// ko
	"잠깐", "잠시만", "기다려", "생각해 볼게", "생각해볼게", "생각 좀", "확인해 볼게", "확인해볼게", "물어볼게", "물어 볼게", "물어보고",
})

// holdWords is how long a hold runs at most: "wait" with a few words
// around it, not a message that asks or tells something else.
const holdWords = 8

// gluedNot is a Russian "не" typed without its space before a verb of
// carrying out or calling off ("неотменяйте", "неоформляйте", "ненадо").
var gluedNot = regexp.MustCompile(`(^|[^\p{L}])не(отмен|оформ|дела|возвра|надо|нужно|провод|запуск|отправл|начина|продолжа|трога|спеш|тороп)`)

// unglued returns text with a glued Russian "не" parted from its verb.
func unglued(text string) string {
	return gluedNot.ReplaceAllString(strings.ToLower(text), "${1}не ${2}")
}

// waitingCard is the refund or cancellation the buyer's yes is waiting for,
// ok false when none or several wait.
func (d *dialogue) waitingCard() (card, bool) {
	var waiting []card
	for _, c := range d.cards {
		if c.refund == nil && c.cancel == nil {
			waiting = append(waiting, c)
		}
	}
	if len(waiting) != 1 {
		return card{}, false
	}
	return waiting[0], true
}

// holdsCard reports whether the buyer's message asks for a moment while a
// card waits: a hold, short, naming no order or amount, and no withdrawal.
func (d *dialogue) holdsCard() bool {
	if _, ok := d.waitingCard(); !ok || d.cur.Slots.OrderID != "" || d.cur.Slots.Amount != nil || withdrawsText(d.text) {
		return false
	}
	if len(strings.Fields(d.text)) > holdWords {
		return false
	}
	return containsAny(cues(d.text), holdCues)
}

// holdReply says the waiting card stands, nothing done, a yes or a no
// both fine.
func (d *dialogue) holdReply() (agent.Message, bool) {
	if !d.holdsCard() {
		return agent.Message{}, false
	}
	c, _ := d.waitingCard()
	what := ""
	switch {
	case c.preview.Action == "cancel" && c.preview.Amount != nil:
		what = fmt.Sprintf(holdLines["cancel"][d.lang()], c.preview.OrderID, money(d.locale, *c.preview.Amount))
	case c.preview.Action == "cancel":
		what = fmt.Sprintf(holdLines["cancel_plain"][d.lang()], c.preview.OrderID)
	case c.preview.Amount != nil:
		what = fmt.Sprintf(holdLines["refund"][d.lang()], money(d.locale, *c.preview.Amount), c.preview.OrderID)
	default:
		what = fmt.Sprintf(holdLines["refund_plain"][d.lang()], c.preview.OrderID)
	}
	out := fmt.Sprintf(holdLines["hold"][d.lang()], what)
	if d.locale == "ko" {
		out = l10n.Particles(out)
	}
	return agent.Message{Content: out}, true
}

// lang is the dialogue's locale if this file has lines for it, else en.
func (d *dialogue) lang() string {
	if _, ok := holdLines["hold"][d.locale]; ok {
		return d.locale
	}
	return "en"
}

// holdLines are this file's replies, by key and language.
var holdLines = map[string]map[string]string{
	"hold": {
		"en": "Of course, take your time: nothing has been done yet. %s is waiting for your confirmation: press the button or reply yes when you're ready, or tell me if you'd rather not, and I'll leave everything as it is.",
		"ko": "네, 천천히 생각하셔도 됩니다. 아직 아무것도 처리되지 않았습니다. %s은(는) 확인을 기다리고 있습니다. 준비되시면 버튼을 누르시거나 \"네\"라고 답해 주시고, 원하지 않으시면 말씀해 주세요. 그대로 두겠습니다.",
		"es": "Por supuesto, tómese su tiempo: todavía no se ha hecho nada. %s está esperando su confirmación: pulse el botón o responda sí cuando quiera, o dígame si prefiere no hacerlo y lo dejo todo como está.",
		"ru": "Конечно, не торопитесь: пока ничего не сделано. %s ждёт вашего подтверждения: нажмите кнопку или ответьте «да», когда будете готовы, или скажите, если передумали, — тогда я ничего не буду менять.",
	},
	"cancel": {
		"en": "The cancellation of order %s (%s back to you)", "ko": "주문 %s 취소(환불 %s)",
		"es": "La cancelación del pedido %s (se le devolverían %s)", "ru": "Отмена заказа %s (возврат %s)",
	},
	"cancel_plain": {
		"en": "The cancellation of order %s", "ko": "주문 %s 취소", "es": "La cancelación del pedido %s", "ru": "Отмена заказа %s",
	},
	"refund": {
		"en": "The refund of %s for order %s", "ko": "%[2]s 주문 환불(%[1]s)", "es": "El reembolso de %s del pedido %s", "ru": "Возврат %s по заказу %s",
	},
	"refund_plain": {
		"en": "The refund for order %s", "ko": "주문 %s 환불", "es": "El reembolso del pedido %s", "ru": "Возврат по заказу %s",
	},
}
