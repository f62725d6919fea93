package nlu

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// A list of Russian words in their Latin spellings (translitMarkers)
// cannot hold every word a buyer types: "chainyi nabor, vchera zakazal",
// "kogda otpravyat?". The Russian training examples hold thousands of
// Russian words in Cyrillic, so a Latin word is also read as Russian when,
// spelt back into Cyrillic, it is one of them. The comparison is loose
// about the letters Latin spellings disagree on ("chainyi", "chainyj",
// "chajnyj" are all "чайный"): й, ы and и are one letter, ь and ъ none, э
// and е one. A long word is also read as Russian by its first six
// letters, the stem a Russian word keeps through its endings ("otpravyat"
// for the "отправит" and "отправили" of the examples). A word that the
// English and Spanish examples use ("internet", "problems", "status") is
// a loanword in both and speaks for neither.

var (
	russianVocabOnce sync.Once
	russianVocab     map[string]bool
	// latinVocab holds the words of the English and Spanish examples and
	// their first stemLetters letters, marked "~".
	latinVocab map[string]bool
)

// stemLetters is how many leading letters of a word of seven letters or
// more stand for it in the vocabulary.
const stemLetters = 6

// russianWords returns the loose forms (looseRussian) of the Cyrillic
// words of four letters or more in the Russian training examples, and
// the first stemLetters letters of those of seven or more, marked "~".
func russianWords() map[string]bool {
	russianVocabOnce.Do(func() {
		russianVocab, latinVocab = map[string]bool{}, map[string]bool{}
		exs, err := trainingExamples()
		if err != nil {
			return // New reports the error; no vocabulary meanwhile
		}
		for _, ex := range exs {
			if ex.Locale == LocaleEnglish || ex.Locale == LocaleSpanish {
				for _, w := range strings.Fields(wordForm(fold(strings.ToLower(ex.Text)))) {
					latinVocab[w] = true
					if len(w) > stemLetters {
						latinVocab["~"+w[:stemLetters]] = true
					}
				}
				continue
			}
			if ex.Locale != LocaleRussian {
				continue
			}
			for _, w := range strings.Fields(wordForm(fold(strings.ToLower(ex.Text)))) {
				if utf8.RuneCountInString(w) >= 4 && scriptsOf(w) == scriptCyrillic {
					l := looseRussian(w)
					russianVocab[l] = true
					if rs := []rune(l); len(rs) > stemLetters {
						russianVocab["~"+string(rs[:stemLetters])] = true
					}
				}
			}
		}
	})
	return russianVocab
}

// looseRussian folds the Cyrillic letters that Latin spellings of Russian
// disagree on.
func looseRussian(w string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case 'й', 'ы':
			return 'и'
		case 'ь', 'ъ':
			return -1
		case 'э', 'ё':
			return 'е'
		}
		return r
	}, w)
}

// russianInLatin reports whether the Latin word w, of four letters or
// more and not an English or Spanish word, is a Russian word of the
// training examples typed in Latin letters. It is safe for concurrent use.
func russianInLatin(w string) bool {
	if len(w) < 4 || englishWords[w] || spanishWords[w] || scriptsOf(w) != scriptLatin {
		return false
	}
	if ru := russianWords(); len(ru) == 0 || latinVocab[w] || len(w) > stemLetters && latinVocab["~"+w[:stemLetters]] {
		return false
	}
	l := looseRussian(strings.TrimSpace(detranslit(w)))
	if russianWords()[l] {
		return true
	}
	rs := []rune(l)
	return len(rs) > stemLetters && russianWords()["~"+string(rs[:stemLetters])]
}
