package nlu

import "strings"

// A translation is often asked without the word for it: a short frame
// naming the language wanted, and the passage in quotes or after a colon
// ("english to korean pls - "…"", "need this in spanish asap: …", "как
// написать по-корейски "…"", "¿cómo escribo en ruso "…"?"). The passage
// says anything at all (a cancellation, an empty box), and the classifier
// reads it as what it says; the frame tells what is asked.

// maxFrameWords is the longest instruction part read as a bare frame: a
// longer one tells a story of its own ("the seller answered me in
// Russian: …") and the classifier reads it.
const maxFrameWords = 8

// asksTranslationByFrame reports whether text is a passage with a short
// instruction part that names a language to put it in.
func asksTranslationByFrame(text string) bool {
	own := instructionPart(text)
	if len(strings.TrimSpace(own)) == len(strings.TrimSpace(text)) || len(strings.Fields(own)) > maxFrameWords {
		return false
	}
	if strings.TrimSpace(strings.Trim(quotedPart(text), " \"“”«»「」")) == "" && !strings.ContainsAny(text, ":：") {
		return false
	}
	kt := newKeywordText(fold(strings.ToLower(normalize(own))))
	if findTargetLanguage(kt) != "" {
		return true
	}
	// "spanish please - "…"": a frame of a few words needs no marker.
	ws := strings.Fields(kt.words)
	if len(ws) > maxBareFrameWords {
		return false
	}
	for _, w := range ws {
		if code, _ := nameAt(w); code != "" {
			return true
		}
	}
	return false
}

// maxBareFrameWords is the longest frame that names its language without
// a marker ("in", "на", "로").
const maxBareFrameWords = 3
