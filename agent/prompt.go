package agent

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/l10n"
)

// PromptVersion names the system prompt in force by default; it is
// recorded with every turn so an eval run or a transcript says which rules
// the model was given. An experiment's variant may name another of
// PromptVersions.
const PromptVersion = "support-v1"

// prompts holds every version of the system prompt, one template a file
// named after its version.
//
//go:embed prompts/*.tmpl
var prompts embed.FS

// systemTemplates are the parsed prompts by version.
var systemTemplates = func() map[string]*template.Template {
	names, err := fs.Glob(prompts, "prompts/*.tmpl")
	if err != nil {
		panic("agent: list prompts: " + err.Error())
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		version := strings.TrimSuffix(path.Base(n), ".tmpl")
		out[version] = template.Must(template.New(version).ParseFS(prompts, n)).Lookup(path.Base(n))
	}
	return out
}()

// PromptVersions returns the versions of the system prompt a variant may
// name, sorted.
func PromptVersions() []string {
	return slices.Sorted(maps.Keys(systemTemplates))
}

var languageNames = map[string]string{"en": "English", "ko": "Korean", "es": "Spanish", "ru": "Russian"}

// SystemPrompt returns the platform's rules of conduct for a conversation in
// locale, in the default version.
func SystemPrompt(locale string) string { return systemPrompt(PromptVersion, locale) }

// SystemPromptVersion returns version's prompt for locale, the default
// version's when version is unknown.
func SystemPromptVersion(version, locale string) string { return systemPrompt(version, locale) }

// systemPrompt returns version's prompt for locale (the default version's
// when version is empty or unknown). Each is rendered once: the prompts
// change only with a build.
func systemPrompt(version, locale string) string {
	tmpl, ok := systemTemplates[version]
	if !ok {
		version, tmpl = PromptVersion, systemTemplates[PromptVersion]
	}
	lang, ok := languageNames[locale]
	if !ok {
		lang = "the customer's language"
		locale = "" // every unknown locale shares the one text
	}
	key := version + "\x00" + locale
	if p, ok := systemPrompts.Load(key); ok {
		return p.(string)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, struct{ Language string }{lang}); err != nil {
		// The templates are fixed at build time and tested; this cannot happen.
		panic("agent: system prompt: " + err.Error())
	}
	p, _ := systemPrompts.LoadOrStore(key, b.String())
	return p.(string)
}

// systemPrompts holds the rendered prompts by version and locale ("" for
// any other locale).
var systemPrompts sync.Map

var fallbacks = map[string]string{
	"en": "I'm sorry, I can't help with that right now. Would you like me to connect you with a member of our support team?",
	"ko": "죄송합니다. 지금은 도와드리기 어렵습니다. 상담원을 연결해 드릴까요?",
	"es": "Lo siento, ahora mismo no puedo ayudarle con eso. ¿Quiere que le ponga en contacto con una persona de nuestro equipo de soporte?",
	"ru": "Извините, сейчас я не могу с этим помочь. Соединить вас с сотрудником службы поддержки?",
}

// Fallback returns the safe reply, in locale, for a turn that could not be
// answered: it promises nothing and offers a person.
func Fallback(locale string) string {
	if s, ok := fallbacks[locale]; ok {
		return s
	}
	return fallbacks["en"]
}

