package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// textSearchConfigs maps a locale to the Postgres text-search configuration
// that stems it. Locales without one use "simple" (lower-casing only).
var textSearchConfigs = map[string]string{
	"ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
	"en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
	"ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
	"it": "italian", "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian",
	"pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish",
	"ta": "tamil", "tr": "turkish", "yi": "yiddish",
}

// textSearchConfig returns the text-search configuration for locale. Korean,
// Japanese and Chinese have none in Postgres and get "simple" over the
// character bigrams of ftsText.
func textSearchConfig(locale string) string {
	if c, ok := textSearchConfigs[locale]; ok {
		return c
	}
	return "simple"
}

// ftsText prepares text for to_tsvector in locale's configuration.
//
// Postgres ships no Korean (or Japanese, or Chinese) dictionary, and the
// simple configuration keeps a Korean word whole with its particles
// attached: "환불은" and "환불을" would never match "환불". So runs of CJK
// characters are replaced by their overlapping character bigrams
// ("환불은" → "환불 불은"), the usual dictionary-free indexing for these
// scripts (it is what Lucene's CJK analyzer does). A query goes through the
// same transformation, so "환불 기간" finds "환불은 … 기간". A lone character
// stays as it is. Text in other scripts passes unchanged, so Latin words
// inside Korean text are still indexed as words.
func ftsText(locale, text string) string {
	if textSearchConfig(locale) != "simple" || !hasCJK(text) {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) * 2)
	var run []rune
	flush := func() {
		switch len(run) {
		case 0:
		case 1:
			b.WriteString(" ")
			b.WriteRune(run[0])
			b.WriteString(" ")
		default:
			for i := 0; i+1 < len(run); i++ {
				b.WriteString(" ")
				b.WriteRune(run[i])
				b.WriteRune(run[i+1])
			}
			b.WriteString(" ")
		}
		run = run[:0]
	}
	for _, r := range text {
		if isCJK(r) {
			run = append(run, r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

func hasCJK(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && isCJK(r) {
			return true
		}
	}
	return false
}

// isCJK reports whether r is written without spaces between words (or, for
// Hangul, with particles glued to words), so that bigrams stand in for words.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Hangul, unicode.Han, unicode.Hiragana, unicode.Katakana)
}
