package agent_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"reflect"
	"testing"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// searchResult is a search_policy result with the given hits, each a doc
// id, locale and heading path.
func searchResult(hits ...[3]string) json.RawMessage {
	type hit struct {
		DocID       string `json:"doc_id"`
		Title       string `json:"title"`
		Locale      string `json:"locale"`
		Version     int    `json:"version"`
		Heading     string `json:"heading"`
		HeadingPath string `json:"heading_path"`
		Text        string `json:"text"`
	}
	var res struct {
		Hits []hit `json:"hits"`
	}
	res.Hits = []hit{}
	for _, h := range hits {
		heading := h[2]
		for i := len(heading) - 1; i >= 0; i-- {
			if heading[i] == '>' {
				heading = heading[i+2:]
				break
			}
		}
		res.Hits = append(res.Hits, hit{DocID: h[0], Locale: h[1], Title: "T " + h[0], Version: 2, Heading: heading, HeadingPath: h[2], Text: "…"})
	}
	b, _ := json.Marshal(res)
	return b
}

func TestCitationsOf(t *testing.T) {
	refunds := searchResult(
		[3]string{"refunds", "en", "Refunds and returns > Refund window"},
		[3]string{"refunds", "en", "Refunds and returns > Return shipping costs"},
		[3]string{"disputes", "en", "Disputes > Time limits > Not received"},
	)
	korean := searchResult([3]string{"refunds", "ko", "환불 및 반품 > 환불 신청 기간"})
	cite := func(doc, locale, heading, path, url string) agent.Citation {
		return agent.Citation{DocID: doc, Locale: locale, Title: "T " + doc, Heading: heading, HeadingPath: path, Version: 2, URL: url}
	}
	window := cite("refunds", "en", "Refund window", "Refunds and returns > Refund window", "/policies/refunds/en#refund-window")
	tests := []struct {
		name    string
		text    string
		results []json.RawMessage
		want    []agent.Citation
	}{
		{"one citation", "You have 30 days. [refunds §Refund window]", []json.RawMessage{refunds}, []agent.Citation{window}},
		{"cited twice, listed once", "[refunds §Refund window] and again [refunds §Refund window]", []json.RawMessage{refunds}, []agent.Citation{window}},
		{"in the order cited", "[disputes §Not received] then [refunds §Refund window]", []json.RawMessage{refunds}, []agent.Citation{
			cite("disputes", "en", "Not received", "Disputes > Time limits > Not received", "/policies/disputes/en#not-received"), window}},
		{"case and spacing", "[refunds §refund  WINDOW]", []json.RawMessage{refunds}, []agent.Citation{window}},
		{"more of the path", "[disputes §Time limits > Not received]", []json.RawMessage{refunds}, []agent.Citation{
			cite("disputes", "en", "Not received", "Disputes > Time limits > Not received", "/policies/disputes/en#not-received")}},
		{"Korean anchor", "30일 이내입니다. [refunds §환불 신청 기간]", []json.RawMessage{korean}, []agent.Citation{
			cite("refunds", "ko", "환불 신청 기간", "환불 및 반품 > 환불 신청 기간", "/policies/refunds/ko#환불-신청-기간")}},
		{"hits of several searches", "[refunds §환불 신청 기간] [refunds §Return shipping costs]", []json.RawMessage{korean, refunds}, []agent.Citation{
			cite("refunds", "ko", "환불 신청 기간", "환불 및 반품 > 환불 신청 기간", "/policies/refunds/ko#환불-신청-기간"),
			cite("refunds", "en", "Return shipping costs", "Refunds and returns > Return shipping costs", "/policies/refunds/en#return-shipping-costs")}},
		{"a section no search returned", "[refunds §Unicorn refunds]", []json.RawMessage{refunds}, []agent.Citation{}},
		{"a document no search returned", "[shipping §Refund window]", []json.RawMessage{refunds}, []agent.Citation{}},
		{"no citation in the text", "You have 30 days.", []json.RawMessage{refunds}, []agent.Citation{}},
		{"no search", "[refunds §Refund window]", nil, []agent.Citation{}},
		{"a failed search", "[refunds §Refund window]", []json.RawMessage{json.RawMessage(`{"error":"policy search is not available"}`)}, []agent.Citation{}},
		{"not JSON", "[refunds §Refund window]", []json.RawMessage{json.RawMessage(`"cut`)}, []agent.Citation{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := agent.CitationsOf(tt.text, tt.results); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("CitationsOf(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
}

type policyArgs struct {
	Query string `json:"query"`
}

// A turn whose reply cites what its search_policy call returned stores the
// citation with the reply; a turn that cites nothing stores none.
func TestRunStoresTheCitationsOfTheReply(t *testing.T) {
	h := newHarness(t)
	search := tools.New("search_policy", "search", `{"type":"object"}`, []tools.Role{tools.RoleBuyer},
		func(context.Context, policyArgs) (tools.Result, error) {
			return tools.Result{Data: searchResult(
				[3]string{"refunds", "en", "Refunds and returns > Refund window"},
				[3]string{"shipping", "en", "Shipping > Delivery times"},
			)}, nil
		})
	reg, err := tools.NewRegistry(slog.New(slog.NewTextHandler(io.Discard, nil)), tools.NewAudit(h.pool), search)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		reply string
		want  string
	}{
		{"cited", "Within 30 days of delivery. [refunds §Refund window]",
			`[{"doc_id":"refunds","locale":"en","title":"T refunds","heading":"Refund window","heading_path":"Refunds and returns > Refund window","version":2,"url":"/policies/refunds/en#refund-window"}]`},
		{"not cited", "I am not sure; shall I ask a colleague?", `[]`},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			step := 0
			model := fakeModel{func(agent.Request) (agent.Response, error) {
				step++
				if step == 1 {
					return toolCall("search_policy", `{"query":"refund window"}`), nil
				}
				return textReply(tt.reply), nil
			}}
			a := h.agent(model, reg, agent.Config{})
			r, err := a.Run(h.ctx, agent.Turn{ConversationID: h.conv.ID, ClientID: tt.name, Text: "how long can I ask for a refund?", Locale: "en"},
				func(agent.Event) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			var stored json.RawMessage
			if err := h.pool.QueryRow(t.Context(), `SELECT citations FROM messages WHERE conversation_id = $1 AND turn_id = $2 AND role = 'assistant'`,
				h.conv.ID, r.TurnID).Scan(&stored); err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(t, stored, tt.want) || !jsonEqual(t, r.Assistant.Citations, tt.want) {
				t.Errorf("turn %d: stored citations %s, returned %s, want %s", i, stored, r.Assistant.Citations, tt.want)
			}
		})
	}
}

func jsonEqual(t *testing.T, got json.RawMessage, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("citations %q are not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(g, w)
}
