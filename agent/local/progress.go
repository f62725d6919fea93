package local

import (
	"regexp"
	"strings"

	"github.com/csagent/csagent/internal/litgate"
)

// progressAsked finds a buyer asking whether what they asked for is done:
// "is everything done?", "so both is done?", "¿ya está todo hecho?",
// "всё сделано?", "다 처리된 건가요?". The agent answers it from the record
// of the conversation's actions (agent/progress.go).
var progressAsked = regexp.MustCompile(`(?i)` +
	`(?:\b(?:is|are|was|were|has|have)\s+(?:it|that|this|everything|all|both|they|those|them|these)(?:\s+\w+){0,2}\s+(?:done|finished|complete|completed|sorted|processed|taken care of)\b` +
	`|\b(?:everything|all|both)\s+(?:is\s+|are\s+)?(?:done|finished|complete|completed|sorted)\b` +
	`|\bdid\s+(?:it|that|everything|both)\s+(?:go\s+through|work)\b` +
	`|\b(?:todo|ambos|ambas|las\s+dos|los\s+dos|eso|ya)\s+(?:ya\s+)?(?:est[aá]|est[aá]n|qued[oó]|fue|se\s+hizo)?\s*(?:hech[oa]s?|listos?|listas?|terminad[oa]s?|completad[oa]s?|resuelt[oa]s?)\b` +
	`|\bse\s+hizo\s+todo\b` +
	`|(?:^|[^\p{L}])(?:вс[её]|оба|обе|это)\s+(?:уже\s+)?(?:сделано|сделаны|готово|готовы|выполнено|выполнены|оформлено|оформлены)` +
	`|(?:^|[^\p{L}])(?:сделано|готово|выполнено)\s*\?` +
	`|(?:^|\s)(?:다|둘\s?다|모두|전부)\s*(?:처리|완료|해결)?\s*(?:됐|된|되었|끝났)[^.!]*(?:[?？]|나요|건가요|거죠|거지|까요)` +
	`|(?:처리|완료)\s*(?:됐|된|되었)[^.!]*(?:[?？]|나요|건가요|거죠|거지|까요)` +
	// "which one did you do? both?", "did you do both or just one?",
	// "¿hiciste las dos?", "ну чё, сделал? оба?", "뭐 처리했어요?": what
	// was done, asked of the assistant.
	`|\bdid\s+you\s+(?:do|cancel|refund|process|submit)\s+(?:it|that|both|them|everything|all|anything|either)\b` +
	`|\bwhich\s+(?:one|ones)\s+did\s+you\b|\bwhat\s+did\s+you\s+(?:do|actually\s+do)\b` +
	`|\b(?:hiciste|hizo|hicieron|hicistes|tramitaste|tramit[oó])\s+(?:las\s+dos|los\s+dos|ambas|ambos|todo|algo|eso|cu[aá]l)\b` +
	`|\b(?:cu[aá]l|qu[eé])\s+(?:hiciste|hizo|tramitaste|tramit[oó])\b` +
	`|(?:^|[^\p{L}])(?:сделал[аи]?|выполнил[аи]?|оформил[аи]?)\s*[?？]` +
	`|(?:^|[^\p{L}])(?:оба|обе)\s*[?？]` +
	`|(?:뭐|무엇을|어떤\s?거|어느\s?거)\s*(?:처리|진행)?\s*(?:했|하셨|된|됐)` +
	`)`)

// progressGate runs progressAsked only over a message holding one of the
// words every match needs: every buyer message is read for it, and nearly
// none asks it.
var progressGate = litgate.New(progressAsked)

// AsksProgress reports whether text asks whether the buyer's requests are
// done. Only a short question counts: a long message that asks it among
// other things goes to the model.
// A no is never one ("아니다 됐어요", "never mind, it's done"): what it
// says is to stop.
func (c Confirmations) AsksProgress(text, locale string) bool {
	if len(strings.Fields(text)) > 8 || !progressGate.MatchString(text) {
		return false
	}
	_, no := c.Confirmation(text, locale)
	return !no
}
