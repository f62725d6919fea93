package local

import (
	"cmp"
	"regexp"
	"strings"
	"sync"

	"github.com/csagent/csagent/agent/local/nlu"
)

// An offer made in words: a refusal that says "tell me what's wrong and
// I'll prepare a dispute", "you can request a refund instead". The buyer
// answers it as they would a card: "ok do that then", "그럼 그거 해주세요",
// "ок открывайте". Such an answer names nothing, so read alone it is a
// thanks or a yes to nothing, and the offer is lost. The offer is the
// state of the conversation the reply left, as a card is: the model's
// replies are its templates, so the reply before the answer says which
// action it offered (offerKinds) and about which order (the order the
// conversation is on). An answer the follow-up reader (nlu/followupact.go)
// reads surely as going ahead is the request the offer made: served as
// any request is, so it gets the action's confirmation card, never the
// action itself. A no, or anything else, leaves the message to the other
// readers.

// offerKinds are the templates whose reply offers an action in words, by
// key, and the request that accepting the offer makes. Only templates that
// offer one action: "a refund, or a dispute?" is a question, which a bare
// "ok" does not answer.
var offerKinds = []struct {
	key    string
	intent nlu.Intent
	// reason is the problem the offer was for, when it names one.
	reason string
}{
	{"problem_dispute", nlu.OpenDispute, ""},
	{"delivered_doubt", nlu.HumanAgent, ""},
	{"next_digital", nlu.OpenDispute, ""},
	{"next_food", nlu.OpenDispute, ""},
	{"next_window_dispute", nlu.OpenDispute, ""},
	{"next_gift_card", nlu.OpenDispute, ""},
	{"next_personalised", nlu.OpenDispute, ""},
	{"refuse_ask_problem", nlu.OpenDispute, ""},
	{"refuse_dispute_until", nlu.OpenDispute, ""},
	{"refuse_refund_after_delivery", nlu.RefundRequest, ""},
}

// templateVerb splits a template at what is filled in: a format verb, or a
// Korean particle pair that l10n.Particles resolves ("은(는)", "(으)로").
var templateVerb = regexp.MustCompile(`%[sd]|[가-힣]?\([가-힣]+\)[가-힣]?`)

// minOfferPiece is the shortest literal piece of a template taken as the
// sign that a reply was rendered from it: shorter ones ("A dispute") are
// found in other replies too.
const minOfferPiece = 16

// offerPiece returns the longest literal piece of template key in locale
// (of the templates, or of orderLines), "" when none is long enough to
// tell the template by. The pieces are found once per process: every
// turn asks for them (offeredAction, unhelpfulText).
func offerPiece(locale, key string) string {
	return offerPieces()[[2]string{locale, key}]
}

// offerPieces holds templatePiece of every template key in every locale.
var offerPieces = sync.OnceValue(func() map[[2]string]string {
	out := map[[2]string]string{}
	for locale, set := range templates {
		for key := range set {
			out[[2]string{locale, key}] = templatePiece(locale, key)
		}
		for key := range orderLines {
			out[[2]string{locale, key}] = templatePiece(locale, key)
		}
	}
	return out
})

// templatePiece finds offerPiece's piece.
func templatePiece(locale, key string) string {
	t := templates[locale][key]
	if t == "" {
		t = orderLines[key][locale]
	}
	best := ""
	for _, p := range templateVerb.Split(t, -1) {
		if p = strings.TrimSpace(p); len([]rune(p)) > len([]rune(best)) {
			best = p
		}
	}
	if len([]rune(best)) < minOfferPiece {
		return ""
	}
	return best
}

// offeredAction returns the request the model's last reply offered in
// words and the problem it was offered for (when the offer names it); ""
// when it offered none, or several different ones.
func (d *dialogue) offeredAction() (nlu.Intent, string) {
	if d.prevReply == "" {
		return "", ""
	}
	var found nlu.Intent
	reason := ""
	for _, o := range offerKinds {
		p := offerPiece(d.locale, o.key)
		if p == "" || !strings.Contains(d.prevReply, p) {
			continue
		}
		if found != "" && found != o.intent {
			return "", ""
		}
		found = o.intent
		reason = cmp.Or(reason, o.reason)
	}
	return found, reason
}

// acceptsOffer reads the buyer's answer to an action the last reply
// offered in words as that request, about the order the conversation is
// on, sure (confidence 1), carried: "ok do that then" after "tell me
// what's wrong and I'll prepare a dispute". The dispute takes the problem
// the buyer told before (d.reasons). Not on a carried request, nor on a
// message that names an order, an amount or a problem of its own (a
// request the other readers read).
func (d *dialogue) acceptsOffer(cur nlu.Result) {
	if d.carried || d.lastOrder == "" || cur.Slots.OrderID != "" || cur.Slots.Amount != nil || cur.Slots.Reason != "" {
		return
	}
	if len(strings.Fields(d.text)) > maxAnswerWords {
		return
	}
	intent, reason := d.offeredAction()
	if intent == "" {
		return
	}
	r, err := followUps()
	if err != nil {
		return
	}
	act, conf := r.Read(d.text)
	if (act != nlu.FollowAccept && act != nlu.FollowAll) || conf < nlu.FollowUpThreshold {
		return
	}
	d.intent, d.conf, d.carried = intent, 1, true
	d.slots = nlu.Slots{OrderID: d.lastOrder, Reason: reason}
	if n := len(d.earlier); n > 0 {
		// The request's own words are the buyer's message the offer
		// answered (what is wrong), not "ok do that then": a dispute's
		// description is the problem told.
		d.text = d.earlier[n-1]
	}
	for i := len(d.reasons) - 1; i >= 0 && reason == ""; i-- {
		if rs := d.reasons[i]; rs.order == "" || rs.order == d.lastOrder {
			d.slots.Reason = rs.reason
			break
		}
	}
}

// maxAnswerWords is the longest message read as an answer to an offer: a
// longer one says more, which the other readers read.
const maxAnswerWords = 6
