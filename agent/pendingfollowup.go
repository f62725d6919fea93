package agent

import "strings"

// A short answer while actions wait ("do both", "solo la primera", "no
// wait") says what to do with them in more ways than a yes or a no. A
// Confirmations that can read such an answer, with a learned reading,
// says so by implementing FollowUps; the agent then acts on what it read
// only when the reading is sure, and never beyond the cards waiting: an
// answer read as "go ahead" approves a card the buyer saw, as its button
// would.

// The follow-up acts a FollowUps reads.
const (
	// FollowAccept goes ahead with what waits.
	FollowAccept = "accept"
	// FollowAll goes ahead with every action waiting.
	FollowAll = "all"
	// FollowPick chooses one of them, which the agent takes only by its
	// kind or its order (pendingkind.go); "the first" asks which, as the
	// cards' order on screen is not one the agent keeps.
	FollowPick = "pick"
	// FollowDecline says no to what waits.
	FollowDecline = "decline"
	// FollowStop calls off whatever waits.
	FollowStop = "stop"
)

// FollowUp is a reading of a buyer's answer while something waits.
type FollowUp struct {
	// Act is one of the Follow… acts, or "" (or another word) for a
	// message that is no answer.
	Act string
	// Sure is set when the reading is confident enough to act on.
	Sure bool
}

// FollowUps is implemented by Confirmations that read a short answer as a
// follow-up act. The agent acts on its go-ahead readings (accept, all,
// pick); a no is Confirmation's, whose readers know a "wait" that holds a
// card from one that drops it, and "the blanket is fine" from "no thanks".
// FollowDecline and FollowStop are read so that such an answer is never
// taken for a go-ahead.
type FollowUps interface {
	// FollowUp reads text, written while actions wait.
	FollowUp(text, locale string) FollowUp
}

// maxFollowUpWords is the longest answer read as a follow-up act: a
// longer message says more than what to do with the cards, and goes to
// the model.
const maxFollowUpWords = 6

// followUp reads the buyer's message as an answer to the actions waiting,
// the zero FollowUp when the Confirmations cannot, the message is too
// long to be only an answer, or the reading is unsure.
func (a *Agent) followUp(t Turn) FollowUp {
	fr, ok := a.confirm.(FollowUps)
	if !ok || len(strings.Fields(t.Text)) > maxFollowUpWords {
		return FollowUp{}
	}
	f := fr.FollowUp(t.Text, t.Locale)
	if !f.Sure {
		return FollowUp{}
	}
	return f
}
