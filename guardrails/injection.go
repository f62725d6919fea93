package guardrails

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Prompt-injection detection has two parts: patterns for the well-known
// phrasings in the four languages (high precision, and they name what they
// found), and a logistic regression over hashed character and word
// n-grams, trained when a Checker is made on data/injection_train.jsonl, a
// set written for csagent (direct injections, jailbreaks, role-play, tool
// manipulation and indirect injections in reviews and descriptions,
// against buyer messages that look alike: "ignore my last message",
// "pretend I never ordered"), and against the reference prose the screen
// also reads in tool results (policy-style passages, headings, citations,
// tool summaries, product descriptions: without it, rule-stating prose
// read as injection). internal/guardbench/testdata/injection_heldout.jsonl,
// written separately and never trained or tuned on, measures it.

//go:embed data/injection_train.jsonl
var injectionTrain string

// injectionPattern is a known injection phrasing.
type injectionPattern struct {
	name string
	re   *regexp.Regexp
	gate []string
}

// find returns the first match of p in folded text f.
func (p injectionPattern) find(f string) []int {
	for _, g := range p.gate {
		if strings.Contains(f, g) {
			return p.re.FindStringIndex(f)
		}
	}
	if len(p.gate) == 0 {
		return p.re.FindStringIndex(f)
	}
	return nil
}

