package agent

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sashabaranov/go-openai"
)

// The model's stream is read here, not by go-openai. go-openai still
// builds the request, sends it and turns a failed response (a 4xx, a 5xx)
// into its APIError; a successful response's body is taken from it before
// it reads a line (bodyDoer hands it to streamBody) and read by sseReader.
// go-openai's reader cost each streamed line two regular expressions and
// two copies (about 160 allocations a turn), and decoding its lines with
// encoding/json went through reflection for every token; there is no
// newer go-openai with a better reader. decodeChunk reads the few fields
// the adapter needs by hand, and hands any chunk it is not sure of to
// encoding/json, so it never reads a chunk differently.

// streamBodyKey carries a *streamBody in a request's context.
type streamBodyKey struct{}

// streamBody receives a successful streaming response's body.
type streamBody struct{ body io.ReadCloser }

// takeStreamBody gives a successful streamed response's body to the holder
// r's context carries and leaves go-openai an empty one; a failed response
// is left for go-openai to read its error from.
func takeStreamBody(r *http.Request, resp *http.Response) {
	h, ok := r.Context().Value(streamBodyKey{}).(*streamBody)
	if !ok || resp.StatusCode < http.StatusOK || resp.StatusCode >= http.StatusBadRequest {
		return
	}
	h.body = resp.Body
	resp.Body = http.NoBody
}

// emptyMessagesLimit is go-openai's default: lines that carry no data
// before the upstream is taken to be sending something else.
const emptyMessagesLimit = 300

// sseReaders reuse their buffers across requests.
var sseReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4096) }}

// sseReader reads a chat stream's server-sent events as go-openai's
// streamReader does: each "data:" line is a chunk, "data: [DONE]" ends
// the stream, and a "data: {"error": …}" line, or lines without data that
// make an error object when the body ends, are the upstream's error (an
// *openai.APIError).
type sseReader struct {
	r *bufio.Reader
	// line holds a line longer than r's buffer.
	line []byte
	// errBuf gathers what was not data, to read an error from at the end.
	errBuf []byte
	done   bool
}

func newSSEReader(body io.Reader) *sseReader {
	r := sseReaders.Get().(*bufio.Reader)
	r.Reset(body)
	return &sseReader{r: r}
}

// close returns the reader's buffer; the body is the caller's to close.
func (s *sseReader) close() {
	if s.r != nil {
		s.r.Reset(nil)
		sseReaders.Put(s.r)
		s.r = nil
	}
}

// next returns the next chunk's JSON, valid until the next call, or io.EOF
// after [DONE] or at the end of the body.
func (s *sseReader) next() ([]byte, error) {
	if s.done {
		return nil, io.EOF
	}
	empty := 0
	for {
		raw, err := s.readLine()
		if err != nil {
			if e := s.upstreamError(); e != nil {
				return nil, e
			}
			return nil, err
		}
		line := bytes.TrimSpace(raw)
		data, ok := bytes.CutPrefix(line, []byte("data:"))
		if !ok {
			s.errBuf = append(s.errBuf, line...)
			if empty++; empty > emptyMessagesLimit {
				return nil, openai.ErrTooManyEmptyStreamMessages
			}
			continue
		}
		data = bytes.TrimLeft(data, " \t\r\n\v\f")
		if bytes.HasPrefix(data, []byte(`{"error":`)) {
			s.errBuf = append(s.errBuf[:0], data...)
			if e := s.upstreamError(); e != nil {
				return nil, e
			}
			return nil, errors.New("the upstream's stream reported an error it did not describe")
		}
		if string(data) == "[DONE]" {
			s.done = true
			return nil, io.EOF
		}
		return data, nil
	}
}

// readLine returns the next line, its newline included, without copying
// it when it fits the buffer.
func (s *sseReader) readLine() ([]byte, error) {
	b, err := s.r.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return b, err
	}
	s.line = append(s.line[:0], b...)
	for errors.Is(err, bufio.ErrBufferFull) {
		b, err = s.r.ReadSlice('\n')
		s.line = append(s.line, b...)
	}
	return s.line, err
}

