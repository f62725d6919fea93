package guardrails

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// segment is one sentence of a text with the whitespace after it, as a
// byte range; the segments of a text tile it.
type segment struct{ start, end int }

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "mr": true, "mrs": true, "ms": true, "dr": true, "st": true,
	"vs": true, "approx": true, "u.s": true, "a.m": true, "p.m": true, "inc": true,
	"ltd": true, "jr": true, "p.ej": true, "ej": true, "sr": true, "sra": true, "núm": true,
	"art": true, "pág": true, "г": true, "т.е": true, "ул": true, "д": true, "кв": true,
	"стр": true, "напр": true, "см": true, "т.к": true, "тел": true, "tel": true, "ca": true,
}

// closers may follow a sentence's final punctuation.
func closer(r rune) bool {
	switch r {
	case '"', '\'', ')', ']', '»', '”', '’', '」', '』', '）':
		return true
	}
	return false
}

// splitSentences cuts text into segments. With final false the text is a
// prefix of a longer one still arriving: only segments whose end is
// certain are returned (their end is where the next sentence starts, so a
// segment ends once the first letter after it has arrived), and rest is
// where the unfinished part begins. The segments of a prefix are always
// segments of the whole text, which is what lets a stream release
// sentences as they complete.
func splitSentences(text string, final bool) (segs []segment, rest int) {
	segs, rest, _ = splitSentencesFrom(text, 0, final)
	return segs, rest
}

// splitSentencesFrom is splitSentences for a text whose first from bytes
// a call on a prefix of it already read and found no sentence's end in
// (from is that call's resume, less its rest). resume is where the next
// call, on this text with more appended, may start reading: the rune
// whose end was not yet certain, or the last rune (a Korean ending is
// decided by the byte after it, and the rune may be cut short). A stream reads each delta's text once
// rather than its whole unfinished sentence again.
func splitSentencesFrom(text string, from int, final bool) (segs []segment, rest, resume int) {
	start := 0
	i := from
	resume = -1
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		end, ok := boundaryAfter(text, i, r, size)
		if !ok {
			i += size
			continue
		}
		// The segment takes the whitespace after it; the next starts at
		// the first non-space, which must have arrived.
		j := end
		for j < len(text) {
			q, n := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsSpace(q) {
				break
			}
			j += n
		}
		if j == len(text) {
			resume = i
			break // unknown yet what follows
		}
		if confirm(text, i, r, j) {
			segs = append(segs, segment{start, j})
			start = j
		}
		i = end
	}
	if resume < 0 {
		// The last rune's first byte: a delta may end inside a rune.
		resume = len(text)
		for k := len(text) - 1; k >= max(0, len(text)-utf8.UTFMax); k-- {
			if resume = k; utf8.RuneStart(text[k]) {
				break
			}
		}
		resume = max(resume, start)
	}
	if final && start < len(text) {
		segs = append(segs, segment{start, len(text)})
		start = len(text)
	}
	return segs, start, resume
}

// boundaryAfter reports whether the rune r at i may end a sentence, and
// where its punctuation (with closers) ends. A sentence ends at a newline,
// at . ! ? … (and their full-width forms) followed by a space, and at a
// Korean polite ending ("니다", "세요", "어요", …) followed by a space.
func boundaryAfter(text string, i int, r rune, size int) (int, bool) {
	end := i + size
	switch r {
	case '\n':
		return end, true
	case '.', '!', '?', '…', '。', '！', '？':
		for end < len(text) {
			q, n := utf8.DecodeRuneInString(text[end:])
			if q == '.' || q == '!' || q == '?' || q == '…' || closer(q) {
				end += n
				continue
			}
			break
		}
		if end == len(text) {
			return end, true // confirmed by what follows, or by final
		}
		q, _ := utf8.DecodeRuneInString(text[end:])
		if r == '。' || r == '！' || r == '？' {
			return end, true
		}
		return end, unicode.IsSpace(q)
	case '다', '요':
		if end < len(text) && (text[end] == ' ' || text[end] == '\n') {
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			if r == '다' && prev == '니' || r == '요' && strings.ContainsRune("세어아에해예워줘래네데지", prev) {
				return end, true
			}
		}
	}
	return end, false
}

// confirm decides a possible boundary at rune r (index i) now that the
// next sentence's first character, at j, is known.
func confirm(text string, i int, r rune, j int) bool {
	if r != '.' {
		return true
	}
	next, _ := utf8.DecodeRuneInString(text[j:])
	// "approx. 5 days", "e.g. a", an unknown abbreviation before a lower
	// case word: not an end.
	if unicode.IsLower(next) {
		return false
	}
	w := lastWord(text[:i])
	lw := strings.ToLower(w)
	if abbreviations[lw] || (lw == "no" || lw == "nº") && unicode.IsDigit(next) {
		return false
	}
	if n := utf8.RuneCountInString(w); n == 1 {
		q, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(q) { // an initial
			return false
		}
	}
	return true
}

// lastWord returns the letters (and inner periods) at the end of s.
func lastWord(s string) string {
	j := len(s)
	for j > 0 {
		q, n := utf8.DecodeLastRuneInString(s[:j])
		if !unicode.IsLetter(q) && q != '.' {
			break
		}
		j -= n
	}
	return strings.Trim(s[j:], ".")
}

// citationRE finds citations like "[refunds §Refund window]", which are
// references, not claims.
var citationRE = regexp.MustCompile(`\[[^\[\]\n]{1,80}§[^\[\]\n]{0,120}\]`)

// maskCitations replaces each citation's bytes with spaces, keeping
// offsets.
func maskCitations(s string) string {
	locs := citationRE.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	b := []byte(s)
	for _, l := range locs {
		for k := l[0]; k < l[1]; k++ {
			b[k] = ' '
		}
	}
	return string(b)
}

// onlyCitations reports whether s holds nothing but citations and spaces.
func onlyCitations(s string) bool {
	return strings.TrimSpace(s) != "" && strings.TrimSpace(maskCitations(s)) == ""
}

// stripLeadingCitations removes the citations a segment starts with: they
// belonged to the sentence before it.
func stripLeadingCitations(s string) string {
	for {
		t := strings.TrimLeft(s, " \t")
		loc := citationRE.FindStringIndex(t)
		if loc == nil || loc[0] != 0 {
			return s
		}
		s = strings.TrimLeft(t[loc[1]:], " \t")
	}
}
