package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/csagent/csagent/tools"
)

// A typed yes or no while several actions wait for the buyer. Which action
// a "yes" approves is a question of state, not of wording, so the agent
// settles it whichever brain runs the conversation: a model that reads
// "yes" with two cards on screen can only guess, and a guess here moves
// money. With one action waiting, typedDecision takes the answer.

// orderRef finds order numbers in a buyer's message: "ORD-10005", "ord
// 10005" or the bare five digits.
var orderRef = regexp.MustCompile(`(?i)(?:\bord[-\s]?)?\b(\d{5})\b`)

// pendingChoice answers a clear yes or no typed while two or more actions
// wait. A no (also "stop", "never mind") declines them all and says which;
// a yes that names one of them by its order approves that one, as does
// one naming it by its kind ("just the refund", pendingkind.go); any other
// yes asks which, listing each with its order and amount, and re-sends no
// card. ok is false when the message is not such an answer.
func (a *Agent) pendingChoice(ctx context.Context, caller tools.Caller, t Turn, turnID string, st *turnState, emit func(Event) error) (string, TurnUsage, bool) {
	if a.confirm == nil || len(st.pending) < 2 {
		return "", TurnUsage{}, false
	}
	yes, no := a.confirm.Confirmation(t.Text, t.Locale)
	f := a.followUp(t) // the learned reading of the answer (pendingfollowup.go)
	kindAct, byKind := choosesKind(t.Text, yes || f.Act == FollowPick, a.askedWhich(t, st), st.pending)
	switch {
	case no:
		text, usage := a.declineAll(ctx, caller, t, turnID, st, emit)
		return text, usage, true
	case choosesAll(t.Text, yes) || f.Act == FollowAll:
		// "both", "las dos", "оба", "둘 다": each is confirmed, as if
		// its own button were pressed.
		text, usage := a.approveAll(ctx, caller, t, turnID, st, emit)
		return text, usage, true
	case byKind:
		// "Just the refund", "sí, la cancelación": one of them by what
		// it does (pendingkind.go).
		text, usage := a.decide(ctx, caller, t, turnID, kindAct, true, st, emit)
		return text, usage, true
	case !yes && a.askedWhich(t, st) && len(strings.Fields(t.Text)) <= 3:
		// The answer to "which one?" is the order number alone.
		if act, ok := namedAction(t.Text, st.pending); ok {
			text, usage := a.decide(ctx, caller, t, turnID, act, true, st, emit)
			return text, usage, true
		}
	case yes || f.Act == FollowAccept || f.Act == FollowPick:
		if act, ok := namedAction(t.Text, st.pending); ok {
			text, usage := a.decide(ctx, caller, t, turnID, act, true, st, emit)
			return text, usage, true
		}
		key := "which_pending"
		text := a.pendingList(t, key, st.pending)
		if lastReply(st) == text {
			// The same question twice in a row helps nobody: say how to
			// answer it, and offer a person.
			text = a.pendingList(t, "which_pending_again", st.pending)
		}
		return text, a.pendingUsage(t, turnID, st.pending), true
	}
	return "", TurnUsage{}, false
}

// allRef finds a buyer's "both" in the four languages (Russian typed in
// Latin letters too, "da oba", and the Korean with its ending, "둘 다요",
// "두 개 다 해주세요"); weakAllRef an
// "all" that only means every pending action when said with a yes ("yes,
// all of them"), not in "all good".
var (
	allRef = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:both|all of them|las dos|los dos|ambas|ambos|las tres|los tres|оба|обе|обоих|и то и другое|все три|oba|obe|oboih|(?:둘|셋|두 ?개|두 ?건|세 ?개|세 ?건) ?다(?:요|용|해|진행|부탁)?)(?:[^\p{L}]|$)`)
	// courtesy is the politeness around a short answer, in the four
	// languages, which choosesAll does not count as words of its own.
	courtesy = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:please|pls|thanks|thank you|thx|por favor|porfa|gracias|muchas gracias|пожалуйста|плиз|спасибо|спс|감사합니다|감사해요|고맙습니다|부탁드립니다|부탁드려요|부탁해요)(?:[^\p{L}]|$)`)
	// assent is the yes said with a choice ("yes I confirm", "sí,
	// confirmo", "да, подтверждаю", "네 확인"), which choosesAll does not
	// count as words of its own either.
	assent     = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:yes|yeah|yep|ok|okay|sure|i confirm|confirm|confirmed|go ahead|sí|si|vale|claro|confirmo|да|ага|ок|подтверждаю|네|예|확인)(?:[^\p{L}]|$)`)
	weakAllRef = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:all|todas|todos|все|всё|모두|전부)(?:[^\p{L}]|$)`)
)

