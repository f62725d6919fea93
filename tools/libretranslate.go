package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// LibreTranslate is a Translator on a LibreTranslate-compatible HTTP API
// (POST /translate). It is safe for concurrent use.
type LibreTranslate struct {
	endpoint string
	apiKey   string
	client   *http.Client
}

var _ Translator = (*LibreTranslate)(nil)

// NewLibreTranslate returns a Translator on the LibreTranslate server at
// baseURL (e.g. "http://127.0.0.1:5000"), sending apiKey when it is not
// empty. A nil client means one with a 15-second timeout.
func NewLibreTranslate(baseURL, apiKey string, client *http.Client) *LibreTranslate {
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	return &LibreTranslate{endpoint: strings.TrimRight(baseURL, "/") + "/translate", apiKey: apiKey, client: client}
}

type libreRequest struct {
	Q      string `json:"q"`
	Source string `json:"source"`
	Target string `json:"target"`
	Format string `json:"format"`
	APIKey string `json:"api_key,omitempty"`
}

type libreResponse struct {
	TranslatedText *string `json:"translatedText"`
	Error          string  `json:"error"`
}

// maxLibreResponse bounds what is read of a response: a translation of
// MaxTranslateChars characters, with room to spare.
const maxLibreResponse = 1 << 20

// Translate implements Translator. An empty source is sent as "auto". A 400
// answer that names an unsupported language wraps ErrUnsupportedLanguage;
// other failures (refused key, rate limit, server error, malformed answer)
// are errors with the status and the server's short explanation.
func (l *LibreTranslate) Translate(ctx context.Context, text, source, target string) (string, error) {
	if source == "" {
		source = "auto"
	}
	body, err := json.Marshal(libreRequest{Q: text, Source: source, Target: target, Format: "text", APIKey: l.apiKey})
	if err != nil {
		return "", fmt.Errorf("encode translation request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.endpoint, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("build translation request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := l.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("translation request: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxLibreResponse+1))
	if err != nil {
		return "", fmt.Errorf("read translation response: %w", err)
	}
	if len(raw) > maxLibreResponse {
		return "", errors.New("translation response too large")
	}
	var r libreResponse
	decodeErr := json.Unmarshal(raw, &r)
	if resp.StatusCode != http.StatusOK {
		msg := clean(r.Error, 200)
		if resp.StatusCode == http.StatusBadRequest && strings.Contains(strings.ToLower(msg), "not supported") {
			return "", fmt.Errorf("translator: %s: %w", msg, ErrUnsupportedLanguage)
		}
		return "", fmt.Errorf("translator answered %d: %s", resp.StatusCode, msg)
	}
	if decodeErr != nil || r.TranslatedText == nil {
		return "", errors.New("translator answered without a translation")
	}
	return *r.TranslatedText, nil
}
