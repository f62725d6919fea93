package guardrails

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// featuresByHash is features as it was written through hash/fnv's
// interface, the reference the inline hashing is held to.
func featuresByHash(text string) []uint32 {
	f := fold(text)
	rs := featureRunes(f)
	mask := uint32(1)<<classifierBits - 1
	out := make([]uint32, 0, len(rs)*4)
	h := fnv.New32a()
	hash := func(kind byte, rr []rune) {
		h.Reset()
		var b [4]byte
		b[0] = kind
		h.Write(b[:1])
		for _, r := range rr {
			b[0], b[1], b[2], b[3] = byte(r), byte(r>>8), byte(r>>16), byte(r>>24)
			h.Write(b[:])
		}
		out = append(out, h.Sum32()&mask)
	}
	for n := 3; n <= 5; n++ {
		for i := 0; i+n <= len(rs); i++ {
			hash(byte(n), rs[i:i+n])
		}
	}
	words := strings.Fields(string(rs))
	for i, w := range words {
		hash('w', []rune(w))
		if i+1 < len(words) {
			hash('b', []rune(w+" "+words[i+1]))
		}
	}
	sk := makeCompact(f).runes
	for i := 0; i+4 <= len(sk); i++ {
		hash('s', sk[i:i+4])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// The classifier's features, hashed inline, are the ones hash/fnv gave:
// on every training example and on random mixes of the four languages,
// leetspeak, spacing, invalid UTF-8 and symbols. The classifier's scores
// and so every input verdict are unchanged.
func TestFeaturesMatchFNV(t *testing.T) {
	exs, err := parseExamples(injectionTrain)
	if err != nil {
		t.Fatal(err)
	}
	texts := make([]string, 0, len(exs)+20000)
	for _, ex := range exs {
		texts = append(texts, ex.Text)
	}
	pieces := []string{"ignore", " all ", "previous", "instructions", "1gn0r3", "i g n o r e", "이전 지시를 무시하고", "игнорируй", "instrucciones",
		"ORD-10042", "\xff", "🙂", "\u2028", "_", "--", "Where is my order?", "ſ", "\u212A", "  ", "\n", "ё", "ñ"}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		if got, want := features(s), featuresByHash(s); !slices.Equal(got, want) {
			t.Fatalf("features(%q) = %v, want %v", s, got, want)
		}
	}
}

// BenchmarkInputCheck checks a bench buyer's order question.
func BenchmarkInputCheck(b *testing.B) {
	c, err := New(DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c.CheckInput("can you check order ORD-10042 for me [ref:r1234]", "en")
	}
}
