package local

import (
	"strings"
	"testing"
)

// Every reply of orderLines has the four languages with the same
// placeholders, so no buyer gets a reply missing a fact or in English.
func TestOrderLinesHaveEveryLanguage(t *testing.T) {
	for key, langs := range orderLines {
		en := langs["en"]
		for _, l := range []string{"en", "ko", "es", "ru"} {
			s, ok := langs[l]
			if !ok {
				t.Errorf("%s: no %s", key, l)
				continue
			}
			if strings.Count(s, "%s") != strings.Count(en, "%s") || strings.Count(s, "%d") != strings.Count(en, "%d") {
				t.Errorf("%s/%s has other placeholders than English: %q", key, l, s)
			}
		}
	}
}
