package guardrails

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/csagent/csagent/internal/litgate"
)

// ruleset is a Config compiled for matching. It is immutable; Reload swaps
// in a new one.
type ruleset struct {
	rules []Rule
	// matchers by audience; "" holds every rule, for an unknown audience.
	matchers map[string]*matcher
	// negWords are the folded cue words, padded with spaces (" not ");
	// negInside are the Korean ones, matched inside words.
	negWords   []string
	negInside  []string
	lowSupport float64
	injection  float64
	// from is, in a copy with a Thresholds Checker's thresholds, the
	// ruleset it copies.
	from *ruleset
	// version names the ruleset (Checker.Version): random for a compiled
	// one, derived from from's and the thresholds for a copy.
	version uint64
}

// matcher finds the banned phrases of one audience.
type matcher struct {
	phrases []phrasePat
	// first indexes phrases by their first rune.
	first   map[rune][]int
	regexes []regexPat
}

type phrasePat struct {
	rule   int
	source string
	// pieces are skeleton runs joined by wildcards ("*" in the source).
	pieces [][]rune
	// startB and endB require a word boundary at the ends.
	startB, endB bool
}

type regexPat struct {
	rule   int
	source string
	re     litgate.Gate
}

// maxWild is the most letters a "*" stands for.
const maxWild = 10

func compileRules(cfg Config) (*ruleset, error) {
	rs := &ruleset{
		rules:      cfg.Rules,
		matchers:   map[string]*matcher{},
		lowSupport: cfg.LowSupport,
		injection:  cfg.InjectionThreshold,
		version:    rand.Uint64(),
	}
	if rs.lowSupport <= 0 || rs.lowSupport >= 1 {
		rs.lowSupport = DefaultLowSupport
	}
	if rs.injection <= 0 || rs.injection >= 1 {
		rs.injection = DefaultInjectionThreshold
	}
	for _, cues := range cfg.Negations {
		for _, w := range cues {
			f := strings.TrimSpace(foldString(w))
			if f == "" {
				continue
			}
			if hasHangul(f) {
				rs.negInside = append(rs.negInside, f)
			} else {
				rs.negWords = append(rs.negWords, " "+f+" ")
			}
		}
	}
	var phrases []phrasePat
	var regexes []regexPat
	ids := map[string]bool{}
	for i, r := range cfg.Rules {
		if err := r.validate(i, ids); err != nil {
			return nil, err
		}
		field := fmt.Sprintf("rules[%d]", i)
		for j, src := range r.Phrases {
			p, err := compilePhrase(src, false)
			if err != nil {
				return nil, &ConfigError{Line: lineAt(r.lines.phrases, j), Field: fmt.Sprintf("%s.phrases[%d]", field, j), Msg: err.Error()}
			}
			p.rule = i
			phrases = append(phrases, p)
		}
		for j, src := range r.Words {
			p, err := compilePhrase(src, true)
			if err != nil {
				return nil, &ConfigError{Line: lineAt(r.lines.words, j), Field: fmt.Sprintf("%s.words[%d]", field, j), Msg: err.Error()}
			}
			p.rule = i
			phrases = append(phrases, p)
		}
		for j, src := range r.Regex {
			re, err := regexp.Compile(foldRegex(src))
			if err != nil {
				return nil, &ConfigError{Line: lineAt(r.lines.regex, j), Field: fmt.Sprintf("%s.regex[%d]", field, j), Msg: err.Error()}
			}
			if re.MatchString("") {
				return nil, &ConfigError{Line: lineAt(r.lines.regex, j), Field: fmt.Sprintf("%s.regex[%d]", field, j), Msg: "matches the empty text"}
			}
			regexes = append(regexes, regexPat{rule: i, source: src, re: litgate.Exact(re)})
		}
	}
	for _, aud := range []string{"", "buyer", "seller"} {
		m := &matcher{first: map[rune][]int{}}
		applies := func(rule int) bool {
			as := cfg.Rules[rule].Audiences
			return aud == "" || len(as) == 0 || containsString(as, aud)
		}
		for _, p := range phrases {
			if applies(p.rule) {
				m.first[p.pieces[0][0]] = append(m.first[p.pieces[0][0]], len(m.phrases))
				m.phrases = append(m.phrases, p)
			}
		}
		for _, re := range regexes {
			if applies(re.rule) {
				m.regexes = append(m.regexes, re)
			}
		}
		rs.matchers[aud] = m
	}
	return rs, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasHangul(s string) bool {
	for _, r := range s {
		if isHangulSyllable(r) || isJamo(r) || (r >= 0x1100 && r <= 0x11FF) {
			return true
		}
	}
	return false
}

// compilePhrase turns a phrase or word pattern into skeleton pieces.
func compilePhrase(src string, words bool) (phrasePat, error) {
	parts := strings.Split(src, "*")
	p := phrasePat{source: src}
	total := 0
	for i, part := range parts {
		sk := skeleton(part)
		if len(sk) == 0 {
			switch {
			case i == 0:
				return p, fmt.Errorf("%q: a pattern cannot start with *", src)
			case i < len(parts)-1:
				return p, fmt.Errorf("%q: two * in a row", src)
			}
		}
		p.pieces = append(p.pieces, sk)
		total += len(sk)
	}
	if total == 0 {
		return p, fmt.Errorf("%q has no letters or digits", src)
	}
	last := p.pieces[len(p.pieces)-1]
	p.startB = words && !isJamo(p.pieces[0][0])
	p.endB = words && (len(last) == 0 || !isJamo(last[len(last)-1]))
	return p, nil
}

// foldRegex folds the letters of a regex as fold folds text, leaving
// escapes (\b, \p{Cyrillic}, \x{41}) and flag groups ((?i)) alone.
func foldRegex(src string) string {
	var b strings.Builder
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		switch {
		case r == '\\' && i+size < len(src):
			j := i + size
			_, n := utf8.DecodeRuneInString(src[j:])
			j += n
			if j < len(src) && src[j] == '{' {
				if k := strings.IndexByte(src[j:], '}'); k >= 0 {
					j += k + 1
				}
			}
			b.WriteString(src[i:j])
			i = j
			continue
		case r == '(' && strings.HasPrefix(src[i:], "(?"):
			j := i + 2
			for j < len(src) && src[j] != ':' && src[j] != ')' {
				j++
			}
			b.WriteString(src[i:j])
			i = j
			continue
		case unicode.IsLetter(r):
			b.WriteString(fold(src[i : i+size]).s)
		default:
			b.WriteString(src[i : i+size])
		}
		i += size
	}
	return b.String()
}

