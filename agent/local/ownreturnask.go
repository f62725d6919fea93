package local

import (
	"encoding/json"
	"regexp"

	"github.com/csagent/csagent/agent"
)

// "담요 받은지 일주일 됐는데 반품 되나요?", "the lamp came 5 days ago, can
// it go back?": whether the buyer's own goods can be returned, told when
// they came, asks whether the order is still within the refund window and
// on what terms, not a general rule. Read as "is it allowed?", it got a
// passage of its own (the refund's timing) with no order. It is answered
// as the refund window of that order (deadline.go: its last day), with
// the window in days and who pays the return shipping from the policy.

// cameAgo finds when the goods came: "a week ago", "yesterday", "hace 5
// días", "3 дня назад", "받은지 일주일", "어제 왔".
var cameAgo = regexp.MustCompile(`(?i)\b(ago|yesterday|last week)\b|\bhace\s+\S+|\bayer\b|la semana pasada|назад|вчера|на прошлой неделе|` +
	`받은\s?지|온\s?지|도착한\s?지|어제|지난주|일 전|주 전`)

// toldWhenCame reports whether text tells when the buyer's goods came.
func toldWhenCame(text string) bool { return cameAgo.MatchString(text) }

// ownReturnAsked reports whether the question is whether the buyer's own
// goods, come when the message says, can be returned (askAllowed): the
// policy is asked for the window and the return shipping, one question
// each (shippedNextQuestions), whose answer carries both.
func (d *dialogue) ownReturnAsked() bool {
	return classifyAsk(d.text) == askAllowed && toldWhenCame(d.text)
}

// ownReturnQuery is what the policy is searched with for the buyer's own
// deadline (ownDeadlineStep): the window and who pays for an
// ownReturnAsked question, the message otherwise.
func (d *dialogue) ownReturnQuery() string {
	if !d.ownReturnAsked() {
		return d.text
	}
	if q, ok := shippedNextQuestions[d.locale]; ok {
		return q
	}
	return shippedNextQuestions["en"]
}

// ownRulePolicyReply is policyReply for the search of the buyer's own
// deadline: composed for the questions the policy was asked
// (ownReturnQuery), so the window's days and who pays are kept.
func (d *dialogue) ownRulePolicyReply(data json.RawMessage) agent.Message {
	if !d.ownDeadline() || !d.ownReturnAsked() {
		return d.policyReply(data)
	}
	text := d.text
	d.text = d.ownReturnQuery()
	msg := d.policyReply(data)
	d.text = text
	return msg
}