// injectionSources are the patterns, written folded (lower case, no
// accents; foldRegex folds them anyway).
var injectionSources = []struct {
	name, re string
	// gate lists words (folded) of which the text must hold one for the
	// pattern to be tried: a cheap test before the regex.
	gate []string
}{
	{"ignore_instructions", `(ignore|disregard|forget|override|bypass|skip|drop)\s+(all\s+|any\s+|the\s+|your\s+|these\s+|those\s+|every\s+)*(previous\s+|prior\s+|above\s+|earlier\s+|preceding\s+|original\s+|initial\s+|system\s+|safety\s+|existing\s+|old\s+)?(instructions?|rules|prompts?|directives|guidelines|guardrails|restrictions|programming|training|policies)\b`, []string{"ignore", "disregard", "forget", "override", "bypass", "skip", "drop"}},
	{"new_persona", `\byou\s+are\s+(now\s+)?(dan\b|an?\s+(unrestricted|unfiltered|uncensored|evil)|jailbroken|no\s+longer\s+(an?\s+)?(assistant|bot|bound|restricted|a\s+customer))|\bdo\s+anything\s+now\b|\bdan\s+mode\b`, []string{"you are", "do anything", "dan"}},
	{"special_mode", `\b(developer|dev|god|admin|administrator|debug|maintenance|sudo|root|jailbreak|unrestricted)\s+mode\b|\bjailbreak\b`, []string{"mode", "jailbreak"}},
	{"system_prompt", `\b(system|hidden|initial|original|secret)\s+(prompt|instructions|message)\b|\b(reveal|show|print|repeat|output|display|leak|disclose|quote)\b.{0,40}\b(prompt|instructions you were given|your instructions|your rules|configuration)\b|\brepeat\s+(everything|the\s+text|all)\s+(above|before)`, []string{"prompt", "instruction", "message", "rules", "configuration", "repeat"}},
	{"impersonation", `\b(pretend|act|behave|roleplay|role-play|pose)\s+(to\s+be|you\s*'?re|you\s+are|as(\s+if\s+you\s+were)?|like)\s+(an?\s+|the\s+|my\s+)?(admin|administrator|developer|system|supervisor|manager|staff|employee|moderator|unrestricted|evil|owner)`, []string{"pretend", "act", "behave", "role", "pose"}},
	{"role_tag", `(^|\n|\s)(system|assistant|developer)\s*:\s*\S|<\|?(im_start|im_end|system|endoftext)\|?>|\[/?inst\]|<</?sys>>|###\s*(instruction|system)|system\s+override|new\s+system\s+message`, []string{"system", "assistant", "developer", "<", "[", "###"}},
	{"tool_manipulation", `\b(call|invoke|run|execute|trigger)\s+(the\s+)?(tool\s+|function\s+)?(request_refund|cancel_order|open_dispute|handoff_to_human|get_order|list_orders|refund_status)\b|\b(refund|cancel)\s+(all|every|everyone'?s)\s+(the\s+)?(orders?|refunds?|customers?)|\b(another|other|different)\s+(user|customer|buyer|account)'?s?\b.{0,20}\b(orders?|accounts?|refunds?|address)|\bbuyer_?id\s*[:=]`, []string{"call", "invoke", "run", "execute", "trigger", "refund", "cancel", "another", "other", "different", "buyer"}},
	{"rule_breaking", `\b(break|bypass|disable|turn\s+off|switch\s+off|remove)\s+(your\s+|the\s+|all\s+)?(own\s+)?(rules|filters|safety|guardrails|restrictions|limits|content\s+polic(y|ies)|confirmation\s+(step|requirement))|\b(with\s+)?no\s+(rules|restrictions|filters|limits|guidelines)\b|\bwithout\s+(any\s+)?(rules|restrictions|filters|guidelines|content\s+policy)\b|\bskip\s+(all\s+|the\s+|any\s+)?(verification|confirmation|checks?)\b|\b(new|updated)\s+(rules?|policy|instructions|persona|role)\s*:|\bpermission\s+to\s+break\b`, []string{"break", "bypass", "disable", "turn", "switch", "remove", "no ", "without", "skip", "new", "updated", "permission"}},
	{"data_exfiltration", `\b(list|show|print|give)\s+(me\s+)?(every|all|the\s+list\s+of\s+all)\s+(the\s+)?(tools?|functions|customers|buyers|users)\b|\b(phone|email|address|phone\s+number)\s+(address\s+)?of\s+(the|another|other|a)\s+(buyer|customer|user)\b|\b(internal\s+notes|fraud\s+score)\b`, []string{"list", "show", "print", "give", "phone", "email", "address", "internal", "fraud"}},
	{"ko_ignore", `(이전|앞의|위의|기존|모든|시스템|처음)\S*\s*(의\s*)?(지시|지침|명령|규칙|프롬프트|설정|안내)\S*\s*(은|는|을|를|다|도)?\s*(다\s*|모두\s*|전부\s*)?(무시|잊|따르지)`, []string{"무시", "잊", "따르지"}},
	{"ko_system_prompt", `시스템\s*프롬프트|숨겨진\s*(규칙|지침|지시)|(원래|처음|초기)\s*(의\s*)?(설정|지침|지시)`, []string{"프롬프트", "숨겨진", "설정", "지침", "지시"}},
	{"ko_persona", `(관리자|개발자|운영자|매니저|직원)\s*(인\s*척|처럼\s*행동|로서\s*행동|역할|모드)|개발자\s*모드|탈옥|제한\s*없는\s*(ai|인공지능)`, []string{"척", "행동", "역할", "모드", "탈옥", "제한"}},
	{"ko_rules", `(규칙|지침|정책|지시|안내)\S*\s*(은|는|을|를|따위|같은\s*건)?\s*(다\s*|모두\s*|전부\s*)?(무시|잊)|안전\s*장치|제한\s*없는|규칙을\s*어겨|확인\s*(절차\s*)?(없이|건너뛰)|(다른|타인의|남의)\s*(구매자|고객|사람)\S*\s*(전화|주소|이메일|정보)|모든\s*고객\s*목록`, []string{"무시", "잊", "안전", "제한", "어겨", "확인", "다른", "타인", "남의", "고객"}},
	{"ko_tool", `(다른|타인의|남의)\s*(사용자|고객|구매자|사람)\S*\s*(주문|환불|계정)|(모든|전체)\s*주문\S*\s*(전체\s*|다\s*)?(환불|취소)|request_refund|cancel_order`, []string{"다른", "타인", "남의", "모든", "전체", "request_refund", "cancel_order"}},
	{"es_ignore", `\b(ignora|olvida|omite|descarta|anula|no\s+sigas|no\s+hagas\s+caso\s+de)\S*\s+(todas\s+)?(las\s+|tus\s+|sus\s+)?(instrucciones|reglas|indicaciones|directrices|normas)(\s+(anteriores|previas|originales|del\s+sistema))?`, []string{"ignora", "olvida", "omite", "descarta", "anula", "no sigas", "no hagas"}},
	{"es_system_prompt", `\b(prompt|mensaje|instrucciones)\s+(del|de)\s+sistema\b|\binstrucciones\s+ocultas\b`, []string{"sistema", "ocultas"}},
	{"es_persona", `\b(finge|actua|hazte\s+pasar|comportate|haz\s+como\s+si)\s+(que\s+eres|ser|como|por|fueras)\s+(un\s+|el\s+|una\s+|la\s+)?(administrador|admin|desarrollador|supervisor|gerente|empleado)|\bmodo\s+(desarrollador|dios|administrador|sin\s+restricciones|jailbreak)\b|\bsin\s+restricciones\b`, []string{"finge", "actua", "pasar", "comportate", "como si", "modo", "restricciones"}},
	{"es_rules", `\bsin\s+(restricciones|reglas|filtros|limites)\b|\b(salta|saltate|omite)\s+(la\s+|las\s+)?(verificacion|confirmacion|reglas)|\bsin\s+(pedir\s+)?confirmacion\b|\b(desactiva|apaga)\s+(tus\s+|los\s+)?(filtros|restricciones|reglas)|\brompe\w*\s+(tus\s+|las\s+)?reglas|\bno\s+sigas\s+(las|tus)\s+reglas|\b(nueva|nuevas)\s+(politica|reglas|instrucciones)\s*(de\s+tus\s+desarrolladores)?\s*:|\b(notas\s+internas|puntuacion\s+de\s+fraude)\b|\blista\s+de\s+todos\s+los\s+clientes\b`, []string{"sin ", "salta", "omite", "desactiva", "apaga", "romp", "no sigas", "nueva", "notas internas", "fraude", "todos los clientes"}},
	{"es_tool", `\b(reembolsa|cancela)\s+todos\s+los\s+pedidos\b|\bpedidos?\s+de\s+otro\s+(usuario|cliente|comprador)\b`, []string{"todos los pedidos", "otro usuario", "otro cliente", "otro comprador"}},
	{"ru_ignore", `(игнорируй|игнорируйте|забудь|забудьте|отмени|пропусти|не\s+обращай\s+внимания\s+на|не\s+следуй|не\s+выполняй)\s+(все\s+)?(свои\s+|твои\s+|эти\s+)?(предыдущие|прошлые|прежние|системные|исходные)?\s*(инструкции|указания|правила|ограничения|промпт|своим\s+правилам)`, []string{"игнорир", "забуд", "отмени", "пропусти", "не обращаи", "не следуи", "не выполняи"}},
	{"ru_system_prompt", `системн\S*\s+(промпт|подсказк|инструкци|сообщени)|скрыт\S*\s+(инструкци|правил)`, []string{"системн", "скрыт"}},
	{"ru_persona", `(притворись|представь,?\s+что\s+ты|веди\s+себя\s+как|действуй\s+как|ты\s+теперь|сыграй\s+роль)\s+.{0,20}(администратор|админ|разработчик|руководител|сотрудник|менеджер|без\s+ограничений)|режим\s+(разработчика|бога|администратора|джеилбрейка)|ии\s+без\s+ограничений`, []string{"притворись", "представь", "веди себя", "деиствуи", "ты теперь", "сыграи", "режим", "без ограничении"}},
	{"ru_rules", `без\s+(ограничении|правил|фильтров|подтверждения)|пропусти\s+(проверку|подтверждение)|отключи\s+(свои\s+)?(фильтры|ограничения|правила)|нарушить\s+правила|не\s+следуи\s+правилам|нов\S*\s+(политика|правила|инструкции)\S*\s*(от\s+разработчиков)?\s*:|внутренн\S*\s+заметк|скоринг\s+мошенничества|список\s+всех\s+клиентов`, []string{"без ", "пропусти", "отключи", "нарушить", "не следуи", "нов", "заметк", "скоринг", "список всех"}},
	{"ru_tool", `(верни\s+деньги|оформи\s+возврат|отмени)\s+(за\s+|по\s+)?(все|всем|всех)\s+заказ|заказ\S*\s+(другого|чужого)\s+(пользователя|покупателя|клиента)`, []string{"заказ"}},
}

