package litgate

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// Runes that (?i) matches as equal fold to the same rune, and a text is
// folded rune by rune.
func TestFold(t *testing.T) {
	// Every rune with another case lies below U+20000 (the last, Adlam,
	// ends at U+1E943).
	for r := rune(0); r < 0x20000; r++ {
		if f := unicode.SimpleFold(r); foldRune(f) != foldRune(r) {
			t.Fatalf("%U folds to %U, its fold %U to %U", r, foldRune(r), f, foldRune(f))
		}
	}
	for _, c := range []struct{ in, want string }{
		{"Is it DONE?", "IS IT DONE?"},
		{"\u212Aelvin ſorted", "KELVIN SORTED"},
		{"ВСЁ сделано?", "ВСЁ СДЕЛАНО?"},
		{"다 처리됐나요", "다 처리됐나요"},
		{"ya está HECHO", "YA ESTÁ HECHO"},
		{"bad \xff byte", "BAD \xff BYTE"},
	} {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLiterals(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    []string // nil: the pattern always runs
	}{
		{`(?i)\bis\s+it\s+done\b`, []string{"DONE"}},
		{`(?i)(?:done|finished)`, []string{"DONE", "FINISHED"}},
		{`done|\d+`, nil},
		{`(?i)all\s+(?:done)?`, []string{"ALL"}},
		{`(?i)сделано\s*\?`, []string{"СДЕЛАНО"}},
		{`x*`, nil},
	} {
		got := Literals(c.pattern)
		slices.Sort(got)
		slices.Sort(c.want)
		if !slices.Equal(got, c.want) {
			t.Errorf("Literals(%q) = %q, want %q", c.pattern, got, c.want)
		}
	}
}

// The exact literals are those a case-sensitive match needs as written; a
// case-folded literal names none.
func TestExactLiterals(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    []string // nil: the pattern always runs
	}{
		{`refund`, []string{"refund"}},
		{`\b(guarantee|promise)s? (you )?(a |the |your )?(full )?refund`, []string{"guarantee", "promise"}},
		{`\brefund\w* (is|are) (100% |fully )?guaranteed`, []string{"guaranteed"}},
		{`(?i)refund`, nil},             // case-folded: matches "REFUND"
		{`refund|\d+`, nil},             // a branch without a literal
		{`(?:refund)?\d+`, nil},         // an optional literal
		{`(?:ab){2,}c`, []string{"ab"}}, // a repeat of at least one
		{`\+\d{1,3}`, []string{"+"}},
		{`[6789]\d{2}`, nil},
		{`(`, nil}, // not a pattern
	} {
		if got := ExactLiterals(c.pattern); !slices.Equal(got, c.want) {
			t.Errorf("ExactLiterals(%q) = %q, want %q", c.pattern, got, c.want)
		}
	}
	g := Exact(regexp.MustCompile(`guaranteed`))
	if g.MayMatch("GUARANTEED") || !g.MayMatch("it is guaranteed") {
		t.Error("an exact gate must compare the text as it is")
	}
}

// The gate never skips a text its pattern matches: texts built from the
// pattern's own words, in mixed case and with the case-folding oddities,
// are matched through the gate exactly as without it.
func TestGateNeverSkipsAMatch(t *testing.T) {
	re := regexp.MustCompile(`(?i)(?:\b(?:is|are)\s+(?:it|that|everything)(?:\s+\w+){0,2}\s+(?:done|sorted|taken care of)\b` +
		`|(?:^|[^\p{L}])(?:вс[её]|оба)\s+(?:уже\s+)?(?:сделано|готово)` +
		`|(?:^|\s)(?:다|모두)\s*(?:처리|완료)?\s*(?:됐|된)[^.!]*(?:[?？]|나요)` +
		`|\b(?:todo|ya)\s+(?:est[aá])?\s*(?:hech[oa]s?|listos?))`)
	g := New(re)
	if g.need == nil {
		t.Fatal("the pattern gave no literals: the test tests nothing")
	}
	words := []string{"is", "are", "it", "that", "everything", "all", "done", "sorted", "taken", "care", "of",
		"всё", "все", "оба", "уже", "сделано", "готово", "다", "모두", "처리", "완료", "됐", "된", "나요", "?", "？",
		"todo", "ya", "está", "esta", "hecho", "hechas", "listo", "really", "ſorted", "\u212Aelvin", "DONE", "Está", "\xff", "order", "ORD-10001"}
	rng := rand.New(rand.NewPCG(1, 2))
	seps := []string{" ", "  ", "\n", "", ".", "!"}
	matched := 0
	for range 100000 {
		var b strings.Builder
		for range 1 + rng.IntN(7) {
			w := words[rng.IntN(len(words))]
			switch rng.IntN(3) {
			case 0:
				w = strings.ToUpper(w)
			case 1:
				w = strings.ToTitle(w)
			}
			b.WriteString(w)
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		s := b.String()
		want := re.MatchString(s)
		if want {
			matched++
		}
		if got := g.MatchString(s); got != want {
			t.Fatalf("%q: gated match %v, pattern %v", s, got, want)
		}
	}
	if matched < 1000 {
		t.Errorf("only %d of the texts matched: the test tests little", matched)
	}
}

func FuzzGate(f *testing.F) {
	re := regexp.MustCompile(`(?i)\b(?:is|are)\s+(?:it|all)\s+(?:done|sorted)\b|(?:^|\s)(?:다|모두)\s*(?:됐|된)|вс[её]\s+готово`)
	g := New(re)
	for _, s := range []string{"is it done", "IS ALL ſorted", "다 됐", "ВСЕ ГОТОВО", "nothing"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := g.MatchString(s), re.MatchString(s); got != want {
			t.Fatalf("%q: gated match %v, pattern %v", s, got, want)
		}
	})
}
