package local

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// How many pieces of a line the buyer means, read against the order
// rather than against cue phrases. A buyer counts goods in two ways: what
// they bought ("I ordered bottles, 3 of them", "pedí 2 juegos de
// toallas", "валенки 2 пары") and what is wrong or wanted back ("one
// leaks", "uno vino con una mancha", "одна пришла с трещиной", "그중에
// 하나"). The order tells the two apart: a count equal to what is left of
// the line is what was bought, a smaller one is the pieces at issue. A
// buyer who bought one line in several sizes names the sizes instead
// ("size 42 and 43 … give back the 43", "38 i 39 razmer … 38 hochu
// vernut", "240이랑 245 … 240은 반품"): the sizes said to go back, or
// else those not said to stay, are the pieces meant. Neither reading
// ever yields more pieces than are left of the line, so a refund read
// this way never covers more units than the buyer named.

// numberWords are the words for small counts, folded (a closed set).
// Words that are also articles or determiners ("un", "una", "한", "두",
// "세", "네" — the last also a Korean yes) are in countDeterminers
// instead and count only before a counter or goods word.
var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
	"один": 1, "одна": 1, "одну": 1, "одно": 1, "одного": 1, "одной": 1, "одном": 1, "одним": 1,
	"два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "четыре": 4, "пять": 5, "шесть": 6,
	"하나": 1, "둘": 2, "셋": 3, "넷": 4, "다섯": 5,
}

// countDeterminers count only before a counter or goods word: "un par",
// "una toalla", "한 켤레", "두 개" (and not "una mancha", "한 번").
var countDeterminers = map[string]int{"a": 1, "un": 1, "una": 1, "한": 1, "두": 2, "세": 3, "네": 4}

// pronounAfterUna are the function words and commonest verbs that follow
// "una" used as a pronoun, never as an article (a closed class): "una
// está rota", "una vino rajada", "una de ellas", "una no cierra".
var pronounAfterUna = map[string]bool{
	"de": true, "se": true, "no": true, "ya": true, "es": true, "esta": true, "estaba": true, "era": true,
	"vino": true, "llego": true, "tiene": true, "tenia": true, "salio": true, "viene": true, "me": true, "le": true,
}

// counterWords are the units goods are counted in, folded word starts (a
// closed set): "one pair", "un par", "одну пару", "한 켤레".
var counterWords = []string{
	"pair", "pack", "set", "piece", "unit", "item",
	"par", "pares", "paquete", "juego", "pieza", "unidad",
	"пар", "упаков", "пачк", "набор", "комплект", "штук",
	"개", "켤레", "세트", "팩", "벌", "장", "병", "족",
}

// notPieces are the units after a number that make it no count of goods
// (a closed set, word starts): time, money and times.
var notPieces = []string{
	"day", "week", "month", "hour", "minute", "year", "time", "dollar", "usd", "euro", "eur", "buck", "%",
	"dia", "semana", "mes", "hora", "minuto", "ano", "vez", "veces",
	"дн", "ден", "недел", "месяц", "час", "минут", "год", "лет", "раз", "руб", "евро", "доллар",
	"일", "주", "달", "시간", "번", "원", "개월", "분",
}

// sizeWords come before a size, which is no count: "size 3", "talla 4".
var sizeWords = []string{"size", "talla", "numero", "размер", "사이즈"}

// relativeWords after "the one" make it a piece of goods described
// ("the one that leaks", "el que vino roto", "та, которая треснула").
var relativeWords = []string{"that", "which", "who", "with", "que", "con", "котор", "что", "с"}

// hangulTails are the particles and endings glued to a Korean count or
// size ("하나가", "하나만", "240이랑", "245가").
var hangulTails = []string{"이랑", "랑", "하고", "이나", "까지", "만", "가", "는", "은", "도", "를", "을", "이", "와", "과", "씩", "짜리", "요"}

// pieceWord is one word of a message as the piece reading sees it.
type pieceWord struct {
	text  string // folded, punctuation trimmed
	end   bool   // a sentence ends after it
	comma bool   // a clause mark follows it
}