// upstreamError reads the error object gathered, as go-openai does; nil
// when there is none.
func (s *sseReader) upstreamError() error {
	if len(s.errBuf) == 0 {
		return nil
	}
	var resp openai.ErrorResponse
	if json.Unmarshal(s.errBuf, &resp) != nil || resp.Error == nil {
		return nil
	}
	return fmt.Errorf("error, %w", resp.Error)
}

// streamChunk is what the adapter reads of a streamed chunk. go-openai's
// own type decodes a dozen fields more (filters, log probabilities,
// fingerprints) for every token, each chunk allocating them anew.
type streamChunk struct {
	Model   string        `json:"model"`
	Choices []chunkChoice `json:"choices"`
	Usage   *chunkUsage   `json:"usage"`
}

type chunkChoice struct {
	Delta        chunkDelta `json:"delta"`
	FinishReason string     `json:"finish_reason"`
}

type chunkDelta struct {
	Content   string          `json:"content"`
	ToolCalls []chunkToolCall `json:"tool_calls"`
}

type chunkToolCall struct {
	Index    *int          `json:"index"`
	ID       string        `json:"id"`
	Function chunkFunction `json:"function"`
}

type chunkFunction struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

type chunkUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// decodeChunk decodes one chunk into v as json.Unmarshal would into a
// zero streamChunk; v may hold the previous chunk, whose choices' array
// it reuses. The common chunk is read by chunkParser; one it gives up on
// (a key in another case, a repeated array, a number that is not a plain
// integer, a string with a \u escape) goes to fallback.
func decodeChunk(raw []byte, v *streamChunk, fallback *chunkDecoder) error {
	seen := v.Model
	*v = streamChunk{Choices: v.Choices[:0]}
	p := chunkParser{b: raw, seen: seen}
	if p.chunk(v) {
		return nil
	}
	*v = streamChunk{}
	return fallback.decode(raw, v)
}

// chunkParser reads a chunk, validating it as it goes: it accepts only
// JSON that is valid (checking it first with json.Valid was two thirds of
// the parser's time). Each method returns false when the input is not
// valid or not the shape it reads, and the caller starts again with
// encoding/json.
type chunkParser struct {
	b []byte
	i int
	// seen is the previous chunk's model, kept rather than copied again.
	seen string
}

