package guardrails

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// normalizeSeeds are texts that exercise each rule of the normaliser:
// look-alike scripts, compatibility forms, spacing and leetspeak tricks,
// Hangul, combining marks, and broken UTF-8.
var normalizeSeeds = []string{
	"",
	"Guaranteed REFUND",
	"g u a r a n t e e d   r e f u n d",
	"g.u.a.r.a.n.t.e.e.d",
	"guaaaaranteed gu4r4nt33d 1OO% refund",
	"rеfund with a Cyrillic е",
	"вoзвpaт с латинскими буквами",
	"ＦＵＬＬ－ＷＩＤＴＨ　ｒｅｆｕｎｄ",
	"ﬁnal ﬂight 𝐠𝐮𝐚𝐫𝐚𝐧𝐭𝐞𝐞𝐝",
	"re\u200bfu\u00adnd\ufeff",
	"e\u0301\u0302\u0303 a\u20dd",
	"환 불 보 장",
	"ㅎㅘㄴ 불 환",
	"“quoted” — ‘dash’ – ‐",
	"line one.\nLine two!  \t tab",
	"\xff\xfe broken \xc3",
	"\uFFFD literal replacement",
	"İstanbul ẞ Ω K Å",
	"¨ ´ ˜ spacing marks",
	"$5 €10 ₩3000 #1 @home l!ar |",
	"ﾊﾝｶｸ ｶﾀｶﾅ ㍿ ㈱",
}

// fuzzTexts adds the texts of the guardrail evaluation sets to f's corpus,
// so the fuzzer starts from the phrasings the rules were written against.
func fuzzTexts(f *testing.F) {
	f.Helper()
	for _, s := range normalizeSeeds {
		f.Add(s)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		fh, err := os.Open(name)
		if err != nil {
			f.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for n := 0; sc.Scan() && n < 40; n++ {
			var row struct {
				Text string `json:"text"`
			}
			if json.Unmarshal(sc.Bytes(), &row) == nil && row.Text != "" {
				f.Add(row.Text)
			}
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			f.Fatalf("read %s: %v", name, err)
		}
	}
}

// FuzzNormalize checks the text normaliser on any input: it never panics,
// its folded view is valid UTF-8 and folding it again changes nothing (a
// rule compiled from folded text must match the folded text it came from),
// and every rune of both views points back into the original text, which
// is how a match is reported as a span of the reply.
func FuzzNormalize(f *testing.F) {
	fuzzTexts(f)
	f.Fuzz(func(t *testing.T, text string) {
		fv := fold(text)
		if !utf8.ValidString(fv.s) {
			t.Fatalf("fold(%q) = %q, not valid UTF-8", text, fv.s)
		}
		if again := foldString(fv.s); again != fv.s {
			t.Fatalf("fold is not idempotent: fold(%q) = %q, folded again %q", text, fv.s, again)
		}
		if len(fv.spans) != len(fv.runes) || len(fv.off) != len(fv.runes)+1 {
			t.Fatalf("fold(%q): %d runes, %d spans, %d offsets", text, len(fv.runes), len(fv.spans), len(fv.off))
		}
		inText := func(view string, sp span) {
			if sp.start < 0 || sp.start > sp.end || int(sp.end) > len(text) {
				t.Fatalf("%s view of %q has span %v outside the text (%d bytes)", view, text, sp, len(text))
			}
		}
		for _, sp := range fv.spans {
			inText("folded", sp)
		}
		for i := 0; i <= len(fv.s); i++ {
			if i > 0 && len(fv.runes) > 0 {
				inText("folded origin", fv.origin(0, i))
			}
		}
		c := makeCompact(fv)
		if len(c.spans) != len(c.runes) || len(c.flags) != len(c.runes) {
			t.Fatalf("compact(%q): %d runes, %d spans, %d flags", text, len(c.runes), len(c.spans), len(c.flags))
		}
		for _, sp := range c.spans {
			inText("compact", sp)
		}
		if !utf8.ValidString(string(c.runes)) {
			t.Fatalf("compact(%q) = %q, not valid UTF-8", text, string(c.runes))
		}
	})
}
