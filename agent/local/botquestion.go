package local

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// A buyer who asks whether they are talking to a bot is owed an honest
// answer, not a transfer: they may well go on with the assistant once they
// know. Only a buyer who asks for a person is handed to one.

// botWords are words that, standing alone, ask about what is answering.
var botWords = []string{"bot", "bots", "robot", "chatbot", "chatbots", "ai", "máquina", "maquina", "ia",
	"бот", "боты", "робот", "ботом", "бота", "боту", "роботом", "робота", "роботу", "нейросеть", "нейросетью", "ии", "машина", "машиной",
	"gpt", "chatgpt"}

// botPhrases ask who is answering, matched on the message's words joined
// by single spaces: English, Spanish and Russian phrases, and Korean
// word parts (Korean attaches endings to the word: "봇이에요", "AI지").
var botPhrases = []string{
	"computer program", "real person", "actual human", "actual person", "real human", "are you human", "are you a human",
	"are you a person", "are you real", "am i talking to", "am i speaking with", "am i speaking to", "am i chatting with",
	"is this automated", "are you a machine", "is this a machine", "artificial intelligence",
	"persona de verdad", "persona real", "eres humano", "eres una persona", "ser humano", "es una máquina", "eres una máquina", "inteligencia artificial",
	"живым человеком", "живой человек", "вы человек", "ты человек", "автоответчик", "искусственный интеллект",
	"봇", "자동응답", "자동 응답", "사람이에요", "사람인가요", "사람 맞", "사람이랑", "사람이야", "사람이세요", "인공지능",
	"ai지", "ai야", "ai예", "ai인가", "ai 맞", "ai에요",
	// Asked as "is anyone real here?", "is this an automatic reply?".
	"real agent", "live agent", "anyone real", "someone real", "anybody real", "alguien real", "alguien de verdad", "кто то живой", "есть кто живой",
	"automated reply", "automatic reply", "auto reply", "automated response", "respuesta automática", "respuesta automatica",
	"автоматический ответ", "автоответ", "자동 답변", "자동답변", "자동으로 답", "gpt", "지피티",
	// Asked as "is it real, alive, a machine answering?" (helper-14C,
	// round 9): "is a human reading this", "¿eres real?", "вы живой?",
	// "ты настоящий?", "기계가 답하는 거죠?" were handed over or not read.
	"human reading", "person reading", "human typing", "person typing", "are you a real", "is this a real person", "is this real person",
	"eres real", "eres de verdad", "es una persona real", "me responde una persona", "me contesta una persona", "hay alguien real",
	"ты настоящий", "вы настоящий", "ты живой", "вы живой", "ты реальный", "вы реальный", "это человек пишет", "человек отвечает", "человек пишет",
	"기계가 답", "기계예요", "기계에요", "기계죠", "기계인가", "기계 맞", "진짜 사람", "실제 사람", "사람이 답", "사람이 직접",
}

// personRequestCues ask for a person rather than about the assistant,
// whatever follows them.
var personRequestCues = []string{
	"connect me", "transfer", "put me through", "can i talk", "can i speak", "could i talk", "could i speak", "let me talk", "let me speak", "escalate",
	"연결", "바꿔", "불러", "넘겨",
	"pásame", "pasame", "hablar con", "comunícame", "comunicame",
	// The same imperatives to vosotros and usted: "pasadme con alguien",
	// "póngame con una persona".
	"pasadme", "pásenme", "pasenme", "páseme", "paseme", "ponedme con", "ponme con", "póngame con", "pongame con",
	"comunicadme", "comuníqueme", "comuniqueme",
	"позов", "соедин", "переключ", "эскалир",
	// "Зовите живого человека, с ботом больше не буду": calling for
	// one, not asking whether the assistant is one.
	"зови",
}

// requestVerbs are the generic verbs of a request ("I want", "quiero",
// "хочу", "해주세요"): they ask for a person only when one is what they
// govern. "Quiero la verdad", "솔직하게 말해주세요" and "хочу знать, вы
// бот?" ask for the truth about the assistant, not for a transfer; "I
// want a person" and "дайте живого человека" ask for a person.
var requestVerbs = []string{
	"i want", "i need", "i'd like", "give me", "get me", "put me", "let me",
	"quiero", "necesito", "dame", "deme",
	"хочу", "нужен", "нужна", "нужно", "дайте", "дай",
	"원해요", "해주세요", "해 주세요", "싶어요", "싶은데", "싶습니다", "할게요", "할래요",
}

// wantedPersonWords, at a word's start, make a want cue ask for a person:
// a person (personWords, escalation.go), anyone, or talking to one.
var wantedPersonWords = append([]string{"someone", "talk", "speak", "alguien", "hablar", "поговор", "상담", "얘기", "이야기",
	// Someone above the assistant.
	"manager", "менеджер", "supervisor", "gerente", "responsable", "руковод", "начальн", "책임자", "관리자", "매니저", "상급자"},
	personWords...)

