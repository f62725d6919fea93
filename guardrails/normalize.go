package guardrails

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Two views of a text are matched against rules, and both remember, rune by
// rune, which bytes of the original text each rune came from, so a match is
// reported as the original span.
//
//   - folded: lower case, compatibility forms (full-width, ligatures, math
//     letters) replaced by their plain letters, accents and zero-width
//     characters removed, whitespace runs made one space, typographic quotes
//     and dashes made ASCII, and look-alike letters of another script inside
//     a word written in the word's main script. Regexes, cue words and claim
//     patterns read this view.
//   - compact: the folded view reduced to a skeleton: separators (spaces,
//     punctuation) dropped, look-alike letters of all scripts merged into one,
//     leetspeak digits read as letters, Hangul split into jamo, and repeated
//     letters collapsed. Phrases and words match this view, which is what
//     defeats "g u a r a n t e e d", "g.u.a.r.a.n.t.e.e.d", "guaaaranteed",
//     "gu4r4nt33d" and "환 불 보 장".

// span is a byte range of the original text.
type span struct{ start, end int32 }

func (s span) join(o span) span {
	return span{min(s.start, o.start), max(s.end, o.end)}
}

// folded is the folded view of a text.
type folded struct {
	orig  string
	s     string
	runes []rune
	// spans[k] is where runes[k] came from in the original text.
	spans []span
	// off[k] is the byte offset of runes[k] in s; off[len(runes)] is len(s).
	off []int32
}

// origin returns the original span of the folded bytes [i, j).
func (f *folded) origin(i, j int) span {
	a, b := f.runeAt(i), f.runeAt(j-1)
	if a < 0 || b < 0 {
		return span{}
	}
	return f.spans[a].join(f.spans[b])
}

