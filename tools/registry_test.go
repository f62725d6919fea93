package tools_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

func TestAllRolesAndSpecs(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	reg, err := tools.NewRegistry(logger, nil, tools.All(tools.NewStore(nil), nil)...)
	if err != nil {
		t.Fatal(err)
	}
	names := func(specs []tools.Spec) []string {
		var out []string
		for _, s := range specs {
			out = append(out, s.Name)
		}
		return out
	}
	wantBuyer := []string{"get_order", "list_orders", "track_shipment", "get_refund_status", "get_dispute",
		"request_refund", "cancel_order", "open_dispute", "add_dispute_evidence", "handoff_to_human", "translate"}
	wantSeller := []string{"get_order", "get_shop_order", "list_shop_orders", "translate"}
	if got := names(reg.Specs(tools.RoleBuyer)); !slices.Equal(got, wantBuyer) {
		t.Errorf("buyer tools = %v, want %v", got, wantBuyer)
	}
	if got := names(reg.Specs(tools.RoleSeller)); !slices.Equal(got, wantSeller) {
		t.Errorf("seller tools = %v, want %v", got, wantSeller)
	}
	for _, s := range reg.Specs(tools.RoleBuyer) {
		want := s.Name == "request_refund" || s.Name == "cancel_order" || s.Name == "open_dispute"
		if s.Consequential != want {
			t.Errorf("%s consequential = %v, want %v", s.Name, s.Consequential, want)
		}
	}
}

func TestPreview(t *testing.T) {
	e := newEnv(t)
	o := e.pick(demo.DeliveredRecently)
	ctx := buyer(t.Context(), o.BuyerID)
	audited := e.count(`SELECT count(*) FROM tool_calls`)
	tests := []struct {
		name string
		ctx  context.Context
		tool string
		args string
		code tools.Code
	}{
		{"a consequential tool", ctx, "request_refund", refundJSON(o.ID, ""), ""},
		{"a tool that needs no confirmation", ctx, "get_order", `{"order_id":"` + o.ID + `"}`, tools.CodeInvalidArgument},
		{"an unknown tool", ctx, "refund_everything", `{}`, tools.CodeInvalidArgument},
		{"another role's tool", e.seller(t.Context(), o.ShopID), "request_refund", refundJSON(o.ID, ""), tools.CodeInvalidArgument},
		{"no caller", t.Context(), "request_refund", refundJSON(o.ID, ""), tools.CodeUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := e.preview(tt.ctx, tt.tool, tt.args)
			if errCode(err) != tt.code {
				t.Fatalf("Preview(%s) = %v, want %q", tt.tool, err, tt.code)
			}
			if tt.code == "" {
				if _, jerr := json.Marshal(p.Data); jerr != nil || p.Summary == "" || strings.HasSuffix(p.Summary, ".") {
					t.Errorf("preview = %+v (%v), want a summary sentence without a final period and JSON data", p, jerr)
				}
			}
		})
	}
	if n := e.count(`SELECT count(*) FROM tool_calls`); n != audited {
		t.Errorf("previews wrote %d audit rows", n-audited)
	}
	if n := e.count(`SELECT count(*) FROM refunds WHERE order_id = $1`, o.ID); n != 0 {
		t.Errorf("a preview made %d refunds", n)
	}
}

// translatorFunc adapts a function to tools.Translator.
type translatorFunc func(ctx context.Context, text, source, target string) (string, error)

func (f translatorFunc) Translate(ctx context.Context, text, source, target string) (string, error) {
	return f(ctx, text, source, target)
}

// Whatever a model sends, the call is on record: NUL characters, invalid
// JSON and UTF-8, lone surrogates, oversized arguments, unknown
// conversations; and results jsonb cannot hold as they are.
func TestAuditKeepsEveryCall(t *testing.T) {
	e := newEnv(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	nul := translatorFunc(func(context.Context, string, string, string) (string, error) { return "bad\x00text", nil })
	reg, err := tools.NewRegistry(logger, tools.NewAudit(e.pool), tools.All(tools.NewStore(e.pool), nul)...)
	if err != nil {
		t.Fatal(err)
	}
	o := e.pick(demo.DeliveredRecently)
	ctx := buyer(t.Context(), o.BuyerID)
	calls := []struct {
		ctx  context.Context
		call tools.Call
		code tools.Code
	}{
		{ctx, tools.Call{Name: "get_order", Arguments: json.RawMessage(`{"order_id":"ORD-1\u0000"}`)}, tools.CodeInvalidArgument},
		{ctx, tools.Call{Name: "get_order", Arguments: json.RawMessage("{\"order_id\":\"ORD-1\x00\"}")}, tools.CodeInvalidArgument},
		{ctx, tools.Call{Name: "get_order", Arguments: json.RawMessage("{\"order_id\":\"\xff\xfe\"}")}, tools.CodeInvalidArgument},
		{ctx, tools.Call{Name: "get_order", Arguments: json.RawMessage(`{"order_id":"\ud800"}`)}, tools.CodeInvalidArgument},
		{ctx, tools.Call{Name: "get_order", Arguments: json.RawMessage(`{"order_\u0000id":{"x":["\u0000"]}}`)}, tools.CodeInvalidArgument},
		{ctx, tools.Call{Name: "get\x00order\xff", ID: "id\x00", TurnID: "turn\x00"}, tools.CodeInvalidArgument},
		{ctx, tools.Call{Name: "get_order", Arguments: json.RawMessage(`"` + strings.Repeat("é", 5*tools.MaxArgumentBytes) + `"`)}, tools.CodeInvalidArgument},
		{ctx, tools.Call{Name: "get_order", Arguments: json.RawMessage(`{"order_id":"` + o.ID + `"}`), ConversationID: "c_nosuchconversation"}, ""},
		{ctx, tools.Call{Name: "open_dispute", Arguments: json.RawMessage(disputeJSON(o.ID, "damaged", `,"evidence":[{"kind":"photo","reference":"jane.doe@example.com"}]`))}, tools.CodeConfirmationRequired},
		{e.seller(t.Context(), o.ShopID), tools.Call{Name: "translate", Arguments: json.RawMessage(`{"text":"jane.doe@example.com","target":"ko","source":"en"}`)}, ""},
	}
	for i, c := range calls {
		out := reg.Call(c.ctx, c.call)
		if errCode(out.Err) != c.code {
			t.Errorf("call %d (%q) = %v, want %q", i, truncated(string(c.call.Arguments)), out.Err, c.code)
		}
	}
	if n := e.count(`SELECT count(*) FROM tool_calls`); n != len(calls) {
		t.Errorf("audit log has %d rows for %d calls; logs:\n%s", n, len(calls), logs.String())
	}
	if n := e.count(`SELECT count(*) FROM tool_calls WHERE arguments::text LIKE '%jane.doe@example.com%'`); n != 2 {
		t.Errorf("audit rows keep the arguments whole: %d of 2 found", n)
	}
	if strings.Contains(logs.String(), "jane.doe") || strings.Contains(logs.String(), o.BuyerID) {
		t.Errorf("logs above debug carry personal data:\n%s", logs.String())
	}
}
