package local

import (
	"fmt"

	"github.com/csagent/csagent/tools/l10n"
)

// dlgLines are the replies of the dialogue-state files added in round 10
// (cardagain.go, keptafterdrop.go and their neighbours), by key and
// language; kept apart from templates.go so that table is not edited by
// several branches at once.
var dlgLines = map[string]map[string]string{
	"card_again": {
		"en": "Yes, this is for order %s.",
		"ko": "네, 주문 %s에 대한 요청입니다.",
		"es": "Sí, es para el pedido %s.",
		"ru": "Всё верно: этот запрос относится к заказу %s.",
	},
}

// dlgLine renders key of dlgLines in locale (English when the locale has
// none) with args; Korean particles are chosen after the filling.
func dlgLine(locale, key string, args ...any) string {
	t, ok := dlgLines[key][locale]
	if !ok {
		t = dlgLines[key]["en"]
	}
	out := t
	if len(args) > 0 {
		out = fmt.Sprintf(t, args...)
	}
	if locale == "ko" {
		out = l10n.Particles(out)
	}
	return out
}
