package nlu

import "strings"

// Buyers who dictate their messages (voice typing while driving, older
// buyers) get their order number written out in words: "pedido diez cero
// cero nueve siete", "заказ десять ноль семь семь", "order one zero zero
// four two". Dictation keyboards read the digits one by one, or in pairs
// ("ten", "forty two"), so a run of number words is read digit group by
// digit group; when it makes exactly five digits right after an order
// word it is the order number, as if typed in digits.

// spokenDigits maps a number word, as normalised (lower case, accents
// kept), to the digits it stands for. Tens map to "N0" so that a unit
// after them fills the zero ("cuarenta y dos", "сорок два", "forty-two").
var spokenDigits = map[string]string{
	// English; "oh" is how "0" is read in numbers.
	"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
	"six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
	"thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
	"eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50",
	"sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
	// Spanish, with and without the accents dictation and fast typing
	// give or drop.
	"cero": "0", "uno": "1", "un": "1", "una": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
	"seis": "6", "siete": "7", "ocho": "8", "nueve": "9", "diez": "10", "once": "11", "doce": "12",
	"trece": "13", "catorce": "14", "quince": "15", "dieciseis": "16", "dieciséis": "16",
	"diecisiete": "17", "dieciocho": "18", "diecinueve": "19", "veinte": "20", "treinta": "30",
	"cuarenta": "40", "cincuenta": "50", "sesenta": "60", "setenta": "70", "ochenta": "80", "noventa": "90",
	// Russian.
	"ноль": "0", "нуль": "0", "один": "1", "одна": "1", "два": "2", "две": "2", "три": "3",
	"четыре": "4", "пять": "5", "шесть": "6", "семь": "7", "восемь": "8", "девять": "9",
	"десять": "10", "одиннадцать": "11", "двенадцать": "12", "тринадцать": "13",
	"четырнадцать": "14", "пятнадцать": "15", "шестнадцать": "16", "семнадцать": "17",
	"восемнадцать": "18", "девятнадцать": "19", "двадцать": "20", "тридцать": "30", "сорок": "40",
	"пятьдесят": "50", "шестьдесят": "60", "семьдесят": "70", "восемьдесят": "80", "девяносто": "90",
}

// spokenJoiners may stand between a tens word and its unit ("cuarenta y
// dos", "forty and two" is not said, but "y" is).
var spokenJoiners = setOf("y")

// spokenOrderWords are the words after which a spoken number is an order
// number ("pedido", "заказ", "order", "номер", "número"), up to one
// filler word in between ("pedido número …", "заказ номер …").
var spokenOrderWords = []string{"order", "pedido", "orden", "compra", "заказ", "номер", "numero", "número", "number", "#"}

// spokenWord is one word of the text and its byte range.
type spokenWord struct {
	w          string
	start, end int
}

// scanSpokenOrderID finds an order number spelled out in number words
// right after an order word and claims it as the order id.
func (s *slotScan) scanSpokenOrderID() {
	if s.slots.OrderID != "" || !containsAnyOf(s.text, orderWords) {
		return
	}
	words := spokenWords(s.text)
	for i := 0; i < len(words); i++ {
		if !isSpokenOrderWord(words[i].w) {
			continue
		}
		j := i + 1
		if j < len(words) && isSpokenOrderWord(words[j].w) {
			j++ // "pedido número diez …"
		}
		digits, end := readSpokenDigits(words[j:])
		if len(digits) != 5 {
			continue
		}
		start, stop := words[j].start, words[j+end-1].end
		if !s.free(start, stop) {
			continue
		}
		s.slots.OrderID = "ORD-" + digits
		s.claim(start, stop, phOrder)
		return
	}
}

