package guardrails

import (
	"strings"
	"testing"
)

// bannedHits returns the rule ids of the banned phrases CheckOutput finds.
func bannedHits(c *Checker, text, locale, audience string) []Violation {
	var out []Violation
	for _, v := range c.CheckOutput(text, locale, audience, Evidence{}).Violations {
		if v.Type == TypeBanned {
			out = append(out, v)
		}
	}
	return out
}

func TestBannedEvasions(t *testing.T) {
	c := newChecker(t)
	tests := []struct {
		class, text, locale, rule, span string
	}{
		{"plain", "You will get a guaranteed refund.", "en", "promise-refund-en", "guaranteed refund"},
		{"case", "You will get a GuArAnTeEd ReFuNd.", "en", "promise-refund-en", "GuArAnTeEd ReFuNd"},
		{"spaces", "You will get a g u a r a n t e e d  r e f u n d.", "en", "promise-refund-en", "g u a r a n t e e d  r e f u n d"},
		{"punctuation", "You will get a g.u.a.r.a.n.t.e.e.d refund.", "en", "promise-refund-en", "g.u.a.r.a.n.t.e.e.d refund"},
		{"hyphens", "You will get a g-u-a-r-a-n-t-e-e-d refund.", "en", "promise-refund-en", "g-u-a-r-a-n-t-e-e-d refund"},
		{"repeated letters", "You will get a guaaaaranteeeed refuuund.", "en", "promise-refund-en", "guaaaaranteeeed refuuund"},
		{"leetspeak", "You will get a gu4r4nt33d r3fund.", "en", "promise-refund-en", "gu4r4nt33d r3fund"},
		{"leet symbols", "You will get a gu@r@nteed refund.", "en", "promise-refund-en", "gu@r@nteed refund"},
		{"leet number", "You get a 1OO% refund.", "en", "promise-refund-en", "1OO% refund"},
		{"cyrillic homoglyphs", "You will get a guаrаntееd refund.", "en", "promise-refund-en", "guаrаntееd refund"},
		{"greek homoglyphs", "You will get a guαrαnteed refund.", "en", "promise-refund-en", "guαrαnteed refund"},
		{"full-width", "You will get a ｇｕａｒａｎｔｅｅｄ ｒｅｆｕｎｄ.", "en", "promise-refund-en", "ｇｕａｒａｎｔｅｅｄ ｒｅｆｕｎｄ"},
		{"math letters", "You will get a 𝐠𝐮𝐚𝐫𝐚𝐧𝐭𝐞𝐞𝐝 refund.", "en", "promise-refund-en", "𝐠𝐮𝐚𝐫𝐚𝐧𝐭𝐞𝐞𝐝 refund"},
		{"zero-width", "You will get a guar\u200banteed re\u200dfund.", "en", "promise-refund-en", "guar\u200banteed re\u200dfund"},
		{"soft hyphen", "You will get a guaran\u00adteed refund.", "en", "promise-refund-en", "guaran\u00adteed refund"},
		{"combining accents", "You will get a gúáránteed refund.", "en", "promise-refund-en", "gúáránteed refund"},
		{"phrase", "We will refund you today, no problem.", "en", "promise-refund-en", "We will refund you today"},
		{"wildcard ending", "Your order will be refunded immediately.", "en", "promise-refund-en", "refunded immediately"},
		{"blame", "Honestly, it's y o u r  f a u l t.", "en", "blame-en", "y o u r  f a u l t"},
		{"competitor", "You could try Z e n t o r r a.", "en", "competitor", "Z e n t o r r a"},
		{"internal", "The fraud-score on your account is high.", "en", "internal-terms", "fraud-score"},
		{"profanity", "Sorry, this sh1t happens.", "en", "profanity-en", "sh1t"},
		{"korean", "환불 보장해 드립니다.", "ko", "promise-refund-ko", "환불 보장"},
		{"korean spaces", "환 불 보 장 해 드립니다.", "ko", "promise-refund-ko", "환 불 보 장"},
		{"korean jamo", "ㅎㅘㄴㅂㅜㄹ ㅂㅗㅈㅏㅇ 해 드려요.", "ko", "promise-refund-ko", "ㅎㅘㄴㅂㅜㄹ ㅂㅗㅈㅏㅇ"},
		{"korean jamo split vowels", "ㅎㅗㅏㄴㅂㅜㄹ ㅂㅗㅈㅏㅇ 해 드려요.", "ko", "promise-refund-ko", "ㅎㅗㅏㄴㅂㅜㄹ ㅂㅗㅈㅏㅇ"},
		{"korean zero-width", "즉\u200b시 환\u200b불 처리해 드립니다.", "ko", "promise-refund-ko", "즉\u200b시 환\u200b불"},
		{"korean particle", "환불을 보장해 드려요.", "ko", "promise-refund-ko", "환불을 보장"},
		{"spanish", "Le ofrecemos un reembolso garantizado.", "es", "promise-refund-es", "reembolso garantizado"},
		{"spanish accents", "Es un reembolso garantízado.", "es", "promise-refund-es", "reembolso garantízado"},
		{"spanish leet", "Le damos un r33mb0ls0 g4r4nt1z4d0.", "es", "promise-refund-es", "r33mb0ls0 g4r4nt1z4d0"},
		{"russian", "Вам положен гарантированный возврат.", "ru", "promise-refund-ru", "гарантированный возврат"},
		{"russian inflection", "Оформим гарантированного возврата.", "ru", "promise-refund-ru", "гарантированного возврата"},
		{"russian latin homoglyphs", "Это гaрaнтирoвaнный вoзврaт.", "ru", "promise-refund-ru", "гaрaнтирoвaнный вoзврaт"},
		{"russian upper case", "Мы оформим ГАРАНТИРОВАННЫЙ ВОЗВРАТ.", "ru", "promise-refund-ru", "ГАРАНТИРОВАННЫЙ ВОЗВРАТ"},
		{"russian spaces", "Это г а р а н т и р о в а н н ы й  в о з в р а т.", "ru", "promise-refund-ru", "г а р а н т и р о в а н н ы й  в о з в р а т"},
		{"regex", "We promise you a full refund.", "en", "promise-refund-en", "promise you a full refund"},
	}
	for _, tt := range tests {
		t.Run(tt.class, func(t *testing.T) {
			hits := bannedHits(c, tt.text, tt.locale, "buyer")
			for _, v := range hits {
				if v.Rule == tt.rule && v.Span == tt.span {
					if tt.text[v.Start:v.End] != v.Span {
						t.Errorf("span %q does not sit at [%d:%d] of %q", v.Span, v.Start, v.End, tt.text)
					}
					return
				}
			}
			t.Errorf("CheckOutput(%q) banned = %+v, want rule %s on %q", tt.text, hits, tt.rule, tt.span)
		})
	}
}