// asksForPerson reports whether words, a message's words in order, ask
// for a person: a request cue anywhere, or a want cue governing a person
// (the next four words; in Korean, whose verb comes last, the two before).
func asksForPerson(words []string) bool {
	norm := " " + strings.Join(words, " ") + " "
	if containsAny(norm, personRequestCues) {
		return true
	}
	for i, w := range words {
		// A Russian demand needs no verb: "человека мне", "мне оператора".
		if w != "мне" && w != "mne" {
			continue
		}
		for _, j := range []int{i - 1, i + 1} {
			if j >= 0 && j < len(words) && slices.Contains(demandedPersons, words[j]) {
				return true
			}
		}
	}
	for i := range words {
		for _, c := range requestVerbs {
			n := len(strings.Fields(c))
			if i+n > len(words) {
				continue
			}
			at, ko := strings.Join(words[i:i+n], " "), hangul(c)
			if ko && !strings.Contains(at, c) || !ko && !strings.HasPrefix(at, c) {
				continue
			}
			near := words[i+n : min(len(words), i+n+4)]
			if ko {
				near = words[max(0, i-2) : i+1]
			}
			for _, w := range near {
				if ko && containsAny(w, koreanIdentityEndings) {
					// "사람이에요? 말해주세요": who is answering, asked.
					continue
				}
				for _, p := range wantedPersonWords {
					if strings.HasPrefix(w, p) {
						return true
					}
				}
			}
		}
	}
	return false
}

// demandedPersons are Russian words for a person in the case a demand
// puts them in ("человека мне!"), and as typed in Latin letters. The
// nominative ("мне человек сказал") tells of one, and is not here.
var demandedPersons = []string{"человека", "оператора", "сотрудника", "специалиста", "менеджера", "руководителя", "консультанта",
	"cheloveka", "operatora", "sotrudnika"}

// koreanIdentityEndings end a Korean word asking what something is
// ("사람이에요?", "사람인가요", "사람 맞죠"), not asking for it.
var koreanIdentityEndings = []string{"이에요", "인가요", "이세요", "이야", "인지", "예요", "이죠", "맞"}

// hangul reports whether s holds a Korean letter.
func hangul(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}

// isBotQuestion reports whether text asks if the assistant is a bot,
// without asking for a person.
func isBotQuestion(text string) bool {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
	for i, w := range words {
		// Chat spelling: "r u a bot", "are u human".
		switch w {
		case "u":
			words[i] = "you"
		case "r":
			words[i] = "are"
		}
	}
	norm := " " + strings.Join(words, " ") + " "
	if asksForPerson(words) {
		return false
	}
	for _, w := range words {
		// In Korean a Latin word carries its particle: "AI랑", "bot이에요".
		if slices.Contains(botWords, w) || slices.Contains(botWords, latinStem(w)) {
			return true
		}
	}
	return containsAny(norm, botPhrases) || personOrMachine(words)
}

// latinStem is w's Latin letters when a Korean ending follows them
// ("ai랑" → "ai"), else "".
func latinStem(w string) string {
	i := strings.IndexFunc(w, func(r rune) bool { return unicode.Is(unicode.Hangul, r) })
	if i <= 0 {
		return ""
	}
	for _, r := range w[:i] {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			return ""
		}
	}
	return w[:i]
}

// personNouns and machineStems name the two sides of "a person or a
// program?", matched at a word's start (Korean words carry their
// endings: "사람인지", "프로그램이에요").
var (
	personNouns = []string{"person", "human", "people", "someone", "somebody", "anyone", "anybody", "persona", "humano", "alguien",
		"человек", "человеком", "живой", "живым", "сотрудник", "사람", "상담원", "직원",
		// Formally: "an automated system or a member of staff?"
		"staff", "employee", "operator", "empleado", "operador", "оператор", "специалист"}
	machineStems = []string{"program", "software", "computer", "machine", "automat", "script", "robot", "робот",
		"programa", "ordenador", "computadora", "máquina", "maquina", "automátic", "automatic",
		"программ", "компьютер", "машин", "автомат", "скрипт",
		"프로그램", "컴퓨터", "기계", "자동"}
)

// orWords join the two sides of an either-or question. Korean sets the
// sides side by side instead ("사람인지 프로그램인지", "직원이에요 자동이에요?").
var orWords = []string{"or", "o", "u", "или", "либо", "아니면", "혹은"}

