package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools/demo"
)

// citation is a message frame's citation as a client reads it.
type citation struct {
	DocID       string `json:"doc_id"`
	Locale      string `json:"locale"`
	Heading     string `json:"heading"`
	HeadingPath string `json:"heading_path"`
	URL         string `json:"url"`
}

func citationsOf(t *testing.T, f frame) []citation {
	t.Helper()
	var cs []citation
	if err := json.Unmarshal(f.Citations, &cs); err != nil {
		t.Fatalf("citations %s: %v", f.Citations, err)
	}
	return cs
}

// buyerIn returns a demo buyer whose language is locale.
func buyerIn(t *testing.T, locale string) string {
	t.Helper()
	for i := range demo.Buyers {
		if demo.BuyerLocale(i) == locale {
			return demo.BuyerID(i)
		}
	}
	t.Fatalf("no demo buyer speaks %s", locale)
	return ""
}

// checkCitation checks that reply cites doc in locale, in its text and in
// its citations, and that the citation's link opens the policy page at the
// cited section.
func (e *env) checkCitation(t *testing.T, reply frame, doc, locale string) {
	t.Helper()
	cs := citationsOf(t, reply)
	if len(cs) == 0 {
		t.Fatalf("reply %q has no citations, want one of %s", reply.Text, doc)
	}
	c := cs[0]
	if c.DocID != doc || c.Locale != locale || c.Heading == "" || !strings.HasSuffix(c.HeadingPath, c.Heading) {
		t.Errorf("citation %+v, want the %s policy in %s", c, doc, locale)
	}
	if !strings.Contains(reply.Text, "["+doc+" §"+c.Heading+"]") {
		t.Errorf("reply %q does not cite [%s §%s] as its citations say", reply.Text, doc, c.Heading)
	}
	page, anchor, ok := strings.Cut(c.URL, "#")
	if !ok || page != "/policies/"+doc+"/"+locale || anchor == "" {
		t.Fatalf("citation URL %q, want /policies/%s/%s#section", c.URL, doc, locale)
	}
	res := e.call(t, http.MethodGet, page, "", nil)
	if res.status != http.StatusOK || !strings.Contains(string(res.body), `id="`+anchor+`"`) {
		t.Errorf("GET %s = %d; the page has no section %q", c.URL, res.status, anchor)
	}
}

// The local model answers policy questions in each language from the
// policy passage it found, and the message frame carries the citation,
// linked to the section on the policy page.
func TestLocalModelAnswersPolicyQuestionsWithCitations(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{policies: true})
	tests := []struct {
		locale, question, doc string
	}{
		{"en", "Who pays for return shipping?", "refunds"},
		{"en", "How long do I have to open a dispute?", "disputes"},
		{"ko", "반품 배송비는 누가 내나요?", "refunds"},
		{"es", "¿Quién paga el envío de la devolución?", "refunds"},
		{"ru", "Кто оплачивает обратную доставку при возврате?", "refunds"},
	}
	for i, tt := range tests {
		t.Run(tt.locale+"/"+tt.doc, func(t *testing.T) {
			c := e.dial(t, buyerIn(t, tt.locale))
			ready := c.hello("", 0)
			reply, before := c.ask("p"+string(rune('a'+i)), tt.question)
			if !slices.ContainsFunc(before, func(f frame) bool { return f.Type == "tool" && f.Name == "search_policy" && f.Status == "done" }) {
				t.Errorf("frames before the reply %+v, want search_policy done", before)
			}
			e.checkCitation(t, reply, tt.doc, tt.locale)
			// On replay the stored message carries the same citations.
			r := e.dial(t, buyerIn(t, tt.locale))
			r.hello(ready.ConversationID, 0)
			for _, m := range r.messages(2) {
				if m.Role == "assistant" && !slices.Equal(citationsOf(t, m), citationsOf(t, reply)) {
					t.Errorf("replayed citations %s, want %s", m.Citations, reply.Citations)
				}
			}
		})
	}
}

// A question no policy covers is not answered with a rule: the reply cites
// nothing, says it found no policy and offers a person.
func TestLocalModelDoesNotInventPolicy(t *testing.T) {
	t.Parallel()
	e := newEnvOpts(t, envOptions{policies: true})
	tests := []struct {
		locale, question, offer string
	}{
		{"en", "What is the policy on employee parking?", "support team"},
		{"ko", "직원 주차 정책이 어떻게 되나요?", "상담원"},
		{"ru", "Какие правила парковки для сотрудников?", "сотрудником службы поддержки"},
	}
	for i, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			c := e.dial(t, buyerIn(t, tt.locale))
			c.hello("", 0)
			reply, before := c.ask("o"+string(rune('a'+i)), tt.question)
			if !slices.ContainsFunc(before, func(f frame) bool { return f.Type == "tool" && f.Name == "search_policy" && f.Status == "done" }) {
				t.Errorf("frames before the reply %+v, want a search_policy that found nothing", before)
			}
			if cs := citationsOf(t, reply); len(cs) != 0 || strings.Contains(reply.Text, "§") {
				t.Errorf("reply %q with citations %+v, want no policy cited", reply.Text, cs)
			}
			if !strings.Contains(reply.Text, tt.offer) {
				t.Errorf("reply %q does not offer a person (%q)", reply.Text, tt.offer)
			}
		})
	}
}

// The LLM path: the model calls search_policy, reads the passages and
// cites one; the message frame carries that citation and no other, and a
// citation of a section the search never returned is not turned into a
// link.
func TestLLMCitesWhatSearchPolicyReturned(t *testing.T) {
	t.Parallel()
	fake := fakellm.New(fakellm.Options{Respond: func(req fakellm.Request) fakellm.Reply {
		// Answer from the tool result, as a model would: cite the first
		// passage, and make up a second citation.
		last := req.Messages[len(req.Messages)-1]
		var res struct {
			Data struct {
				Hits []struct {
					Citation string `json:"citation"`
				} `json:"hits"`
			} `json:"data"`
		}
		if last.Role != "tool" || json.Unmarshal([]byte(last.Content), &res) != nil || len(res.Data.Hits) == 0 {
			return fakellm.Text("I could not find that policy.")
		}
		return fakellm.Text("The seller pays when the item arrived damaged. " + res.Data.Hits[0].Citation + " See also [payments §Invented section].")
	}})
	up := httptest.NewServer(fake)
	t.Cleanup(up.Close)
	e := newEnvOpts(t, envOptions{policies: true, brain: func(localModel agent.Model) agent.Model {
		return agent.NewChain(discard(), []agent.Model{
			agent.NewOpenAI(agent.OpenAIConfig{BaseURL: up.URL + "/v1", Model: "gpt-test", MaxRetries: 1}),
			localModel,
		}, []string{"gpt-test", "local"})
	}})
	fake.Push(fakellm.Call("search_policy", map[string]any{"query": "who pays return shipping for a damaged item"}))

	c := e.dial(t, buyerIn(t, "en"))
	c.hello("", 0)
	reply, _ := c.ask("l1", "My lamp arrived broken, do I have to pay to send it back?")
	e.checkCitation(t, reply, "refunds", "en")
	if cs := citationsOf(t, reply); len(cs) != 1 {
		t.Errorf("citations %+v, want only the passage the search returned", cs)
	}
	reqs := fake.Requests()
	if len(reqs) != 2 || !slices.ContainsFunc(reqs[0].Tools, func(d fakellm.ToolDef) bool { return d.Name == "search_policy" }) {
		t.Fatalf("the model got %d requests, the first offering %+v; want search_policy offered and a second request with its result", len(reqs), reqs[0].Tools)
	}
}
