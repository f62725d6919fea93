package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools/demo"
)

// csagent chat talks to a running server as a newcomer would: it buys a
// ticket with the buyer's token (none travels in a URL), sends each line,
// and prints the agent's replies; a token the server refuses ends it with
// the server's code.
func TestChatCommand(t *testing.T) {
	t.Parallel()
	_, dbURL := pgtest.NewWithURL(t)
	getenv := testEnv("DATABASE_URL", dbURL, "CSAGENT_AUTH_SECRET", testSecret)
	var errOut bytes.Buffer
	if err := run(t.Context(), []string{"csagent", "seed", "--demo"}, getenv, nil, &bytes.Buffer{}, &errOut); err != nil {
		t.Fatalf("seed --demo: %v\n%s", err, errOut.String())
	}
	var shipped demo.Order
	for _, o := range demo.Plan() {
		if o.Kind == demo.InTransit {
			shipped = o
			break
		}
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	var serveOut, serveErr syncBuffer
	go func() {
		done <- run(ctx, []string{"csagent", "serve", "--addr", addr}, getenv, nil, &serveOut, &serveErr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})
	waitHealthy(t, "http://"+addr, done)

	var out bytes.Buffer
	errOut.Reset()
	in := strings.NewReader("where is my order " + shipped.ID + "?\n\nthanks\n")
	if err := run(t.Context(), []string{"csagent", "chat", shipped.BuyerID, "--server", "http://" + addr}, getenv, in, &out, &errOut); err != nil {
		t.Fatalf("chat: %v\n%s", err, errOut.String())
	}
	replies := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(replies) != 2 || !strings.HasPrefix(replies[0], "agent: ") || !strings.Contains(replies[0], shipped.ID) {
		t.Errorf("chat printed %q, want two replies, the first about %s", out.String(), shipped.ID)
	}
	if !strings.Contains(errOut.String(), "conversation c_") || !strings.Contains(errOut.String(), "track_shipment done") && !strings.Contains(errOut.String(), "get_order done") {
		t.Errorf("chat's stderr %q, want the conversation id and the tool's progress", errOut.String())
	}

	errOut.Reset()
	err := run(t.Context(), []string{"csagent", "chat", "--server", "http://" + addr}, testEnv("CSAGENT_TOKEN", "not-a-token"), strings.NewReader("hi\n"), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "unauthorized") {
		t.Errorf("chat with a bad token = %v, want the server's 401 unauthorized", err)
	}
	err = run(t.Context(), []string{"csagent", "chat"}, testEnv(), strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "usage: csagent chat") {
		t.Errorf("chat without a buyer = %v, want the usage", err)
	}
}