// injectionPatterns are injectionSources compiled.
var injectionPatterns = func() []injectionPattern {
	out := make([]injectionPattern, len(injectionSources))
	for i, p := range injectionSources {
		gate := make([]string, len(p.gate))
		for k, g := range p.gate {
			gate[k] = foldString(g)
		}
		out[i] = injectionPattern{p.name, regexp.MustCompile(foldRegex(p.re)), gate}
	}
	return out
}()

// patternScore is the score a pattern hit gives.
const patternScore = 0.97

// classifierBits sizes the hashed feature space.
const classifierBits = 18

// classifier is a logistic regression over hashed n-grams.
type classifier struct {
	w []float32
	b float32
}

// example is one labelled text.
type example struct {
	Text  string `json:"text"`
	Label int    `json:"label"`
	Lang  string `json:"lang"`
}

func parseExamples(data string) ([]example, error) {
	var out []example
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var ex example
		if err := json.Unmarshal([]byte(line), &ex); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, ex)
	}
	return out, sc.Err()
}

func trainDefault() (*classifier, error) {
	exs, err := parseExamples(injectionTrain)
	if err != nil {
		return nil, err
	}
	return train(exs), nil
}

// features returns the hashed feature ids of text, sorted and distinct:
// character 3- to 5-grams and words and word pairs of the folded text, and
// 4-grams of its skeleton (which sees through spaced-out and leetspeak
// words).
func features(text string) []uint32 { return featuresOf(fold(text)) }

