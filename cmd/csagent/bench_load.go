package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/web"
)

// loadBenchConfig is what bench load puts on a server.
type loadBenchConfig struct {
	idle     int
	chatting int
	duration time.Duration
	ttft     time.Duration
	tps      float64
	target   string
	// targetMetrics is the target's admin listener, where its /metrics is.
	targetMetrics string
	fakeAddr      string
	dialers       int
	poolMax       int
}

func (c *loadBenchConfig) register(f *flags) {
	f.IntVar(&c.idle, "idle", 10000, "idle chat websockets to open and hold (each says hello, then nothing)")
	f.IntVar(&c.chatting, "chatting", 500, "buyers chatting at once, each sending its next message as soon as the last is answered")
	f.DurationVar(&c.duration, "duration", 30*time.Second, "how long the buyers chat")
	f.DurationVar(&c.ttft, "ttft", time.Second, "the fake model's time to first token")
	f.Float64Var(&c.tps, "tokens-per-second", 50, "the fake model's pace after the first token")
	f.StringVar(&c.target, "target", "", "an external csagent server (http://host:port) to load instead of one in this process; "+
		"it must use the demo data, CSAGENT_AUTH_SECRET as this process has it, and --llm-base-url http://FAKE-ADDR/v1 --llm-model fake-model")
	f.StringVar(&c.targetMetrics, "target-admin", "http://127.0.0.1:9090", "with --target: the target's admin listener (its --admin-addr), which serves /metrics")
	f.StringVar(&c.fakeAddr, "fake-addr", "127.0.0.1:8090", "with --target: where this process serves the fake model the target calls")
	f.IntVar(&c.dialers, "dialers", 64, "connections opened at once while setting up the idle ones")
	f.IntVar(&c.poolMax, "db-max-conns", 0, "without --target: the server's database pool size (pool_max_conns); 0 keeps serve's default. "+
		"With --target, set pool_max_conns in the target's DATABASE_URL")
}

// loadReport is bench load's result. Durations are in milliseconds.
type loadReport struct {
	Conditions benchConditions `json:"conditions"`
	Idle       struct {
		Requested int `json:"requested"`
		Open      int `json:"open"`
		// Still open after the chatting phase: the server kept them.
		OpenAtEnd     int     `json:"open_at_end"`
		SetupSeconds  float64 `json:"setup_seconds"`
		HeapPerConn   float64 `json:"heap_bytes_per_connection"`
		RSSPerConn    float64 `json:"rss_bytes_per_connection"`
		GoroutinesPer float64 `json:"server_goroutines_per_connection"`
		MemoryScope   string  `json:"memory_scope"`
	} `json:"idle"`
	Chat struct {
		Buyers         int       `json:"buyers"`
		Seconds        float64   `json:"seconds"`
		Turns          int       `json:"turns"`
		TurnsPerSecond float64   `json:"turns_per_second"`
		Turn           quantiles `json:"turn_ms"`
		Upstream       quantiles `json:"upstream_ms"`
		Added          quantiles `json:"added_ms"`
		TTFT           float64   `json:"fake_ttft_ms"`
		TPS            float64   `json:"fake_tokens_per_second"`
		Pool           *poolUse  `json:"database_pool,omitempty"`
		// CPUPerTurn is the server process's CPU time per turn while the
		// buyers chat (with the client and the fake when in process).
		CPUPerTurn float64 `json:"server_cpu_ms_per_turn"`
	} `json:"chat"`
	Guardrail   map[string]int `json:"guardrail_verdicts"`
	RLimitNoFD  string         `json:"rlimit_nofile"`
	Errors      int            `json:"errors"`
	ErrorSample []string       `json:"error_sample,omitempty"`
}

