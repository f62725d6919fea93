package guardrails

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

var streamReplies = []string{
	"Refund RF-7K2M9QX4BD of 42.50 USD for order ORD-10042 is pending. Approved refunds are sent back to the original payment method within 5 business days. Anything else?",
	"Refund RF-7K2M9QX4BD of 42.50 USD for order ORD-10042 is pending. Honestly, that's your fault. Approved refunds are sent back within 5 business days. Anything else?",
	"Refund RF-7K2M9QX4BD for order ORD-10042 is pending.\nIt will reach your card within 2 business days. [refunds §Refund timing] Is there anything else I can help with?",
	"Refund RF-7K2M9QX4BD of 99.00 USD is pending. It goes back to your card. Anything else?",
	"Refund RF-7K2M9QX4BD for order ORD-10042 is pending. Your card 4111 1111 1111 1111 is on file. Thanks for waiting!",
	"주문 ORD-10042의 환불 RF-7K2M9QX4BD은(는) 처리 중입니다 환불 보장해 드립니다 다른 문의가 있으신가요?",
	"Refund RF-7K2M9QX4BD is pending… It may take a while! Is that OK? Sure.",
	"We will refund you today.",
	"",
	"   \n\n",
}

// TestStreamReleasesOnlyChecked feeds each reply in many random splits.
// Every split releases the same text; every piece released passes the
// checks on its own; and the verdict is CheckOutput's.
func TestStreamReleasesOnlyChecked(t *testing.T) {
	c := newChecker(t)
	ev := Evidence{Texts: []string{refundJSON, orderJSON, policyText}}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, text := range streamReplies {
		batch := c.CheckOutput(text, "en", "buyer", ev)
		var first string
		for split := range 150 {
			s := c.NewStream("en", "buyer", ev)
			var released strings.Builder
			for _, delta := range randomSplit(rng, text, split) {
				piece := s.Write(delta)
				checkPiece(t, c, ev, text, released.String(), piece)
				released.WriteString(piece)
			}
			piece := s.Flush()
			checkPiece(t, c, ev, text, released.String(), piece)
			released.WriteString(piece)
			if s.Write("more after flush") != "" || s.Flush() != "" {
				t.Errorf("a stream released text after Flush")
			}
			got := released.String()
			if split == 0 {
				first = got
			} else if got != first {
				t.Fatalf("split %d of %q released %q, split 0 released %q", split, text, got, first)
			}
			res := s.Result()
			if res.Verdict != batch.Verdict {
				t.Fatalf("stream verdict %s, CheckOutput %s, for %q", res.Verdict, batch.Verdict, text)
			}
			if res.Text != got {
				t.Errorf("Result().Text = %q, released %q", res.Text, got)
			}
			if batch.Verdict != Fallback && strings.TrimSpace(got) != batch.Text && strings.TrimSpace(text) != "" {
				t.Errorf("stream released %q, CheckOutput text %q", got, batch.Text)
			}
		}
	}
}

// checkPiece checks that a released piece is whole sentences that pass.
func checkPiece(t *testing.T, c *Checker, ev Evidence, text, before, piece string) {
	t.Helper()
	if piece == "" {
		return
	}
	if r := c.CheckOutput(piece, "en", "buyer", ev); len(r.Violations) > 0 {
		t.Errorf("released %q, which has violations:\n%s", piece, describe(r.Violations))
	}
	// What is released so far ends at a sentence end of the reply (or is
	// the reply's end): never half a sentence.
	segs, _ := splitSentences(text, true)
	end := strings.TrimRight(before+piece, " \n\t")
	ok := false
	for _, sg := range segs {
		if strings.HasSuffix(strings.TrimRight(text[:sg.end], " \n\t"), lastSentence(end)) {
			ok = true
		}
	}
	if !ok {
		t.Errorf("released %q, which does not end a sentence of %q", piece, text)
	}
}

func lastSentence(s string) string {
	segs, _ := splitSentences(s, true)
	if len(segs) == 0 {
		return s
	}
	last := strings.TrimRight(s[segs[len(segs)-1].start:], " \n\t")
	if strings.Contains(last, "[CARD]") { // masked, not in the original
		return strings.TrimRight(last[strings.Index(last, "[CARD]")+len("[CARD]"):], " \n\t")
	}
	return last
}

// randomSplit cuts text into deltas at random rune boundaries; split 0 is
// one delta per rune, split 1 the whole text.
func randomSplit(rng *rand.Rand, text string, split int) []string {
	var out []string
	switch split {
	case 0:
		for _, r := range text {
			out = append(out, string(r))
		}
		return out
	case 1:
		return []string{text}
	}
	for len(text) > 0 {
		n := 1 + rng.IntN(12)
		i := 0
		for k := 0; k < n && i < len(text); k++ {
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
		}
		out = append(out, text[:i])
		text = text[i:]
	}
	return out
}