func (p *chunkParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// peek returns the next byte after space, 0 at the end.
func (p *chunkParser) peek() byte {
	p.space()
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *chunkParser) chunk(v *streamChunk) bool {
	seenChoices := false
	ok := p.object(func(key []byte) bool {
		switch string(key) {
		case "model":
			return p.str(&v.Model)
		case "choices":
			// A second array would be decoded over the first one's
			// elements by encoding/json: its to read.
			if seenChoices && len(v.Choices) > 0 {
				return false
			}
			seenChoices = true
			return p.choices(&v.Choices)
		case "usage":
			if p.null() {
				v.Usage = nil
				return true
			}
			if v.Usage == nil {
				v.Usage = &chunkUsage{}
			}
			return p.usage(v.Usage)
		}
		return p.unknown(key, "model", "choices", "usage")
	})
	if !ok {
		return false
	}
	p.space()
	return p.i == len(p.b)
}

func (p *chunkParser) choices(out *[]chunkChoice) bool {
	if p.null() {
		*out = nil
		return true
	}
	if *out == nil {
		*out = []chunkChoice{} // [] decodes to an empty slice, not nil
	}
	*out = (*out)[:0]
	return p.array(func() bool {
		*out = append(*out, chunkChoice{})
		c := &(*out)[len(*out)-1]
		return p.object(func(key []byte) bool {
			switch string(key) {
			case "delta":
				return p.delta(&c.Delta)
			case "finish_reason":
				return p.str(&c.FinishReason)
			}
			return p.unknown(key, "delta", "finish_reason")
		})
	})
}

func (p *chunkParser) delta(d *chunkDelta) bool {
	if p.null() {
		return true
	}
	return p.object(func(key []byte) bool {
		switch string(key) {
		case "content":
			return p.str(&d.Content)
		case "tool_calls":
			if len(d.ToolCalls) > 0 {
				return false // a repeated array: see chunk
			}
			if p.null() {
				d.ToolCalls = nil
				return true
			}
			if d.ToolCalls == nil {
				d.ToolCalls = []chunkToolCall{}
			}
			return p.array(func() bool {
				d.ToolCalls = append(d.ToolCalls, chunkToolCall{})
				return p.toolCall(&d.ToolCalls[len(d.ToolCalls)-1])
			})
		}
		return p.unknown(key, "content", "tool_calls")
	})
}

func (p *chunkParser) toolCall(c *chunkToolCall) bool {
	return p.object(func(key []byte) bool {
		switch string(key) {
		case "index":
			if p.null() {
				c.Index = nil
				return true
			}
			n, ok := p.integer()
			if ok {
				c.Index = &n
			}
			return ok
		case "id":
			return p.str(&c.ID)
		case "function":
			if p.null() {
				return true
			}
			return p.object(func(key []byte) bool {
				switch string(key) {
				case "name":
					return p.str(&c.Function.Name)
				case "arguments":
					return p.str(&c.Function.Arguments)
				}
				return p.unknown(key, "name", "arguments")
			})
		}
		return p.unknown(key, "index", "id", "function")
	})
}

func (p *chunkParser) usage(u *chunkUsage) bool {
	return p.object(func(key []byte) bool {
		var ok bool
		switch string(key) {
		case "prompt_tokens":
			if p.null() {
				return true
			}
			u.PromptTokens, ok = p.integer()
			return ok
		case "completion_tokens":
			if p.null() {
				return true
			}
			u.CompletionTokens, ok = p.integer()
			return ok
		}
		return p.unknown(key, "prompt_tokens", "completion_tokens")
	})
}

// unknown skips the value of a key the adapter does not read. A key that
// matches a known one in another case is one encoding/json would read (it
// matches names without regard to case): the parser gives up.
func (p *chunkParser) unknown(key []byte, known ...string) bool {
	for _, k := range known {
		if bytes.EqualFold(key, []byte(k)) {
			return false
		}
	}
	return p.skip()
}

// object reads an object, calling field with each key (without quotes)
// with the parser at its value.
func (p *chunkParser) object(field func(key []byte) bool) bool {
	if p.peek() != '{' {
		return false
	}
	p.i++
	if p.peek() == '}' {
		p.i++
		return true
	}
	for {
		if p.peek() != '"' {
			return false
		}
		key, ok := p.rawString()
		if !ok || p.peek() != ':' {
			return false
		}
		p.i++
		if !field(key) {
			return false
		}
		switch p.peek() {
		case ',':
			p.i++
		case '}':
			p.i++
			return true
		default:
			return false
		}
	}
}

// array reads an array, calling elem with the parser at each element.
func (p *chunkParser) array(elem func() bool) bool {
	if p.peek() != '[' {
		return false
	}
	p.i++
	if p.peek() == ']' {
		p.i++
		return true
	}
	for {
		if !elem() {
			return false
		}
		switch p.peek() {
		case ',':
			p.i++
		case ']':
			p.i++
			return true
		default:
			return false
		}
	}
}

// null consumes a null.
func (p *chunkParser) null() bool {
	if p.peek() == 'n' && bytes.HasPrefix(p.b[p.i:], []byte("null")) {
		p.i += 4
		return true
	}
	return false
}

// rawString reads a string without escapes and returns its bytes.
func (p *chunkParser) rawString() ([]byte, bool) {
	start := p.i + 1
	for j := start; j < len(p.b); j++ {
		switch c := p.b[j]; {
		case c == '\\' || c < 0x20:
			return nil, false
		case c == '"':
			p.i = j + 1
			return p.b[start:j], true
		}
	}
	return nil, false
}

// str reads a string value into s; null leaves s as it is, as
// encoding/json does. Escapes other than \u are undone here; invalid UTF-8
// and \u escapes make the parser give up.
func (p *chunkParser) str(s *string) bool {
	if p.null() {
		return true
	}
	if p.peek() != '"' {
		return false
	}
	start := p.i + 1
	j := start
	escaped := false
	for ; j < len(p.b) && p.b[j] != '"'; j++ {
		if p.b[j] < 0x20 {
			return false // not valid JSON
		}
		if p.b[j] == '\\' {
			escaped = true
			j++
		}
	}
	if j >= len(p.b) {
		return false
	}
	raw := p.b[start:j]
	p.i = j + 1
	if !utf8.Valid(raw) {
		return false
	}
	if !escaped {
		if string(raw) == p.seen {
			*s = p.seen // the model's name, which every chunk repeats
		} else {
			*s = string(raw)
		}
		return true
	}
	out := make([]byte, 0, len(raw))
	for k := 0; k < len(raw); k++ {
		c := raw[k]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		k++
		switch raw[k] {
		case '"', '\\', '/':
			out = append(out, raw[k])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		default: // \u: surrogates and all, encoding/json's to read
			return false
		}
	}
	*s = string(out)
	return true
}

// integer reads a number that is a plain integer, as an int field takes.
func (p *chunkParser) integer() (int, bool) {
	p.space()
	neg := false
	if p.i < len(p.b) && p.b[p.i] == '-' {
		neg = true
		p.i++
	}
	start, n := p.i, 0
	if p.i+1 < len(p.b) && p.b[p.i] == '0' && p.b[p.i+1] >= '0' && p.b[p.i+1] <= '9' {
		return 0, false // a leading zero: not valid JSON
	}
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		if p.i-start >= 15 {
			return 0, false // encoding/json's to range-check
		}
		n = n*10 + int(p.b[p.i]-'0')
		p.i++
	}
	if p.i == start {
		return 0, false
	}
	if p.i < len(p.b) {
		switch p.b[p.i] {
		case '.', 'e', 'E':
			return 0, false // a fraction or an exponent: not an int
		}
	}
	if neg {
		n = -n
	}
	return n, true
}