// benchLoad opens idle connections, measures what each costs the server,
// then keeps them open while buyers chat against a fake with realistic
// latency, and reports throughput, the latency the server adds to the
// model's own, and every error.
func benchLoad(ctx context.Context, cfg loadBenchConfig, getenv func(string) string, stdout, stderr io.Writer) (*loadReport, error) {
	if cfg.idle < 0 || cfg.chatting < 0 || cfg.duration <= 0 || cfg.dialers < 1 || cfg.tps <= 0 || cfg.ttft < 0 {
		return nil, usageError{"--idle and --chatting must be at least 0, --duration, --dialers and --tokens-per-second above 0"}
	}
	rep := &loadReport{Guardrail: map[string]int{}}
	// In one process every connection is two descriptors, one each end.
	need := cfg.idle + cfg.chatting + 1024
	if cfg.target == "" {
		need += cfg.idle + cfg.chatting
	}
	rep.RLimitNoFD = raiseFileLimit(need)
	fake := fakellm.Options{TimeToFirstToken: cfg.ttft, TokensPerSecond: cfg.tps}
	var srv *benchServer
	var err error
	if cfg.target == "" {
		fmt.Fprintln(stdout, "setting up: a fresh database with the demo data, csagent wired as serve, fakellm in process")
		srv, err = startBenchServer(ctx, getenv, stderr, fake, cfg.poolMax)
		rep.Conditions = conditions("client, csagent server and fakellm in one process; real websockets and HTTP over loopback", limitsText())
		rep.Idle.MemoryScope = "this process: the server's connections and the client's (no client goroutines for idle connections)"
	} else {
		srv, err = targetServer(ctx, cfg, getenv, fake)
		rep.Conditions = conditions("csagent server "+cfg.target+" in its own process; client and fakellm in this one",
			"the target's own limits (its --chat-messages-per-minute and --chat-connections-per-buyer must allow the load)")
		rep.Idle.MemoryScope = "the target server's process, from its admin listener's /metrics"
	}
	if err != nil {
		return nil, err
	}
	defer srv.close()
	var errs errorLog
	buyers := demoBuyers()

	// Idle: open them all, then measure before anyone answers a ping.
	before, err := srv.memory(ctx)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	idle := openIdle(ctx, srv, buyers, cfg.idle, cfg.dialers, &errs)
	defer func() {
		for _, c := range idle {
			c.close()
		}
	}()
	rep.Idle.SetupSeconds = time.Since(start).Seconds()
	rep.Idle.Requested, rep.Idle.Open = cfg.idle, len(idle)
	after, err := srv.memory(ctx)
	if err != nil {
		return nil, err
	}
	if n := float64(len(idle)); n > 0 {
		rep.Idle.HeapPerConn = (after.heap - before.heap) / n
		rep.Idle.RSSPerConn = (after.rss - before.rss) / n
		rep.Idle.GoroutinesPer = (after.goroutines - before.goroutines) / n
	}
	// From now on the idle clients answer the server's pings, as a buyer's
	// app does, so they stay open through the chatting phase.
	var lost atomic.Int64
	var readers sync.WaitGroup
	for _, c := range idle {
		readers.Add(1)
		go func() {
			defer readers.Done()
			_ = c.ws.SetReadDeadline(time.Time{})
			for {
				if _, _, err := c.ws.NextReader(); err != nil {
					if ctx.Err() == nil && !c.closing.Load() {
						lost.Add(1)
					}
					return
				}
			}
		}()
	}

	// Chatting: every buyer keeps one turn in flight for the duration.
	chatBefore, err := srv.memory(ctx)
	if err != nil {
		return nil, err
	}
	poolSince := srv.poolSample() // before the clock starts: it waits for Postgres's statistics
	cctx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	srv.tap.recording.Store(true)
	start = time.Now()
	traces := chatFor(cctx, srv, buyers, cfg.chatting, &errs)
	rep.Chat.Seconds = time.Since(start).Seconds()
	srv.tap.recording.Store(false)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", errBenchAborted, err)
	}
	ch := &rep.Chat
	ch.Buyers, ch.Turns = cfg.chatting, len(traces)
	ch.Pool = poolSince(len(traces))
	if chatAfter, err := srv.memory(ctx); err == nil && len(traces) > 0 {
		ch.CPUPerTurn = round3((chatAfter.cpuSeconds - chatBefore.cpuSeconds) * 1000 / float64(len(traces)))
	}
	ch.TurnsPerSecond = float64(len(traces)) / ch.Seconds
	ch.TTFT, ch.TPS = float64(cfg.ttft.Milliseconds()), cfg.tps
	var turn, upstream, added []float64
	for _, tr := range traces {
		rep.Guardrail[tr.guardrail]++
		total := msBetween(tr.sent, tr.done)
		up := 0.0
		for _, c := range tr.upstream {
			up += msBetween(c.start, c.end)
		}
		turn, upstream, added = append(turn, total), append(upstream, up), append(added, total-up)
	}
	ch.Turn, ch.Upstream, ch.Added = quantilesOf(turn), quantilesOf(upstream), quantilesOf(added)

	rep.Idle.OpenAtEnd = len(idle) - int(lost.Load())
	if lost.Load() > 0 {
		errs.add(fmt.Errorf("%d idle connections were closed by the server during the run", lost.Load()))
	}
	for _, c := range idle {
		c.close()
	}
	readers.Wait()
	idle = nil
	rep.Errors, rep.ErrorSample = errs.report()
	printLoadReport(stdout, rep)
	return rep, nil
}