// choosesAll reports whether text, a short answer while several actions
// wait, picks all of them. A long message that says "both" somewhere is
// more than a choice, and goes to the model.
func choosesAll(text string, yes bool) bool {
	// Courtesy and the yes itself say nothing of what is chosen: "Sí,
	// gracias, las dos cosas por favor" and "Yes I confirm both of them"
	// are as short an answer as "sí, las dos".
	if len(strings.Fields(assent.ReplaceAllString(courtesy.ReplaceAllString(text, " "), " "))) > 5 {
		return false
	}
	return allRef.MatchString(text) || (yes && weakAllRef.MatchString(text))
}

// askedWhich reports whether the agent's last reply asked which of the
// pending actions to go ahead with.
func (a *Agent) askedWhich(t Turn, st *turnState) bool {
	last := lastReply(st)
	return last != "" && (last == a.pendingList(t, "which_pending", st.pending) || last == a.pendingList(t, "which_pending_again", st.pending))
}

// approveAll approves every pending action, one after another, and tells
// what came of each. One decided meanwhile through its button is left as
// that decision left it.
func (a *Agent) approveAll(ctx context.Context, caller tools.Caller, t Turn, turnID string, st *turnState, emit func(Event) error) (string, TurnUsage) {
	var texts []string
	// The joined reply is checked against what each narration was
	// checked against: the actions' previews, what the tools returned and
	// the actions taken.
	usage := a.pendingUsage(t, turnID, st.pending)
	rest := *st
	for _, act := range st.pending {
		text, u := a.decide(ctx, caller, t, turnID, act, true, &rest, emit)
		rest.pending = slices.DeleteFunc(slices.Clone(rest.pending), func(p Action) bool { return p.ID == act.ID })
		texts = append(texts, text)
		usage.PromptTokens += u.PromptTokens
		usage.CompletionTokens += u.CompletionTokens
		if u.Model != "none" && u.Model != "" {
			usage.Model = u.Model
		}
		if u.Fallback != "" && usage.Fallback == "" {
			usage.Fallback = u.Fallback
		}
		if g := u.guard; g != nil && usage.guard != nil {
			usage.guard.ev.Texts = append(usage.guard.ev.Texts, g.ev.Texts...)
			usage.guard.ev.Buyer = append(usage.guard.ev.Buyer, g.ev.Buyer...)
			usage.guard.ev.Actions = append(usage.guard.ev.Actions, g.ev.Actions...)
		}
	}
	return strings.Join(texts, "\n\n"), usage
}

// namedAction returns the one pending action whose order the text names.
// Two actions on the same order, or none named, is no choice.
func namedAction(text string, pending []Action) (Action, bool) {
	var found []Action
	for _, m := range orderRef.FindAllStringSubmatch(text, -1) {
		id := "ORD-" + m[1]
		for _, act := range pending {
			if actionOrder(act) == id {
				found = append(found, act)
			}
		}
	}
	if len(found) != 1 {
		return Action{}, false
	}
	return found[0], true
}

// actionOrder is the order act is about, from its stored plan or preview.
func actionOrder(act Action) string {
	if act.Plan != nil && act.Plan.OrderID != "" {
		return act.Plan.OrderID
	}
	var p tools.ActionPreview
	if json.Unmarshal(act.Details, &p) == nil {
		return p.OrderID
	}
	return ""
}

// declineAll declines every pending action and says which were called off.
// One that had already taken effect is reported as done, as a single
// decline would.
func (a *Agent) declineAll(ctx context.Context, caller tools.Caller, t Turn, turnID string, st *turnState, emit func(Event) error) (string, TurnUsage) {
	pending := st.pending
	var declined []Action
	var done []string
	usage := TurnUsage{Model: "none"}
	for _, act := range pending {
		d, err := a.execute(ctx, caller, t, turnID, act.ID, false, nil, st, emit)
		switch {
		case err != nil:
			a.logger.WarnContext(ctx, "decline a pending action", "turn_id", turnID, "action_id", act.ID, "err", err)
		case !d.claimed || !d.recorded:
			// Decided meanwhile through its button.
		case d.act.Status == ActionDeclined:
			declined = append(declined, act)
		default:
			text, _ := a.narrate(ctx, caller, t, turnID, d, emit)
			done = append(done, text)
		}
	}
	text := a.pendingList(t, "declined_all", declined)
	if len(declined) == 0 {
		text = alreadyDecidedText(t.Locale)
	}
	if len(done) > 0 {
		text = strings.Join(append(done, text), "\n\n")
	}
	usage.guard = a.pendingUsage(t, turnID, pending).guard
	return text, usage
}

