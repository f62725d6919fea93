package local

import (
	"sync"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// followUps is the follow-up reader (nlu/followupact.go), trained once
// per process: it is immutable after training.
var followUps = sync.OnceValues(nlu.NewFollowUpReader)

// TrainFollowUps trains the follow-up reader now, so that serve pays its
// training (about 80 ms) at start-up rather than the first buyer whose
// answer to a card reads it; later calls return at once.
func TrainFollowUps() error {
	_, err := followUps()
	return err
}

var _ agent.FollowUps = Confirmations{}

// FollowUp reads text, a buyer's answer while actions wait, as a follow-up
// act: sure when the reader's confidence is at least nlu.FollowUpThreshold
// and the message names no order, amount or problem of its own (then it
// is a request, for the model).
func (c Confirmations) FollowUp(text, locale string) agent.FollowUp {
	r, err := followUps()
	if err != nil {
		return agent.FollowUp{}
	}
	act, conf := r.Read(text)
	if act == nlu.FollowOther {
		return agent.FollowUp{}
	}
	s := c.nlu.Parse(text, locale).Slots
	states := s.Reason != "" || s.OrderID != "" || s.Amount != nil
	return agent.FollowUp{Act: string(act), Sure: conf >= nlu.FollowUpThreshold && !states}
}
