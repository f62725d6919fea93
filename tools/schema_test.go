package tools

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

type schema struct {
	Type                 string             `json:"type"`
	Properties           map[string]*schema `json:"properties"`
	Required             []string           `json:"required"`
	AdditionalProperties *bool              `json:"additionalProperties"`
	Enum                 []string           `json:"enum"`
	Items                *schema            `json:"items"`
	Description          string             `json:"description"`
}

// jsonFields lists the JSON names of t's exported fields, embedded structs
// flattened, and the type of each.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out[name] = f.Type
	}
	return out
}

// checkObject holds an object schema to the Go type its JSON decodes into.
func checkObject(t *testing.T, where string, s *schema, typ reflect.Type) {
	t.Helper()
	if s.Type != "object" || s.AdditionalProperties == nil || *s.AdditionalProperties {
		t.Errorf("%s: want an object schema with additionalProperties false", where)
	}
	fields := jsonFields(typ)
	var props, names []string
	for p := range s.Properties {
		props = append(props, p)
	}
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(props)
	sort.Strings(names)
	if !slices.Equal(props, names) {
		t.Errorf("%s: schema properties %v, Go fields %v", where, props, names)
	}
	for _, r := range s.Required {
		if s.Properties[r] == nil {
			t.Errorf("%s: required %q is not a property", where, r)
		}
	}
	for name, p := range s.Properties {
		ft := fields[name]
		for ft != nil && (ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice) {
			ft = ft.Elem()
		}
		if p.Items != nil && p.Items.Type == "object" && ft != nil {
			checkObject(t, where+"."+name, p.Items, ft)
		}
	}
}

// Every tool's schema is valid, closed, and matches the arguments its Go
// type accepts; enums are the lists the Go code validates against.
func TestToolSchemas(t *testing.T) {
	enums := map[string][]string{
		"request_refund.reason":     RefundReasons,
		"request_refund.currency":   Currencies,
		"open_dispute.reason":       DisputeReasons,
		"add_dispute_evidence.kind": EvidenceKinds,
		"handoff_to_human.reason":   HandoffReasons,
		"list_orders.status":        OrderStatuses,
		"list_shop_orders.status":   OrderStatuses,
	}
	seen := map[string]bool{}
	for _, tool := range All(NewStore(nil), nil) {
		var s schema
		if err := json.Unmarshal(tool.Parameters, &s); err != nil {
			t.Errorf("%s: schema is not JSON: %v", tool.Name, err)
			continue
		}
		checkObject(t, tool.Name, &s, tool.args)
		if len(tool.Description) < 80 || len(tool.Roles) == 0 {
			t.Errorf("%s: want a description for a model and at least one role", tool.Name)
		}
		if tool.Consequential != (tool.preview != nil) {
			t.Errorf("%s: consequential %v but preview %v", tool.Name, tool.Consequential, tool.preview != nil)
		}
		for name, p := range s.Properties {
			key := tool.Name + "." + name
			if want, ok := enums[key]; ok {
				seen[key] = true
				if !slices.Equal(p.Enum, want) {
					t.Errorf("%s: schema enum %v, Go list %v", key, p.Enum, want)
				}
			}
		}
	}
	var ds schema
	json.Unmarshal(OpenDispute(nil).Parameters, &ds) //nolint:errcheck // checked above
	if got := ds.Properties["evidence"].Items.Properties["kind"].Enum; !slices.Equal(got, EvidenceKinds) {
		t.Errorf("open_dispute evidence kinds %v, want %v", got, EvidenceKinds)
	}
	for key := range enums {
		if !seen[key] {
			t.Errorf("no property %s", key)
		}
	}
}

func TestNewIDShape(t *testing.T) {
	for range 100 {
		if id := newID("RF-"); !refundIDPattern.MatchString(id) || len(id) != 13 {
			t.Fatalf("newID = %q", id)
		}
	}
	if a, b := newID("DSP-"), newID("DSP-"); a == b || !disputeIDPattern.MatchString(a) {
		t.Errorf("newID gave %q and %q", a, b)
	}
}

func TestTruncateKeepsUTF8(t *testing.T) {
	for n := range 12 {
		if got := truncate("주문번호", n); !strings.HasSuffix(got, "…") || !utf8Valid(got) {
			t.Errorf("truncate(주문번호, %d) = %q", n, got)
		}
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }

func TestAddBusinessDays(t *testing.T) {
	fri := mustDay(t, "2026-01-02") // a Friday
	if got := day(addBusinessDays(fri, 1)); got != "2026-01-05" {
		t.Errorf("Friday + 1 business day = %s, want Monday 2026-01-05", got)
	}
	if got := day(addBusinessDays(fri, RefundBusinessDays)); got != "2026-01-09" {
		t.Errorf("Friday + 5 business days = %s, want 2026-01-09", got)
	}
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	p, err := parseDay("day", s)
	if err != nil || p == nil {
		t.Fatal(err)
	}
	return *p
}
