package nlu

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Placeholder runes stand in for slot values in the text the classifier
// sees. They live in the Unicode private-use area, which normalize strips
// from user input, so a customer cannot type one by accident.
const (
	phOrder   = '\uE001'
	phRefund  = '\uE002'
	phDispute = '\uE003'
	phAmount  = '\uE004'
	phNumber  = '\uE005'
)

func isPlaceholder(r rune) bool { return r >= phOrder && r <= phNumber }

// Feature hashing parameters. The training corpus fills about 40,000
// buckets; 2^17 of them keep collisions rare while the weight table
// (buckets × intents × 4 bytes) stays at 8 MiB. Cross-validation showed
// no gain from 2^18.
const (
	hashBits   = 17
	numBuckets = 1 << hashBits
	bucketMask = numBuckets - 1
)

// Relative weights of the feature families. Words are more reliable than
// any single character n-gram, but there are far fewer of them, so they
// get a larger share of the (length-normalised) input vector. Character
// n-grams carry Korean, whose words are glued to particles, and typos.
const (
	wordWeight   = 1.0
	bigramWeight = 0.9
	charWeight   = 0.45
	shapeWeight  = 0.7
	actWeight    = 0.7
	// flawWeight weighs goods found wrong on arrival (flaw.go), which
	// has to outweigh the order words every report of it comes with.
	flawWeight = 1.0
	// focusWeight weighs the words of a long message's focus clause,
	// which are also counted among all its words.
	focusWeight = 0.8
	// hangulJoinWeight weighs character n-grams taken across the spaces
	// of Korean text. Korean spacing is loose ("환불해주세요", "환불 해
	// 주세요"), so n-grams that ignore it match more paraphrases.
	hangulJoinWeight = 0.3
)

// Character n-gram lengths taken inside each word (with boundary marks).
const (
	minCharN = 1
	maxCharN = 4
)