// personOrMachine reports whether words ask which of a person and a
// machine is answering: both are named, joined by an "or" ("is a human
// typing this or software?", "¿me contesta una persona o un ordenador?"),
// or in Korean side by side. "the coffee machine leaks, is a person
// coming?" names both and asks neither. A message that asks for a person
// never gets here (isBotQuestion).
func personOrMachine(words []string) bool {
	person, machine := -1, -1
	korean := false
	for i, w := range words {
		for _, p := range personNouns {
			if person < 0 && strings.HasPrefix(w, p) {
				person = i
			}
		}
		for _, m := range machineStems {
			if machine < 0 && strings.HasPrefix(w, m) {
				machine = i
			}
		}
		for _, r := range w {
			korean = korean || unicode.Is(unicode.Hangul, r)
		}
	}
	if person < 0 || machine < 0 {
		return false
	}
	if korean {
		return true
	}
	lo, hi := min(person, machine), max(person, machine)
	for _, w := range words[lo+1 : hi] {
		if slices.Contains(orWords, w) {
			return true
		}
	}
	return false
}

// botAnswers are the honest answers, by language: an automated assistant,
// what it can do here, and a person on request.
var botAnswers = map[string]string{
	"en": "Yes, I'm an automated assistant, not a person. I can check your orders, deliveries, refunds and our policies right here, so tell me what's going on. If you'd rather talk to a person, just say so and I'll ask one to join.",
	"ko": "네, 저는 사람이 아닌 자동 응답 어시스턴트입니다. 주문, 배송, 환불과 정책은 여기서 바로 확인해 드릴 수 있으니 어떤 일인지 말씀해 주세요. 사람과 상담하고 싶으시면 말씀만 해 주세요. 상담원을 연결해 드리겠습니다.",
	"es": "Sí, soy un asistente automático, no una persona. Puedo consultar aquí mismo tus pedidos, envíos, reembolsos y nuestras políticas, así que cuéntame qué pasa. Si prefieres hablar con una persona, dímelo y le pediré a alguien del equipo que se una.",
	"ru": "Да, я автоматический помощник, а не человек. Я могу прямо здесь проверить ваши заказы, доставку, возвраты и наши правила — расскажите, что случилось. Если хотите поговорить с сотрудником, просто скажите, и я попрошу его подключиться.",
}

// botAnswer is the reply to a bot question in the dialogue's language.
func (d *dialogue) botAnswer() agent.Message {
	text, ok := botAnswers[d.locale]
	if !ok {
		text = botAnswers["en"]
	}
	return agent.Message{Content: text}
}

// botAsides are the honest answer in a few words, by language, for a
// message that asks whether the assistant is a bot and something else:
// the something else is answered, after it.
var botAsides = map[string]string{
	"en": "I'm an automated assistant, not a person (if you'd rather talk to one, just say so).",
	"ko": "저는 사람이 아닌 자동 응답 어시스턴트입니다(사람과 상담하고 싶으시면 말씀해 주세요).",
	"es": "Soy un asistente automático, no una persona (si prefiere hablar con una, dígamelo).",
	"ru": "Я автоматический помощник, а не человек (если хотите поговорить с сотрудником, скажите).",
}

// clauseSplit splits a message into its questions and clauses.
var clauseSplit = regexp.MustCompile(`[?？.!;\n]+|\s(?:and|also|y|además|и|а|также|그리고)\s`)

// asksMoreThanBot reports whether text, a bot question, also holds a
// request of its own ("are you a bot? where is ORD-10042?", "bot or
// human? and how long do refunds take"): a clause of three words or more
// that asks nothing about the assistant.
func asksMoreThanBot(text string) bool {
	for _, c := range clauseSplit.Split(text, -1) {
		if len(strings.Fields(c)) >= 3 && !isBotQuestion(c) {
			return true
		}
	}
	return false
}

// botQuestionAlone reports whether the buyer's message asks whether the
// assistant is a bot and nothing the model can serve besides: it gets
// the honest answer alone. One that also asks for something gets that,
// with the honest answer first (withBotAside).
func (d *dialogue) botQuestionAlone() bool {
	if !isBotQuestion(d.text) {
		return false
	}
	return !hasSlot(d.slots) && !(isTask(d.intent) && d.conf >= nlu.ActionThreshold && asksMoreThanBot(d.text))
}

// withBotAside puts the honest answer before msg, the model's answer to a
// message that asked whether it is a bot and something else.
func (d *dialogue) withBotAside(msg agent.Message) agent.Message {
	if msg.Content == "" || len(msg.ToolCalls) > 0 || d.said == "handed_off" || d.said == "handed_off_sorry" || !isBotQuestion(d.text) {
		return msg
	}
	for _, a := range botAnswers {
		if msg.Content == a {
			return msg
		}
	}
	aside, ok := botAsides[d.locale]
	if !ok {
		aside = botAsides["en"]
	}
	msg.Content = aside + "\n\n" + msg.Content
	return msg
}
