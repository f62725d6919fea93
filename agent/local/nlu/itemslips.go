package nlu

import (
	"strings"
	"unicode/utf8"
)

// A Korean goods word typed with one wrong jamo ("이어퐅" for "이어폰",
// the final consonant one key off) is a slip the edit distance of
// misspeltAt cannot see: it counts whole syllables, and a Hangul word is
// two or three of them. It is spelt back into the goods word before item
// matching, so every other rule (kinds, traits, positions) applies to it
// unchanged.

// hangulGoods are the Hangul words of itemGroups of three syllables or
// more: shorter ones are one jamo away from too many other words.
var hangulGoods = func() [][]rune {
	var out [][]rune
	for _, g := range itemGroups {
		for _, w := range g {
			if hasHangul(w) && !strings.Contains(w, " ") && utf8.RuneCountInString(w) >= 3 {
				out = append(out, []rune(w))
			}
		}
	}
	return out
}()

// jamo splits a precomposed Hangul syllable into its initial, medial and
// final letters (final 0 for none); ok is false for any other rune.
func jamo(r rune) (l, v, t int, ok bool) {
	if r < 0xAC00 || r > 0xD7A3 {
		return 0, 0, 0, false
	}
	c := int(r - 0xAC00)
	return c / 588, c % 588 / 28, c % 28, true
}

// oneJamoOff reports whether the syllables a and b differ in exactly one
// of their letters: "퐅" and "폰" (final ㅌ for ㄴ), "퐄" and "폰".
func oneJamoOff(a, b rune) bool {
	al, av, at, ok1 := jamo(a)
	bl, bv, bt, ok2 := jamo(b)
	if !ok1 || !ok2 {
		return false
	}
	d := 0
	for _, same := range []bool{al == bl, av == bv, at == bt} {
		if !same {
			d++
		}
	}
	return d == 1
}

// hangulGoodsIn reports whether the Hangul word w holds a goods word of
// two syllables or more anywhere, as groupAt finds them.
func hangulGoodsIn(w string) bool {
	for _, g := range goodsGroups {
		for _, gw := range g {
			if gw.kw.script == scriptHangul && !gw.single && strings.Contains(w, gw.word) {
				return true
			}
		}
	}
	return false
}

// respellHangulGoods returns the Hangul word w with a goods word of three
// syllables or more put back where w holds it with one syllable one jamo
// off ("이어퐅만" gives "이어폰만"), or w unchanged. A word that holds a
// goods word as spelt is left alone.
func respellHangulGoods(w string) string {
	rw := []rune(w)
	if len(rw) < 3 {
		return w
	}
	if wordNamesGoods(w) || hangulGoodsIn(w) {
		// "전기포트" holds the kettle's "포트", and is not "기프트" one
		// jamo off.
		return w
	}
	for _, g := range hangulGoods {
		for i := 0; i+len(g) <= len(rw); i++ {
			off := 0
			for k, r := range g {
				switch {
				case rw[i+k] == r:
				case oneJamoOff(rw[i+k], r):
					off++
				default:
					off = 2
				}
				if off > 1 {
					break
				}
			}
			if off == 1 {
				return string(rw[:i]) + string(g) + string(rw[i+len(g):])
			}
		}
	}
	return w
}

// adjectiveEndings are the endings of a Russian adjective in every case
// and number, after its stem.
var adjectiveEndings = []string{"ый", "ий", "ой", "ого", "его", "ому", "ему", "ым", "им", "ом", "ем",
	"ая", "яя", "ую", "юю", "ые", "ие", "ых", "их", "ыми", "ими"}

// adjectiveForms returns the other case forms of a Russian goods phrase
// that starts with an adjective ("чайный набор" gives "чайным набор",
// "чайному набор"…; the noun is matched as a word start, so "набором"
// is found), or nil: buyers write the name in whatever case the sentence
// needs ("с чайным набором", "к чайному набору").
func adjectiveForms(phrase string) []string {
	adj, rest, ok := strings.Cut(phrase, " ")
	if !ok || scriptsOf(phrase) != scriptCyrillic {
		return nil
	}
	for _, e := range []string{"ый", "ий", "ой"} {
		stem, ok := strings.CutSuffix(adj, e)
		if !ok || utf8.RuneCountInString(stem) < 3 {
			continue
		}
		var out []string
		for _, f := range adjectiveEndings {
			if f != e {
				out = append(out, stem+f+" "+rest)
			}
		}
		return out
	}
	return nil
}