// openIdle opens n buyer chats, dialers at a time, each said hello to and
// then left alone.
func openIdle(ctx context.Context, srv *benchServer, buyers []benchBuyer, n, dialers int, errs *errorLog) []*benchClient {
	var mu sync.Mutex
	out := make([]*benchClient, 0, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(dialers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) || ctx.Err() != nil {
					return
				}
				b := buyers[int(i)%len(buyers)]
				c, err := dialBench(ctx, srv.wsURL, srv.mint, b.id)
				if err != nil {
					errs.add(fmt.Errorf("idle connection %d (%s): %w", i, b.id, err))
					continue
				}
				mu.Lock()
				out = append(out, c)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return out
}

// chatFor runs buyers chats until ctx ends and returns the turns that
// finished. A turn cut short by the end of the run is not an error.
func chatFor(ctx context.Context, srv *benchServer, buyers []benchBuyer, n int, errs *errorLog) []turnTrace {
	var mu sync.Mutex
	var traces []turnTrace
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := buyers[w%len(buyers)]
			c, err := dialBench(ctx, srv.wsURL, srv.mint, b.id)
			if err != nil {
				if ctx.Err() == nil {
					errs.add(fmt.Errorf("chatting buyer %d (%s): %w", w, b.id, err))
				}
				return
			}
			defer c.close()
			// A turn in flight when the run ends is read to its end, so
			// the server is not left writing to a closed connection.
			for k := 0; ctx.Err() == nil; k++ {
				ref := fmt.Sprintf("c%d.%d", w, k)
				tr, err := c.turn(context.WithoutCancel(ctx), ref, buyerMessage(b, k)+refTag(ref))
				tr.upstream = srv.tap.take(ref)
				if err != nil {
					errs.add(fmt.Errorf("buyer %s turn %s: %w", b.id, ref, err))
					if c.broken {
						return
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
	return traces
}

// targetServer points the benchmark at an external server and serves the
// fake model it calls from this process.
func targetServer(ctx context.Context, cfg loadBenchConfig, getenv func(string) string, fake fakellm.Options) (*benchServer, error) {
	secret := getenv("CSAGENT_AUTH_SECRET")
	if secret == "" {
		return nil, usageError{"--target needs CSAGENT_AUTH_SECRET, the target's, to sign the buyers' tokens"}
	}
	auth, err := web.NewAuth([]byte(secret))
	if err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(cfg.target, "/")
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return nil, usageError{"--target must be an http:// or https:// URL"}
	}
	tap := &upstreamTap{}
	tap.use(fake)
	ln, err := net.Listen("tcp", cfg.fakeAddr)
	if err != nil {
		return nil, fmt.Errorf("listen for the fake model on %s: %w", cfg.fakeAddr, err)
	}
	fctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = serveUntilDone(fctx, ln, tap, discardLogger())
	}()
	return &benchServer{
		wsURL: "ws" + strings.TrimPrefix(base, "http") + "/v1/chat/ws",
		base:  strings.TrimSuffix(cfg.targetMetrics, "/"),
		mint: func(id string) (string, error) {
			return auth.Mint(tools.RoleBuyer, id, 24*time.Hour, time.Now())
		},
		tap:    tap,
		remote: true,
		close:  func() { stop(); <-done },
	}, nil
}

// memorySample is a process's memory at one moment.
type memorySample struct{ heap, rss, goroutines, cpuSeconds float64 }

// memory samples the server's process: this one after a GC, or the
// target's through its /metrics.
func (s *benchServer) memory(ctx context.Context) (memorySample, error) {
	if !s.remote {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return memorySample{heap: float64(ms.HeapInuse + ms.StackInuse), rss: float64(selfRSS()), goroutines: float64(runtime.NumGoroutine()),
			cpuSeconds: processCPU().Seconds()}, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/metrics", nil)
	if err != nil {
		return memorySample{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return memorySample{}, fmt.Errorf("read the target's metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return memorySample{}, fmt.Errorf("read the target's metrics: HTTP %d", resp.StatusCode)
	}
	var m memorySample
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			continue
		}
		switch name {
		case "go_memstats_heap_inuse_bytes", "go_memstats_stack_inuse_bytes":
			m.heap += v
		case "process_resident_memory_bytes":
			m.rss = v
		case "go_goroutines":
			m.goroutines = v
		case "process_cpu_seconds_total":
			m.cpuSeconds = v
		}
	}
	return m, sc.Err()
}

// selfRSS is this process's resident memory in bytes, 0 where /proc has
// no answer.
func selfRSS() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// raiseFileLimit lifts the soft limit on open files toward need (capped by
// the hard limit) and says what it is now. Go already raises the soft limit
// to the hard one at start; this reports it and covers a lower hard limit
// that a privileged process may raise.
func raiseFileLimit(need int) string {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return "unknown: " + err.Error()
	}
	was := lim.Cur
	if lim.Cur < uint64(need) {
		lim.Cur = min(uint64(need), lim.Max)
		if lim.Max < uint64(need) {
			want := syscall.Rlimit{Cur: uint64(need), Max: uint64(need)}
			if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want) == nil {
				lim = want
			}
		}
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
		_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
	s := fmt.Sprintf("soft %d, hard %d", lim.Cur, lim.Max)
	if lim.Cur != was {
		s += fmt.Sprintf(" (raised from %d by the bench)", was)
	}
	if lim.Cur < uint64(need) {
		s += fmt.Sprintf("; the run needs about %d and may fail to open connections", need)
	}
	return s
}

func printLoadReport(w io.Writer, r *loadReport) {
	fmt.Fprintf(w, "\n%s; GOMAXPROCS %d, load average %s\n%s\nopen files: %s\n\n",
		r.Conditions.Setup, r.Conditions.GOMAXPROCS, r.Conditions.LoadAvg, r.Conditions.Limits, r.RLimitNoFD)
	i := r.Idle
	fmt.Fprintf(w, "idle: %d of %d open in %.1fs, %d still open at the end; per connection %.1f KiB heap+stacks, %.1f KiB RSS, %.2f goroutines (%s)\n",
		i.Open, i.Requested, i.SetupSeconds, i.OpenAtEnd, i.HeapPerConn/1024, i.RSSPerConn/1024, i.GoroutinesPer, i.MemoryScope)
	c := r.Chat
	fmt.Fprintf(w, "chat: %d buyers for %.1fs against a fake with %.0f ms to first token and %.0f tokens/s: %d turns, %.1f turns/s, %.2f ms of server CPU per turn\n\n",
		c.Buyers, c.Seconds, c.TTFT, c.TPS, c.Turns, c.TurnsPerSecond, c.CPUPerTurn)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "per turn (ms)\tn\tp50\tp90\tp99\tmax\t\n")
	for _, row := range []struct {
		name string
		q    quantiles
	}{{"turn, as the buyer waits", c.Turn}, {"upstream's own time", c.Upstream}, {"added by the server", c.Added}} {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t\n", row.name, row.q.N, row.q.P50, row.q.P90, row.q.P99, row.q.Max)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%s\nguardrail verdicts: %v\nerrors: %d\n", c.Pool, r.Guardrail, r.Errors)
	for _, e := range r.ErrorSample {
		fmt.Fprintf(w, "  %s\n", e)
	}
}