// featuresOf is features of the folded text f: the input check folds a
// message for its patterns and the classifier reads the same folding.
func featuresOf(f *folded) []uint32 {
	rs := featureRunes(f)
	mask := uint32(1)<<classifierBits - 1
	out := make([]uint32, 0, len(rs)*4)
	// Each feature is the 32-bit FNV-1a hash of its kind byte and its
	// runes, four little-endian bytes each (as hash/fnv's New32a over those
	// bytes), computed inline: through the hash.Hash interface, a call per
	// rune was a third of the input check.
	const (
		offset32 = 2166136261
		prime32  = 16777619
	)
	add := func(h uint32, r rune) uint32 {
		h = (h ^ uint32(byte(r))) * prime32
		h = (h ^ uint32(byte(r>>8))) * prime32
		h = (h ^ uint32(byte(r>>16))) * prime32
		return (h ^ uint32(byte(r>>24))) * prime32
	}
	start := func(kind byte) uint32 { return (offset32 ^ uint32(kind)) * prime32 }
	for n := 3; n <= 5; n++ {
		for i := 0; i+n <= len(rs); i++ {
			h := start(byte(n))
			for _, r := range rs[i : i+n] {
				h = add(h, r)
			}
			out = append(out, h&mask)
		}
	}
	words := strings.Fields(string(rs))
	for i, w := range words {
		h := start('w')
		for _, r := range w {
			h = add(h, r)
		}
		out = append(out, h&mask)
		if i+1 < len(words) {
			h := start('b')
			for _, r := range w {
				h = add(h, r)
			}
			h = add(h, ' ')
			for _, r := range words[i+1] {
				h = add(h, r)
			}
			out = append(out, h&mask)
		}
	}
	sk := makeCompact(f).runes
	for i := 0; i+4 <= len(sk); i++ {
		h := start('s')
		for _, r := range sk[i : i+4] {
			h = add(h, r)
		}
		out = append(out, h&mask)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// minScaleFeatures is the fewest features a text is scaled as having. A
// text's features are weighted 1/sqrt(n), so without a floor the few
// features of a heading or a citation ("[refunds §Refund window]") each
// weigh as much as a sentence's worth and one word that injections often
// use ("refunds") decides; with it, a short text needs strongly
// injection-like features to score high.
const minScaleFeatures = 64

func featureScale(n int) float64 { return 1 / math.Sqrt(float64(max(n, minScaleFeatures))) }

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func (m *classifier) score(feats []uint32) float64 {
	if len(feats) == 0 {
		return 0
	}
	x := featureScale(len(feats))
	z := float64(m.b)
	for _, j := range feats {
		z += float64(m.w[j]) * x
	}
	return sigmoid(z)
}

// prob is the classifier's probability that text is an injection.
func (m *classifier) prob(text string) float64 { return m.score(features(text)) }

// train fits a classifier by stochastic gradient descent with L2
// regularisation, deterministically (a fixed shuffle seed), averaging the
// weights of the later epochs.
func train(exs []example) *classifier {
	m := &classifier{w: make([]float32, 1<<classifierBits)}
	avg := &classifier{w: make([]float32, 1<<classifierBits)}
	feats := make([][]uint32, len(exs))
	for i, ex := range exs {
		feats[i] = features(ex.Text)
	}
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(6, 2026))
	const epochs, lambda = 60, 1e-4
	for ep := range epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		lr := 10 / (1 + 0.1*float64(ep))
		for _, i := range order {
			p := m.score(feats[i])
			g := p - float64(exs[i].Label)
			x := featureScale(len(feats[i]))
			for _, j := range feats[i] {
				m.w[j] -= float32(lr * (g*x + lambda*float64(m.w[j])))
			}
			m.b -= float32(lr * g)
		}
		if ep >= epochs/2 {
			for j, w := range m.w {
				avg.w[j] += w
			}
			avg.b += m.b
		}
	}
	// The model is the average of the second half's epochs: the last
	// epoch's weights depend on the order its final examples came in, so
	// one example added to the data could move a text near the threshold
	// across it.
	n := float32(epochs - epochs/2)
	for j := range avg.w {
		avg.w[j] /= n
	}
	avg.b /= n
	return avg
}

