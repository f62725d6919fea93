package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local"
	"github.com/csagent/csagent/retrieval"
	"github.com/csagent/csagent/tools"
)

// Suggested replies for the seller's panel: two or three drafts grounded in
// the data of the orders the conversation is about, which the seller edits
// and sends. The built-in drafter fills localized templates; an LLM-backed
// Drafter can replace it without the panel noticing.

// Drafter writes suggested replies for a seller.
type Drafter interface {
	// Draft returns two or three replies to the conversation in in, in the
	// buyer's language. It states only what in holds. An error means no
	// draft could be written.
	Draft(ctx context.Context, in DraftInput) ([]Draft, error)
}

// ReplyChecker checks a reply against the evidence it must be grounded in
// before anyone sees it: the guardrails' output check.
type ReplyChecker interface {
	// CheckReply returns the decision on text in locale. An error means
	// no decision.
	CheckReply(ctx context.Context, text, locale string, evidence []string) (ReplyCheck, error)
}

// ReplyCheck is a ReplyChecker's decision on a reply.
type ReplyCheck struct {
	// Verdict is "pass", "rewritten" (a sentence was removed or softened)
	// or "fallback" (nothing of the reply may be shown).
	Verdict string
	// Text is what may be shown: the reply for a pass, the rewritten
	// reply for "rewritten"; empty for a fallback.
	Text string
}

// Verdicts of a ReplyCheck.
const (
	verdictPass      = "pass"
	verdictRewritten = "rewritten"
)

// checkDrafts holds each draft to ck and returns what the panel may show:
// a rewritten draft with its rewritten text, without a draft that failed
// (fallback) or could not be checked. A seller sends a draft as it is, so
// a draft is never shown with text the check did not pass.
func checkDrafts(ctx context.Context, ck ReplyChecker, drafts []Draft, locale string, evidence []string, logger *slog.Logger) []Draft {
	out := drafts[:0]
	for _, d := range drafts {
		r, err := ck.CheckReply(ctx, d.Text, locale, evidence)
		switch {
		case err != nil:
			logger.WarnContext(ctx, "check suggested reply; the draft is not shown", "err", err)
			continue
		case r.Verdict == verdictRewritten && strings.TrimSpace(r.Text) != "":
			if r.Text != d.Text {
				// The gloss translates the draft as written, which is
				// no longer what would be sent.
				d.Text, d.Gloss = r.Text, ""
			}
		case r.Verdict != verdictPass:
			continue
		}
		d.Guardrail = r.Verdict
		out = append(out, d)
	}
	return out
}

// DraftInput is what a draft is written from.
type DraftInput struct {
	SellerName   string
	ShopName     string
	SellerLocale string
	BuyerName    string
	BuyerLocale  string
	// Problem is the buyer's latest unresolved problem, which the drafts
	// answer with the policy step that applies to it on Orders[0]:
	// damaged (a defect included), wrong_item, not_as_described,
	// not_received, cancel or changed_mind; empty when none was told.
	Problem string
	// Status is the conversation's: open, handoff or agent.
	Status        string
	HandoffReason string
	// Transcript is the end of the conversation, oldest first.
	Transcript []agent.StoredMessage
	// Orders are the conversation's orders in the seller's shop, the one
	// discussed last first; empty when none could be told.
	Orders []tools.ShopOrder
	Now    time.Time
}

// Draft is one suggested reply.
type Draft struct {
	// Text is the reply in the buyer's language.
	Text string `json:"text"`
	// Gloss is the same reply in the seller's language, when that differs.
	Gloss string `json:"gloss,omitempty"`
	// OrderID is the order whose data the draft states.
	OrderID string `json:"order_id,omitempty"`
	// Policies are the policy documents the draft relies on, by id.
	Policies []string `json:"-"`
	// Citations are Policies resolved to the documents' titles and pages.
	Citations []draftCitation `json:"citations"`
	// Guardrail is the checker's verdict; empty when unchecked.
	Guardrail string `json:"guardrail,omitempty"`
}

type draftCitation struct {
	DocID string `json:"doc_id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// policyStep is the rule behind the drafts' step, in the policy's own
// words, as the panel shows it beside the drafts.
type policyStep struct {
	// Text is the rule in the seller's language.
	Text string `json:"text"`
	// Citations are the sections it comes from.
	Citations []draftCitation `json:"citations"`
}

// searchPolicyStep answers question (in locale) from the policies through
// the search_policy tool, as the seller in ctx, with the built-in model's
// policy composer: the sentences of the section that carries the rule. ok
// is false when there is no search or no section answers.
func searchPolicyStep(ctx context.Context, tr ToolRunner, convID, question, locale string) (text string, cites []draftCitation, ok bool) {
	if question == "" {
		return "", nil, false
	}
	if _, registered := tr.Lookup("search_policy"); !registered {
		return "", nil, false
	}
	args, _ := json.Marshal(map[string]any{"query": question, "locale": locale, "k": 8})
	out := tr.Call(ctx, tools.Call{ID: agent.NewID("call_"), Name: "search_policy", Arguments: args,
		ConversationID: convID, TurnID: agent.NewID("suggest_")})
	if out.Err != nil {
		return "", nil, false
	}
	a, ok := local.AnswerPolicy(question, locale, out.Data)
	if !ok {
		return "", nil, false
	}
	var hits struct {
		Hits []struct {
			DocID       string `json:"doc_id"`
			HeadingPath string `json:"heading_path"`
			Locale      string `json:"locale"`
		} `json:"hits"`
	}
	_ = json.Unmarshal(out.Data, &hits)
	for _, src := range a.Sources {
		loc := locale
		for _, h := range hits.Hits {
			if h.DocID == src.DocID && h.HeadingPath == src.HeadingPath && h.Locale != "" {
				loc = h.Locale
			}
		}
		c := draftCitation{DocID: src.DocID, Title: src.Title + " § " + src.Heading, URL: retrieval.PageURL(src.DocID, loc, src.Heading)}
		if !slices.Contains(cites, c) {
			cites = append(cites, c)
		}
	}
	return a.Text, cites, true
}

// orderIDPattern finds order ids in a transcript.
var orderIDPattern = regexp.MustCompile(`\bORD-\d{5}\b`)

// mentionedOrders returns the order ids the transcript names, the one named
// last first.
func mentionedOrders(msgs []agent.StoredMessage) []string {
	var ids []string
	for i := len(msgs) - 1; i >= 0; i-- {
		found := orderIDPattern.FindAllString(msgs[i].Text, -1)
		for j := len(found) - 1; j >= 0; j-- {
			if !slices.Contains(ids, found[j]) {
				ids = append(ids, found[j])
			}
		}
	}
	return ids
}

// shopOrder looks order id up through the get_shop_order tool, as the
// seller in ctx: the lookup is scoped to their shop and audited. raw is the
// tool's result as the guardrails read tool results. ok is false for an
// order that is not the shop's.
func shopOrder(ctx context.Context, tr ToolRunner, convID, id string) (so tools.ShopOrder, raw json.RawMessage, ok bool) {
	args, _ := json.Marshal(map[string]string{"order_id": id})
	out := tr.Call(ctx, tools.Call{ID: agent.NewID("call_"), Name: "get_shop_order", Arguments: args,
		ConversationID: convID, TurnID: agent.NewID("suggest_")})
	if out.Err != nil {
		return tools.ShopOrder{}, nil, false
	}
	if json.Unmarshal(out.Data, &so) != nil {
		return tools.ShopOrder{}, nil, false
	}
	return so, out.Data, true
}
