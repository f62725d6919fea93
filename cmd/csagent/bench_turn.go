package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/gorilla/websocket"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// turnBenchConfig is what bench turn measures.
type turnBenchConfig struct {
	turns       int
	concurrency int
	streamTurns int
	streamTPS   float64
	cpuProfile  string
	memProfile  string
	poolMax     int
	mix         string
	// serverProcess runs the server in a child process, so that CPU and
	// allocations are the server's alone.
	serverProcess bool
	// pgStatements splits the throughput run's Postgres work by statement
	// (bench_pgstat.go).
	pgStatements bool
}

func (c *turnBenchConfig) register(f *flags) {
	f.IntVar(&c.turns, "turns", 200, "turns in the one-at-a-time latency run, and again in the throughput run")
	f.IntVar(&c.concurrency, "concurrency", 50, "conversations chatting at once in the throughput run")
	f.IntVar(&c.streamTurns, "stream-turns", 50, "turns in the streaming run")
	f.Float64Var(&c.streamTPS, "stream-tokens-per-second", 200, "pace of the fake's streamed tokens in the streaming run")
	f.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the latency and throughput runs to this file; samples carry the label side=server, client or fake (go tool pprof -tags, -tagfocus side=server)")
	f.StringVar(&c.memProfile, "memprofile", "", "write an allocation profile of the latency and throughput runs to this file (every allocation sampled)")
	f.IntVar(&c.poolMax, "db-max-conns", 0, "the server's database pool size (pool_max_conns); 0 keeps serve's default")
	f.BoolVar(&c.serverProcess, "server-process", false, "run the server in a process of its own (this binary as its child), so the CPU time, allocations and profiles "+
		"are the server's alone, without the client and the fake; the profiles are then the server's (written when the throughput run ends)")
	f.BoolVar(&c.pgStatements, "pg-statements", false, "split the throughput run's Postgres work by statement, per turn (pg_stat_statements, pg_stat_wal, pg_stat_database); "+
		"needs a cluster started with shared_preload_libraries = 'pg_stat_statements'")
	f.StringVar(&c.mix, "mix", "default", `what buyers ask: "default" (where is an order, an order's status, a policy question, in turn) or "order" (only an order's status: one get_order round trip, the peers' turn in ../shared/peers)`)
}

// turnReport is bench turn's result. Durations are in milliseconds.
type turnReport struct {
	Conditions benchConditions `json:"conditions"`
	// Mix is what the buyers asked (--mix).
	Mix     string `json:"mix"`
	Latency struct {
		Turns int `json:"turns"`
		// Turn is what the buyer waits: user_message sent to the stored
		// reply's message frame received.
		Turn     quantiles `json:"turn_ms"`
		Upstream quantiles `json:"upstream_ms"`
		// Overhead is Turn minus the upstream's own time: csagent's cost.
		Overhead quantiles `json:"overhead_ms"`
		// Steps split the overhead: before the first model call, between
		// model calls (the tools), after the last (guardrails, storing,
		// sending).
		Steps map[string]quantiles `json:"steps_ms"`
		// OverheadByQuestion splits Overhead by what the buyer asked:
		// "where" (track_shipment), "status" (get_order), "policy"
		// (search_policy, its retrieval and its passages' screening).
		OverheadByQuestion map[string]quantiles `json:"overhead_by_question_ms"`
		ModelCallsPerTurn  float64              `json:"model_calls_per_turn"`
		ToolFramesPerTurn  float64              `json:"tool_frames_per_turn"`
		// Measured says whose allocations and CPU time the next three
		// fields count: the whole bench process (server, client and fake)
		// or, with --server-process, the server alone.
		Measured      string  `json:"measured"`
		AllocsPerTurn float64 `json:"allocs_per_turn"`
		BytesPerTurn  float64 `json:"alloc_bytes_per_turn"`
		// CPUPerTurn is the measured process's CPU time (user and system)
		// per turn, not Postgres's. Unlike the wall times it hardly moves
		// when other work shares the machine.
		CPUPerTurn float64 `json:"process_cpu_ms_per_turn"`
		// The rest of the machine's CPU per turn (bench_split.go).
		cpuPerTurn
	} `json:"latency"`
	Throughput struct {
		Concurrency    int       `json:"concurrency"`
		Turns          int       `json:"turns"`
		Seconds        float64   `json:"seconds"`
		TurnsPerSecond float64   `json:"turns_per_second"`
		Turn           quantiles `json:"turn_ms"`
		Pool           *poolUse  `json:"database_pool,omitempty"`
		CPUPerTurn     float64   `json:"process_cpu_ms_per_turn"`
		AllocsPerTurn  float64   `json:"allocs_per_turn"`
		BytesPerTurn   float64   `json:"alloc_bytes_per_turn"`
		cpuPerTurn
	} `json:"throughput"`
	Streaming struct {
		Turns           int     `json:"turns"`
		TokensPerSecond float64 `json:"tokens_per_second"`
		UpstreamDeltas  float64 `json:"upstream_deltas_per_turn"`
		ServerDeltas    float64 `json:"server_deltas_per_turn"`
		// AddedFirstText is the buyer's first sight of the answer's text (a
		// delta, or the whole message when the server sends no deltas)
		// minus the upstream's first text delta.
		AddedFirstText quantiles `json:"added_first_text_ms"`
		// AddedPerDelta is, for each delta the buyer gets, its arrival
		// minus the write of the upstream delta that completed its text
		// (matched by bytes of text); empty when the server sends no
		// deltas.
		AddedPerDelta quantiles `json:"added_per_delta_ms"`
		Note          string    `json:"note,omitempty"`
	} `json:"streaming"`
	// PGStatements is the throughput run's Postgres work by statement
	// (--pg-statements).
	PGStatements *pgStatementsReport `json:"pg_statements,omitempty"`
	Guardrail    map[string]int      `json:"guardrail_verdicts"`
	Errors       int                 `json:"errors"`
	ErrorSample  []string            `json:"error_sample,omitempty"`
}