// pieceWords splits text into words, folded, with Russian typed in Latin
// letters read in Cyrillic.
func pieceWords(text string) []pieceWord {
	t := nlu.Fold(strings.ToLower(nlu.Cyrillic(text)))
	var out []pieceWord
	for _, f := range strings.Fields(t) {
		w := strings.TrimRightFunc(f, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) })
		end := strings.ContainsAny(f[len(w):], ".!?？")
		comma := strings.ContainsAny(f[len(w):], ",;:")
		w = strings.TrimLeftFunc(w, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) })
		if w == "" {
			if len(out) > 0 {
				out[len(out)-1].end = out[len(out)-1].end || end
				out[len(out)-1].comma = out[len(out)-1].comma || comma
			}
			continue
		}
		out = append(out, pieceWord{text: w, end: end, comma: comma})
	}
	return out
}

func hasPrefixAny(w string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// hangulBase takes a Korean particle off w.
func hangulBase(w string) string {
	for _, t := range hangulTails {
		if b, ok := strings.CutSuffix(w, t); ok && b != "" {
			return b
		}
	}
	return w
}

// countAt returns the count of pieces word i of ws says, or 0: a number
// word, a digit, a determiner before a counter or goods word, or a
// Korean number glued to its counter ("3개", "한켤레"). A number before
// a unit of time or money, or after a size word, counts no pieces; "the
// one" or "this one" is a pronoun unless a counter or a description
// follows ("the one pair", "the one that leaks").
func countAt(ws []pieceWord, i int) int {
	w := ws[i].text
	next := ""
	if i+1 < len(ws) {
		next = ws[i+1].text
	}
	prev := ""
	if i > 0 {
		prev = ws[i-1].text
	}
	if hasPrefixAny(prev, sizeWords) {
		return 0
	}
	n := 0
	glued := false
	if v, ok := numberWords[w]; ok {
		n = v
	} else if v, ok := numberWords[hangulBase(w)]; ok {
		n = v
	} else if v, err := strconv.Atoi(w); err == nil && v > 0 && v < 10 {
		n = v
	} else if v, ok := countDeterminers[w]; ok {
		if !hasPrefixAny(next, counterWords) && !nlu.WordNamesGoods(next) && !(w == "una" && pronounAfterUna[next]) {
			return 0
		}
		return v
	} else {
		// Korean: a number glued to its counter ("3개", "2켤레", "한개만").
		for _, c := range counterWords {
			if !isHangulWord(c) {
				continue
			}
			j := strings.Index(w, c)
			if j <= 0 {
				continue
			}
			head := w[:j]
			if v, err := strconv.Atoi(head); err == nil && v > 0 && v < 10 {
				n, glued = v, true
			} else if v, ok := countDeterminers[head]; ok {
				n, glued = v, true
			} else if v, ok := numberWords[head]; ok {
				n, glued = v, true
			}
			if n > 0 {
				break
			}
		}
		if n == 0 {
			return 0
		}
	}
	if !glued && hasPrefixAny(next, notPieces) {
		return 0
	}
	if n == 1 && pronounDeterminers[prev] && !hasPrefixAny(next, counterWords) && !hasPrefixAny(next, relativeWords) && !nlu.WordNamesGoods(next) {
		return 0
	}
	if n == 1 && (next == "more" || next == "question" || next == "thing") {
		return 0
	}
	return n
}

// pronounDeterminers make "one" a pronoun for an order or an item rather
// than a count: "this one", "the other one", "the last one".
var pronounDeterminers = map[string]bool{
	"the": true, "this": true, "that": true, "which": true, "each": true, "every": true, "any": true, "no": true,
	"other": true, "another": true, "last": true, "first": true, "second": true, "same": true, "new": true,
	"el": true, "este": true, "ese": true, "cual": true, "otro": true, "cada": true, "ningun": true,
	"каждый": true, "любой": true, "ни": true,
}

func isHangulWord(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}

// lineAt returns the index in o.Items of the line word i of ws counts:
// the goods named nearest it within its sentence (a few words either
// side), else the one line of the order with more than n pieces left
// that the message names, else, when the message names none, the one
// line of the order with more than n pieces left ("one of them leaks").
// It returns -1 when no line or several fit.
func lineAt(ws []pieceWord, i int, o tools.Order, n int, text string) int {
	names := itemNames(o)
	best, bestDist := -1, 0
	for j := max(0, i-5); j < min(len(ws), i+6); j++ {
		if j == i || (j < i && sentenceBetween(ws, j, i)) || (j > i && sentenceBetween(ws, i, j)) {
			continue
		}
		k := nlu.MatchItem(ws[j].text, names)
		if k < 0 {
			continue
		}
		d := j - i
		if d < 0 {
			d = -d
		}
		if best < 0 || d < bestDist {
			best, bestDist = k, d
		}
	}
	if best >= 0 {
		return best
	}
	named, any := -1, -1
	namedCount, anyCount := 0, 0
	for k, it := range o.Items {
		if it.Quantity-it.RefundedQuantity <= n {
			continue
		}
		any, anyCount = k, anyCount+1
		if nlu.ItemScore(text, it.Name) > 0 {
			named, namedCount = k, namedCount+1
		}
	}
	switch {
	case namedCount == 1:
		return named
	case namedCount == 0 && len(nlu.ItemTerms(text)) == 0 && anyCount == 1:
		// Goods named that are none of the order's ("one of the mugs"
		// of an order without mugs) are not its one line of several.
		return any
	}
	return -1
}

// sentenceBetween reports whether a sentence ends between words a and b
// (a < b).
func sentenceBetween(ws []pieceWord, a, b int) bool {
	for k := a; k < b; k++ {
		if ws[k].end {
			return true
		}
	}
	return false
}

// piecesSaid returns, per line of o, the fewest pieces text counts of it
// that are fewer than are left of the line: the pieces at issue. A count
// equal to what is left (or more) is what was bought and says nothing of
// the pieces meant.
func piecesSaid(text string, o tools.Order) map[int]int {
	ws := pieceWords(text)
	var out map[int]int
	for i := range ws {
		n := countAt(ws, i)
		if n == 0 {
			continue
		}
		k := lineAt(ws, i, o, n, text)
		if k < 0 {
			continue
		}
		if left := o.Items[k].Quantity - o.Items[k].RefundedQuantity; n >= left {
			continue
		}
		if out == nil {
			out = map[int]int{}
		}
		if m, ok := out[k]; !ok || n < m {
			out[k] = n
		}
	}
	for k, n := range sizesMeant(ws, o) {
		if out == nil {
			out = map[int]int{}
		}
		if _, ok := out[k]; !ok {
			out[k] = n
		}
	}
	return out
}

// sizeOf returns the size word w states ("42", "240은", "38-й"), or "".
// Sizes are the numbers of shoe and clothing sizes: 15 to 50 (European)
// and 200 to 320 (millimetres, as Korea sizes shoes).
func sizeOf(w string) string {
	b := hangulBase(w)
	b = strings.TrimRightFunc(b, func(r rune) bool { return !unicode.IsDigit(r) })
	v, err := strconv.Atoi(b)
	if err != nil || !(v >= 15 && v <= 50 || v >= 200 && v <= 320) {
		return ""
	}
	return strconv.Itoa(v)
}

// sizesMeant reads a line bought in several sizes: when the words name
// two sizes or more of the one line of o with more than one piece left,
// the pieces meant are the sizes said to go back (a return or refund
// within a few words, no other size between), or else all but the
// sizes said otherwise (kept, fitting). It returns nothing when the
// order has no such line or fewer than two sizes are named.
func sizesMeant(ws []pieceWord, o tools.Order) map[int]int {
	line := -1
	for k, it := range o.Items {
		if it.Quantity-it.RefundedQuantity > 1 {
			if line >= 0 {
				return nil
			}
			line = k
		}
	}
	if line < 0 {
		return nil
	}
	var at []int
	seen := map[string]bool{}
	for i, w := range ws {
		if i > 0 && hasPrefixAny(ws[i-1].text, notMoneyBefore) {
			continue
		}
		if s := sizeOf(w.text); s != "" && (i+1 >= len(ws) || !hasPrefixAny(ws[i+1].text, notPieces)) {
			at = append(at, i)
			seen[s] = true
		}
	}
	if len(seen) < 2 {
		return nil
	}
	back, other := map[string]bool{}, map[string]bool{}
	for x, i := range at {
		s := sizeOf(ws[i].text)
		// The words from the size before to the size after: what is
		// said of this size and no other.
		from, to := max(0, i-3), min(len(ws), i+6)
		if x > 0 {
			from = max(from, at[x-1]+1)
		}
		if x+1 < len(at) {
			to = min(to, at[x+1])
		}
		if x+1 < len(at) && listed(ws, i, at[x+1]) || x > 0 && listed(ws, at[x-1], i) {
			continue // "38 and 39", "a 41 and a 42", "240이랑 245": the sizes bought
		}
		var near []string
		for _, w := range ws[from:to] {
			near = append(near, w.text)
		}
		t := " " + strings.Join(near, " ") + " "
		if asksReturn(t) { // refundlines.go
			back[s] = true
		} else {
			other[s] = true
		}
	}
	left := o.Items[line].Quantity - o.Items[line].RefundedQuantity
	n := 0
	switch {
	case len(back) > 0:
		n = len(back)
	case len(other) > 0:
		n = len(seen) - len(other)
	}
	if n <= 0 || n >= left {
		return nil
	}
	return map[int]int{line: n}
}

// listJoiners are the words that join sizes into a list of what was
// bought (a closed class: conjunctions and articles), and the Korean
// endings that do so glued to the first size.
var (
	listJoiners = map[string]bool{"and": true, "or": true, "a": true, "the": true, "y": true, "o": true, "e": true,
		"la": true, "el": true, "las": true, "los": true, "una": true, "un": true, "и": true, "или": true, "да": true}
	hangulJoiners = []string{"이랑", "랑", "하고", "와", "과", "이나", "나"}
)

// listed reports whether the sizes at words a and b (a < b) are one list
// ("38 i 39", "a 41 and a 42", "240이랑 245").
func listed(ws []pieceWord, a, b int) bool {
	if ws[a].end || ws[a].comma {
		return false
	}
	if b == a+1 {
		for _, j := range hangulJoiners {
			if strings.HasSuffix(ws[a].text, j) {
				return true
			}
		}
		return false
	}
	for k := a + 1; k < b; k++ {
		if !listJoiners[ws[k].text] || ws[k].end || ws[k].comma {
			return false
		}
	}
	return true
}

// notMoneyBefore are the signs before a number that make it money or an
// identifier, not a size.
var notMoneyBefore = []string{"$", "€", "₽", "₩", "ord", "#", "no"}

// piecesInTalk returns the pieces of line k of o the buyer's words say
// are meant: the newest of this message and their earlier messages that
// counts fewer pieces of the line than are left (piecesSaid), or 0.
func (d *dialogue) piecesInTalk(o tools.Order, k int) int {
	msgs := append([]string{d.text}, reversed(d.earlier)...)
	for _, m := range msgs {
		if d.locale == "ru" {
			m = typedRussian(m)
		}
		if n, ok := piecesSaid(m, o)[k]; ok {
			return n
		}
	}
	// Sizes are named across messages as often as in one ("size 42 and
	// 43" … "give back the 43").
	all := strings.Join(append(reversed(msgs[1:]), d.text), ". ")
	if d.locale == "ru" {
		all = typedRussian(all)
	}
	if n, ok := sizesMeant(pieceWords(all), o)[k]; ok {
		return n
	}
	return 0
}

// pieceLineInTalk returns the one line of o the buyer's words count fewer
// pieces of than are left, this message first and then the earlier ones
// newest first, or -1 when none or several.
func (d *dialogue) pieceLineInTalk(o tools.Order) int {
	for k := range o.Items {
		if d.piecesInTalk(o, k) == 0 {
			continue
		}
		for j := k + 1; j < len(o.Items); j++ {
			if d.piecesInTalk(o, j) > 0 {
				return -1
			}
		}
		return k
	}
	return -1
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// splitLine reports whether items (a card's) hold line, which a card that
// also keeps some of that line refunds only part of.
func splitLine(items []tools.ActionItem, line int) bool {
	for _, it := range items {
		if it.Line == line {
			return true
		}
	}
	return false
}

// piecesTold reports whether, about an order looked up in the
// conversation, the buyer's words count fewer pieces of one of its lines
// than are left, or name the sizes that single one out ("one of them
// leaks" … "refund it"; "38 i 39 … 38 hochu vernut"): the request is
// then about part of the order. "Both", "all of them" say otherwise.
func (d *dialogue) piecesTold() bool {
	order := d.slots.OrderID
	if order == "" {
		order = d.lastOrder
	}
	o, ok := d.looked[order]
	if !ok || allCue(d.text) {
		return false
	}
	return d.pieceLineInTalk(o) >= 0
}

// sizedPiece reports whether this message names a size of goods that,
// with the sizes named before, singles out pieces of a line of an order
// looked up ("can I send the 41 back?" after "a 41 and a 42"): the
// message refers to an item though it names no goods.
func (d *dialogue) sizedPiece() bool {
	named := false
	for _, w := range pieceWords(d.text) {
		named = named || sizeOf(w.text) != ""
	}
	return named && d.piecesTold()
}