// isSpokenOrderWord reports whether w names an order or its number, in
// any inflection ("заказа", "заказу", "pedidos").
func isSpokenOrderWord(w string) bool {
	for _, p := range spokenOrderWords {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// spokenHundreds are the words for whole hundreds ("ciento", "сто",
// "двести"); "hundred" multiplies the number before it instead.
var spokenHundreds = map[string]int{
	"cien": 100, "ciento": 100, "doscientos": 200, "trescientos": 300, "cuatrocientos": 400,
	"quinientos": 500, "seiscientos": 600, "setecientos": 700, "ochocientos": 800, "novecientos": 900,
	"сто": 100, "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500, "шестьсот": 600,
	"семьсот": 700, "восемьсот": 800, "девятьсот": 900,
}

// spokenThousands multiply what was said before them by a thousand.
var spokenThousands = setOf("mil", "thousand", "тысяча", "тысячи", "тысяч")

// readSpokenDigits reads the run of number words (and short groups of
// digits, as dictation mixes them: "десять 077") at the start of words
// and returns their digits and how many words it took, or "" when the
// run makes no number of at most five digits. A run with a thousand or a
// hundred in it is a number said whole ("diez mil ciento noventa y
// tres", "десять тысяч сто девяносто один"); any other run is read digit
// group by digit group ("diez cero cero siete ocho").
func readSpokenDigits(words []spokenWord) (string, int) {
	n, whole, said := 0, false, false
	for n < len(words) {
		w := words[n].w
		switch _, hundred := spokenHundreds[w]; {
		case spokenDigits[w] != "" || w == "hundred":
			whole = whole || w == "hundred"
			said = true
		case hundred || spokenThousands[w]:
			whole, said = true, true
		case (spokenJoiners[w] || w == "and") && n > 0 && n+1 < len(words) && isNumberWord(words[n+1].w):
		case w != "" && len(w) <= 3 && strings.Trim(w, "0123456789") == "":
		default:
			return readSaid(words[:n], whole, said), n
		}
		n++
	}
	return readSaid(words[:n], whole, said), n
}

// readSaid is readSpoken of a run with at least one number word: digits
// alone split by dashes or spaces ("order 12-345") are a code or a phone
// number as typed, not a number dictated.
func readSaid(words []spokenWord, whole, said bool) string {
	if !said {
		return ""
	}
	return readSpoken(words, whole)
}

// isNumberWord reports whether w is a number word of any kind.
func isNumberWord(w string) bool {
	_, hundred := spokenHundreds[w]
	return spokenDigits[w] != "" || hundred || spokenThousands[w] || w == "hundred"
}

// readSpoken reads a run of number words found by readSpokenDigits.
func readSpoken(words []spokenWord, whole bool) string {
	if whole {
		return readWholeNumber(words)
	}
	var b strings.Builder
	for n := 0; n < len(words) && b.Len() <= 5; n++ {
		d, ok := spokenDigits[words[n].w]
		if !ok {
			if spokenJoiners[words[n].w] {
				continue
			}
			d = words[n].w
		}
		// A tens word and the unit after it are one two-digit group:
		// "cuarenta y dos" is 42, not 402.
		if len(d) == 2 && d[1] == '0' && d[0] != '1' && n+1 < len(words) {
			k := n + 1
			if spokenJoiners[words[k].w] && k+1 < len(words) {
				k++
			}
			if u := spokenDigits[words[k].w]; len(u) == 1 && u != "0" {
				d = d[:1] + u
				n = k
			}
		}
		b.WriteString(d)
	}
	if b.Len() > 5 {
		return ""
	}
	return b.String()
}

// readWholeNumber reads a number said whole, with thousands and
// hundreds, and returns its digits when it has five.
func readWholeNumber(words []spokenWord) string {
	total, cur := 0, 0
	for _, sw := range words {
		w := sw.w
		switch h, hundred := spokenHundreds[w]; {
		case hundred:
			cur += h
		case w == "hundred":
			cur = max(cur, 1) * 100
		case spokenThousands[w]:
			total += max(cur, 1) * 1000
			cur = 0
		case spokenDigits[w] != "":
			cur += atoi(spokenDigits[w])
		}
	}
	v := total + cur
	if v < 10000 || v > 99999 {
		return ""
	}
	return itoa5(v)
}

// atoi reads a string of ASCII digits.
func atoi(d string) int {
	v := 0
	for i := 0; i < len(d); i++ {
		v = v*10 + int(d[i]-'0')
	}
	return v
}

// itoa5 writes a five-digit number.
func itoa5(v int) string {
	b := make([]byte, 5)
	for i := 4; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b)
}

// spokenWords splits normalised text into words of letters, digits and
// "#", with their byte ranges; hyphens and punctuation separate words
// ("forty-two").
func spokenWords(t string) []spokenWord {
	var out []spokenWord
	start := -1
	for i, r := range t {
		word := r == '#' || isWordRune(r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, spokenWord{t[start:i], start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, spokenWord{t[start:], start, len(t)})
	}
	return out
}
