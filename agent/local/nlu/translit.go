package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Russian speakers often type in Latin letters ("gde moj zakaz", "hochu
// vernut dengi"), the way a phone without a Cyrillic keyboard forces
// them to. Such text is turned back into Cyrillic before it is read, so
// that the classifier, the keyword rules and the locale detector all see
// the Russian they know.

// translitMarkers are frequent Russian words in their common Latin
// spellings. Two of them, or one in a text without English or Spanish
// words, mark a text as transliterated Russian.
var translitMarkers = setOf(
	"gde", "moj", "moi", "moy", "moya", "moe", "zakaz", "zakaza", "zakazu", "zakazom", "kogda", "pochemu",
	"vozvrat", "vernite", "vernut", "verni", "dengi", "deneg", "otmenit", "otmenite", "otmena",
	"posylka", "posylku", "posylki", "dostavka", "dostavki", "spasibo", "spasib", "privet", "zdravstvujte",
	"zdravstvuyte", "pozhalujsta", "pozhaluysta", "pozhalusta", "pojalujsta", "pzhl", "hochu", "khochu",
	"mne", "menya", "eto", "uzhe", "eshche", "eshe", "esche", "nado", "mozhno", "skolko", "tovar", "tovara",
	"prishel", "prishla", "prishlo", "poluchil", "poluchila", "sloman", "slomalsya", "chelovek", "operator",
	"nuzhen", "nuzhno", "chto", "kak", "kuda", "ya", "vy", "vas", "nam", "net", "da", "ne", "sdelajte",
	"pomogite", "spor", "zhalobu", "podskazhite", "takoj", "takoe", "tut", "seychas", "sejchas",
	"kak", "est", "li", "bylo", "byl", "byla", "dolgo", "pochti", "nedel", "nedelyu", "dnej", "dney",
	"pokupku", "pokupka", "prodavec", "prodavca", "kurtku", "samovar", "valenki", "sharf", "chajnik",
	"kupil", "kupila", "zakazal", "zakazala", "otslezhivanie", "trek", "nomer", "perevedi", "perevedite",
	"perevod", "perevesti",
	"zakazy", "zakazov", "pokazhi", "pokazhite", "moim", "moih", "moego", "sporom", "sporu", "otkryt", "otkrojte",
	"dostavleno", "dostavlen", "nichego", "razvalilis", "rabotaet",
)

// translitPairs are the Latin spellings of Cyrillic letters, longest
// first so that "shch" wins over "sh" and "ch".
var translitPairs = []struct{ lat, cyr string }{
	{"shch", "щ"}, {"sch", "щ"}, {"zh", "ж"}, {"kh", "х"}, {"ch", "ч"}, {"sh", "ш"}, {"ts", "ц"},
	{"yu", "ю"}, {"ju", "ю"}, {"ya", "я"}, {"ja", "я"}, {"yo", "е"}, {"jo", "е"}, {"ye", "е"},
	{"a", "а"}, {"b", "б"}, {"v", "в"}, {"g", "г"}, {"d", "д"}, {"e", "е"}, {"z", "з"}, {"i", "и"},
	{"j", "й"}, {"k", "к"}, {"l", "л"}, {"m", "м"}, {"n", "н"}, {"o", "о"}, {"p", "п"}, {"r", "р"},
	{"s", "с"}, {"t", "т"}, {"u", "у"}, {"f", "ф"}, {"h", "х"}, {"c", "ц"}, {"w", "в"}, {"x", "кс"},
	{"q", "к"}, {"y", "ы"}, {"'", "ь"},
}

// looksTranslit reports whether normalised Latin text is Russian typed in
// Latin letters, judging a request about foreign text ("perevedi na
// anglijskij: где мой заказ") by its instruction part.
func looksTranslit(n string) bool {
	if !hasLatinLetter(n) {
		// Most Korean and Russian messages: no part of them can be
		// Latin-typed Russian.
		return false
	}
	if own := instructionPart(n); own != n && strings.TrimSpace(own) != "" {
		n = own
	}
	c := countScripts(n)
	if c.latin == 0 || c.hangul > 0 {
		return false
	}
	ru, other := 0, 0
	for _, w := range strings.Fields(wordForm(n)) {
		switch {
		case scriptsOf(w) != scriptLatin:
		case translitMarkers[w] || reflexiveVerb(w) || russianInLatin(w):
			ru++
		case sharedShortWords[w]:
			// "i" and "on" are also Russian "и" and "он": they speak for
			// neither language.
		case englishWords[w] || spanishWords[w]:
			other++
		}
	}
	if c.cyrillic > 0 {
		// Latin words in a Russian message are English more often than
		// not ("хочу cancel"); only Russian ones and no others make it
		// Latin-typed Russian with a Cyrillic word or two ("kogda
		// otpravyat? плз").
		return ru >= 2 && other == 0
	}
	return ru >= 2 && ru > other || ru == 1 && other == 0 && len(strings.Fields(n)) <= 3 && strongTranslit(n)
}

// sharedShortWords are English words that are also Russian ones typed in
// Latin letters: "i" (и), "on" (он), "a" (а), "no" (но), "to" (то), "na"
// (на). They count for neither language.
var sharedShortWords = setOf("i", "on", "a", "no", "to", "na")

// reflexiveVerb reports whether a Latin word ends as a Russian reflexive
// verb does ("zasaharilsya", "slomalsja", "vernetsya"), an ending no
// English or Spanish word has.
func reflexiveVerb(w string) bool {
	if len(w) < 7 {
		return false
	}
	for _, e := range []string{"sya", "sja"} {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// strongTranslit reports whether a short text holds a marker no English or
// Spanish text would contain.
func strongTranslit(n string) bool {
	for _, w := range strings.Fields(wordForm(n)) {
		switch w {
		case "zakaz", "gde", "spasibo", "privet", "pozhalujsta", "pozhaluysta", "hochu", "khochu", "vozvrat", "otmenit", "dengi", "posylka",
			"perevedi", "perevedite":
			return true
		}
	}
	return false
}

// detranslit turns the Latin words of n into Cyrillic, leaving alone
// words with digits (order ids) and the "ord" of "ord 10042".
func detranslit(n string) string {
	var b strings.Builder
	b.Grow(2 * len(n))
	words := strings.SplitAfter(n, " ")
	for _, w := range words {
		core := strings.TrimRight(w, " ")
		if core == "" || strings.ContainsAny(core, "0123456789") || strings.HasPrefix(core, "ord") || strings.HasPrefix(core, "rf-") || strings.HasPrefix(core, "dsp") {
			b.WriteString(w)
			continue
		}
		for i := 0; i < len(w); {
			r := rune(w[i])
			if r >= 0x80 || !unicode.IsLetter(r) && r != '\'' {
				// Not ASCII Latin: copy the rune as it is.
				rr, size := utf8.DecodeRuneInString(w[i:])
				b.WriteRune(rr)
				i += size
				continue
			}
			if r == 'y' && i > 0 && isLatinVowel(w[i-1]) && (i+1 == len(w) || !isLatinVowel(w[i+1])) {
				b.WriteString("й") // "moy", "posledniy"
				i++
				continue
			}
			matched := false
			for _, p := range translitPairs {
				if strings.HasPrefix(w[i:], p.lat) {
					b.WriteString(p.cyr)
					i += len(p.lat)
					matched = true
					break
				}
			}
			if !matched {
				b.WriteByte(w[i])
				i++
			}
		}
	}
	return b.String()
}

func isLatinVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

// hasLatinLetter reports whether s holds an ASCII letter.
func hasLatinLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; 'a' <= c && c <= 'z' {
			return true
		}
	}
	return false
}
