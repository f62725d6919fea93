package local

// Prepare parses a buyer's message ahead of its turn (agent.Preparer),
// while the message is being stored: the turn's reading then finds the
// parse in the memo. The locale is the turn's, the hint its reading parses
// the newest message with unless earlier messages were in another
// language.
func (m *Model) Prepare(text, locale string) { m.parse(text, locale) }
