package fakellm

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestDecodeChatToolCache checks that a request decoded with a cached tool
// list reads exactly as one decoded from scratch, and that the cache never
// lets a request through that the full decoding rejects.
func TestDecodeChatToolCache(t *testing.T) {
	const tools = `[{"type":"function","function":{"name":"get_order","description":"Look up \"an\" order.","parameters":{"type":"object","properties":{"order_id":{"type":"string"}}}}},` +
		`{"type":"function","function":{"name":"search_policy","description":"Search [policies] {x}","parameters":{"type":"object"}}}]`
	body := func(tools, user string) []byte {
		return []byte(`{"model":"m","messages":[{"role":"system","content":"be kind"},{"role":"user","content":` + user + `}],"tools":` + tools + `,"stream":true}`)
	}
	tests := []struct {
		name string
		// first is decoded before body and fills the cache.
		first, body []byte
		// wantErr is the param of the 400 wanted for body; "" when it is
		// accepted.
		wantErr string
	}{
		{"same tools", body(tools, `"where is ORD-1?"`), body(tools, `"and ORD-2? \"tools\":[]"`), ""},
		{"other tools", body(tools, `"hi"`), body(`[{"type":"function","function":{"name":"x"}}]`, `"hi"`), ""},
		{"a bad tool after good ones", body(tools, `"hi"`), body(`[{"type":"function","function":{"name":"bad name"}}]`, `"hi"`), "tools[0].function.name"},
		{"bad JSON beside cached tools", body(tools, `"hi"`), body(tools, `"hi`), ""},
		{"a bad message beside cached tools", body(tools, `"hi"`),
			[]byte(`{"model":"m","messages":[{"role":"robot","content":"x"}],"tools":` + tools + `}`), "messages[0].role"},
		{"tools first, spaces", body(tools, `"hi"`), []byte(" {\n \"tools\" : " + tools + " , \"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cache toolCache
			if _, err := decodeChat(tt.first, http.Header{}, &cache); err != nil {
				t.Fatalf("decodeChat(first) = %v", err)
			}
			got, gotErr := decodeChat(tt.body, http.Header{}, &cache)
			want, wantErr := decodeChat(tt.body, http.Header{}, nil)
			if (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("decodeChat with cache: error %v, without: %v", gotErr, wantErr)
			}
			if strings.HasPrefix(tt.name, "bad JSON") && gotErr == nil {
				t.Fatalf("decodeChat(%q) accepted bad JSON", tt.body)
			}
			if tt.wantErr != "" && (gotErr == nil || gotErr.Param == nil || *gotErr.Param != tt.wantErr) {
				t.Fatalf("decodeChat(%q) = %v, want a 400 on %s", tt.body, gotErr, tt.wantErr)
			}
			if gotErr != nil {
				return
			}
			if !reflect.DeepEqual(got.Tools, want.Tools) || !reflect.DeepEqual(got.Messages, want.Messages) || got.Model != want.Model || got.Stream != want.Stream {
				t.Errorf("decodeChat with cache = %+v, without = %+v", got, want)
			}
			if g, w := promptTokens(got), promptTokens(want); g != w {
				t.Errorf("promptTokens with cache = %d, without = %d", g, w)
			}
		})
	}
}

func TestTopLevelValue(t *testing.T) {
	tests := []struct {
		body, want string
		ok         bool
	}{
		{`{"a":1,"tools":[{"x":"]}"}],"b":2}`, `[{"x":"]}"}]`, true},
		{`{"a":"\"tools\":[1]","tools":null}`, `null`, true},
		{`{"a":{"tools":[1]}}`, ``, false},
		{`[{"tools":[1]}]`, ``, false},
		{`{"tools":[1`, ``, false},
	}
	for _, tt := range tests {
		s, e, ok := topLevelValue([]byte(tt.body), "tools")
		got := ""
		if ok {
			got = tt.body[s:e]
		}
		if ok != tt.ok || got != tt.want {
			t.Errorf("topLevelValue(%q) = %q, %v, want %q, %v", tt.body, got, ok, tt.want, tt.ok)
		}
	}
}