// benchTurn measures the server's overhead of a chat turn over real
// websockets against a zero-latency fake, then its throughput with many
// conversations at once, then what it adds to a streaming upstream.
func benchTurn(ctx context.Context, cfg turnBenchConfig, getenv func(string) string, stdout, stderr io.Writer) (*turnReport, error) {
	if cfg.turns < 1 || cfg.concurrency < 1 || cfg.streamTurns < 0 || cfg.streamTPS <= 0 {
		return nil, usageError{"--turns and --concurrency must be at least 1, --stream-turns at least 0, --stream-tokens-per-second above 0"}
	}
	if cfg.mix != "default" && cfg.mix != "order" {
		return nil, usageError{`--mix must be "default" or "order"`}
	}
	var srv *benchServer
	var err error
	rep := &turnReport{Guardrail: map[string]int{}, Mix: cfg.mix}
	if cfg.serverProcess {
		fmt.Fprintln(stdout, "setting up: a fresh database with the demo data, csagent wired as serve in a process of its own, fakellm in this one")
		srv, err = startBenchServerProcess(ctx, getenv, stderr, fakellm.Options{}, cfg.poolMax, cfg.cpuProfile, cfg.memProfile)
		rep.Conditions = conditions("csagent server in its own process; client and fakellm in this one; real websockets and HTTP over loopback; "+
			"CPU and allocations count the server alone", limitsText())
	} else {
		fmt.Fprintln(stdout, "setting up: a fresh database with the demo data, csagent wired as serve, fakellm in process")
		srv, err = startBenchServer(ctx, getenv, stderr, fakellm.Options{}, cfg.poolMax)
		rep.Conditions = conditions("client, csagent server and fakellm in one process; real websockets and HTTP over loopback; "+
			"allocations count the whole process", limitsText())
	}
	if err != nil {
		return nil, err
	}
	defer srv.close()
	srv.orderMix = cfg.mix == "order"
	var errs errorLog
	buyers := demoBuyers()

	if cfg.cpuProfile != "" && srv.profile == nil {
		pf, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return nil, fmt.Errorf("create profile: %w", err)
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return nil, fmt.Errorf("start profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}

	if cfg.memProfile != "" && srv.profile == nil {
		// Every allocation, from here on: the profile's counts are exact.
		defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
		runtime.MemProfileRate = 1
	}

	// Warm up: the first turns pay for connection pools and caches.
	if _, err := runTurns(ctx, srv, buyers, min(cfg.turns, 20), 1, "w", nil, &errorLog{}); err != nil {
		return nil, err
	}

	if srv.profile != nil && (cfg.cpuProfile != "" || cfg.memProfile != "") {
		if err := srv.profile(true); err != nil {
			return nil, err
		}
	}

	// Latency: one turn at a time, each with its upstream calls timed.
	s0, err := srv.sample()
	if err != nil {
		return nil, err
	}
	c0 := splitCPU(ctx, srv.statsDB)
	srv.tap.recording.Store(true)
	traces, err := runTurns(ctx, srv, buyers, cfg.turns, 1, "l", srv.tap, &errs)
	srv.tap.recording.Store(false)
	if err != nil {
		return nil, err
	}
	s1, err := srv.sample()
	if err != nil {
		return nil, err
	}
	lat := &rep.Latency
	lat.perTurn(c0, splitCPU(ctx, srv.statsDB), len(traces), cfg.serverProcess)
	lat.Measured = srv.scope
	lat.Turns = len(traces)
	var turn, upstream, overhead []float64
	steps := map[string][]float64{}
	byQuestion := map[string][]float64{}
	calls, toolFrames := 0, 0
	for _, tr := range traces {
		rep.Guardrail[tr.guardrail]++
		total := msBetween(tr.sent, tr.done)
		up := 0.0
		for _, c := range tr.upstream {
			up += msBetween(c.start, c.end)
		}
		turn, upstream, overhead = append(turn, total), append(upstream, up), append(overhead, total-up)
		byQuestion[tr.question] = append(byQuestion[tr.question], total-up)
		calls += len(tr.upstream)
		toolFrames += tr.toolFrames
		if n := len(tr.upstream); n > 0 {
			steps["before_model"] = append(steps["before_model"], msBetween(tr.sent, tr.upstream[0].start))
			between := 0.0
			for i := 1; i < n; i++ {
				between += msBetween(tr.upstream[i-1].end, tr.upstream[i].start)
			}
			steps["between_models"] = append(steps["between_models"], between)
			steps["after_model"] = append(steps["after_model"], msBetween(tr.upstream[n-1].end, tr.done))
		}
	}
	lat.Turn, lat.Upstream, lat.Overhead = quantilesOf(turn), quantilesOf(upstream), quantilesOf(overhead)
	lat.Steps = map[string]quantiles{}
	for k, v := range steps {
		lat.Steps[k] = quantilesOf(v)
	}
	lat.OverheadByQuestion = map[string]quantiles{}
	for k, v := range byQuestion {
		lat.OverheadByQuestion[k] = quantilesOf(v)
	}
	if n := float64(len(traces)); n > 0 {
		lat.ModelCallsPerTurn = float64(calls) / n
		lat.ToolFramesPerTurn = float64(toolFrames) / n
		lat.AllocsPerTurn = round3(float64(s1.Mallocs-s0.Mallocs) / n)
		lat.BytesPerTurn = round3(float64(s1.Bytes-s0.Bytes) / n)
		lat.CPUPerTurn = round3(msOf(s1.CPU-s0.CPU) / n)
	}

	// Throughput: many conversations at once, nothing timed but the turn.
	poolSince := srv.poolSample() // before the clock starts: it waits for Postgres's statistics
	var pg0 *pgStatements
	if cfg.pgStatements {
		if err := enablePGStatements(ctx, srv.statsDB); err != nil {
			return nil, err
		}
		if pg0, err = readPGStatements(ctx, srv.statsDB, false); err != nil {
			return nil, err
		}
	}
	if s0, err = srv.sample(); err != nil {
		return nil, err
	}
	c0 = splitCPU(ctx, srv.statsDB)
	start := time.Now()
	traces, err = runTurns(ctx, srv, buyers, cfg.turns, cfg.concurrency, "t", nil, &errs)
	if err != nil {
		return nil, err
	}
	tp := &rep.Throughput
	tp.Seconds = time.Since(start).Seconds()
	if s1, err = srv.sample(); err != nil {
		return nil, err
	}
	tp.perTurn(c0, splitCPU(ctx, srv.statsDB), len(traces), cfg.serverProcess)
	if n := float64(len(traces)); n > 0 {
		tp.CPUPerTurn = round3(msOf(s1.CPU-s0.CPU) / n)
		tp.AllocsPerTurn = round3(float64(s1.Mallocs-s0.Mallocs) / n)
		tp.BytesPerTurn = round3(float64(s1.Bytes-s0.Bytes) / n)
	}
	tp.Pool = poolSince(len(traces))
	if pg0 != nil {
		pg1, err := readPGStatements(ctx, srv.statsDB, tp.Pool == nil) // poolSince, when it reads, has waited for the statistics
		if err != nil {
			return nil, err
		}
		rep.PGStatements = pg1.perTurn(pg0, len(traces))
	}
	tp.Concurrency, tp.Turns = cfg.concurrency, len(traces)
	tp.TurnsPerSecond = float64(len(traces)) / tp.Seconds
	turn = turn[:0]
	for _, tr := range traces {
		rep.Guardrail[tr.guardrail]++
		turn = append(turn, msBetween(tr.sent, tr.done))
	}
	tp.Turn = quantilesOf(turn)
	if srv.profile != nil && (cfg.cpuProfile != "" || cfg.memProfile != "") {
		if err := srv.profile(false); err != nil {
			return nil, err
		}
	}
	if cfg.cpuProfile != "" && srv.profile == nil {
		pprof.StopCPUProfile()
	}
	if cfg.memProfile != "" && srv.profile == nil {
		if err := writeHeapProfile(cfg.memProfile); err != nil {
			return nil, err
		}
	}

	// Streaming: the fake paces its tokens; what does the server add to
	// the first one and to each after it?
	if cfg.streamTurns > 0 {
		srv.tap.use(fakellm.Options{TokensPerSecond: cfg.streamTPS})
		srv.tap.recording.Store(true)
		traces, err = runTurns(ctx, srv, buyers, cfg.streamTurns, 1, "s", srv.tap, &errs)
		srv.tap.recording.Store(false)
		if err != nil {
			return nil, err
		}
		st := &rep.Streaming
		st.Turns, st.TokensPerSecond = len(traces), cfg.streamTPS
		var first, per []float64
		upDeltas, srvDeltas := 0, 0
		for _, tr := range traces {
			rep.Guardrail[tr.guardrail]++
			// The answer's text comes from the last upstream call.
			var up upstreamCall
			if n := len(tr.upstream); n > 0 {
				up = tr.upstream[n-1]
			}
			upDeltas += len(up.deltas)
			srvDeltas += len(tr.deltas)
			if len(up.deltas) == 0 {
				continue
			}
			seen := tr.done
			if len(tr.deltas) > 0 {
				seen = tr.deltas[0]
			}
			first = append(first, msBetween(up.deltas[0], seen))
			// Each delta the buyer gets is timed against the upstream
			// delta that completed its text, so holding text back to
			// check whole sentences counts as added time only from when
			// the sentence was complete.
			for j, have := range tr.deltaUpTo {
				k, _ := slices.BinarySearch(up.upTo, min(have, up.upTo[len(up.upTo)-1]))
				per = append(per, msBetween(up.deltas[k], tr.deltas[j]))
			}
		}
		if n := float64(len(traces)); n > 0 {
			st.UpstreamDeltas, st.ServerDeltas = float64(upDeltas)/n, float64(srvDeltas)/n
		}
		st.AddedFirstText, st.AddedPerDelta = quantilesOf(first), quantilesOf(per)
		if srvDeltas == 0 {
			st.Note = "the server sent no delta frames: the reply arrives whole after guardrails, so the added time to first text is " +
				"from the upstream's first delta to the stored reply"
		}
	}
	rep.Errors, rep.ErrorSample = errs.report()
	printTurnReport(stdout, rep)
	return rep, nil
}

// turnTrace is one turn as the buyer's client saw it, with the upstream
// calls it caused when they were recorded.
type turnTrace struct {
	sent, done time.Time
	deltas     []time.Time
	// deltaUpTo is the bytes of text the buyer had with each delta.
	deltaUpTo  []int
	toolFrames int
	guardrail  string
	upstream   []upstreamCall
	// question is what the buyer asked (questionKinds).
	question string
}

// runTurns runs n turns over conc conversations at once. Every buyer has a
// websocket (its conversation); worker w owns the buyers w, w+conc, … and
// sends each of them a message in turn, so one at a time still spreads the
// turns over every conversation, as real traffic does, and no connection
// sends faster than a person. With a recording tap, each turn takes the
// upstream calls its message caused. A turn that fails is logged in errs
// and the run goes on; only a cancelled ctx stops it.
func runTurns(ctx context.Context, srv *benchServer, buyers []benchBuyer, n, conc int, tag string, tap *upstreamTap, errs *errorLog) ([]turnTrace, error) {
	conc = min(conc, n)
	var next atomic.Int64
	var mu sync.Mutex
	traces := make([]turnTrace, 0, n)
	var wg sync.WaitGroup
	// The buyers' goroutines are the client's in a CPU profile.
	defer pprof.SetGoroutineLabels(ctx)
	pprof.SetGoroutineLabels(pprof.WithLabels(ctx, pprof.Labels("side", "client")))
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			type mine struct {
				b benchBuyer
				c *benchClient
				k int
			}
			var own []*mine
			for i := w; i < max(len(buyers), conc); i += conc {
				b := buyers[i%len(buyers)]
				c, err := dialBench(ctx, srv.wsURL, srv.mint, b.id)
				if err != nil {
					errs.add(fmt.Errorf("buyer %s: %w", b.id, err))
					continue
				}
				defer c.close()
				own = append(own, &mine{b: b, c: c})
			}
			for j := 0; len(own) > 0; j++ {
				i := next.Add(1) - 1
				if i >= int64(n) || ctx.Err() != nil {
					return
				}
				m := own[j%len(own)]
				ref := fmt.Sprintf("%s%d", tag, i)
				k := m.k
				if srv.orderMix {
					k = 3*k + 1 // always the order's status: get_order
				}
				tr, err := m.c.turn(ctx, ref, buyerMessage(m.b, k)+refTag(ref))
				tr.question = questionKinds[k%3]
				m.k++
				if tap != nil {
					tr.upstream = tap.take(ref)
				}
				if err != nil {
					errs.add(fmt.Errorf("buyer %s turn %d: %w", m.b.id, i, err))
					if m.c.broken {
						own = append(own[:j%len(own)], own[j%len(own)+1:]...)
					}
					continue
				}
				mu.Lock()
				traces = append(traces, tr)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", errBenchAborted, err)
	}
	return traces, nil
}

// benchClient is a buyer's chat websocket, used by one goroutine.
type benchClient struct {
	ws     *websocket.Conn
	broken bool
	// closing tells a reader goroutine the close is ours.
	closing atomic.Bool
}

// benchFrame is every server frame's fields a benchmark reads.
type benchFrame struct {
	Type      string `json:"type"`
	Role      string `json:"role"`
	ID        string `json:"id"`
	Status    string `json:"status"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Guardrail string `json:"guardrail"`
	Text      string `json:"text"`
}

// dialBench opens a buyer's chat and waits for ready.
func dialBench(ctx context.Context, wsURL string, mint func(string) (string, error), buyerID string) (*benchClient, error) {
	token, err := mint(buyerID)
	if err != nil {
		return nil, fmt.Errorf("mint token: %w", err)
	}
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	ws, resp, err := websocket.DefaultDialer.DialContext(dctx, wsURL, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("dial: %w (HTTP %d)", err, resp.StatusCode)
		}
		return nil, fmt.Errorf("dial: %w", err)
	}
	c := &benchClient{ws: ws}
	if err := ws.WriteJSON(map[string]string{"type": "hello", "locale": "en"}); err != nil {
		ws.Close()
		return nil, fmt.Errorf("send hello: %w", err)
	}
	_ = ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		var f benchFrame
		if err := ws.ReadJSON(&f); err != nil {
			ws.Close()
			return nil, fmt.Errorf("wait for ready: %w", err)
		}
		switch f.Type {
		case "ready":
			return c, nil
		case "error":
			ws.Close()
			return nil, fmt.Errorf("hello answered %s: %s", f.Code, f.Message)
		}
	}
}

// turn sends one message and reads until the stored reply arrives.
func (c *benchClient) turn(ctx context.Context, id, text string) (turnTrace, error) {
	deadline := time.Now().Add(90 * time.Second)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = c.ws.SetReadDeadline(deadline)
	tr := turnTrace{sent: time.Now()}
	if err := c.ws.WriteJSON(map[string]string{"type": "user_message", "id": id, "text": text}); err != nil {
		c.broken = true
		return tr, fmt.Errorf("send: %w", err)
	}
	for {
		var f benchFrame
		if err := c.ws.ReadJSON(&f); err != nil {
			c.broken = true
			return tr, fmt.Errorf("read: %w", err)
		}
		now := time.Now()
		switch f.Type {
		case "delta":
			tr.deltas = append(tr.deltas, now)
			prev := 0
			if n := len(tr.deltaUpTo); n > 0 {
				prev = tr.deltaUpTo[n-1]
			}
			tr.deltaUpTo = append(tr.deltaUpTo, prev+len(f.Text))
		case "tool":
			tr.toolFrames++
		case "error":
			return tr, fmt.Errorf("error frame %s: %s", f.Code, f.Message)
		case "message":
			if f.Role == "assistant" {
				tr.done = now
				tr.guardrail = f.Guardrail
				if tr.guardrail == "" {
					tr.guardrail = "none"
				}
				return tr, nil
			}
		}
	}
}

func (c *benchClient) close() {
	c.closing.Store(true)
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	_ = c.ws.Close()
}

// quantiles summarise a sample; values are in the unit the field names.
type quantiles struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

// quantilesOf uses the nearest rank, so a p99 is a value that happened.
func quantilesOf(v []float64) quantiles {
	if len(v) == 0 {
		return quantiles{}
	}
	s := slices.Clone(v)
	slices.Sort(s)
	rank := func(p float64) float64 {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[min(max(i, 0), len(s)-1)]
	}
	sum := 0.0
	for _, x := range s {
		sum += x
	}
	return quantiles{N: len(s), Mean: round3(sum / float64(len(s))), P50: round3(rank(0.5)), P90: round3(rank(0.9)), P99: round3(rank(0.99)), Max: round3(s[len(s)-1])}
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

func msBetween(a, b time.Time) float64 { return msOf(b.Sub(a)) }

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// writeHeapProfile writes the allocations sampled so far to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create profile: %w", err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("write profile: %w", err)
	}
	return f.Close()
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func limitsText() string {
	return fmt.Sprintf("per-buyer limits raised for the bench: %d messages/min, burst %d, %d connections per buyer (serve defaults 30/min, burst 10, 5)",
		benchLimits.MessagesPerMinute, benchLimits.MessageBurst, benchLimits.ConnectionsPerBuyer)
}

func printTurnReport(w io.Writer, r *turnReport) {
	fmt.Fprintf(w, "\n%s; GOMAXPROCS %d, load average %s\n%s\n\n", r.Conditions.Setup, r.Conditions.GOMAXPROCS, r.Conditions.LoadAvg, r.Conditions.Limits)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "one turn at a time (ms)\tn\tp50\tp90\tp99\tmax\t\n")
	row := func(name string, q quantiles) {
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t\n", name, q.N, q.P50, q.P90, q.P99, q.Max)
	}
	l := r.Latency
	row("turn, as the buyer waits", l.Turn)
	row("upstream's own time", l.Upstream)
	row("server overhead", l.Overhead)
	for _, k := range []string{"before_model", "between_models", "after_model"} {
		row("  step "+k, l.Steps[k])
	}
	for _, k := range questionKinds {
		if q, ok := l.OverheadByQuestion[k]; ok {
			row("  overhead, "+k+" questions", q)
		}
	}
	row(fmt.Sprintf("turn at concurrency %d", r.Throughput.Concurrency), r.Throughput.Turn)
	s := r.Streaming
	if s.Turns > 0 {
		row(fmt.Sprintf("added to first text (%.0f tok/s)", s.TokensPerSecond), s.AddedFirstText)
		row("added per delta", s.AddedPerDelta)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%.2f model calls and %.2f tool frames per turn\nper turn, %s: one at a time %.0f allocations, %.0f KiB allocated, %.2f ms CPU; at concurrency %d %.0f allocations, %.0f KiB, %.2f ms CPU\n",
		l.ModelCallsPerTurn, l.ToolFramesPerTurn, l.Measured, l.AllocsPerTurn, l.BytesPerTurn/1024, l.CPUPerTurn,
		r.Throughput.Concurrency, r.Throughput.AllocsPerTurn, r.Throughput.BytesPerTurn/1024, r.Throughput.CPUPerTurn)
	fmt.Fprintf(w, "the rest of the machine's CPU per turn: one at a time %s; at concurrency %d %s\n",
		l.describe(), r.Throughput.Concurrency, r.Throughput.describe())
	fmt.Fprintf(w, "throughput: %d turns in %.2fs at concurrency %d = %.1f turns/s; %s\n",
		r.Throughput.Turns, r.Throughput.Seconds, r.Throughput.Concurrency, r.Throughput.TurnsPerSecond, r.Throughput.Pool)
	if s.Turns > 0 {
		fmt.Fprintf(w, "streaming: %.1f upstream deltas and %.1f server deltas per turn", s.UpstreamDeltas, s.ServerDeltas)
		if s.Note != "" {
			fmt.Fprintf(w, " (%s)", s.Note)
		}
		fmt.Fprintln(w)
	}
	r.PGStatements.print(w, 14)
	fmt.Fprintf(w, "guardrail verdicts: %v\nerrors: %d\n", r.Guardrail, r.Errors)
	for _, e := range r.ErrorSample {
		fmt.Fprintf(w, "  %s\n", e)
	}
}

// This file is the harness bench turn and bench load share: a csagent
// server wired exactly as serve wires it (serveConfig.newServer), over a
// fresh seeded database, with an in-process fakellm as its LLM behind a tap
// that times the upstream's own work.

// benchLimits are the per-buyer limits the benchmarks run with: the demo
// has 50 buyers, so a load test puts many connections and many messages
// on each, far past what serve's defaults allow one person.
var benchLimits = web.Limits{MessagesPerMinute: 1_000_000, MessageBurst: 1_000_000, ConnectionsPerBuyer: 1_000_000,
	ConversationsPerHour: 1_000_000, ConversationBurst: 1_000_000}

// benchServer is a running csagent server for a benchmark.
type benchServer struct {
	// wsURL is the chat websocket, ws://host/v1/chat/ws.
	wsURL string
	// base is the root URL of the server's admin listener, for /metrics;
	// only a remote target's is read.
	base string
	// mint signs a buyer's token.
	mint func(buyerID string) (string, error)
	// tap times the fake upstream; nil against an external target.
	tap *upstreamTap
	// remote is set when the server runs in another process.
	remote bool
	// pool is the server's database pool; nil when remote or in another
	// process.
	pool *pgxpool.Pool
	// statsDB reads the bench database's statistics; nil when remote.
	statsDB *pgxpool.Pool
	// sample reads the server's counters; nil when remote.
	sample func() (serverSample, error)
	// scope says whose CPU and allocations sample counts.
	scope string
	// profile starts (true) or stops the server process's profiles; nil
	// when the server is this process, whose profiles benchTurn takes.
	profile func(start bool) error
	close   func()
	// orderMix has every buyer ask for an order's status (--mix order).
	orderMix bool
}

// poolUse is how busy the server's database pool was between two samples:
// a turn that waits for a connection waits on the pool, not on Postgres.
type poolUse struct {
	MaxConns     int32   `json:"max_conns"`
	Acquires     int64   `json:"acquires"`
	Waited       int64   `json:"acquires_that_waited"`
	MeanWaitMS   float64 `json:"mean_wait_ms"`
	WaitedShare  float64 `json:"waited_share"`
	MeanAcquires float64 `json:"acquires_per_turn,omitempty"`
	// CommitsPerTurn is pg_stat_database's xact_commit of the bench's
	// database over the run, per turn: the transactions a turn runs,
	// single statements and read-only ones included (those that wrote
	// wait for the WAL to reach disk).
	CommitsPerTurn float64 `json:"commits_per_turn,omitempty"`
}

// commits reads the database's committed transactions so far. Postgres
// publishes a backend's counts up to a second late, hence the wait.
func commits(ctx context.Context, pool *pgxpool.Pool, settle bool) int64 {
	if settle {
		time.Sleep(1100 * time.Millisecond)
	}
	var n int64
	_ = pool.QueryRow(ctx, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()").Scan(&n)
	return n
}

// poolSample returns a function that reports the pool's use since the
// sample was taken; nil when the pool is another process's.
func (s *benchServer) poolSample() func(turns int) *poolUse {
	if s.statsDB == nil || s.sample == nil {
		return func(int) *poolUse { return nil }
	}
	ctx := context.Background()
	c0 := commits(ctx, s.statsDB, true)
	a, aerr := s.sample()
	return func(turns int) *poolUse {
		b, berr := s.sample()
		if aerr != nil || berr != nil {
			return nil
		}
		c1 := commits(ctx, s.statsDB, true)
		u := &poolUse{MaxConns: b.MaxConns, Acquires: b.Acquires - a.Acquires, Waited: b.EmptyAcquires - a.EmptyAcquires}
		if u.Acquires > 0 {
			u.MeanWaitMS = round3(float64((b.AcquireWait - a.AcquireWait).Microseconds()) / 1000 / float64(u.Acquires))
			u.WaitedShare = round3(float64(u.Waited) / float64(u.Acquires))
		}
		if turns > 0 {
			u.MeanAcquires = round3(float64(u.Acquires) / float64(turns))
			u.CommitsPerTurn = round3(float64(c1-c0-1) / float64(turns)) // less the reading's own
		}
		return u
	}
}

func (u *poolUse) String() string {
	if u == nil {
		return "database pool: not visible (another process)"
	}
	return fmt.Sprintf("database: %.1f transactions per turn; pool (max %d connections): %.1f acquires per turn, %.0f%% had to wait, mean acquire %.3f ms",
		u.CommitsPerTurn, u.MaxConns, u.MeanAcquires, 100*u.WaitedShare, u.MeanWaitMS)
}

// startBenchServer creates a database next to DATABASE_URL's, migrates and
// seeds it with the demo, and serves csagent over it with the fake LLM
// configured by fake. close stops everything and drops the database.
// poolMax, when above 0, sets the server's pool_max_conns in place of
// pgxpool's default (4 on this machine: the larger of 4 and the CPUs).
func startBenchServer(ctx context.Context, getenv func(string) string, stderr io.Writer, fake fakellm.Options, poolMax int) (_ *benchServer, err error) {
	logger, err := benchLogger(getenv, stderr)
	if err != nil {
		return nil, err
	}
	var cleanups []func()
	cleanup := func() {
		for _, f := range slices.Backward(cleanups) {
			f()
		}
	}
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	dbURL, drop, err := prepareBenchDatabase(ctx, getenv, stderr)
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, drop)

	// A goroutine inherits its creator's profiler labels: everything the
	// server starts from here on (the pool's, the hub's, every
	// connection's goroutines) is side=server, the fake's side=fake, so a
	// CPU profile tells the server's own CPU from the bench's
	// (go tool pprof -tags).
	defer pprof.SetGoroutineLabels(ctx)
	tap := &upstreamTap{}
	tap.use(fake)
	upstream := httptest.NewUnstartedServer(tap)
	pprof.SetGoroutineLabels(pprof.WithLabels(ctx, pprof.Labels("side", "fake")))
	upstream.Start()
	cleanups = append(cleanups, upstream.Close)
	pprof.SetGoroutineLabels(pprof.WithLabels(ctx, pprof.Labels("side", "server")))

	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	auth, err := web.NewAuth(secret)
	if err != nil {
		return nil, err
	}
	ws, err := wireBenchServer(ctx, getenv, logger, dbURL, upstream.URL+"/v1", auth, poolMax)
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, ws.stop)
	return &benchServer{
		wsURL: "ws://" + ws.addr + "/v1/chat/ws",
		base:  "http://" + ws.addr,
		mint: func(id string) (string, error) {
			return auth.Mint(tools.RoleBuyer, id, 24*time.Hour, time.Now())
		},
		tap:     tap,
		pool:    ws.pool,
		statsDB: ws.pool,
		sample:  func() (serverSample, error) { return sampleSelf(ws.pool), nil },
		scope:   "whole process: server, client and fake",
		close:   cleanup,
	}, nil
}

// benchLogger logs warnings and errors only, unless CSAGENT_LOG_LEVEL asks
// for more: a log line per turn would measure the terminal.
func benchLogger(getenv func(string) string, stderr io.Writer) (*slog.Logger, error) {
	level := slog.LevelWarn
	if l := getenv("CSAGENT_LOG_LEVEL"); l != "" {
		if err := level.UnmarshalText([]byte(l)); err != nil {
			return nil, usageError{fmt.Sprintf("CSAGENT_LOG_LEVEL %q: want debug, info, warn or error", l)}
		}
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})), nil
}

// prepareBenchDatabase creates a scratch database next to DATABASE_URL's,
// names it on stderr and seeds it with the demo; drop removes it.
func prepareBenchDatabase(ctx context.Context, getenv func(string) string, stderr io.Writer) (dbURL string, drop func(), err error) {
	dbURL, drop, err = createBenchDatabase(ctx, getenv("DATABASE_URL"))
	if err != nil {
		return "", nil, err
	}
	// Named on stderr so that a bench killed before its clean-up leaves a
	// database an operator can find and drop.
	if u, perr := url.Parse(dbURL); perr == nil {
		fmt.Fprintf(stderr, "csagent bench: scratch database %s, dropped at the end\n", strings.TrimPrefix(u.Path, "/"))
	}
	if err := runSeed(ctx, []string{"--demo", "--database-url", dbURL}, getenv, io.Discard, stderr); err != nil {
		drop()
		return "", nil, fmt.Errorf("seed the bench database: %w", err)
	}
	return dbURL, drop, nil
}

// wiredServer is a csagent server listening on addr over pool.
type wiredServer struct {
	addr string
	pool *pgxpool.Pool
	stop func()
}

// wireBenchServer serves csagent as serve wires it over dbURL, with llmURL
// as its model's API root, on a loopback port of its own.
func wireBenchServer(ctx context.Context, getenv func(string) string, logger *slog.Logger, dbURL, llmURL string, auth *web.Auth, poolMax int) (_ *wiredServer, err error) {
	var cfg serveConfig
	f := newFlags("bench", getenv, io.Discard)
	cfg.agent.register(f)
	if err := f.Parse(nil); err != nil {
		return nil, err
	}
	cfg.databaseURL = dbURL
	if poolMax > 0 {
		cfg.databaseURL = withQuery(dbURL, "pool_max_conns", strconv.Itoa(poolMax))
	}
	pool, migrator, err := cfg.openMigrated(ctx, logger)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			migrator.Close()
			pool.Close()
		}
	}()
	cfg.agent.llm.baseURL = llmURL
	cfg.agent.llm.model = "fake-model"
	cfg.agent.llm.fallbackModel = ""
	cfg.chatLimits = benchLimits
	srv, _, err := cfg.newServer(logger, getenv, auth, pool, migrator)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	httpSrv.RegisterOnShutdown(srv.Drain)
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = httpSrv.Serve(ln)
	}()
	return &wiredServer{addr: ln.Addr().String(), pool: pool, stop: func() {
		sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		_ = httpSrv.Shutdown(sctx)
		_ = srv.Shutdown(sctx)
		<-served
		migrator.Close()
		pool.Close()
	}}, nil
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// createBenchDatabase creates an empty database on the server adminURL
// points at and returns its URL and a function that drops it.
func createBenchDatabase(ctx context.Context, adminURL string) (string, func(), error) {
	if adminURL == "" {
		return "", nil, usageError{"no database: set DATABASE_URL (the bench creates and drops a database of its own on that server)"}
	}
	u, err := url.Parse(adminURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, usageError{"DATABASE_URL must be a postgres:// URL for the bench"}
	}
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", nil, fmt.Errorf("connect to create the bench database: %w", err)
	}
	defer conn.Close(ctx)
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	name := "csagent_bench_" + hex.EncodeToString(suffix)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u.Path = "/" + name
	drop := func() {
		// The bench's own context may be over by now; dropping still runs.
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(dctx, adminURL)
		if err != nil {
			fmt.Fprintf(os.Stderr, "csagent bench: drop database %s: %v\n", name, err)
			return
		}
		defer c.Close(dctx)
		if _, err := c.Exec(dctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "csagent bench: drop database %s: %v\n", name, err)
		}
	}
	return u.String(), drop, nil
}

// upstreamTap serves the current fake and, while recording, times each
// chat request: when it arrived, when each text delta went out, and when
// the handler returned. That is the upstream's own time, which the
// benchmarks subtract from what the buyer saw.
type upstreamTap struct {
	fake      atomic.Pointer[fakellm.Server]
	recording atomic.Bool

	mu sync.Mutex
	// calls are keyed by the reference the buyer's message carries, so
	// concurrent turns each find their own.
	calls map[string][]upstreamCall
}

// upstreamCall is one timed chat request.
type upstreamCall struct {
	start, end time.Time
	// deltas are when each text delta was written, and upTo the bytes of
	// text written by then.
	deltas []time.Time
	upTo   []int
}

func (t *upstreamTap) use(o fakellm.Options) {
	o.Respond = fakellm.Autopilot
	o.RecordLimit = -1
	t.fake.Store(fakellm.New(o))
}

// take returns and forgets the calls recorded for the turn whose message
// carried ref.
func (t *upstreamTap) take(ref string) []upstreamCall {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.calls[ref]
	delete(t.calls, ref)
	return c
}

// refTag marks a benchmark message with its turn, as "[ref:l12]".
func refTag(ref string) string { return " [ref:" + ref + "]" }

func (t *upstreamTap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fake := t.fake.Load()
	if !t.recording.Load() || r.URL.Path != "/v1/chat/completions" {
		fake.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 8<<20))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	// The newest reference in the conversation is this turn's: history
	// comes first, the buyer's latest message after it.
	var ref string
	if i := bytes.LastIndex(body, []byte("[ref:")); i >= 0 {
		if j := bytes.IndexByte(body[i:], ']'); j > 0 {
			ref = string(body[i+len("[ref:") : i+j])
		}
	}
	tw := &tapWriter{ResponseWriter: w}
	fake.ServeHTTP(tw, r)
	call := upstreamCall{start: start, end: time.Now(), deltas: tw.deltas, upTo: tw.upTo}
	t.mu.Lock()
	if t.calls == nil {
		t.calls = map[string][]upstreamCall{}
	}
	t.calls[ref] = append(t.calls[ref], call)
	t.mu.Unlock()
}

// tapWriter notes when each streamed chunk carrying text goes out. The
// fake writes one server-sent event per Write.
type tapWriter struct {
	http.ResponseWriter
	deltas []time.Time
	upTo   []int
	total  int
}

var textDelta = []byte(`"delta":{"content":`)

func (w *tapWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	now := time.Now()
	if i := bytes.Index(b, textDelta); i >= 0 {
		var text string
		if json.NewDecoder(bytes.NewReader(b[i+len(textDelta):])).Decode(&text) == nil && text != "" {
			w.total += len(text)
			w.deltas = append(w.deltas, now)
			w.upTo = append(w.upTo, w.total)
		}
	}
	return n, err
}

// Unwrap lets http.ResponseController reach Flush and Hijack.
func (w *tapWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// benchBuyer is a demo buyer and the orders a benchmark asks about.
type benchBuyer struct {
	id     string
	orders []string
}

// demoBuyers lists the demo's buyers with their orders, in id order.
func demoBuyers() []benchBuyer {
	idx := map[string]int{}
	var out []benchBuyer
	for _, o := range demo.Plan() {
		i, ok := idx[o.BuyerID]
		if !ok {
			i = len(out)
			idx[o.BuyerID] = i
			out = append(out, benchBuyer{id: o.BuyerID})
		}
		out[i].orders = append(out[i].orders, o.ID)
	}
	return out
}

// buyerMessage is the k-th thing a buyer asks, in a cycle of three: where
// one of their orders is, the status of another, and a policy question. So
// every turn is a tool call (track_shipment, get_order or search_policy,
// which runs the hybrid retrieval) and an answer from its result.
func buyerMessage(b benchBuyer, k int) string {
	order := b.orders[(k/3)%len(b.orders)]
	switch k % 3 {
	case 0:
		return "where is my order " + order + "?"
	case 1:
		return "can you check order " + b.orders[(k/3+1)%len(b.orders)] + " for me"
	}
	return policyQuestions[(k/3)%len(policyQuestions)]
}

// questionKinds names buyerMessage's three kinds, by k%3.
var questionKinds = [3]string{"where", "status", "policy"}

var policyQuestions = []string{
	"how long do I have to return an item?",
	"what is your refund policy?",
	"can I get a refund if the parcel arrives damaged?",
}

// benchConditions is what a reader of the results needs to know about the
// machine and the setup.
type benchConditions struct {
	When       time.Time `json:"when"`
	GoVersion  string    `json:"go_version"`
	CPUs       int       `json:"cpus"`
	GOMAXPROCS int       `json:"gomaxprocs"`
	LoadAvg    string    `json:"load_average_at_start"`
	Setup      string    `json:"setup"`
	Limits     string    `json:"limits"`
}

func conditions(setup string, limits string) benchConditions {
	load, _ := os.ReadFile("/proc/loadavg")
	return benchConditions{
		When: time.Now().UTC().Truncate(time.Second), GoVersion: runtime.Version(), CPUs: runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0), LoadAvg: strings.Join(strings.Fields(string(load))[:min(3, len(strings.Fields(string(load))))], " "),
		Setup: setup, Limits: limits,
	}
}

// errorLog counts a benchmark's errors and keeps the first few to print.
type errorLog struct {
	mu    sync.Mutex
	n     int
	first []string
}

func (e *errorLog) add(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.n++
	if len(e.first) < 20 {
		e.first = append(e.first, err.Error())
	}
}

func (e *errorLog) report() (int, []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.n, slices.Clone(e.first)
}

var errBenchAborted = errors.New("benchmark aborted")
