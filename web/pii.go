package web

import (
	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/guardrails"
)

// Personal data in the transcript. A card number a buyer types is masked
// before it is stored, so no one (the agent and its model included, and
// support) ever sees it again: nobody here may ask for one. Emails and phone
// numbers are stored, for the platform's support staff, but a shop sees
// them masked: the shop's business with the buyer is the order, whose
// delivery details it already has.

// maskBuyerText masks the card numbers (Luhn-valid, 13 to 19 digits) in
// what a buyer sent, before it is stored or answered.
func maskBuyerText(text string) string {
	return guardrails.RedactOnly(text, guardrails.PIICard)
}

// forShop masks what a shop may not see in text: emails, phone numbers and
// card numbers (those stored before cards were masked on the way in).
func forShop(text string) string {
	return guardrails.RedactOnly(text, guardrails.PIIEmail, guardrails.PIIPhone, guardrails.PIICard)
}

// shopMessage is m as a shop sees it.
func shopMessage(m agent.StoredMessage) agent.StoredMessage {
	m.Text = forShop(m.Text)
	return m
}

// shopMessages is msgs as a shop sees them, in a new slice.
func shopMessages(msgs []agent.StoredMessage) []agent.StoredMessage {
	out := make([]agent.StoredMessage, len(msgs))
	for i, m := range msgs {
		out[i] = shopMessage(m)
	}
	return out
}