// injectionHit is one reason to call a text an injection.
type injectionHit struct {
	rule  string
	sp    span
	score float64
}

// injection scores text: the highest of the patterns' score (when one
// matches) and the classifier's probability for the whole text and for
// each window of up to three sentences (an instruction buried in a long
// review).
func (c *Checker) injection(text string) (float64, []injectionHit) {
	var hits []injectionHit
	f := fold(text)
	for _, p := range injectionPatterns {
		if loc := p.find(f.s); loc != nil && !describes(p.name, f.s[:loc[0]]) {
			hits = append(hits, injectionHit{rule: p.name, sp: f.origin(loc[0], loc[1]), score: patternScore})
		}
	}
	best := c.classifier.score(featuresOf(f))
	bestSp := span{0, int32(len(text))}
	if len(text) > 300 {
		segs, _ := splitSentences(text, true)
		for i := range segs {
			j := min(i+3, len(segs))
			w := text[segs[i].start:segs[j-1].end]
			if p := c.classifier.prob(w); p > best {
				best, bestSp = p, span{int32(segs[i].start), int32(segs[j-1].end)}
			}
		}
	}
	hits = append(hits, injectionHit{rule: RuleClassifier, sp: bestSp, score: best})
	score := best
	if len(hits) > 1 {
		score = max(score, patternScore)
	}
	return score, hits
}

// describes reports whether a rule_breaking match is the verb of a
// relative clause ("listings that break the rules are removed"): that
// describes someone breaking rules, it does not ask the model to.
func describes(rule, before string) bool {
	if rule != "rule_breaking" {
		return false
	}
	before = strings.TrimRight(before, " ")
	for _, w := range []string{" that", " which", " who"} {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// RuleClassifier is the Rule of an injection Violation that only the
// classifier's score found; every other injection rule is a pattern that
// matched.
const RuleClassifier = "classifier"

// CheckInput checks a buyer's message before the model reads it, and
// equally text a tool returned or a search retrieved (a review, a
// description, a translation) before the model reads that: prompt
// injection and jailbreak attempts, and personal data. An injection must
// not reach the model as an instruction: answer the message as support
// would (or withhold the tool text). Redacted is the text with personal
// data masked, for logs and an external LLM. locale is the message's
// language when known; the checks read all four.
func (c *Checker) CheckInput(text, locale string) InputResult {
	rs := c.load()
	hits := findPII(text)
	res := InputResult{Redacted: mask(text, hits), Violations: piiViolations(text, 0, hits)}
	score, inj := c.injection(text)
	res.Score = math.Round(score*1000) / 1000
	res.Injection = score >= rs.injection
	if res.Injection {
		for _, h := range inj {
			if h.rule == RuleClassifier && h.score < rs.injection {
				continue
			}
			res.Violations = append(res.Violations, Violation{
				Type: TypeInjection, Rule: h.rule, Span: text[h.sp.start:h.sp.end],
				Start: int(h.sp.start), End: int(h.sp.end),
				Detail: fmt.Sprintf("prompt injection (score %.2f)", h.score),
			})
		}
	}
	return res
}

// featureRunes is the folded text the features are read from: its letters,
// digits and underscores, every other run of runes one space, with a space
// at each end.
func featureRunes(f *folded) []rune {
	rs := make([]rune, 1, len(f.runes)+2)
	rs[0] = ' '
	space := true
	for _, r := range f.runes {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			rs = append(rs, r)
			space = false
		case !space:
			rs = append(rs, ' ')
			space = true
		}
	}
	if !space {
		rs = append(rs, ' ')
	}
	return rs
}