// match returns the end of a match of p starting at rune i of c.
func (p *phrasePat) match(c *compact, i int) (int, bool) {
	if p.startB && c.flags[i]&wordStart == 0 {
		return 0, false
	}
	return p.matchPiece(c, 0, i, i)
}

func (p *phrasePat) matchPiece(c *compact, k, pos, start int) (int, bool) {
	piece := p.pieces[k]
	if pos+len(piece) > len(c.runes) {
		return 0, false
	}
	for j, r := range piece {
		idx := pos + j
		if c.runes[idx] != r || (idx > start && c.flags[idx]&hardBefore != 0) {
			return 0, false
		}
	}
	pos += len(piece)
	if k == len(p.pieces)-1 {
		if p.endB && (pos == start || c.flags[pos-1]&wordEnd == 0) {
			return 0, false
		}
		return pos, true
	}
	trailing := k+1 == len(p.pieces)-1 && len(p.pieces[k+1]) == 0
	for w := 0; w <= maxWild; w++ {
		if w > 0 {
			idx := pos + w - 1
			if idx >= len(c.runes) || !unicode.IsLetter(c.runes[idx]) ||
				(idx > start && c.flags[idx]&hardBefore != 0) ||
				(c.flags[idx]&wordStart != 0 && c.flags[idx]&lone == 0) {
				break
			}
		}
		if trailing {
			end := pos + w
			if !p.endB || (end > start && c.flags[end-1]&wordEnd != 0) {
				return end, true
			}
			continue
		}
		if e, ok := p.matchPiece(c, k+1, pos+w, start); ok {
			return e, true
		}
	}
	return 0, false
}

// rawMatch is a banned pattern found in a text, before negation.
type rawMatch struct {
	rule int
	sp   span
	src  string
}

