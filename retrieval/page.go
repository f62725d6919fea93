package retrieval

import (
	"strings"
	"unicode"
)

// PageURL is the address of a policy document's page as the web server
// serves it, /policies/{doc}/{locale}, with the section's anchor when
// heading is not empty. Citations link here.
func PageURL(doc, locale, heading string) string {
	u := "/policies/" + doc + "/" + locale
	if heading != "" {
		u += "#" + Anchor(heading)
	}
	return u
}

// Anchor is a heading's id on its policy page: lower-case letters and
// digits of any script, runs of anything else as one hyphen. The chat page
// computes the same id from a citation's heading (web/assets/common.js,
// slug); the web tests follow a citation's URL to its anchor to keep the
// two in step.
func Anchor(text string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(text) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "section"
	}
	return b.String()
}
