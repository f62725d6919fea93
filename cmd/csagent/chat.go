package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/web"
)

const chatUsage = "usage: csagent chat [--server URL] [--locale L] BUYER   (or CSAGENT_TOKEN=… csagent chat)"

// runChat is a terminal client of protocol v1: it buys a chat ticket with a
// buyer's token, opens the websocket with it, and sends each line of stdin
// as a message, printing the agent's reply on stdout and tool progress,
// confirmations and handoffs on stderr. It is what a newcomer types to talk
// to the server scripts/run.sh started, with nothing else installed.
func runChat(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	var cfg common
	var server, locale string
	var timeout time.Duration
	f := newFlags("chat", getenv, stderr)
	cfg.register(f)
	f.string(&server, "server", "http://127.0.0.1:8080", "the csagent server", "CSAGENT_SERVER")
	f.StringVar(&locale, "locale", "", "the conversation's language (en, ko, es, ru); empty: the buyer's")
	f.DurationVar(&timeout, "turn-timeout", 90*time.Second, "longest wait for one reply")
	if err := f.Parse(args); err != nil {
		return err
	}
	token := getenv("CSAGENT_TOKEN")
	switch {
	case f.NArg() == 1 && token == "":
		var err error
		if token, err = mintToken(ctx, &cfg, getenv, stderr, tools.RoleBuyer, f.Arg(0), time.Hour); err != nil {
			return err
		}
	case f.NArg() == 0 && token != "":
	default:
		return usageError{chatUsage}
	}
	base, err := url.Parse(strings.TrimRight(server, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return usageError{fmt.Sprintf("--server %q: want http://host:port or https://host", server)}
	}

	ticket, err := buyTicket(ctx, base.String(), token)
	if err != nil {
		return err
	}
	wsURL := *base
	wsURL.Scheme = map[string]string{"http": "ws", "https": "wss"}[base.Scheme]
	wsURL.Path += "/v1/chat/ws"
	wsURL.RawQuery = url.Values{"ticket": {ticket}}.Encode()
	ws, resp, err := websocket.DefaultDialer.DialContext(ctx, wsURL.String(), nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return fmt.Errorf("open the chat websocket at %s: %w", base.Host, err)
	}
	defer ws.Close()
	// The websocket is read on this goroutine only; a cancelled context
	// closes it so a blocked read returns.
	stop := context.AfterFunc(ctx, func() { ws.Close() })
	defer stop()

	c := &chatClient{ws: ws, timeout: timeout, stdout: stdout, stderr: stderr}
	hello := map[string]any{"type": "hello"}
	if locale != "" {
		hello["locale"] = locale
	}
	if err := c.write(hello); err != nil {
		return err
	}
	ready, err := c.until(func(fr cliFrame) (bool, error) {
		if fr.Type == "error" {
			return false, fmt.Errorf("hello refused: %s: %s", fr.Code, fr.Message)
		}
		return fr.Type == "ready", nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "conversation %s; type a message and Enter (Ctrl-D ends)\n", ready.ConversationID)

	prompt := isTerminal(stdin)
	lines := bufio.NewScanner(stdin)
	lines.Buffer(make([]byte, 64*1024), 64*1024)
	for n := 1; ; n++ {
		if prompt {
			fmt.Fprint(stderr, "you> ")
		}
		if !lines.Scan() {
			break
		}
		text := strings.TrimSpace(lines.Text())
		if text == "" {
			n--
			continue
		}
		id := "cli-" + strconv.Itoa(n)
		if err := c.turn(id, text); err != nil {
			return err
		}
	}
	if err := lines.Err(); err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	return nil
}

// mintToken signs a token as `csagent token` does: at the person's current
// token version when a database is configured.
func mintToken(ctx context.Context, cfg *common, getenv func(string) string, stderr io.Writer, role tools.Role, id string, ttl time.Duration) (string, error) {
	auth, err := cfg.clientAuth(getenv, stderr)
	if err != nil {
		return "", err
	}
	var ver int64
	if cfg.databaseURL != "" {
		pool, err := cfg.openPool(ctx)
		if err != nil {
			return "", err
		}
		defer pool.Close()
		if ver, err = web.TokenVersion(ctx, pool, role, id); err != nil {
			return "", err
		}
	}
	return auth.MintVersion(role, id, ver, ttl, time.Now())
}

// buyTicket exchanges a bearer token for a single-use chat ticket, so the
// token never travels in a URL.
func buyTicket(ctx context.Context, base, token string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/tickets", bytes.NewReader([]byte(`{"purpose":"chat"}`)))
	if err != nil {
		return "", fmt.Errorf("buy a chat ticket: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("buy a chat ticket (is the server running? scripts/run.sh starts one): %w", err)
	}
	defer resp.Body.Close()
	var body struct {
		Ticket string `json:"ticket"`
		Error  struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64*1024)).Decode(&body); err != nil || resp.StatusCode != http.StatusCreated || body.Ticket == "" {
		return "", fmt.Errorf("buy a chat ticket: %s %s %s", resp.Status, body.Error.Code, body.Error.Message)
	}
	return body.Ticket, nil
}

// cliFrame is any server frame; Type says which fields matter.
type cliFrame struct {
	Type           string `json:"type"`
	ConversationID string `json:"conversation_id"`
	Role           string `json:"role"`
	Text           string `json:"text"`
	Name           string `json:"name"`
	Status         string `json:"status"`
	Summary        string `json:"summary"`
	Reason         string `json:"reason"`
	Code           string `json:"code"`
	Message        string `json:"message"`
	ID             string `json:"id"`
	Citations      []struct {
		DocID   string `json:"doc_id"`
		Heading string `json:"heading"`
		URL     string `json:"url"`
	} `json:"citations"`
}

type chatClient struct {
	ws      *websocket.Conn
	timeout time.Duration
	stdout  io.Writer
	stderr  io.Writer
}

func (c *chatClient) write(v any) error {
	c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := c.ws.WriteJSON(v); err != nil {
		return fmt.Errorf("send frame: %w", err)
	}
	return nil
}

// until reads frames until done says a frame ends the wait.
func (c *chatClient) until(done func(cliFrame) (bool, error)) (cliFrame, error) {
	c.ws.SetReadDeadline(time.Now().Add(c.timeout))
	for {
		var fr cliFrame
		if err := c.ws.ReadJSON(&fr); err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return fr, fmt.Errorf("the server closed the chat: %d %s", ce.Code, ce.Text)
			}
			return fr, fmt.Errorf("read frame: %w", err)
		}
		ok, err := done(fr)
		if err != nil || ok {
			return fr, err
		}
	}
}

