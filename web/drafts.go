package web

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"time"

	"github.com/csagent/csagent/agent"
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
	// CheckReply returns the verdict on text in locale: "pass",
	// "rewritten" or "fallback". An error means no verdict.
	CheckReply(ctx context.Context, text, locale string, evidence []string) (string, error)
}

// DraftInput is what a draft is written from.
type DraftInput struct {
	SellerName   string
	ShopName     string
	SellerLocale string
	BuyerName    string
	BuyerLocale  string
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
// seller in ctx: the lookup is scoped to their shop and audited. ok is false
// for an order that is not the shop's.
func shopOrder(ctx context.Context, tr ToolRunner, convID, id string) (tools.ShopOrder, bool) {
	args, _ := json.Marshal(map[string]string{"order_id": id})
	out := tr.Call(ctx, tools.Call{ID: agent.NewID("call_"), Name: "get_shop_order", Arguments: args,
		ConversationID: convID, TurnID: agent.NewID("suggest_")})
	if out.Err != nil {
		return tools.ShopOrder{}, false
	}
	var so tools.ShopOrder
	if json.Unmarshal(out.Data, &so) != nil {
		return tools.ShopOrder{}, false
	}
	return so, true
}