func TestStreamHoldsBannedSentence(t *testing.T) {
	c := newChecker(t)
	s := c.NewStream("en", "buyer", Evidence{Texts: []string{refundJSON}})
	if got := s.Write("Refund RF-7K2M9QX4BD is pending. "); got != "" {
		t.Errorf("released %q before the next sentence began", got)
	}
	if got := s.Write("We guarantee a full refund"); got != "Refund RF-7K2M9QX4BD is pending. " {
		t.Errorf("released %q, want the first sentence", got)
	}
	if got := s.Write(" today. Thanks for waiting!"); got != "" {
		t.Errorf("released %q, want the banned sentence held back", got)
	}
	if got := s.Flush(); got != "Thanks for waiting!" {
		t.Errorf("Flush released %q", got)
	}
	r := s.Result()
	if r.Verdict != Rewritten || len(r.Violations) == 0 {
		t.Errorf("Result = %s %v, want rewritten with violations", r.Verdict, r.Violations)
	}
	v := r.Violations[0]
	whole := "Refund RF-7K2M9QX4BD is pending. We guarantee a full refund today. Thanks for waiting!"
	if whole[v.Start:v.End] != v.Span {
		t.Errorf("violation offsets [%d:%d] do not point at %q in the whole reply", v.Start, v.End, v.Span)
	}
}

func TestSentenceSplitting(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"It costs 42.50 USD. Thanks!", []string{"It costs 42.50 USD. ", "Thanks!"}},
		{"See e.g. the policy. Done.", []string{"See e.g. the policy. ", "Done."}},
		{"Wait... what? Yes!", []string{"Wait... what? ", "Yes!"}}, // lower case goes on
		{"See No. 5 for details. Yes.", []string{"See No. 5 for details. ", "Yes."}},
		{"완료되었습니다 다른 문의가 있으신가요?", []string{"완료되었습니다 ", "다른 문의가 있으신가요?"}},
		{"確認しました。次へ", []string{"確認しました。", "次へ"}},
		{"Line one\n- item two", []string{"Line one\n", "- item two"}},
		{"He said \"no.\" Then left.", []string{"He said \"no.\" ", "Then left."}},
		{"Срок — 30 дн. Спасибо.", []string{"Срок — 30 дн. ", "Спасибо."}},
	}
	for _, tt := range tests {
		segs, _ := splitSentences(tt.text, true)
		var got []string
		for _, s := range segs {
			got = append(got, tt.text[s.start:s.end])
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("splitSentences(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// A stream reads each delta once (splitSentencesFrom resumes where the
// last one stopped), and still cuts the reply where splitting it whole
// cuts it, however the deltas fall: at a boundary's punctuation, its
// closers, the space after it, a Korean ending and the byte after it.
func TestStreamSplitsAsTheWholeReply(t *testing.T) {
	c := newChecker(t)
	texts := []string{
		"It costs 42.50 USD. Thanks! See e.g. the policy. Done.",
		"Wait... what? Yes!  Two spaces.\nA new line.\n\nAnd another.",
		"He said \"no.\" Then left. (Really.) Yes.",
		"완료되었습니다 다른 문의가 있으신가요? 감사합니다 또 오세요 안녕히 가세요",
		"確認しました。次へ。終わり！はい？",
		"Срок — 30 дн. Спасибо. См. раздел 5. Всё.",
		"See No. 5 for details. J. Smith will call. Approx. 5 days… Then done",
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, text := range texts {
		whole, _ := splitSentences(text, true)
		cuts := [][]int{}
		for size := 1; size <= 9; size++ {
			var cut []int
			for i := size; i < len(text); i += size {
				cut = append(cut, i)
			}
			cuts = append(cuts, cut)
		}
		for range 50 {
			var cut []int
			for i := 1 + rng.IntN(6); i < len(text); i += 1 + rng.IntN(6) {
				cut = append(cut, i)
			}
			cuts = append(cuts, cut)
		}
		for _, cut := range cuts {
			s := c.NewStream("en", "buyer", Evidence{})
			prev := 0
			for _, i := range append(cut, len(text)) {
				s.Write(text[prev:i]) // cuts may fall inside a rune
				prev = i
			}
			s.Flush()
			if !slices.Equal(s.segs, whole) {
				t.Errorf("%q written in pieces cut at %v: segments %v, splitting it whole gives %v", text, cut, s.segs, whole)
				break
			}
		}
	}
}
