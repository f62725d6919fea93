package agent

import (
	"bytes"
	_ "embed"
	"text/template"
)

// PromptVersion names the system prompt in force; it is recorded with every
// turn so an eval run or a transcript says which rules the model was given.
const PromptVersion = "support-v1"

//go:embed prompts/support-v1.tmpl
var supportPrompt string

var systemTemplate = template.Must(template.New(PromptVersion).Parse(supportPrompt))

var languageNames = map[string]string{"en": "English", "ko": "Korean", "es": "Spanish", "ru": "Russian"}

// SystemPrompt returns the platform's rules of conduct for a conversation in
// locale.
func SystemPrompt(locale string) string {
	lang, ok := languageNames[locale]
	if !ok {
		lang = "the customer's language"
	}
	var b bytes.Buffer
	if err := systemTemplate.Execute(&b, struct{ Language string }{lang}); err != nil {
		// The template is fixed at build time and tested; this cannot happen.
		panic("agent: system prompt: " + err.Error())
	}
	return b.String()
}

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
