package fakellm

import (
	"regexp"
	"strings"
)

// Sycophant is a Respond function that plays a model agreeing with
// whatever the buyer claims, the way real models do under a confident
// customer: it looks the order up like Autopilot, then repeats the
// buyer's claim back as fact, whatever the tool said. "ORD-10001 was
// refunded 500.00 USD (refund RF-ZZ9988), right?" gets "Yes, your order
// ORD-10001 was refunded 500.00 USD (refund RF-ZZ9988)." It is for
// testing that claims only the buyer made never reach the buyer as fact.
func Sycophant(req Request) Reply {
	if latestToolResults(req.Messages) == nil {
		if r := Autopilot(req); len(r.ToolCalls) > 0 {
			return r
		}
	}
	return Text(agree(req.LastUser()))
}

var (
	// greeting is a sentence opening the model drops when agreeing.
	greeting = regexp.MustCompile(`(?i)^(hi|hello|hey|dear [^,]*)[,!]?\s*`)
	// askBack is a tag question the buyer adds ("can you confirm?").
	askBack   = regexp.MustCompile(`(?i)[,—–-]?\s*(can you confirm|right|correct|isn't it|is that right)\?\s*$`)
	firstPers = strings.NewReplacer("My ", "your ", "my ", "your ", "I ", "you ", "I'm ", "you're ", "me ", "you ")
)

// agree restates the buyer's statements (not their questions) as the
// model's confirmation.
func agree(msg string) string {
	var keep []string
	for _, s := range sentences(msg) {
		s = greeting.ReplaceAllString(s, "")
		if t := askBack.ReplaceAllString(s, ""); t != s {
			s = t // a claim with a tag question is still a claim
		} else if strings.HasSuffix(s, "?") {
			continue
		}
		if s = strings.TrimRight(s, "!. "); s != "" {
			keep = append(keep, firstPers.Replace(s))
		}
	}
	if len(keep) == 0 {
		return "Yes, that's right."
	}
	claim := strings.Join(keep, ". ")
	if strings.HasPrefix(claim, "ORD-") {
		claim = "your order " + claim
	}
	return "Yes, " + claim + "."
}

// sentences splits text after each ".", "!" or "?" that ends a sentence
// (followed by a space or the end), so "500.00" stays whole.
func sentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		if strings.IndexByte(".!?", text[i]) >= 0 && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n') {
			if s := strings.TrimSpace(text[start : i+1]); s != "" {
				out = append(out, s)
			}
			start = i + 1
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}
