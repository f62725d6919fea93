package nlu

// Readers outside the classifier (the policy answer composer, which
// matches question cues and searches the policies) need the same two
// spelling repairs the classifier makes before it reads a message.

// Cyrillic returns text in Cyrillic when it is Russian typed in Latin
// letters ("skolko dnej" → "сколько дней"), lower-cased as the classifier
// reads it, and text unchanged otherwise: the policies are searched in
// their own letters.
func Cyrillic(text string) string {
	if n := normalize(text); looksTranslit(n) {
		return detranslit(n)
	}
	return text
}

// LatinRussian returns text turned into Cyrillic as Russian typed in
// Latin letters, whatever the text looks like: for a word or two
// ("da", "net") said in a conversation known to be in Russian, which
// alone could be any language's.
func LatinRussian(text string) string { return detranslit(normalize(text)) }

// Fold removes the distinctions buyers drop when typing fast (Spanish
// accents and ñ, the Russian ё), so a cue written "cuánto" matches
// "cuanto".
func Fold(s string) string { return fold(s) }
