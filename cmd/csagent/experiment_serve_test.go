package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/migrations/pgtest"
	"github.com/csagent/csagent/tools/demo"
)

// TestServeRunsAnExperiment: serve with --experiments assigns a buyer's
// conversation to its arm at the first message, over a real websocket;
// the reply's usage records the arm; `csagent experiment report` reads it
// out (interim, one conversation); stopping the experiment in the file and
// sending SIGHUP sends the conversation to the defaults at its next turn.
func TestServeRunsAnExperiment(t *testing.T) {
	// Not t.Parallel: SIGHUP goes to the whole test process, and a parallel
	// test's server would take it as its own reload.
	pool, dbURL := pgtest.NewWithURL(t)
	getenv := testEnv("DATABASE_URL", dbURL, "CSAGENT_AUTH_SECRET", testSecret)
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"csagent", "seed", "--demo"}, getenv, nil, &out, &errOut); err != nil {
		t.Fatalf("seed --demo: %v\n%s", err, errOut.String())
	}
	path := writeExperiments(t, experimentsYAML)
	cfg, err := loadExperiments(path)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := cfg.Experiment("strictness")
	buyer := demo.BuyerID(0)
	arm := e.Assign(buyer)
	out.Reset()
	if err := run(t.Context(), []string{"csagent", "token", "buyer", buyer}, getenv, nil, &out, &errOut); err != nil {
		t.Fatalf("token: %v", err)
	}
	token := strings.TrimSpace(out.String())

	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	var serveOut, serveErr syncBuffer
	go func() {
		done <- run(ctx, []string{"csagent", "serve", "--addr", addr, "--log-format", "json", "--experiments", path}, getenv, nil, &serveOut, &serveErr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop within 30s of cancel")
		}
	})
	waitHealthy(t, "http://"+addr, done)

	ws, _, err := websocket.DefaultDialer.DialContext(t.Context(), "ws://"+addr+"/v1/chat/ws", http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer ws.Close()
	ws.WriteJSON(map[string]any{"type": "hello"})
	var conv string
	say := func(id, text string) agent.TurnUsage {
		t.Helper()
		ws.WriteJSON(map[string]any{"type": "user_message", "id": id, "text": text})
		ws.SetReadDeadline(time.Now().Add(60 * time.Second))
		var f struct {
			Type           string `json:"type"`
			Role           string `json:"role"`
			ConversationID string `json:"conversation_id"`
			Seq            int64  `json:"seq"`
		}
		for f.Type != "message" || f.Role != "assistant" {
			f.Type, f.Role = "", ""
			if err := ws.ReadJSON(&f); err != nil {
				t.Fatalf("read: %v", err)
			}
			if f.Type == "ready" {
				conv = f.ConversationID
			}
		}
		var u agent.TurnUsage
		var usage []byte
		if err := pool.QueryRow(t.Context(), `SELECT usage FROM messages WHERE conversation_id = $1 AND seq = $2`, conv, f.Seq).Scan(&usage); err != nil {
			t.Fatal(err)
		}
		json.Unmarshal(usage, &u)
		return u
	}
	if u := say("1", "hello"); u.Experiment != "strictness" || u.Variant != arm {
		t.Errorf("first turn usage: experiment %q variant %q, want strictness/%s", u.Experiment, u.Variant, arm)
	}
	var exp, variant string
	if err := pool.QueryRow(t.Context(), `SELECT experiment, variant FROM conversations WHERE id = $1`, conv).Scan(&exp, &variant); err != nil {
		t.Fatalf("the conversation's exposure: %v", err)
	}
	if exp != "strictness" || variant != arm {
		t.Errorf("exposure %s/%s, want strictness/%s", exp, variant, arm)
	}

	out.Reset()
	if err := run(t.Context(), []string{"csagent", "experiment", "report", "--experiments", path, "strictness"}, getenv, nil, &out, &errOut); err != nil {
		t.Fatalf("experiment report: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "interim readout") || !strings.Contains(out.String(), "Interim: the smallest arm has 0 of the 500") {
		t.Errorf("experiment report printed:\n%s\nwant an interim readout", out.String())
	}

	// The kill switch: the file says stopped, and a SIGHUP applies it.
	mark := len(serveErr.String())
	if err := os.WriteFile(path, []byte(strings.Replace(experimentsYAML, "horizon: 500", "horizon: 500\n    stopped: true", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(serveErr.String()[mark:], "experiments file reloaded") {
		if time.Now().After(deadline) {
			t.Fatalf("no reload logged after SIGHUP:\n%s", serveErr.String()[mark:])
		}
		time.Sleep(20 * time.Millisecond)
	}
	if u := say("2", "where is my order?"); u.Experiment != "strictness" || !u.ExperimentStopped || u.Variant != "" {
		t.Errorf("after the stop: usage experiment %q stopped %v variant %q, want the defaults, marked stopped", u.Experiment, u.ExperimentStopped, u.Variant)
	}
}