func TestBannedCleanReplies(t *testing.T) {
	c := newChecker(t)
	clean := []struct{ text, locale string }{
		{"I'm sorry, we cannot guarantee a refund for digital downloads.", "en"},
		{"There is no guaranteed refund for items past the refund window.", "en"},
		{"It's not your fault at all; the parcel was damaged in transit.", "en"},
		{"I can't promise a refund today, but I've sent the request for review.", "en"},
		{"He'll hand the parcel to the carrier tomorrow. Hello again!", "en"},
		{"Please check the class of delivery you chose.", "en"},
		{"Your assessment is correct; the item is not as described.", "en"},
		{"Cancelling refunds the full amount you paid automatically.", "en"},
		{"The refund immediately shows as pending in your order details.", "en"},
		{"You should have received a confirmation email.", "en"},
		{"Shell, hello and help are fine words.", "en"},
		{"Your scoreboard shows 3 orders.", "en"},
		{"죄송하지만 디지털 상품은 환불을 보장해 드릴 수 없습니다.", "ko"},
		{"고객님 잘못이 아니니 걱정하지 마세요.", "ko"},
		{"즉시 확인해 드리겠습니다.", "ko"},
		{"Lo siento, no podemos garantizar un reembolso para tarjetas regalo.", "es"},
		{"No es su culpa; el paquete se dañó durante el transporte.", "es"},
		{"К сожалению, мы не можем гарантировать возврат за цифровые товары.", "ru"},
		{"Это не ваша вина, посылка повредилась в пути.", "ru"},
		{"Черта на упаковке означает линию сгиба.", "ru"},
	}
	for _, tt := range clean {
		if hits := bannedHits(c, tt.text, tt.locale, "buyer"); len(hits) > 0 {
			t.Errorf("CheckOutput(%q) banned %+v, want none", tt.text, hits)
		}
	}
}

func TestBannedAudience(t *testing.T) {
	c := newChecker(t)
	tests := []struct {
		text, audience string
		want           bool
	}{
		{"You could ask the buyer to pay me directly.", "seller", true},
		{"You could ask the buyer to pay me directly.", "buyer", false},
		{"The seller is lying about the tracking.", "buyer", true},
		{"The seller is lying about the tracking.", "seller", false},
		{"The seller is lying about the tracking.", "", true}, // unknown audience: every rule
	}
	for _, tt := range tests {
		if got := len(bannedHits(c, tt.text, "en", tt.audience)) > 0; got != tt.want {
			t.Errorf("banned(%q, audience %q) = %v, want %v", tt.text, tt.audience, got, tt.want)
		}
	}
}

func TestNoMatchAcrossSentences(t *testing.T) {
	c := newChecker(t)
	text := "Your refund is on its way and nothing is guaranteed. Refund requests take 5 business days."
	for _, v := range bannedHits(c, text, "en", "buyer") {
		t.Errorf("banned %q across a sentence end", v.Span)
	}
}

func TestFoldKeepsOffsets(t *testing.T) {
	text := "Ｈｉ\u200b thére,\n\n  ㅎㅏ 환불"
	f := fold(text)
	if !strings.HasPrefix(f.s, "hi there, ") {
		t.Errorf("fold(%q) = %q, want it to start with %q", text, f.s, "hi there, ")
	}
	for k, sp := range f.spans {
		if sp.start < 0 || int(sp.end) > len(text) || sp.start >= sp.end {
			t.Errorf("rune %d (%q) has span %v outside %q", k, f.runes[k], sp, text)
		}
	}
	c := makeCompact(f)
	if got, want := string(c.runes), "hithereㅎㅏㅎㅗㅏㄴㅂㅜㄹ"; got != want {
		t.Errorf("skeleton = %q, want %q", got, want)
	}
}