// skip passes over any value, checking that it is valid JSON.
func (p *chunkParser) skip() bool {
	return p.skipDepth(0)
}

// maxSkipDepth bounds the nesting skip follows (encoding/json's is 10000).
const maxSkipDepth = 64

func (p *chunkParser) skipDepth(depth int) bool {
	if depth > maxSkipDepth {
		return false
	}
	switch c := p.peek(); {
	case c == '{':
		return p.object(func([]byte) bool { return p.skipDepth(depth + 1) })
	case c == '[':
		return p.array(func() bool { return p.skipDepth(depth + 1) })
	case c == '"':
		return p.skipString()
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.null()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return false
}

func (p *chunkParser) literal(word string) bool {
	if bytes.HasPrefix(p.b[p.i:], []byte(word)) {
		p.i += len(word)
		return true
	}
	return false
}

// skipString passes over a string, checking its escapes and that it has
// no control characters.
func (p *chunkParser) skipString() bool {
	for j := p.i + 1; j < len(p.b); j++ {
		switch c := p.b[j]; {
		case c < 0x20:
			return false
		case c == '"':
			p.i = j + 1
			return true
		case c == '\\':
			j++
			if j >= len(p.b) {
				return false
			}
			switch p.b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(p.b) {
					return false
				}
				for _, h := range p.b[j+1 : j+5] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return false
					}
				}
				j += 4
			default:
				return false
			}
		}
	}
	return false
}

// number passes over a number of JSON's grammar.
func (p *chunkParser) number() bool {
	digits := func() int {
		n := 0
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.b[p.i] == '-' {
		p.i++
	}
	if p.i < len(p.b) && p.b[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return false
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return false
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}

// streamAttempt is one request's stream: the body streamBody received,
// read by an sseReader.
type streamAttempt struct {
	body io.ReadCloser
	sse  *sseReader
}

// drainWait bounds how long close waits for the end of a body whose
// stream said [DONE]: an upstream that holds it open costs a turn no more.
const drainWait = 100 * time.Millisecond

// close reads a finished stream's body to its end before closing it. The
// reader stops at [DONE], and the body's end (for a chunked body, the last
// chunk) often comes in a packet after it: a body closed before its end
// costs the transport its connection, and then every model call opened a
// new one (TestOpenAIReusesItsConnection; against a real upstream, a TLS
// handshake a call).
func (a *streamAttempt) close() {
	done := a.sse.done
	a.sse.close()
	if done {
		stop := time.AfterFunc(drainWait, func() { a.body.Close() })
		_, _ = io.CopyN(io.Discard, a.body, 4<<10)
		stop.Stop()
	}
	a.body.Close()
}

// withStreamBody returns a context whose request's successful body is
// handed to the returned holder.
func withStreamBody(ctx context.Context) (context.Context, *streamBody) {
	h := &streamBody{}
	return context.WithValue(ctx, streamBodyKey{}, h), h
}