// pendingList renders line key with the actions listed under it, each as
// the buyer's card describes it (order, amount, items).
func (a *Agent) pendingList(t Turn, key string, acts []Action) string {
	var b strings.Builder
	for _, act := range acts {
		b.WriteString("\n- " + a.Describe(act, t.Locale))
	}
	return fmt.Sprintf(pendingLine(key, t.Locale), b.String())
}

// pendingUsage is the record of a reply the agent wrote about pending
// actions: no model, and guardrails that know the actions' previews, which
// the amounts and dates listed come from.
func (a *Agent) pendingUsage(t Turn, turnID string, acts []Action) TurnUsage {
	g := a.newTurnGuard(t, turnID)
	if g != nil {
		for _, act := range acts {
			g.ev.Texts = append(g.ev.Texts, string(act.Details))
		}
	}
	return TurnUsage{Model: "none", guard: g}
}

// lastReply is the text of the conversation's newest reply before this
// turn, "" when there is none.
func lastReply(st *turnState) string { return newestReply(st.recent).Text }

// newestReply is the newest message of recent (oldest first) the
// assistant or a person wrote, the zero message when there is none.
func newestReply(recent []StoredMessage) StoredMessage {
	for i := len(recent) - 1; i >= 0; i-- {
		switch recent[i].Role {
		case "assistant", "agent":
			return recent[i]
		}
	}
	return StoredMessage{}
}

// pendingLines are what the agent says itself about several pending
// actions, by key and language; %s is the list of actions.
var pendingLines = map[string]map[string]string{
	"which_pending": {
		"en": "Several requests are waiting for your confirmation. Which one should I go ahead with? Reply with its order number, or use the button on its card:%s",
		"ko": "확인을 기다리는 요청이 여러 개 있습니다. 어느 요청을 진행할까요? 주문번호로 답하시거나 해당 카드의 버튼을 눌러 주세요:%s",
		"es": "Hay varias solicitudes esperando su confirmación. ¿Con cuál sigo? Responda con su número de pedido o use el botón de su tarjeta:%s",
		"ru": "Вашего подтверждения ждут несколько запросов. Какой из них выполнить? Ответьте номером заказа или нажмите кнопку на нужной карточке:%s",
	},
	"which_pending_again": {
		"en": "I still need to know which one you mean, so I haven't done anything yet. Please write the order number from the list below, or tap Confirm on that card. If you'd rather, I can connect you with a member of our support team.%s",
		"ko": "어느 요청인지 알아야 진행할 수 있어 아직 아무것도 처리하지 않았습니다. 아래 주문번호 중 하나를 적어 주시거나 해당 카드에서 확인을 눌러 주세요. 원하시면 상담원을 연결해 드릴 수도 있습니다.%s",
		"es": "Todavía necesito saber a cuál se refiere, así que aún no he hecho nada. Escriba el número de pedido de la lista o pulse Confirmar en esa tarjeta. Si lo prefiere, puedo ponerle en contacto con una persona de nuestro equipo de soporte.%s",
		"ru": "Мне всё ещё нужно понять, какой запрос вы имеете в виду, поэтому я пока ничего не сделал. Напишите номер заказа из списка ниже или нажмите «Подтвердить» на нужной карточке. Если хотите, я могу соединить вас с сотрудником службы поддержки.%s",
	},
	"declined_all": {
		"en": "All right, I've called these off and done nothing:%s\nIs there anything else I can help with?",
		"ko": "알겠습니다. 다음 요청을 취소했으며 아무것도 처리하지 않았습니다:%s\n더 도와드릴 일이 있을까요?",
		"es": "De acuerdo, he anulado estas solicitudes y no he hecho nada:%s\n¿Hay algo más en lo que pueda ayudarle?",
		"ru": "Хорошо, я не стал выполнять эти запросы, ничего не сделано:%s\nМогу ли я помочь чем-то ещё?",
	},
}

func pendingLine(key, locale string) string {
	if s, ok := pendingLines[key][locale]; ok {
		return s
	}
	return pendingLines[key]["en"]
}