// find returns the banned patterns in the views of one sentence.
func (m *matcher) find(f *folded, c *compact) []rawMatch {
	var out []rawMatch
	for i, r := range c.runes {
		for _, pi := range m.first[r] {
			p := &m.phrases[pi]
			if end, ok := p.match(c, i); ok {
				sp := c.spans[i]
				for k := i + 1; k < end; k++ {
					sp = sp.join(c.spans[k])
				}
				out = append(out, rawMatch{rule: p.rule, sp: sp, src: p.source})
			}
		}
	}
	for _, re := range m.regexes {
		if !re.re.MayMatch(f.s) {
			continue
		}
		for _, loc := range re.re.Regexp().FindAllStringIndex(f.s, -1) {
			if loc[1] > loc[0] {
				out = append(out, rawMatch{rule: re.rule, sp: f.origin(loc[0], loc[1]), src: re.source})
			}
		}
	}
	return out
}

// negated reports whether a negation cue stands near sp in the same
// clause of the sentence f was folded from: up to five words before it or
// two after it (four for Korean, which negates at the end: "환불을 보장할
// 수는 없습니다").
func (rs *ruleset) negated(f *folded, sp span) bool {
	if len(rs.negWords) == 0 && len(rs.negInside) == 0 {
		return false
	}
	first, last := -1, -1
	for k, s := range f.spans {
		if s.end > sp.start && first < 0 {
			first = k
		}
		if s.start < sp.end {
			last = k
		}
	}
	if first < 0 || last < 0 {
		return false
	}
	before := wordsAround(f.runes, first-1, -1, 5)
	after := wordsAround(f.runes, last+1, 1, 2)
	for _, cue := range rs.negWords {
		if strings.Contains(before, cue) || strings.Contains(after, cue) {
			return true
		}
	}
	afterKo := wordsAround(f.runes, last+1, 1, 4)
	for _, cue := range rs.negInside {
		if strings.Contains(afterKo, cue) || strings.Contains(before, cue) {
			return true
		}
	}
	return false
}

// clauseStops end a negation window: a negation after them belongs to
// another clause ("es su culpa por no revisar").
var clauseStops = map[string]bool{
	"because": true, "if": true, "since": true, "when": true, "but": true, "so": true,
	"por": true, "porque": true, "que": true, "si": true, "cuando": true, "pero": true,
	"если": true, "когда": true, "чтобы": true, "потому": true, "но": true, "что": true,
}

// wordsAround collects up to n words of rs from index i going in dir, as
// " w1 w2 … " in reading order, stopping at clause punctuation (and, going
// forward, at a conjunction that starts another clause).
func wordsAround(rs []rune, i, dir, n int) string {
	var words []string
	var cur []rune
	stop := false
	flush := func() {
		if len(cur) > 0 {
			if dir < 0 {
				for a, b := 0, len(cur)-1; a < b; a, b = a+1, b-1 {
					cur[a], cur[b] = cur[b], cur[a]
				}
			}
			w := string(cur)
			cur = cur[:0]
			if dir > 0 && clauseStops[w] {
				stop = true
				return
			}
			words = append(words, w)
		}
	}
	for ; i >= 0 && i < len(rs) && len(words) < n && !stop; i += dir {
		r := rs[i]
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' {
			cur = append(cur, r)
			continue
		}
		flush()
		if strings.ContainsRune(",;:()!?.\"—", r) {
			break
		}
	}
	if len(words) < n && !stop {
		flush()
	}
	if dir < 0 {
		for a, b := 0, len(words)-1; a < b; a, b = a+1, b-1 {
			words[a], words[b] = words[b], words[a]
		}
	}
	return " " + strings.Join(words, " ") + " "
}

// banned returns the banned-phrase violations of one sentence, whose
// original text is text and which starts at byte base of the reply.
func (rs *ruleset) banned(text string, base int, audience string, f *folded, c *compact) []Violation {
	m, ok := rs.matchers[audience]
	if !ok {
		m = rs.matchers[""]
	}
	var out []Violation
	seen := map[[3]int]bool{}
	for _, hit := range m.find(f, c) {
		r := rs.rules[hit.rule]
		key := [3]int{hit.rule, int(hit.sp.start), int(hit.sp.end)}
		if seen[key] || (r.Negatable && rs.negated(f, hit.sp)) {
			continue
		}
		seen[key] = true
		detail := r.Category
		if r.Reason != "" {
			detail += ": " + r.Reason
		}
		out = append(out, Violation{
			Type: TypeBanned, Rule: r.ID, Span: text[hit.sp.start:hit.sp.end],
			Start: base + int(hit.sp.start), End: base + int(hit.sp.end),
			Detail: detail + " (matched " + fmt.Sprintf("%q", hit.src) + ")",
		})
	}
	return out
}
