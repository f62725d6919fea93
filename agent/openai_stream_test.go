package agent

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"
)

// chunkCases are chunks as upstreams send them, and shapes decodeChunk
// must leave to encoding/json or read exactly as it does.
var chunkCases = []string{
	`{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"logprobs":null,"finish_reason":null}]}`,
	`{"choices":[{"delta":{"content":"Ya está en camino: «ORD-1» — ¿algo más?"}}]}`,
	`{"choices":[{"delta":{"content":"line\none\t\"quoted\" back\\slash \/ \b\f\r"}}]}`,
	`{"choices":[{"delta":{"content":"\u00e9\ud83d\ude00 \u2028"}}]}`,
	`{"choices":[{"delta":{"content":"bad \ud800 surrogate"}}]}`,
	`{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_order","arguments":""}}]}}]}`,
	`{"choices":[{"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"order_id\":\"ORD-10042\"}"}}]}}]}`,
	`{"choices":[{"delta":{"tool_calls":[{"index":null,"function":null}]}}]}`,
	`{"choices":[{"delta":{},"finish_reason":"stop"}],"usage":null}`,
	`{"choices":[],"usage":{"prompt_tokens":31,"completion_tokens":7,"total_tokens":38,"prompt_tokens_details":{"cached_tokens":0}}}`,
	`{"choices":null}`,
	`{"choices":[{"delta":null}]}`,
	`{"choices":[null]}`,
	`{"Choices":[{"delta":{"content":"case"}}]}`,
	`{"choices":[{"Delta":{"CONTENT":"case"}}]}`,
	`{"choices":[{"delta":{"content":"a"}}],"choices":[{"delta":{"content":"b"}},{"finish_reason":"stop"}]}`,
	`{"choices":[{"delta":{"content":"a","content":"b"}}]}`,
	`{"choices":[{"delta":{"tool_calls":[{"index":0}]},"delta":{"tool_calls":[{"id":"x"}]}}]}`,
	`{"usage":{"prompt_tokens":1.5}}`,
	`{"usage":{"prompt_tokens":1e2}}`,
	`{"usage":{"prompt_tokens":-3,"completion_tokens":99999999999999999999}}`,
	`{"usage":{"prompt_tokens":"3"}}`,
	`{"model":5}`,
	`{"model":"m"} {"x":1}`,
	`{"model":"m"}   `,
	`  {"model" : "m" , "choices" : [ { "delta" : { "content" : "spaced" } } ] }`,
	`{"x":{"y":[1,"}",{"z":"]"}],"w":"\"{"},"choices":[{"delta":{"content":"after"}}]}`,
	`{"x":true,"y":false,"z":null,"n":-1.5e3,"choices":[{"delta":{"content":"ok"}}]}`,
	`null`,
	`[]`,
	`"text"`,
	`not json`,
	`{"choices":[{"delta":{"content":"cut"`,
	"{\"choices\":[{\"delta\":{\"content\":\"invalid \xff utf8\"}}]}",
	`{}`,
}

// decodeChunk reads every chunk as the encoding/json decoder it replaced
// (chunkDecoder, which json.Unmarshal agrees with on every object): the
// same fields, the same error or none.
func TestDecodeChunkMatchesEncodingJSON(t *testing.T) {
	var fb chunkDecoder
	var got streamChunk
	check := func(line string) {
		t.Helper()
		if !sameAsEncodingJSON(line, &fb, &got) {
			t.Errorf("decodeChunk(%q) reads it otherwise than encoding/json", line)
		}
	}
	for _, line := range chunkCases {
		check(line)
	}
	// The chunks upstreams send are read by the parser itself, not left to
	// encoding/json.
	for _, line := range chunkCases[:3] {
		p := chunkParser{b: []byte(line)}
		if !p.chunk(&streamChunk{}) {
			t.Errorf("the parser left %q to encoding/json", line)
		}
	}
	// Mutations of the cases: bytes dropped, doubled and swapped for JSON's
	// punctuation, so odd but valid shapes come up too.
	rng := rand.New(rand.NewPCG(1, 2))
	punct := []byte(`{}[]",:\ 0n-`)
	for range 20000 {
		b := []byte(chunkCases[rng.IntN(len(chunkCases))])
		for range 1 + rng.IntN(3) {
			if len(b) == 0 {
				break
			}
			i := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b = append(b[:i], b[i+1:]...)
			case 1:
				b = append(b[:i+1], b[i:]...)
			default:
				b[i] = punct[rng.IntN(len(punct))]
			}
		}
		check(string(b))
	}
}

func FuzzDecodeChunk(f *testing.F) {
	for _, c := range chunkCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, line string) {
		var fb chunkDecoder
		var got streamChunk
		if !sameAsEncodingJSON(line, &fb, &got) {
			t.Errorf("decodeChunk(%q) reads it otherwise than encoding/json", line)
		}
	})
}

// sameAsEncodingJSON decodes line with decodeChunk (fb its fallback and
// got the chunk, both kept from line to line as the adapter keeps them) and with a fresh chunkDecoder
// and reports whether they agree; where the chunk is an object,
// json.Unmarshal must agree too.
func sameAsEncodingJSON(line string, fb *chunkDecoder, got *streamChunk) bool {
	var want, un streamChunk
	gotErr := decodeChunk([]byte(line), got, fb)
	var ref chunkDecoder
	wantErr := ref.decode([]byte(line), &want)
	if strings.HasPrefix(strings.TrimSpace(line), "{") {
		unErr := json.Unmarshal([]byte(line), &un)
		if (unErr != nil) != (wantErr != nil) || unErr == nil && !reflect.DeepEqual(un, want) {
			return false
		}
	}
	g := *got
	if wantErr == nil && len(g.Choices) == 0 && len(want.Choices) == 0 {
		// The reused array left empty: no choices, as nil is.
		g.Choices, want.Choices = nil, nil
	}
	return (gotErr != nil) == (wantErr != nil) && (wantErr != nil || reflect.DeepEqual(g, want))
}