// Fixed lines the agent says itself, without a model, around confirmations.
var lines = map[string]map[string]string{
	"confirmed": {
		"en": "Confirmed: %s", "ko": "확인: %s", "es": "Confirmado: %s", "ru": "Подтверждено: %s",
	},
	"declined_by_buyer": {
		"en": "Declined: %s", "ko": "거절: %s", "es": "Rechazado: %s", "ru": "Отклонено: %s",
	},
	"declined": {
		"en": "All right, I haven't done it. Is there anything else I can help with?",
		"ko": "알겠습니다. 진행하지 않았습니다. 더 도와드릴 일이 있을까요?",
		"es": "De acuerdo, no lo he hecho. ¿Hay algo más en lo que pueda ayudarle?",
		"ru": "Хорошо, я не стал этого делать. Могу ли я помочь чем-то ещё?",
	},
	// declined_what names what was called off (the action as its card
	// describes it), so a buyer who typed "never mind" reads what was
	// dropped, not only that something was.
	"declined_what": {
		"en": "All right, I haven't done it and nothing has changed. Called off: %s. Is there anything else I can help with?",
		"ko": "알겠습니다. 진행하지 않았으며 변경된 것은 없습니다. 취소한 요청: %s. 더 도와드릴 일이 있을까요?",
		"es": "De acuerdo, no lo he hecho y no ha cambiado nada. Solicitud anulada: %s. ¿Hay algo más en lo que pueda ayudarle?",
		"ru": "Хорошо, ничего не изменилось: я не стал выполнять %s. Могу ли я помочь чем-то ещё?",
	},
	// declined_refund_later is declined_what for a refund whose window is
	// still open: calling it off loses nothing, and the buyer who wants
	// to "try them on again first" is told until when they may come back.
	"declined_refund_later": {
		"en": "All right, I haven't done it and nothing has changed. Called off: %s. You can still ask for this refund later: refunds can be requested within %s of delivery, until %s. Is there anything else I can help with?",
		"ko": "알겠습니다. 진행하지 않았으며 변경된 것은 없습니다. 취소한 요청: %s. 환불은 나중에 다시 요청하셔도 되며, 배송 완료 후 %s 이내인 %s까지 가능합니다. 더 도와드릴 일이 있을까요?",
		"es": "De acuerdo, no lo he hecho y no ha cambiado nada. Solicitud anulada: %s. Puede pedir este reembolso más adelante: los reembolsos se pueden solicitar dentro de los %s siguientes a la entrega, hasta el %s. ¿Hay algo más en lo que pueda ayudarle?",
		"ru": "Хорошо, ничего не изменилось: я не стал выполнять %s. Вы можете запросить этот возврат позже: возврат можно оформить в течение %s после доставки, до %s. Могу ли я помочь чем-то ещё?",
	},
	"expired": {
		"en": "That request has expired, so I haven't done it. Please ask again if you still want it.",
		"ko": "요청 시간이 만료되어 진행하지 않았습니다. 원하시면 다시 요청해 주세요.",
		"es": "Esa solicitud ha caducado, así que no la he realizado. Pídalo de nuevo si todavía lo desea.",
		"ru": "Срок этого запроса истёк, поэтому я его не выполнил. Если это ещё нужно, попросите снова.",
	},
	// expired_what answers a yes or no typed to a card that expired
	// before it: the request it asked about, named, was not done.
	"expired_what": {
		"en": "That confirmation expired before your answer, so I haven't done it and nothing has changed: %s. If you still want it, ask again and I'll prepare a new one.",
		"ko": "답변 전에 확인 시간이 만료되어 진행하지 않았으며 변경된 것은 없습니다: %s. 아직 원하시면 다시 요청해 주세요. 새로 준비해 드리겠습니다.",
		"es": "Esa confirmación caducó antes de su respuesta, así que no lo he hecho y no ha cambiado nada: %s. Si todavía lo desea, pídalo de nuevo y prepararé una nueva.",
		"ru": "Срок подтверждения истёк до вашего ответа, поэтому я ничего не выполнил и ничего не изменилось: %s. Если это ещё нужно, попросите снова, и я подготовлю новое.",
	},
	"already_done": {
		"en": "That had already been done before your answer reached me, so I can't call it off here:",
		"ko": "답변을 받기 전에 이미 처리되어 여기서 취소할 수 없습니다:",
		"es": "Eso ya se había hecho antes de que me llegara su respuesta, así que no puedo anularlo aquí:",
		"ru": "Это уже было сделано до того, как пришёл ваш ответ, поэтому отменить это здесь я не могу:",
	},
	"plan_changed": {
		"en": "I haven't done it: it has changed since you saw it (%s). Here is the request as it stands now; please confirm it if you still want it: %s",
		"ko": "진행하지 않았습니다. 확인하신 이후 내용이 바뀌었습니다 (%s). 현재 기준의 요청은 다음과 같습니다. 원하시면 다시 확인해 주세요: %s",
		"es": "No lo he hecho: ha cambiado desde que lo vio (%s). Esta es la solicitud tal como queda ahora; confírmela si todavía la desea: %s",
		"ru": "Я этого не сделал: с тех пор, как вы это видели, кое-что изменилось (%s). Вот запрос в нынешнем виде; подтвердите его, если он ещё нужен: %s",
	},
	"changed_order": {
		"en": "the order is now %s, not %s", "ko": "주문이 %s(으)로 바뀌었습니다 (이전: %s)",
		"es": "el pedido ahora es %s, no %s", "ru": "заказ теперь %s, а не %s",
	},
	"changed_amount": {
		"en": "the amount is now %s, not %s", "ko": "금액이 %s(으)로 바뀌었습니다 (이전: %s)",
		"es": "el importe ahora es %s, no %s", "ru": "сумма теперь %s, а не %s",
	},
	"changed_items": {
		"en": "the items are now %s, not %s", "ko": "상품이 %s(으)로 바뀌었습니다 (이전: %s)",
		"es": "los artículos ahora son %s, no %s", "ru": "товары теперь %s, а не %s",
	},
	"changed_reason": {
		"en": "the reason is now %s, not %s", "ko": "사유가 %s(으)로 바뀌었습니다 (이전: %s)",
		"es": "el motivo ahora es %s, no %s", "ru": "причина теперь %s, а не %s",
	},
	"changed_other": {
		"en": "the details of the request", "ko": "요청 내용", "es": "los detalles de la solicitud", "ru": "детали запроса",
	},
	"already_decided": {
		"en": "That request has already been handled.",
		"ko": "해당 요청은 이미 처리되었습니다.",
		"es": "Esa solicitud ya se ha tramitado.",
		"ru": "Этот запрос уже обработан.",
	},
}

func line(key, locale string) string {
	if s, ok := lines[key][locale]; ok {
		return s
	}
	return lines[key]["en"]
}

func decisionText(locale string, approved bool, summary string) string {
	if approved {
		return fmt.Sprintf(line("confirmed", locale), summary)
	}
	return fmt.Sprintf(line("declined_by_buyer", locale), summary)
}

// declinedText says the action summarised as what was called off, or,
// without a summary, that it was not done. until, when set, is the end of
// the refund window the buyer may still ask within.
func declinedText(locale, what string, until *time.Time) string {
	switch {
	case what == "":
		return line("declined", locale)
	case until != nil && time.Now().Before(*until):
		return fmt.Sprintf(line("declined_refund_later", locale), what, windowDays(locale, tools.RefundWindow), l10n.Date(locale, *until))
	}
	return fmt.Sprintf(line("declined_what", locale), what)
}

// refundableUntil is the end of the window of the refund act would have
// made, from its preview; nil for any other action.
func refundableUntil(act Action) *time.Time {
	if act.Tool != "request_refund" {
		return nil
	}
	var p tools.ActionPreview
	if json.Unmarshal(act.Details, &p) != nil {
		return nil
	}
	return p.RefundableUntil
}

func expiredText(locale string) string        { return line("expired", locale) }
func alreadyDecidedText(locale string) string { return line("already_decided", locale) }
