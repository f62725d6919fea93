package fakellm

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
)

// OpenAI's own limits on one embeddings request; they also bound the
// response the fake has to produce.
const (
	maxEmbeddingInputs = 2048
	maxEmbeddingDims   = 8192
)

type embeddingRequestWire struct {
	Model          string          `json:"model"`
	Input          json.RawMessage `json:"input"`
	Dimensions     int             `json:"dimensions"`
	EncodingFormat string          `json:"encoding_format"`
}

// embeddingInput is one input: text, or a pre-tokenised array.
type embeddingInput struct {
	text   string
	tokens []int64
}

func (s *Server) handleEmbeddings(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var wire embeddingRequestWire
	if err := json.Unmarshal(body, &wire); err != nil {
		writeAPIError(w, http.StatusBadRequest, invalid("", "invalid_json",
			"We could not parse the JSON body of your request: "+err.Error()))
		return
	}
	if wire.Model == "" {
		writeAPIError(w, http.StatusBadRequest, invalid("model", "missing_required_parameter", "You must provide a model parameter."))
		return
	}
	dims := s.opts.EmbeddingDims
	if wire.Dimensions != 0 {
		dims = wire.Dimensions
	}
	if dims < 1 || dims > maxEmbeddingDims {
		writeAPIError(w, http.StatusBadRequest, invalid("dimensions", "invalid_value",
			"dimensions must be between 1 and "+strconv.Itoa(maxEmbeddingDims)+"."))
		return
	}
	if f := wire.EncodingFormat; f != "" && f != "float" && f != "base64" {
		writeAPIError(w, http.StatusBadRequest, invalid("encoding_format", "invalid_value", "encoding_format must be 'float' or 'base64'."))
		return
	}
	inputs, apiErr := decodeInputs(wire.Input)
	if apiErr != nil {
		writeAPIError(w, http.StatusBadRequest, apiErr)
		return
	}
	writeEmbeddings(w, wire.Model, inputs, dims, wire.EncodingFormat == "base64")
}

// decodeInputs accepts every shape OpenAI does: a string, an array of
// strings, an array of token ids, or an array of such arrays.
func decodeInputs(raw json.RawMessage) ([]embeddingInput, *apiError) {
	bad := invalid("input", "invalid_value",
		"'input' must be a non-empty string, array of strings, array of tokens or array of token arrays.")
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, invalid("input", "missing_required_parameter", "You must provide an input parameter.")
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == "" {
			return nil, bad
		}
		return []embeddingInput{{text: one}}, nil
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil || len(items) == 0 {
		return nil, bad
	}
	if len(items) > maxEmbeddingInputs {
		return nil, invalid("input", "invalid_value", "'input' may hold at most "+strconv.Itoa(maxEmbeddingInputs)+" items.")
	}
	var tokens []int64
	if json.Unmarshal(raw, &tokens) == nil {
		return []embeddingInput{{tokens: tokens}}, nil
	}
	out := make([]embeddingInput, 0, len(items))
	for _, it := range items {
		var in embeddingInput
		if json.Unmarshal(it, &in.text) != nil && json.Unmarshal(it, &in.tokens) != nil {
			return nil, bad
		}
		if in.text == "" && len(in.tokens) == 0 {
			return nil, bad
		}
		out = append(out, in)
	}
	return out, nil
}

// writeEmbeddings writes the response one vector at a time, so memory stays
// at one vector however many inputs and dimensions are asked for.
func writeEmbeddings(w http.ResponseWriter, model string, inputs []embeddingInput, dims int, b64 bool) {
	tokens := 0
	for _, in := range inputs {
		if in.tokens != nil {
			tokens += len(in.tokens)
		} else {
			tokens += count(words(in.text))
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte(`{"object":"list","data":[`)); err != nil {
		return
	}
	vec := make([]float32, dims)
	for i, in := range inputs {
		embed(vec, in)
		item := struct {
			Object    string `json:"object"`
			Index     int    `json:"index"`
			Embedding any    `json:"embedding"`
		}{"embedding", i, vec}
		if b64 {
			item.Embedding = encodeBase64(vec)
		}
		b, _ := json.Marshal(item)
		if i > 0 {
			b = append([]byte{','}, b...)
		}
		if _, err := w.Write(b); err != nil {
			return
		}
	}
	name, _ := json.Marshal(model)
	tail := `],"model":` + string(name) + `,"usage":{"prompt_tokens":` + strconv.Itoa(tokens) +
		`,"total_tokens":` + strconv.Itoa(tokens) + "}}\n"
	_, _ = w.Write([]byte(tail))
}

// embed fills vec with the input's hashed features, L2-normalised. Text
// uses character trigrams of the lower-cased, space-padded string, so texts
// sharing words land near each other; token arrays use ids and id pairs.
// Each feature adds ±1 at a hashed index (the sign from another hash bit)
// so unrelated inputs come out near orthogonal rather than all positive.
func embed(vec []float32, in embeddingInput) {
	clear(vec)
	add := func(h uint64) {
		i := h % uint64(len(vec))
		if h>>63 == 0 {
			vec[i]++
		} else {
			vec[i]--
		}
	}
	var first uint64
	if in.tokens != nil {
		id := func(t int64) string { return strconv.FormatInt(t, 10) }
		for i, t := range in.tokens {
			add(hash("t:" + id(t)))
			if i > 0 {
				add(hash("p:" + id(in.tokens[i-1]) + ":" + id(t)))
			}
		}
		first = hash("t:" + id(in.tokens[0]))
	} else {
		text := " " + strings.ToLower(in.text) + " "
		// win holds the byte offsets of the last three runes, so a trigram
		// is three characters however many bytes they take.
		var win [3]int
		n := 0
		for i := range text {
			if n >= 3 {
				add(hash(text[win[0]:i]))
			}
			win[0], win[1], win[2] = win[1], win[2], i
			n++
		}
		// The padding guarantees at least three runes.
		add(hash(text[win[0]:]))
		first = hash(text)
	}
	var sum float64
	for _, v := range vec {
		sum += float64(v) * float64(v)
	}
	if sum == 0 {
		// Every feature cancelled out; fall back to one hashed axis so the
		// vector can still be normalised.
		vec[first%uint64(len(vec))] = 1
		return
	}
	norm := float32(1 / math.Sqrt(sum))
	for i := range vec {
		vec[i] *= norm
	}
}

// hash is 64-bit FNV-1a, inlined to hash substrings without copying them.
func hash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// encodeBase64 is OpenAI's base64 format: little-endian float32s.
func encodeBase64(vec []float32) string {
	buf := make([]byte, 4*len(vec))
	for i, v := range vec {
		binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
	}
	return base64.StdEncoding.EncodeToString(buf)
}