// sseUpstream serves body as a 200 event stream to an OpenAI provider.
func sseUpstream(t *testing.T, body string) *OpenAI {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return NewOpenAI(OpenAIConfig{BaseURL: srv.URL + "/v1", APIKey: "k", Model: "fake-model", RequestTimeout: 5 * time.Second})
}

func sse(chunks ...string) string {
	var b strings.Builder
	for _, c := range chunks {
		fmt.Fprintf(&b, "data: %s\n\n", c)
	}
	return b.String()
}

// The adapter's own reader reads streams as go-openai's did: events
// among comments and other fields, lines longer than its buffer, the end
// at [DONE] (nothing after it is read), and the upstream's errors, in the
// stream or as a body that is not a stream, as *openai.APIError.
func TestOpenAIReadsTheEventStream(t *testing.T) {
	long := strings.Repeat("long words ", 1000) // past the reader's 4 KiB buffer
	text := func(s string) string {
		b, _ := json.Marshal(s)
		return `{"model":"up-model","choices":[{"delta":{"content":` + string(b) + `}}]}`
	}
	stop := `{"choices":[{"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2}}`
	for _, tt := range []struct {
		name, body, want string
		apiErr           string
		cut              bool
	}{
		{name: "events among comments and fields", body: ": keep-alive\nevent: message\nid: 1\n" + sse(text("Hello"), text(", world.")) + "\r\n" + sse(stop, "[DONE]"), want: "Hello, world."},
		{name: "no space after data:", body: "data:" + text("tight") + "\n\n" + sse(stop, "[DONE]"), want: "tight"},
		{name: "a line past the buffer", body: sse(text(long), stop, "[DONE]"), want: long},
		{name: "nothing after DONE is read", body: sse(text("done"), stop, "[DONE]", text(" and more")), want: "done"},
		{name: "an error event", body: sse(text("partial")) + `data: {"error":{"message":"overloaded","type":"server_error","code":"x"}}` + "\n\n", apiErr: "overloaded"},
		{name: "an error body that is not a stream", body: "{\n  \"error\": {\n    \"message\": \"quota exceeded\",\n    \"type\": \"insufficient_quota\"\n  }\n}\n", apiErr: "quota exceeded"},
		{name: "cut before the end", body: sse(text("half")), cut: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := sseUpstream(t, tt.body)
			var shown strings.Builder
			resp, err := m.Generate(t.Context(), ask("hi"), func(d string) error { shown.WriteString(d); return nil })
			switch {
			case tt.apiErr != "":
				var apiErr *openai.APIError
				if !errors.As(err, &apiErr) || !strings.Contains(apiErr.Message, tt.apiErr) {
					t.Errorf("Generate = %v, want the upstream's APIError %q", err, tt.apiErr)
				}
			case tt.cut:
				if !errors.Is(err, errStreamCut) {
					t.Errorf("Generate = %v, want a cut stream", err)
				}
			case err != nil:
				t.Fatalf("Generate: %v", err)
			default:
				if resp.Message.Content != tt.want || shown.String() != tt.want || resp.Model != "up-model" || resp.Usage.CompletionTokens != 2 {
					t.Errorf("Generate = %q (shown %q), model %q, usage %+v; want %q from up-model with its usage", resp.Message.Content, shown.String(), resp.Model, resp.Usage, tt.want)
				}
			}
		})
	}
}

// BenchmarkStreamRead is the adapter's reading of a turn's answer: 40
// text chunks, a finish chunk and [DONE], read and decoded.
func BenchmarkStreamRead(b *testing.B) {
	var chunks []string
	for i := range 40 {
		chunks = append(chunks, fmt.Sprintf(`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"fake-model","choices":[{"index":0,"delta":{"content":"word%d "},"finish_reason":null}]}`, i))
	}
	chunks = append(chunks, `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"fake-model","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":40,"total_tokens":50}}`, "[DONE]")
	body := sse(chunks...)
	b.ReportAllocs()
	for b.Loop() {
		r := newSSEReader(strings.NewReader(body))
		var fb chunkDecoder
		var c streamChunk
		n := 0
		for {
			raw, err := r.next()
			if err != nil {
				break
			}
			if err := decodeChunk(raw, &c, &fb); err != nil {
				b.Fatal(err)
			}
			n += len(c.Choices)
		}
		r.close()
		if n != 41 {
			b.Fatalf("read %d choices, want 41", n)
		}
	}
}

// BenchmarkOpenAIGenerate is one model call through the adapter against a
// local upstream that answers with 40 text chunks: request, stream,
// decoding. It runs on the code before the adapter read the stream itself
// too, for a before/after.
func BenchmarkOpenAIGenerate(b *testing.B) {
	var body strings.Builder
	for i := range 40 {
		fmt.Fprintf(&body, "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word%d \"},\"finish_reason\":null}]}\n\n", i)
	}
	body.WriteString("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":40,\"total_tokens\":50}}\n\ndata: [DONE]\n\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, body.String())
	}))
	defer srv.Close()
	m := NewOpenAI(OpenAIConfig{BaseURL: srv.URL + "/v1", APIKey: "k", Model: "fake-model", RequestTimeout: 5 * time.Second})
	req := ask("where is my order?")
	b.ReportAllocs()
	for b.Loop() {
		resp, err := m.Generate(b.Context(), req, func(string) error { return nil })
		if err != nil || len(resp.Message.Content) < 200 {
			b.Fatalf("Generate = %q, %v", resp.Message.Content, err)
		}
	}
}