// turn sends one message and prints what comes back up to the stored reply.
// A refused message (rate_limited, invalid) is printed and the chat goes on.
func (c *chatClient) turn(id, text string) error {
	if err := c.write(map[string]any{"type": "user_message", "id": id, "text": text}); err != nil {
		return err
	}
	_, err := c.until(func(fr cliFrame) (bool, error) {
		switch fr.Type {
		case "tool":
			if fr.Status != "started" {
				fmt.Fprintf(c.stderr, "  · %s %s\n", fr.Name, fr.Status)
			}
		case "confirm_request":
			fmt.Fprintf(c.stderr, "  ? waiting for your yes: %s (reply yes or no)\n", fr.Summary)
		case "handoff":
			fmt.Fprintf(c.stderr, "  → handed to a person (%s)\n", fr.Reason)
		case "error":
			if fr.ID == "" || fr.ID == id {
				fmt.Fprintf(c.stderr, "  ! refused: %s: %s\n", fr.Code, fr.Message)
				return true, nil
			}
		case "message":
			if fr.Role != "assistant" && fr.Role != "staff" && fr.Role != "seller" {
				return false, nil
			}
			fmt.Fprintf(c.stdout, "agent: %s\n", fr.Text)
			for _, ct := range fr.Citations {
				fmt.Fprintf(c.stderr, "  [%s §%s] %s\n", ct.DocID, ct.Heading, ct.URL)
			}
			return true, nil
		}
		return false, nil
	})
	return err
}

// isTerminal reports whether r is a terminal, where a prompt helps; a pipe
// or a file gets none.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
