package fakellm

import (
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The fake's notion of a token: a word of text (with the whitespace before
// it), or up to four bytes of JSON, about what OpenAI's tokenizers average.
// Streaming splits replies along the same lines as usage counts them, so a
// streamed text reply has exactly completion_tokens content deltas.

// words yields s in pieces that each start with the whitespace before a
// word, so the pieces concatenate back to s exactly. Trailing whitespace
// stays with the last word rather than making a piece of its own.
func words(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		start, prevSpace := 0, true
		body := strings.TrimRightFunc(s, unicode.IsSpace)
		for i, r := range body {
			space := unicode.IsSpace(r)
			if space && !prevSpace {
				if !yield(s[start:i]) {
					return
				}
				start = i
			}
			prevSpace = space
		}
		if start < len(s) {
			yield(s[start:])
		}
	}
}

// jsonFragmentSize is the bytes of JSON in one argument fragment.
const jsonFragmentSize = 4

// fragments yields s in pieces of about jsonFragmentSize bytes, never
// splitting a UTF-8 sequence, since a half rune would not survive JSON
// encoding.
func fragments(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for len(s) > 0 {
			n := min(jsonFragmentSize, len(s))
			for n < len(s) && !utf8.RuneStart(s[n]) {
				n++
			}
			if !yield(s[:n]) {
				return
			}
			s = s[n:]
		}
	}
}

func count(seq iter.Seq[string]) int {
	n := 0
	for range seq {
		n++
	}
	return n
}

// perMessageTokens is the framing OpenAI charges for each message.
const perMessageTokens = 3

// promptTokens estimates the tokens of a request's messages and tools.
func promptTokens(req Request) int {
	n := perMessageTokens // priming of the reply
	for _, m := range req.Messages {
		n += perMessageTokens + count(words(m.Content)) + count(words(m.Name))
		for _, c := range m.ToolCalls {
			n += count(words(c.Name)) + count(fragments(c.Arguments))
		}
	}
	if req.toolTokensKnown {
		return n + req.toolTokens
	}
	return n + toolTokens(req.Tools)
}

// toolTokens estimates the tokens of a request's tools.
func toolTokens(tools []ToolDef) int {
	n := 0
	for _, t := range tools {
		n += count(words(t.Name)) + count(words(t.Description)) + count(fragments(string(t.Parameters)))
	}
	return n
}

// completionTokens counts a reply the way stream sends it: one per word of
// text, one per call for its name, one per argument fragment.
func completionTokens(text string, calls []ToolCall) int {
	n := count(words(text))
	for _, c := range calls {
		n += 1 + count(fragments(c.Arguments))
	}
	return n
}