// runeAt returns the index of the rune that byte i of s belongs to.
func (f *folded) runeAt(i int) int {
	lo, hi := 0, len(f.runes)-1
	if hi < 0 {
		return -1
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if int(f.off[mid]) <= i {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// ignorable reports runes that are dropped without a trace: zero-width
// characters, format controls, variation selectors and combining marks.
func ignorable(r rune) bool {
	switch {
	case r == 0x00AD, r == 0x034F, r == 0x180E, r == 0x200B, r == 0x200C, r == 0x200D,
		r == 0x2060, r == 0x2061, r == 0x2062, r == 0x2063, r == 0x2064, r == 0xFEFF,
		r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF:
		return true
	case r < 0x300:
		return false
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf)
}

// plainPunct makes typographic quotes and dashes ASCII.
func plainPunct(r rune) rune {
	switch r {
	case '‘', '’', '‛', '′', '`', '´':
		return '\''
	case '“', '”', '„', '‟', '″', '«', '»':
		return '"'
	case '‐', '‑', '‒', '–', '—', '―', '−':
		return '-'
	}
	return r
}

func isHangulSyllable(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

// fold returns the folded view of text.
func fold(text string) *folded {
	return foldInto(&folded{
		runes: make([]rune, 0, len(text)),
		spans: make([]span, 0, len(text)),
	}, text)
}

// foldInto makes f the folded view of text, reusing f's slices (views);
// the string f.s is new.
func foldInto(f *folded, text string) *folded {
	f.orig, f.runes, f.spans = text, slices.Grow(f.runes[:0], len(text)), slices.Grow(f.spans[:0], len(text))
	emit := func(r rune, sp span) {
		if unicode.IsSpace(r) {
			if n := len(f.runes); n > 0 && f.runes[n-1] == ' ' {
				f.spans[n-1].end = sp.end
				return
			}
			r = ' '
		}
		f.runes = append(f.runes, r)
		f.spans = append(f.spans, sp)
	}
	var buf [utf8.UTFMax]byte
	for i, r := range text {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			size = 1
			if i+3 <= len(text) && text[i:i+3] == "\uFFFD" {
				size = 3
			}
		}
		sp := span{int32(i), int32(i + size)}
		switch {
		case r < utf8.RuneSelf:
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			emit(plainPunct(r), sp)
			continue
		case ignorable(r):
			continue
		case isHangulSyllable(r):
			emit(r, sp)
			continue
		}
		n := utf8.EncodeRune(buf[:], r)
		d := norm.NFKD.Properties(buf[:n]).Decomposition()
		if len(d) == 0 {
			emit(unicode.ToLower(plainPunct(r)), sp)
			continue
		}
		for _, q := range string(d) {
			if ignorable(q) {
				continue
			}
			emit(unicode.ToLower(plainPunct(q)), sp)
		}
	}
	unmix(f.runes)
	var b strings.Builder
	b.Grow(len(f.runes))
	f.off = slices.Grow(f.off[:0], len(f.runes)+1)[:len(f.runes)+1]
	for k, r := range f.runes {
		f.off[k] = int32(b.Len())
		b.WriteRune(r)
	}
	f.off[len(f.runes)] = int32(b.Len())
	f.s = b.String()
	return f
}

// foldString is fold(text).s.
func foldString(text string) string { return fold(text).s }

// Look-alike letters, lower case. toLatin maps Cyrillic and Greek letters
// to the Latin letters they look like; toCyrillic maps Latin letters to the
// Cyrillic ones.
var (
	toLatin = map[rune]rune{
		'а': 'a', 'в': 'b', 'е': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p',
		'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'һ': 'h',
		'ԁ': 'd', 'ӏ': 'i', 'ԛ': 'q', 'ԝ': 'w', 'ѵ': 'v', 'ү': 'y',
		'α': 'a', 'β': 'b', 'ε': 'e', 'ζ': 'z', 'η': 'n', 'ι': 'i', 'κ': 'k', 'μ': 'u',
		'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'γ': 'y', 'ω': 'w',
		'ı': 'i', 'ɑ': 'a', 'ɡ': 'g', 'ɩ': 'i', 'ʟ': 'l',
	}
	toCyrillic = map[rune]rune{
		'a': 'а', 'b': 'в', 'e': 'е', 'k': 'к', 'm': 'м', 'h': 'н', 'o': 'о', 'p': 'р',
		'c': 'с', 't': 'т', 'y': 'у', 'x': 'х',
	}
)

// unmix rewrites each word that mixes Latin with Cyrillic or Greek letters
// in its main script, where a look-alike exists: "rеfund" with a Cyrillic е
// becomes "refund", and "вoзвpaт" with Latin o, p and a becomes "возврат".
func unmix(rs []rune) {
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) {
			i++
			continue
		}
		j := i
		latin, cyr, greek := 0, 0, 0
		for ; j < len(rs) && (unicode.IsLetter(rs[j]) || rs[j] == '\''); j++ {
			switch r := rs[j]; {
			case r < 0x250 && unicode.IsLetter(r):
				latin++
			case r >= 0x400 && r < 0x530:
				cyr++
			case r >= 0x370 && r < 0x400:
				greek++
			}
		}
		if latin > 0 && cyr+greek > 0 {
			switch {
			case latin > cyr+greek:
				for k := i; k < j; k++ {
					if q, ok := toLatin[rs[k]]; ok {
						rs[k] = q
					}
				}
			case cyr > latin+greek:
				for k := i; k < j; k++ {
					if q, ok := toCyrillic[rs[k]]; ok {
						rs[k] = q
					}
				}
			}
		}
		i = j
	}
}

// Hangul jamo, as compatibility letters: leads, vowels and tails of a
// syllable, in Unicode's order.
var (
	jamoLead  = []rune("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")
	jamoVowel = []rune("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")
	jamoTail  = []rune("ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
	// jamoSplit writes compound vowels and tails as their parts, so a
	// jamo typed one by one matches the syllable.
	jamoSplit = map[rune][]rune{
		'ㅘ': []rune("ㅗㅏ"), 'ㅙ': []rune("ㅗㅐ"), 'ㅚ': []rune("ㅗㅣ"), 'ㅝ': []rune("ㅜㅓ"),
		'ㅞ': []rune("ㅜㅔ"), 'ㅟ': []rune("ㅜㅣ"), 'ㅢ': []rune("ㅡㅣ"),
		'ㄳ': []rune("ㄱㅅ"), 'ㄵ': []rune("ㄴㅈ"), 'ㄶ': []rune("ㄴㅎ"), 'ㄺ': []rune("ㄹㄱ"),
		'ㄻ': []rune("ㄹㅁ"), 'ㄼ': []rune("ㄹㅂ"), 'ㄽ': []rune("ㄹㅅ"), 'ㄾ': []rune("ㄹㅌ"),
		'ㄿ': []rune("ㄹㅍ"), 'ㅀ': []rune("ㄹㅎ"), 'ㅄ': []rune("ㅂㅅ"),
	}
)

// appendJamo appends the jamo of r, a Hangul syllable or jamo in any of its
// encodings, and reports whether r was Hangul.
func appendJamo(dst []rune, r rune) ([]rune, bool) {
	add := func(dst []rune, j rune) []rune {
		if parts, ok := jamoSplit[j]; ok {
			return append(dst, parts...)
		}
		return append(dst, j)
	}
	switch {
	case isHangulSyllable(r):
		s := r - 0xAC00
		dst = add(dst, jamoLead[s/588])
		dst = add(dst, jamoVowel[(s%588)/28])
		if t := s % 28; t > 0 {
			dst = add(dst, jamoTail[t-1])
		}
		return dst, true
	case r >= 0x1100 && r < 0x1100+19:
		return add(dst, jamoLead[r-0x1100]), true
	case r >= 0x1161 && r < 0x1161+21:
		return add(dst, jamoVowel[r-0x1161]), true
	case r >= 0x11A8 && r < 0x11A8+27:
		return add(dst, jamoTail[r-0x11A8]), true
	case r >= 0x3131 && r <= 0x318E:
		return add(dst, r), true
	}
	return dst, false
}

func isJamo(r rune) bool { return r >= 0x3131 && r <= 0x318E }

// skeletonLetter merges look-alike letters of every script into one: the
// Latin letter, with l and i one letter as well.
func skeletonLetter(r rune) rune {
	if q, ok := toLatin[r]; ok {
		r = q
	}
	if r == 'l' {
		return 'i'
	}
	return r
}

// leet reads a digit or symbol used as a letter.
func leet(r rune) (rune, bool) {
	switch r {
	case '0':
		return 'o', true
	case '1', '!', '|':
		return 'i', true
	case '3':
		return 'e', true
	case '4', '@':
		return 'a', true
	case '5', '$':
		return 's', true
	case '7':
		return 't', true
	}
	return r, false
}

// significant are the symbols that stay in the compact view: they change
// what a phrase means ("100% refund", "$5").
func significant(r rune) bool {
	switch r {
	case '%', '$', '€', '£', '¥', '₩', '₽', '#':
		return true
	}
	return false
}

// Flags of a compact rune.
const (
	wordStart uint8 = 1 << iota
	wordEnd
	// hardBefore marks the first rune after a real break (a sentence end
	// or a newline between words), which no match may cross.
	hardBefore
	// lone marks a rune of a one-letter word, as in "g u a r a n t e e d".
	lone
)

// compact is the compact view of a text.
type compact struct {
	runes []rune
	spans []span
	flags []uint8
}

// token is a run of word characters of the folded view.
type token struct {
	i, j      int // folded rune range
	letters   int
	hard      bool // a real break precedes it
	apostroph int
}

// tokenize splits the folded runes into tokens: letters, digits, leetspeak
// symbols and one apostrophe inside a word; significant symbols are tokens
// of their own.
func tokenize(f *folded) []token { return tokenizeInto(nil, f) }

// tokenizeInto is tokenize appending to toks[:0].
func tokenizeInto(toks []token, f *folded) []token {
	toks = toks[:0]
	rs := f.runes
	sepHasStop, sepHasSpace, sepNewline := false, false, false
	flush := func() {
		sepHasStop, sepHasSpace, sepNewline = false, false, false
	}
	for i := 0; i < len(rs); {
		r := rs[i]
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '@' || r == '$' || r == '!' || r == '|'
		if significant(r) && r != '$' {
			toks = append(toks, token{i: i, j: i + 1, hard: sepHasStop && sepHasSpace || sepNewline})
			flush()
			i++
			continue
		}
		if !word {
			switch r {
			case '.', '?', '。', '？', '！', ';':
				sepHasStop = true
			case ' ':
				sepHasSpace = true
				if sp := f.spans[i]; strings.ContainsRune(fOrig(f, sp), '\n') {
					sepNewline = true
				}
			}
			i++
			continue
		}
		t := token{i: i, hard: sepHasStop && sepHasSpace || sepNewline}
		flush()
		j := i
		for j < len(rs) {
			q := rs[j]
			if unicode.IsLetter(q) {
				t.letters++
			} else if q == '\'' && j > i && j+1 < len(rs) && unicode.IsLetter(rs[j+1]) && unicode.IsLetter(rs[j-1]) {
				t.apostroph++
			} else if !(unicode.IsDigit(q) || q == '@' || q == '$' || (q == '!' || q == '|') && j > i) {
				break
			}
			j++
		}
		// "!" and "|" are letters only inside a word ("l!ar"); a trailing
		// one is punctuation.
		for j > i+1 && (rs[j-1] == '!' || rs[j-1] == '|') {
			j--
		}
		if j == i { // a lone "!" or "|"
			sepHasStop = sepHasStop || r == '!'
			i++
			continue
		}
		t.j = j
		toks = append(toks, t)
		i = j
	}
	// A hard break needs words on both sides: "g. u. a. r." is one word
	// spelled out, not four sentences.
	for k := range toks {
		if toks[k].hard && k > 0 && (toks[k].j-toks[k].i == 1 || toks[k-1].j-toks[k-1].i == 1) {
			toks[k].hard = false
		}
	}
	return toks
}

// fOrig is the original text under sp.
func fOrig(f *folded, sp span) string {
	if f.orig == "" || int(sp.end) > len(f.orig) {
		return ""
	}
	return f.orig[sp.start:sp.end]
}

// makeCompact returns the compact view of f.
func makeCompact(f *folded) *compact {
	return compactInto(&compact{
		runes: make([]rune, 0, len(f.runes)),
		spans: make([]span, 0, len(f.runes)),
		flags: make([]uint8, 0, len(f.runes)),
	}, f, nil)
}

// compactInto makes c the compact view of f, reusing c's slices and toks
// (views).
func compactInto(c *compact, f *folded, v *views) *compact {
	var toks []token
	if v != nil {
		v.toks = tokenizeInto(v.toks, f)
		toks = v.toks
	} else {
		toks = tokenize(f)
	}
	c.runes, c.spans, c.flags = slices.Grow(c.runes[:0], len(f.runes)), slices.Grow(c.spans[:0], len(f.runes)), slices.Grow(c.flags[:0], len(f.runes))
	single := func(k int) bool { return k >= 0 && k < len(toks) && toks[k].j-toks[k].i == 1 }
	letterTok := func(k int) bool { return single(k) && toks[k].letters == 1 }
	var jamo []rune
	for k, t := range toks {
		first := len(c.runes)
		// "1OO%": a number written with look-alike letters.
		numeric := t.letters > 0 && t.letters < t.j-t.i && onlyDigitLike(f.runes[t.i:t.j])
		// A lone digit spelled between lone letters ("g u 4 r") is a letter.
		spelled := t.letters == 0 && single(k) && (letterTok(k-1) || k == 0) && (letterTok(k+1) || k == len(toks)-1) && (letterTok(k-1) || letterTok(k+1))
		for i := t.i; i < t.j; i++ {
			r := f.runes[i]
			sp := f.spans[i]
			if r == '\'' && t.apostroph > 1 {
				continue
			}
			if numeric {
				switch r {
				case 'o':
					r = '0'
				case 'i', 'l':
					r = '1'
				}
			} else if t.letters > 0 || spelled {
				if q, ok := leet(r); ok {
					r = q
				}
			}
			jamo = jamo[:0]
			var hangul bool
			if jamo, hangul = appendJamo(jamo, r); hangul {
				for _, j := range jamo {
					c.push(j, sp, first, k, toks)
				}
				continue
			}
			if unicode.IsLetter(r) {
				r = skeletonLetter(r)
			}
			c.push(r, sp, first, k, toks)
		}
		if t.j-t.i == 1 {
			for k := first; k < len(c.runes); k++ {
				c.flags[k] |= lone
			}
		}
		if len(c.runes) > first {
			c.flags[first] |= wordStart
			if t.hard {
				c.flags[first] |= hardBefore
			}
			c.flags[len(c.runes)-1] |= wordEnd
		} else if first > 0 {
			c.flags[first-1] |= wordEnd // merged into the previous word's letter
		}
	}
	return c
}

// views holds a stream's folded and compact views of a sentence and the
// tokens between them, reused from one sentence to the next: each is the
// size of its sentence, and a reply's sentences were about a tenth of a
// turn's allocations (docs/performance.md, round 12). A sentence's views
// are read only while it is checked (checkSegment); nothing keeps them.
type views struct {
	f    folded
	c    compact
	toks []token
}

// of returns the folded and compact views of text, in v's memory; they
// are valid until the next call. A nil v makes new ones.
func (v *views) of(text string) (*folded, *compact) {
	if v == nil {
		f := fold(text)
		return f, makeCompact(f)
	}
	foldInto(&v.f, text)
	return &v.f, compactInto(&v.c, &v.f, v)
}

// onlyDigitLike reports whether every letter of a token is o, i or l.
func onlyDigitLike(rs []rune) bool {
	for _, r := range rs {
		if unicode.IsLetter(r) && r != 'o' && r != 'i' && r != 'l' {
			return false
		}
	}
	return true
}

// push appends r, or merges it into the previous rune when it repeats a
// letter of the same word (or of a word spelled letter by letter).
func (c *compact) push(r rune, sp span, tokFirst, k int, toks []token) {
	if n := len(c.runes); n > 0 && c.runes[n-1] == r && unicode.IsLetter(r) && !isJamo(r) {
		sameTok := n > tokFirst
		spelled := !sameTok && k > 0 && toks[k].j-toks[k].i == 1 && toks[k-1].j-toks[k-1].i == 1 && !toks[k].hard
		if sameTok || spelled {
			c.spans[n-1] = c.spans[n-1].join(sp)
			return
		}
	}
	c.runes = append(c.runes, r)
	c.spans = append(c.spans, sp)
	c.flags = append(c.flags, 0)
}

// skeleton is the compact runes of text, for compiling phrases.
func skeleton(text string) []rune {
	return makeCompact(fold(text)).runes
}
