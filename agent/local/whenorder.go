package local

import (
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// "The one I ordered yesterday", "lo que pedí la semana pasada", "тот, что
// на прошлой неделе": when the buyer places an order in time and names no
// goods, the day each of their orders was placed says which one is meant
// when several could be. Only a single order placed within the span the
// words give is picked (the span is generous: "last week" is 5 to 14 days
// ago); none or several leave the list for the buyer to pick from.

// whenSpan is a span of days before now that words place an order in.
type whenSpan struct {
	cues     []string
	from, to int // days ago, inclusive
}

// whenSpans are checked in order; the first whose cue the message has
// gives the span. Cues are folded, as cueText writes a message.
var whenSpans = []whenSpan{
	{[]string{" day before yesterday", " anteayer", " antes de ayer", " позавчера", "그저께", "그제"}, 1, 3},
	{[]string{" yesterday", " ayer", " вчера", " vchera", "어제"}, 0, 2},
	{[]string{" today", " hoy", " сегодня", "오늘"}, 0, 1},
	{[]string{" this week", " esta semana", " на этой неделе", "이번 주", "이번주"}, 0, 7},
	{[]string{" last week", " la semana pasada", " на прошлой неделе", " на той неделе", "지난주", "지난 주", "저번 주", "저번주"}, 5, 14},
	{[]string{" last month", " el mes pasado", " в прошлом месяце", "지난달", "지난 달", "저번 달", "저번달"}, 20, 62},
}

// spanOf returns the span of days text places an order in.
func spanOf(text string) (whenSpan, bool) {
	t := cues(text)
	for _, s := range whenSpans {
		if containsAny(t, s.cues) {
			return s, true
		}
	}
	return whenSpan{}, false
}

// whenOrder picks, for a request that needs an order and names no goods,
// the one order of the list placed within the span the message names
// (among the orders not discussed yet, for "the other one"), and serves
// the request for it.
func (d *dialogue) whenOrder(orders []tools.OrderRow) (agent.Message, bool) {
	tool, picking := needsOrder[d.intent]
	if !picking || d.slots.LastOrder || d.slots.ItemPosition > 0 || len(nlu.ItemTerms(d.text)) > 0 {
		return agent.Message{}, false
	}
	span, ok := spanOf(d.text)
	if !ok {
		return agent.Message{}, false
	}
	if d.otherOrder {
		orders = d.undiscussed(orders)
	}
	if len(orders) < 2 {
		return agent.Message{}, false // afterList serves the one left
	}
	id := pickPlaced(orders, span, time.Now())
	if id == "" {
		return agent.Message{}, false
	}
	return d.orderCall(tool, id), true
}

// pickPlaced returns the one order of orders placed within span of now,
// or "" for none or several.
func pickPlaced(orders []tools.OrderRow, span whenSpan, now time.Time) string {
	id := ""
	for _, o := range orders {
		days := int(now.Sub(o.PlacedAt).Hours() / 24)
		if days < span.from || days > span.to {
			continue
		}
		if id != "" {
			return ""
		}
		id = o.ID
	}
	return id
}
