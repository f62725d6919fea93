package tools

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// A result kept as it is, without being decoded and encoded again, is the
// value the decoding gave (what jsonb stores of either), and every escape
// jsonb refuses still goes through the decoding.
func TestAuditJSONKeepsAcceptedEscapes(t *testing.T) {
	decoded := func(raw []byte) json.RawMessage {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		return mustJSON(scrub(v))
	}
	value := func(raw []byte) any {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		return v
	}
	for _, c := range []struct {
		raw     string
		refused bool
	}{
		{`{"ok":true,"data":{"title":"Sound \u0026 Vision","price":{"minor":4250}}}`, false},
		{`{"note":"\u003cb\u003e caf\u00e9 \u00E9 \u2028 \u0001"}`, false},
		{`{"a":"plain","b":[1,2.50,-3e2]}`, false},
		{`{"a":"\u0000"}`, true},
		{`{"a\u0000":1}`, true},
		{`{"a":"\ud800"}`, true},
		{`{"a":"\uDFFF"}`, true},
		{`{"a":"\ud83d\ude00"}`, true},
		{`{"a":"\\u0000 spelled, not an escape"}`, true},
		{`{"a":"\ud7ff \ue000"}`, false},
	} {
		if got := refusedEscape([]byte(c.raw)); got != c.refused {
			t.Errorf("refusedEscape(%s) = %v, want %v", c.raw, got, c.refused)
		}
		got := auditJSON([]byte(c.raw))
		if c.refused {
			if string(got) != string(decoded([]byte(c.raw))) {
				t.Errorf("auditJSON(%s) = %s, want the decoded and scrubbed %s", c.raw, got, decoded([]byte(c.raw)))
			}
			continue
		}
		if !reflect.DeepEqual(value(got), value(decoded([]byte(c.raw)))) {
			t.Errorf("auditJSON(%s) = %s, a value other than the decoding's %s", c.raw, got, decoded([]byte(c.raw)))
		}
	}
}
