package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search always returns its k best chunks, however poorly they answer: a
// question about employee parking still "finds" the disputes policy, since
// both rankings reward the word "policy". An agent that quoted such a
// passage would state a rule nobody asked about, so search_policy keeps only
// the passages that share a distinctive word with the question, and a
// question no policy covers gets no passage at all — the agent then says so
// and offers a person instead of inventing a rule.
//
// Neither score can serve as a cut-off: on the labeled questions the best
// cosine similarity of a right answer is as low as 0.09, while off-topic
// questions reach 0.34, and every one of them has full-text matches.

// genericWords are the words of policy questions that say nothing about
// which rule is meant, by their first letters (see stem).
var genericWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		policy policies rule rules rulebook regulation regulations terms condition conditions
		what which where when does have with your about there that this these those maru market
		please tell know could would should there their they them want need like take bring
		política políticas regla reglas norma normas cuál cuáles sobre tienen tiene puedo quiero
		saber para cómo como dónde cuándo existe tienda usted ustedes favor tomar traer llevar
		정책 규정 규칙 약관 어떻게 무엇 알려 주세요 있나요 되나요 인가요 마루 마켓 궁금 관련 대한 가져
		правила правило политика политике условия какие какая какой каков можно есть ваши ваша
		ваше ваших расскажите скажите пожалуйста сколько хочу знать взять брать принести`) {
		m[stem(w)] = true
	}
	return m
}()

// stem cuts a word to the prefix two of its forms share: five letters of a
// Latin or Cyrillic word ("refunds" and "refund", "возврата" and
// "возврат"), two syllables of a Korean one, whose particles follow the
// stem ("환불은", "환불").
func stem(w string) string {
	n := 5
	if r, _ := utf8.DecodeRuneInString(w); unicode.Is(unicode.Hangul, r) {
		n = 2
	}
	if utf8.RuneCountInString(w) <= n {
		return w
	}
	return string([]rune(w)[:n])
}

// distinctive returns the stems of the words of text that may name what a
// question is about: lower-cased runs of letters and digits, long enough to
// mean something (two Korean syllables, four other letters), and not
// generic.
func distinctive(text string) []string {
	var out []string
	for _, w := range words(text) {
		r, _ := utf8.DecodeRuneInString(w)
		min := 4
		if unicode.Is(unicode.Hangul, r) {
			min = 2
		}
		if utf8.RuneCountInString(w) < min {
			continue
		}
		if s := stem(w); !genericWords[s] {
			out = append(out, s)
		}
	}
	return out
}

func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// relevant reports whether a passage shares a distinctive word with the
// question: a word of the passage (its headings included) that starts with
// one of the question's stems. A passage in another script than every
// stem (an LLM asking in English about Korean policies) cannot be judged
// by its words, and is kept.
func relevant(stems []string, h Hit) bool {
	if len(stems) == 0 {
		return false
	}
	comparable := false
	for _, w := range words(h.HeadingPath + " " + h.Text) {
		for _, s := range stems {
			if strings.HasPrefix(w, s) {
				return true
			}
			comparable = comparable || sameScript(w, s)
		}
	}
	return !comparable
}

// sameScript reports whether two words start in the same script.
func sameScript(a, b string) bool {
	ra, _ := utf8.DecodeRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	for _, sc := range []*unicode.RangeTable{unicode.Latin, unicode.Cyrillic, unicode.Hangul, unicode.Han} {
		if unicode.Is(sc, ra) {
			return unicode.Is(sc, rb)
		}
	}
	return unicode.IsDigit(ra) && unicode.IsDigit(rb)
}