// normalize turns raw user text into the canonical form that both the slot
// extractor and the featuriser work on: NFKC (so full-width "ＯＲＤ１２" and
// non-breaking spaces become plain ASCII), lower case, one kind of dash,
// apostrophe and space, and no private-use runes.
func normalize(text string) string {
	text = norm.NFKC.String(text)
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range text {
		switch {
		case r == utf8.RuneError:
			b.WriteByte(' ')
		case r >= 0xE000 && r <= 0xF8FF:
			b.WriteByte(' ')
		case r == '\u2010' || r == '\u2011' || r == '\u2012' || r == '\u2013' ||
			r == '\u2014' || r == '\u2015' || r == '\u2212':
			b.WriteByte('-')
		case r == '\u2018' || r == '\u2019' || r == '\u02BC' || r == '`' || r == '\u00B4':
			b.WriteByte('\'')
		case unicode.IsSpace(r) || unicode.IsControl(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// foldRune removes the distinctions that customers routinely drop when
// typing fast: Spanish accents and ñ, and the Russian ё, which is
// usually written as е.
func foldRune(r rune) rune {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å':
		return 'a'
	case 'è', 'é', 'ê', 'ë':
		return 'e'
	case 'ì', 'í', 'î', 'ï':
		return 'i'
	case 'ò', 'ó', 'ô', 'õ', 'ö':
		return 'o'
	case 'ù', 'ú', 'û', 'ü':
		return 'u'
	case 'ñ':
		return 'n'
	case 'ç':
		return 'c'
	case 'ё':
		return 'е'
	}
	return r
}

// fold applies foldRune to every rune of s.
func fold(s string) string {
	return strings.Map(foldRune, s)
}

// tokenize splits masked, normalised text into word tokens. Letters form
// words, apostrophes are dropped inside words ("don't" = "dont"),
// placeholders are tokens of their own, and any remaining run of digits
// becomes the generic number placeholder so that quantities and dates do
// not leak into the vocabulary.
func tokenize(masked string) []string {
	var toks []string
	var word strings.Builder
	inWord := false
	emitWord := func() {
		if inWord {
			w := word.String()
			if s, ok := slang[w]; ok {
				toks = append(toks, s...)
			} else if n, ok := fromLoanword(w); ok {
				toks = append(toks, n)
			} else if n, ok := fromVosotros(w); ok {
				toks = append(toks, n)
			} else {
				toks = append(toks, w)
			}
			word.Reset()
			inWord = false
		}
	}
	inDigits := false
	for _, r := range masked {
		switch {
		case isPlaceholder(r):
			emitWord()
			inDigits = false
			toks = append(toks, string(r))
		case unicode.IsDigit(r):
			emitWord()
			if !inDigits {
				toks = append(toks, string(phNumber))
				inDigits = true
			}
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			inDigits = false
			word.WriteRune(foldRune(r))
			inWord = true
		case r == '\'':
			// Joins "don't" into "dont"; a stray quote is simply dropped.
		case emoji[r] != "":
			emitWord()
			inDigits = false
			toks = append(toks, emoji[r])
		default:
			emitWord()
			inDigits = false
		}
	}
	emitWord()
	return toks
}

// vector is a sparse feature vector: hashed bucket indices with values.
type vector struct {
	idx []uint32
	val []float32
}

// featureHasher accumulates hashed features of one utterance.
type featureHasher struct {
	idx []uint32
	wgt []float32
}

// add records the feature made of a one-byte family tag and the given
// parts with weight w.
func (h *featureHasher) add(w float32, tag byte, parts ...string) {
	hash := fnvByte(fnvOffset, tag)
	for i, p := range parts {
		if i > 0 {
			// A separator keeps "ab"+"c" and "a"+"bc" apart.
			hash = fnvByte(hash, 0x1F)
		}
		for j := 0; j < len(p); j++ {
			hash = fnvByte(hash, p[j])
		}
	}
	h.push(w, hash)
}

// addBytes is add for a single part already held in a byte slice; it
// exists so that character n-grams can be hashed without allocating.
func (h *featureHasher) addBytes(w float32, tag byte, p []byte) {
	hash := fnvByte(fnvOffset, tag)
	for _, c := range p {
		hash = fnvByte(hash, c)
	}
	h.push(w, hash)
}

func (h *featureHasher) push(w float32, hash uint32) {
	// FNV's low bits mix poorly; a final avalanche step spreads the whole
	// hash over the bucket mask.
	hash ^= hash >> 15
	hash *= 0x2C1B3C6D
	hash ^= hash >> 12
	h.idx = append(h.idx, hash&bucketMask)
	h.wgt = append(h.wgt, w)
}

const (
	fnvOffset = uint32(2166136261)
	fnvPrime  = uint32(16777619)
)

func fnvByte(h uint32, c byte) uint32 { return (h ^ uint32(c)) * fnvPrime }

// featurize turns an analysed utterance into a sparse, L2-normalised
// feature vector.
func featurize(a *analysis) vector {
	// A typical message yields a few hundred features.
	return featurizeInto(a, make([]uint32, 0, 256), make([]float32, 0, 256))
}

// featurizeInto is featurize building the vector in the storage of idx
// and wgt (which grow as needed), so that scoring, which drops the
// vector at once, can keep them on its stack.
func featurizeInto(a *analysis, idx []uint32, wgt []float32) vector {
	h := featureHasher{idx: idx[:0], wgt: wgt[:0]}
	toks := a.tokens
	prev := "<s>"
	for _, t := range toks {
		h.add(wordWeight, 'w', t)
		h.add(bigramWeight, 'b', prev, t)
		prev = t
		if r, _ := utf8.DecodeRuneInString(t); isPlaceholder(r) {
			continue
		}
		addCharGrams(&h, t)
	}
	h.add(bigramWeight, 'b', prev, "</s>")
	addHangulJoinGrams(&h, toks)

	// Shape features: short messages are mostly small talk, and question
	// marks separate "refund?" (status) from "refund" (request) a little.
	switch n := len(toks); {
	case n <= 1:
		h.add(shapeWeight, 's', "len1")
	case n <= 3:
		h.add(shapeWeight, 's', "len3")
	case n <= 7:
		h.add(shapeWeight, 's', "len7")
	default:
		h.add(shapeWeight, 's', "long")
	}
	if a.question {
		h.add(shapeWeight, 's', "?")
	}
	// Dialogue-act features: topic-free signals of asking versus
	// requesting, so that "is there a fee if I cancel" and "cancel my
	// order" differ in more than one word.
	for _, f := range [...]struct {
		on   bool
		name string
	}{{a.act.ask, "ask"}, {a.act.generic, "gen"}, {a.act.specific, "spec"}, {a.act.want, "want"}, {a.act.rules, "rules"},
		{a.act.duration, "dur"}, {a.act.duration && !a.act.specific, "dur-generic"}, {a.act.progress, "prog"}, {a.act.cond, "cond"},
		{a.act.stall, "stall"}, {a.act.money && (a.act.progress || a.act.ask) && !a.act.want, "money-asked"},
		{a.act.money && a.act.settled && !a.act.cond, "money-settled"}} {
		if f.on {
			h.add(actWeight, 'a', f.name)
		}
	}
	h.add(actWeight, 'a', "act", string(a.act.act()))
	if a.goods {
		// A message naming the kind of goods the buyer bought ("the
		// paellera", "шкатулку", "텀블러") is about an order, however
		// many unfamiliar words surround it; the goods words themselves
		// are too many and too rare in training to say so alone.
		h.add(actWeight, 'g', "goods")
	}
	if a.flaw {
		// Goods found wrong on arrival (flaw.go): told without a want or
		// a condition, a delivery problem; the two features let a linear
		// model weigh the telling apart from the asking.
		h.add(flawWeight, 'g', "flaw")
		if !a.act.want && !a.act.cond {
			h.add(flawWeight, 'g', "flaw-told")
		}
	}
	if a.arrival.came {
		// The parcel came (arrival.go): whatever the buyer goes on to
		// say, it is no longer a question of where it is; with goods
		// found wrong, a delivery problem however many order words
		// come with it.
		h.add(flawWeight, 'g', "came")
		if a.flaw {
			h.add(flawWeight, 'g', "came-flaw")
		}
	}
	if a.arrival.missing {
		h.add(flawWeight, 'g', "delivered-missing")
	}
	if len(a.focus) > 0 {
		prev := "<f>"
		for _, t := range a.focus {
			h.add(focusWeight, 'f', t)
			h.add(focusWeight, 'F', prev, t)
			prev = t
		}
	}
	if a.slots.Reason != "" {
		// What went wrong (damaged, not received, wrong item…) is said
		// in many words; one feature per reason lets the few training
		// lines of each phrasing speak for all.
		h.add(actWeight, 'r', featureReason(a.slots.Reason))
		if a.act.want && !a.act.cond {
			// A fault told with a want ("hasn't come, I want a
			// dispute") asks for that want; told alone it reports the
			// fault or asks where the parcel is (arrival.go). A linear
			// model needs the pair to weigh the two apart.
			h.add(actWeight, 'r', "want")
		}
	}
	if a.topic != "" {
		// A platform topic (payment methods, seller fees, the account)
		// asked about in general is out of scope however much it sounds
		// like a rule ("do you accept bizum?"); named with one of the
		// buyer's orders ("the invoice for ORD-…", "sent to my old
		// address") it is about that order. The pair lets a linear model
		// weigh the topic differently in the two cases.
		spec := "gen"
		if a.act.specific {
			spec = "spec"
		}
		h.add(actWeight, 't', string(a.topic))
		h.add(actWeight, 't', string(a.topic), spec)
	}

	return h.finish()
}

// finish merges repeated buckets (a word's repeated letters, a word said
// twice, hash collisions) into one entry each, which shortens the inner
// loops of training and scoring, and scales the result to unit L2 norm
// so that long and short messages produce scores of similar magnitude.
func (h *featureHasher) finish() vector {
	// An open-addressing table of positions in the output, twice the
	// size of the input or more, merges in one pass what a sort would in
	// n·log n. Entries keep the order of their first occurrence, and the
	// output is written over the input, which it never overtakes.
	size := 64
	for size < 2*len(h.idx) {
		size *= 2
	}
	var small [256]int32
	var slots []int32
	if size <= len(small) {
		slots = small[:size]
	} else {
		slots = make([]int32, size)
	}
	mask := uint32(size - 1)
	n := 0
	for i, b := range h.idx {
		w := h.wgt[i]
		for j := (b * 0x9E3779B1) >> 7 & mask; ; j = (j + 1) & mask {
			k := slots[j]
			if k == 0 {
				h.idx[n], h.wgt[n] = b, w
				n++
				slots[j] = int32(n)
				break
			}
			if h.idx[k-1] == b {
				h.wgt[k-1] += w
				break
			}
		}
	}
	v := vector{idx: h.idx[:n:n], val: h.wgt[:n:n]}
	var sum float64
	for _, w := range v.val {
		sum += float64(w) * float64(w)
	}
	if sum > 0 {
		inv := float32(1 / math.Sqrt(sum))
		for i := range v.val {
			v.val[i] *= inv
		}
	}
	return v
}

// addHangulJoinGrams adds 2- and 3-grams of the Hangul syllables of the
// whole utterance with spaces removed.
func addHangulJoinGrams(h *featureHasher, toks []string) {
	var rs []rune
	for _, t := range toks {
		for _, r := range t {
			if isHangulSyllable(r) {
				rs = append(rs, r)
			}
		}
	}
	var buf [3 * utf8.UTFMax]byte
	for n := 2; n <= 3; n++ {
		for i := 0; i+n <= len(rs); i++ {
			b := buf[:0]
			for _, r := range rs[i : i+n] {
				b = utf8.AppendRune(b, r)
			}
			h.addBytes(hangulJoinWeight, 'k', b)
		}
	}
}

// addCharGrams adds the character n-grams of one word, padded with
// boundary marks so that prefixes and suffixes are distinct features.
func addCharGrams(h *featureHasher, word string) {
	var runes [64]rune
	rs := runes[:0]
	rs = append(rs, '\x02')
	for _, r := range word {
		if len(rs) == cap(runes)-1 {
			break // absurdly long "words" are truncated, not rejected
		}
		rs = append(rs, r)
	}
	rs = append(rs, '\x03')
	var gram [maxCharN * utf8.UTFMax]byte
	for n := minCharN; n <= maxCharN; n++ {
		for i := 0; i+n <= len(rs); i++ {
			if n == 1 && (i == 0 || i == len(rs)-1 || !isHangulSyllable(rs[i])) {
				// Lone boundary marks carry no information, and a lone
				// Latin or Cyrillic letter hardly more; a Hangul syllable
				// often is a morpheme.
				continue
			}
			b := gram[:0]
			for _, r := range rs[i : i+n] {
				b = utf8.AppendRune(b, r)
			}
			h.addBytes(charWeight, byte('0'+n), b)
		}
	}
}

func isHangulSyllable(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }
