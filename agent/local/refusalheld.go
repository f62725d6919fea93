package local

import (
	"strings"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// A buyer refused a refund often argues once ("not used", "no me gustó",
// "передумал, подарок не нужен") or asks exactly what the rule is ("how
// many days is the return period, on which date did mine end?"). The
// first reply after the refusal states the rule again in one sentence —
// the window's length in days and the day it ended, or the kind of item
// the policy excludes, whatever its condition — and then the next step;
// a later follow-up gets the next step alone, so no reply repeats the
// one before it.

// nextStep is the next step after the refusal of delivered order o's
// refund (stepAfter), opened by the rule when the buyer has not had the
// step yet.
func (d *dialogue) nextStep(o tools.Order, refused agent.ToolResult) agent.Message {
	step := d.stepAfter(o, refused)
	if step.Content == "" || (d.prevReply != "" && strings.Contains(d.prevReply, step.Content)) {
		return step
	}
	held := d.ruleHeld(o, time.Now())
	if held == "" {
		return step
	}
	return agent.Message{Content: held + " " + step.Content}
}

// ruleHeld states in one sentence the rule that refuses o's refund at
// now: the refund window, or the kind of item the policy excludes.
func (d *dialogue) ruleHeld(o tools.Order, now time.Time) string {
	if o.DeliveredAt == nil {
		return ""
	}
	end := o.DeliveredAt.Add(tools.RefundWindow)
	if now.After(end) {
		return render(d.locale, "held_window", int(tools.RefundWindow/(24*time.Hour)), o.ID, d.day(end))
	}
	for _, it := range o.Items {
		if it.Refundable || it.Quantity <= it.RefundedQuantity {
			continue
		}
		switch it.Category {
		case "gift card":
			return render(d.locale, "held_gift_card")
		case "digital":
			return render(d.locale, "held_digital")
		case "food":
			return render(d.locale, "held_food")
		case "personalised":
			return render(d.locale, "held_personalised")
		}
		return render(d.locale, "held_item", it.Name)
	}
	return ""
}

// closingCues end a conversation rather than argue with a refusal.
var closingCues = []string{"that's all", "thats all", "nothing else", "all good", "no thank", "no thx", "nevermind", "never mind",
	"eso es todo", "nada más", "nada mas", "no gracias", "все хорошо", "всё хорошо", "это всё", "это все", "ничего не надо", "не нужно ничего",
	"괜찮아요", "됐어요", "됐습니다", "없어요", "없습니다"}

// arguesRefusal reports whether text, read as a "no", argues with a
// refusal ("not used", "no me gustó", "не пользовался") rather than
// declining an offer ("no", "no thanks, that's all").
func arguesRefusal(text string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	if len(strings.Fields(t)) < 2 || nlu.Withdraws(text) {
		return false
	}
	return !containsAny(t, closingCues)
}

// statusCues ask where a refund stands rather than for one.
var statusCues = []string{"where", "status", "when", "yet", "already", "arrived", "received", "still",
	"dónde", "donde", "cuándo", "cuando", "estado", "todavía", "todavia", "aún", "llegó", "llego",
	"где", "когда", "статус", "уже", "пришёл", "пришел", "пришли", "ещё", "еще",
	"언제", "어디", "상태", "아직", "들어왔", "받았"}

// namesGoodsAndMoney reports whether text names goods and an amount of
// money and asks nothing about where a refund stands: "10122 возврат
// доска 2200", "10018 refund giftcard 50" ask for that money back.
func namesGoodsAndMoney(text string) bool {
	t := strings.ToLower(text)
	return len(nlu.ItemTerms(text)) > 0 && hasAmount(text) && !containsAny(t, statusCues)
}
