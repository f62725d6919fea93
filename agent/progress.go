package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// "Is everything done?" after several requests. What was done is a matter
// of record (the conversation's actions and how each was decided), never
// of what a model remembers or guesses: a model that says "done" about a
// card still waiting, or about an address no tool can change, misleads
// the buyer about their money. So the agent answers it from the record,
// whichever brain runs the conversation: what was done, what still waits
// for the buyer's confirmation (with its amount), what was called off or
// failed, and which orders the conversation looked at where nothing was
// changed.

// progressReader recognises a buyer asking whether their requests are
// done. The agent's Confirmations may implement it; without it the
// question goes to the model like any message.
type progressReader interface {
	// AsksProgress reports whether text asks whether what the buyer
	// requested in this conversation has been done.
	AsksProgress(text, locale string) bool
}

// progress answers a buyer who asks whether their requests are done, from
// the conversation's actions. ok is false when the message asks no such
// thing, or the conversation has asked for nothing that could be done.
func (a *Agent) progress(ctx context.Context, t Turn, turnID string, st *turnState) (string, TurnUsage, bool) {
	pr, ok := a.confirm.(progressReader)
	// The message's reading was made while its batch was on the way
	// (prepare.go): about a tenth of the turn's CPU before the model.
	if !ok || !t.prep.progressAsked(pr, t.Text, t.Locale) {
		return "", TurnUsage{}, false
	}
	acts, err := a.store.Actions(ctx, t.ConversationID)
	if err != nil {
		a.logger.WarnContext(ctx, "load the conversation's actions", "turn_id", turnID, "err", err)
		return "", TurnUsage{}, false
	}
	looked := lookedOrders(st)
	if len(acts) == 0 && len(looked) == 0 {
		return "", TurnUsage{}, false
	}
	var b strings.Builder
	b.WriteString(progressLine("head", t.Locale))
	acted := map[string]bool{}
	waiting := 0
	for _, act := range acts {
		acted[actionOrder(act)] = true
		key := "not_done"
		switch act.Status {
		case ActionExecuted:
			key = "done"
		case ActionExecuting:
			key = "running"
		case ActionPending:
			if act.ExpiresAt.After(time.Now()) {
				key = "waiting"
				waiting++
			}
		}
		b.WriteString("\n- " + fmt.Sprintf(progressLine(key, t.Locale), a.Describe(act, t.Locale)))
	}
	var untouched []pastCall
	for _, c := range looked {
		if id := orderIDOf(c.args); !acted[id] {
			acted[id] = true
			untouched = append(untouched, c)
			b.WriteString("\n- " + fmt.Sprintf(progressLine("unchanged", t.Locale), id))
		}
	}
	switch {
	case waiting > 1:
		b.WriteString("\n" + progressLine("confirm_each", t.Locale))
	case waiting == 1:
		b.WriteString("\n" + progressLine("confirm_one", t.Locale))
	}
	usage := a.pendingUsage(t, turnID, acts)
	if usage.guard != nil {
		// The orders listed as unchanged are named from what the tools
		// returned about them.
		for _, c := range untouched {
			usage.guard.ev.Texts = append(usage.guard.ev.Texts, string(c.args), c.result)
		}
	}
	return b.String(), usage, true
}

// lookedOrders are the conversation's past calls that found one of the
// buyer's orders (a call that failed names no order of theirs), the first
// call for each order, oldest first.
func lookedOrders(st *turnState) []pastCall {
	var out []pastCall
	seen := map[string]bool{}
	for _, m := range st.recent {
		for _, c := range st.calls[m.TurnID] {
			id := orderIDOf(c.args)
			if id == "" || seen[id] || !okResult(c.result) {
				continue
			}
			seen[id] = true
			out = append(out, c)
		}
	}
	return out
}

func orderIDOf(args json.RawMessage) string {
	var a struct {
		OrderID string `json:"order_id"`
	}
	if json.Unmarshal(args, &a) != nil || !strings.HasPrefix(a.OrderID, "ORD-") {
		return ""
	}
	return a.OrderID
}

// okResult reports whether a stored tool result is a success.
func okResult(result string) bool {
	var r struct {
		OK    *bool           `json:"ok"`
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal([]byte(result), &r) != nil {
		return false
	}
	if r.OK != nil {
		return *r.OK
	}
	return len(r.Error) == 0 || string(r.Error) == "null"
}

// Actions returns every action proposed in the conversation, whatever
// became of it, oldest first.
func (s *Store) Actions(ctx context.Context, convID string) ([]Action, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+actionColumns+` FROM pending_actions WHERE conversation_id = $1 ORDER BY created_at`, convID)
	if err != nil {
		return nil, fmt.Errorf("load the actions of conversation %s: %w", convID, err)
	}
	as, err := pgx.CollectRows(rows, scanAction)
	if err != nil {
		return nil, fmt.Errorf("load the actions of conversation %s: %w", convID, err)
	}
	return slices.Clip(as), nil
}

// progressLines are the agent's account of a conversation's requests, by
// key and language; %s is an action as its card describes it, or an order.
var progressLines = map[string]map[string]string{
	"head": {
		"en": "Here is where your requests stand:",
		"ko": "요청하신 내용의 현재 상태입니다:",
		"es": "Así están sus solicitudes:",
		"ru": "Вот что с вашими запросами:",
	},
	"done": {
		"en": "Done: %s.",
		"ko": "완료: %s.",
		"es": "Hecho: %s.",
		"ru": "Сделано: я выполнил %s.",
	},
	"running": {
		"en": "Being carried out right now: %s.",
		"ko": "지금 처리 중: %s.",
		"es": "Se está realizando ahora: %s.",
		"ru": "Прямо сейчас выполняю %s.",
	},
	"waiting": {
		"en": "Not done yet, waiting for your confirmation: %s.",
		"ko": "아직 처리되지 않았으며 확인을 기다리는 중: %s.",
		"es": "Aún no se ha hecho, espera su confirmación: %s.",
		"ru": "Ещё не выполнено, жду вашего подтверждения на %s.",
	},
	"not_done": {
		"en": "Not done: %s.",
		"ko": "처리되지 않음: %s.",
		"es": "No se ha hecho: %s.",
		"ru": "Не сделано: я не выполнял %s.",
	},
	"unchanged": {
		"en": "Nothing has been changed on order %s.",
		"ko": "주문 %s에는 아무것도 변경되지 않았습니다.",
		"es": "No se ha cambiado nada en el pedido %s.",
		"ru": "В заказе %s ничего не изменено.",
	},
	"confirm_one": {
		"en": "To go ahead, confirm it with the button on its card, or reply yes.",
		"ko": "진행하시려면 카드의 버튼으로 확인하시거나 \"네\"라고 답해 주세요.",
		"es": "Para seguir, confírmelo con el botón de su tarjeta o responda sí.",
		"ru": "Чтобы продолжить, подтвердите кнопкой на карточке или ответьте «да».",
	},
	"confirm_each": {
		"en": "To go ahead, confirm each with the button on its card, or tell me which one (or \"both\").",
		"ko": "진행하시려면 각 카드의 버튼으로 확인하시거나, 어느 것을 진행할지(또는 \"둘 다\") 알려 주세요.",
		"es": "Para seguir, confirme cada una con el botón de su tarjeta, o dígame cuál (o \"las dos\").",
		"ru": "Чтобы продолжить, подтвердите каждый кнопкой на его карточке или напишите, какой (или «оба»).",
	},
}

func progressLine(key, locale string) string {
	if s, ok := progressLines[key][locale]; ok {
		return s
	}
	return progressLines[key]["en"]
}
