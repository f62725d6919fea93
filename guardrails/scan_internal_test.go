package guardrails

import (
	"encoding/json"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// decodedStrings is what jsonStrings read before it scanned: the string
// values of the decoded JSON that have a space.
func decodedStrings(text string) []string {
	var out []string
	if !strings.Contains(text, " ") {
		return nil
	}
	var v any
	if json.Unmarshal([]byte(text), &v) != nil {
		return nil
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if strings.Contains(x, " ") {
				out = append(out, x)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		case map[string]any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(v)
	return out
}

// TestJSONStringsMatchesDecoding holds the scanner to what decoding the
// JSON yields: the same string values (keys never), escapes and invalid
// UTF-8 read as encoding/json reads them, nothing from text that is not
// JSON.
func TestJSONStringsMatchesDecoding(t *testing.T) {
	for _, text := range []string{
		orderJSON, refundJSON, disputeJSON,
		`{"ok":true,"data":{"order_id":"ORD-10042","status":"paid"},"summary":"Order ORD-10042 is paid but has not shipped yet."}`,
		`{"a key with spaces":"value with spaces","b":["x y", "z", {"c" : "deep  value"}], "d" : "no"}`,
		`{"escaped":"a \"quoted\" word\nand a line","unicode":"caf\u00e9 ol\u00e9","space\u0020escape":"x\u0020y","tab":"a\tb c"}`,
		`["top level array", "of strings", 1, true, null, {"k":"v w"}]`,
		`"just a string with spaces"`,
		"{\"bad utf8\":\"caf\xe9 au lait\"}",
		`  {"lead":"and trailing space"}  `,
		`{"cut":"a result cut to fi`,
		`not json at all, with spaces`,
		`{"a":"x y"} {"b":"second value"}`,
		`{"empty":"", "colon":"a: b", "brace":"{not: an object}"}`,
	} {
		var got []string
		jsonStrings(text, func(s string) { got = append(got, s) })
		want := decodedStrings(text)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("jsonStrings(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestOrderIDsMatchesPattern holds the order id scanner to the pattern it
// replaced (orderRE on the lower-cased text, a word boundary before it),
// over hand-picked texts and random ones built from the characters that
// matter.
func TestOrderIDsMatchesPattern(t *testing.T) {
	re := regexp.MustCompile(`ord[-_ ]?(\d{5})\b`)
	want := func(text string) []string {
		if !strings.Contains(text, "ORD") && !strings.Contains(text, "ord") && !strings.Contains(text, "Ord") {
			return nil
		}
		low := lowerSameLen(text)
		var out []string
		for _, l := range re.FindAllStringIndex(low, -1) {
			if l[0] > 0 && isWordByte(low[l[0]-1]) {
				continue
			}
			if id := "ORD-" + re.FindStringSubmatch(low[l[0]:l[1]])[1]; !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
		return out
	}
	texts := []string{
		"ORD-10042", "ord 10042 and ORD_10043, Ord10044.", "xORD-10042", "ORD-100421", "ORD-1004", "ORD--10042",
		"ORD-10042x", "ORD-10042_", "ORD-10042-2", "ÖRD-10042 ORD-10042é", "заказ ORD-10042", "ORD-10042ORD-10043",
		"oRd-10042", "ORD-10042 ORD-10042", "ORD", "ord-", "ORD 1234 ORD 12345",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"o", "O", "r", "R", "d", "D", "-", "_", " ", "0", "1", "5", "9", "a", "x", "é", "Ö", ".", "ORD", "ord-"}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(24) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		texts = append(texts, b.String())
	}
	for _, text := range texts {
		if got, want := orderIDs(text), want(text); !slices.Equal(got, want) {
			t.Fatalf("orderIDs(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestLowerSameLenAndAlnumUpper checks the two byte-level fast paths
// against the rune loops they replaced.
func TestLowerSameLenAndAlnumUpper(t *testing.T) {
	for _, s := range []string{"", "already lower 123", "Mixed Case", "ÀÉÎ straße ПРИВЕТ", "tail Ä", "\xff\xfe bad UTF-8 A", "한국어 ABC", "İstanbul K"} {
		b := []byte(s)
		var up strings.Builder
		for i, r := range s {
			switch {
			case r >= 'A' && r <= 'Z':
				b[i] += 'a' - 'A'
			case r >= utf8.RuneSelf:
				if l := unicode.ToLower(r); l != r && utf8.RuneLen(l) == utf8.RuneLen(r) {
					utf8.EncodeRune(b[i:], l)
				}
			}
			if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				up.WriteRune(unicode.ToUpper(r))
			}
		}
		if got := lowerSameLen(s); got != string(b) {
			t.Errorf("lowerSameLen(%q) = %q, want %q", s, got, b)
		}
		if got := alnumUpper(s); got != up.String() {
			t.Errorf("alnumUpper(%q) = %q, want %q", s, got, up.String())
		}
	}
}

// TestTextCache: a text's facts are read once per locale and are what
// reading the text afresh gives; checks through a Checker's cache decide
// as checks without one.
func TestTextCache(t *testing.T) {
	c := newTextCache()
	summary := `{"ok":true,"data":{"order_id":"ORD-10002","status":"paid"},"summary":"Order ORD-10002 is paid but has not shipped yet."}`
	list := `{"ok":true,"data":{"orders":[{"order_id":"ORD-10001","status":"shipped"},{"order_id":"ORD-10002","status":"paid"}]}}`
	for _, text := range []string{summary, list, orderJSON, policyText} {
		f := c.facts(text, "en")
		if c.facts(text, "en") != f || c.facts(text, "ko") == f {
			t.Errorf("facts(%.40q): want one entry per text and locale", text)
		}
		fresh := &textFacts{text: text, locale: "en"}
		if !slices.EqualFunc(f.fragments(), fresh.fragments(), func(a, b fragment) bool { return a.text == b.text && slices.Equal(a.orders, b.orders) }) ||
			!slices.Equal(f.proseStates(), fresh.proseStates()) || f.idBlob() != alnumUpper(text) {
			t.Errorf("facts(%.40q) cached = %v %v, want %v %v", text, f.fragments(), f.proseStates(), fresh.fragments(), fresh.proseStates())
		}
	}
	checker, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	uncached, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	uncached.texts = nil
	ev := Evidence{Texts: []string{summary, list, orderJSON, refundJSON, policyText}}
	for _, reply := range []string{
		"Order ORD-10002 is paid but has not shipped yet. Is there anything else?",
		"Order ORD-10002 has shipped.", benchReply,
	} {
		for range 2 { // the second time from the cache
			got, want := checker.CheckOutput(reply, "en", "buyer", ev), uncached.CheckOutput(reply, "en", "buyer", ev)
			if got.Verdict != want.Verdict || got.Text != want.Text || len(got.Violations) != len(want.Violations) {
				t.Errorf("CheckOutput(%q) with the cache = %s %q %v, without = %s %q %v", reply, got.Verdict, got.Text, got.Violations, want.Verdict, want.Text, want.Violations)
			}
		}
	}
}

// The evidence's id blob, built from its texts' own blobs, is the blob of
// its texts as one (alnumUpper of the joined text), scoped or not, with a
// cache and without.
func TestIDBlobIsTheJoinedTexts(t *testing.T) {
	texts := []string{orderJSON, refundJSON, policyText, "ORD-1", "0001 tracking 1Z999", "", "한국어 ORD-10003 주문"}
	for _, cache := range []*textCache{nil, newTextCache()} {
		for n := range len(texts) + 1 {
			e := newEvidence(Evidence{Texts: texts[:n]}, "en", cache)
			if got, want := e.idBlob(), alnumUpper(e.raw()); got != want {
				t.Errorf("%d texts: blob %q, want %q", n, got, want)
			}
			s := e.forOrders([]string{"ORD-10001"})
			if got, want := s.idBlob(), alnumUpper(s.raw()); got != want {
				t.Errorf("%d texts, scoped: blob %q, want %q", n, got, want)
			}
		}
	}
}
