package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// spelledNumberTranslator translates as an LLM would a buyer who spelled
// their phone number out in Korean digits: as digits.
type spelledNumberTranslator struct{}

const (
	spelledPhone = "공일공-일이삼사-오육칠팔"
	writtenPhone = "010-1234-5678"
)

func (spelledNumberTranslator) Translate(_ context.Context, text, _, target string) (string, error) {
	return "[" + target + "] " + strings.ReplaceAll(text, spelledPhone, writtenPhone), nil
}

// What a buyer types reaches a shop masked, on the live stream and in
// translation exactly as in the transcript: the email, the phone number
// and the card number (this one masked before it is stored), and a phone
// number the translation writes in digits although the buyer spelled it.
// Support reads the transcript's words on its live stream too.
func TestShopSeesPersonalDataMaskedLiveAndTranslated(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{web: func(o *web.Options) { o.Translator = spelledNumberTranslator{} }})
	// The shop's seller reads English; the buyer writes English and Korean.
	o, seller := shopOrder(t, "shop-maple", "en", demo.DeliveredRecently)
	const (
		card  = "4111 1111 1111 1111"
		email = "jo.buyer@example.com"
		phone = "+1 (555) 123-4567"
	)
	raw := []string{email, "123-4567", "4111", writtenPhone}
	c := e.dial(t, o.BuyerID)
	ready := c.hello("", 0)
	c.ask("1", "hello, it's about "+o.ID)
	sellerTok, supportTok := e.sellerToken(t, seller), e.supportToken(t, demo.SupportID)
	shopStream := sellerEvents(t, e.srv.URL, sellerTok, ready.ConversationID, 2)
	supportStream := sellerEvents(t, e.srv.URL, supportTok, ready.ConversationID, 2)
	waitEvent(t, shopStream, "ready")
	waitEvent(t, supportStream, "ready")
	c.ask("2", "about "+o.ID+": mail me at "+email+" or call "+phone+", my card "+card+" was charged twice")
	c.ask("3", o.ID+" 환불 문의, 제 번호는 "+spelledPhone+" 이고 메일은 "+email+" 입니다")

	transcript := func(tok string) map[int64]string {
		t.Helper()
		r := e.call(t, http.MethodGet, "/v1/seller/conversations/"+ready.ConversationID, tok, nil)
		var detail struct {
			Messages []frame `json:"messages"`
		}
		r.json(t, &detail)
		out := map[int64]string{}
		for _, m := range detail.Messages {
			out[m.Seq] = m.Text
		}
		return out
	}
	// live reads the stream's messages up to the last of the transcript.
	live := func(stream <-chan [2]string, last int64) map[int64]string {
		t.Helper()
		out := map[int64]string{}
		for len(out) == 0 || out[last] == "" {
			var m frame
			if err := json.Unmarshal([]byte(waitEvent(t, stream, "message")), &m); err != nil {
				t.Fatal(err)
			}
			out[m.Seq] = m.Text
		}
		return out
	}
	for _, who := range []struct {
		name       string
		tok        string
		stream     <-chan [2]string
		sharesMail bool
	}{{"the shop", sellerTok, shopStream, false}, {"support", supportTok, supportStream, true}} {
		want := transcript(who.tok)
		got := live(who.stream, int64(len(want)))
		for seq := int64(3); seq <= int64(len(want)); seq++ {
			if got[seq] != want[seq] {
				t.Errorf("%s's live message %d = %q, want it as in the transcript, %q", who.name, seq, got[seq], want[seq])
			}
		}
		if strings.Contains(want[3], email) != who.sharesMail || strings.Contains(want[3], "4111") {
			t.Errorf("%s reads the buyer's message as %q", who.name, want[3])
		}
	}

	shop := transcript(sellerTok)
	for _, want := range []string{"[EMAIL]", "[PHONE]", "[CARD]"} {
		if !strings.Contains(shop[3], want) {
			t.Errorf("the shop reads %q, want %s in it", shop[3], want)
		}
	}
	r := e.call(t, http.MethodPost, "/v1/seller/conversations/"+ready.ConversationID+"/translate", sellerTok, nil)
	var tr struct {
		Translations []struct {
			Seq  int64  `json:"seq"`
			Text string `json:"text"`
		} `json:"translations"`
	}
	r.json(t, &tr)
	if r.status != http.StatusOK || len(tr.Translations) != len(shop) {
		t.Fatalf("translate = %d %s, want the %d messages of the transcript", r.status, r.body, len(shop))
	}
	for _, m := range tr.Translations {
		for _, s := range raw {
			if strings.Contains(m.Text, s) {
				t.Errorf("the shop's translation of message %d shows %q: %q", m.Seq, s, m.Text)
			}
		}
	}
	if korean := tr.Translations[len(tr.Translations)-2]; !strings.Contains(korean.Text, "[PHONE]") {
		t.Errorf("the translated Korean message %d = %q, want its phone number as [PHONE]", korean.Seq, korean.Text)
	}
}
