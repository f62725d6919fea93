package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/internal/fakellm"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/web"
)

// This file runs bench turn's server in a process of its own
// (--server-process), so the CPU time and the allocations the bench
// reports are the server's alone: in one process the websocket client and
// the fake model share them, and Go counts allocations per process, not
// per goroutine. The child is this binary run as `csagent bench server`;
// the bench talks to it over its stdin and stdout, a line a command:
//
//	sample  → one JSON serverSample
//	start   → starts the child's profiles, then a sample
//	stop    → stops and writes them, then a sample
//
// and the child shuts down when its stdin closes.

// serverSample is a server process's counters at one moment.
type serverSample struct {
	// CPU is the process's user and system time.
	CPU time.Duration `json:"cpu_ns"`
	// Mallocs and Bytes are the heap allocations so far, count and bytes.
	Mallocs uint64 `json:"mallocs"`
	Bytes   uint64 `json:"bytes"`
	// The database pool's counters (pgxpool.Stat).
	MaxConns      int32         `json:"max_conns"`
	Acquires      int64         `json:"acquires"`
	EmptyAcquires int64         `json:"empty_acquires"`
	AcquireWait   time.Duration `json:"acquire_wait_ns"`
}

// sampleSelf reads this process's counters and pool's.
func sampleSelf(pool *pgxpool.Pool) serverSample {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	st := pool.Stat()
	return serverSample{CPU: processCPU(), Mallocs: ms.Mallocs, Bytes: ms.TotalAlloc,
		MaxConns: st.MaxConns(), Acquires: st.AcquireCount(), EmptyAcquires: st.EmptyAcquireCount(), AcquireWait: st.AcquireDuration()}
}

// childServerEnv marks the bench's child process; a test binary (which is
// os.Executable in `go test`) runs main when it is set (TestMain).
const childServerEnv = "CSAGENT_BENCH_SERVER_CHILD"

// startBenchServerProcess is startBenchServer with the server in a child
// process: the database and the fake stay in this one. cpuProfile and
// memProfile, when set, are written by the child between start and stop.
func startBenchServerProcess(ctx context.Context, getenv func(string) string, stderr io.Writer, fake fakellm.Options, poolMax int, cpuProfile, memProfile string) (_ *benchServer, err error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find this binary to run the server: %w", err)
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
	stats, err := pgxpool.New(ctx, withQuery(dbURL, "pool_max_conns", "1"))
	if err != nil {
		return nil, fmt.Errorf("open the bench database for its statistics: %w", err)
	}
	cleanups = append(cleanups, stats.Close)

	tap := &upstreamTap{}
	tap.use(fake)
	upstream := httptest.NewServer(tap)
	cleanups = append(cleanups, upstream.Close)

	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	hexSecret := hex.EncodeToString(secret)
	auth, err := web.NewAuth([]byte(hexSecret))
	if err != nil {
		return nil, err
	}
	args := []string{"bench", "server", "--llm-url", upstream.URL + "/v1", "--db-max-conns", strconv.Itoa(poolMax)}
	if cpuProfile != "" {
		args = append(args, "--cpuprofile", cpuProfile)
	}
	if memProfile != "" {
		args = append(args, "--memprofile", memProfile)
	}
	// The child is not tied to ctx: it is stopped by closing its stdin, so
	// that it writes its profiles; a child that does not stop is killed.
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "CSAGENT_AUTH_SECRET="+hexSecret, childServerEnv+"=1")
	if l := getenv("CSAGENT_LOG_LEVEL"); l != "" {
		cmd.Env = append(cmd.Env, "CSAGENT_LOG_LEVEL="+l)
	}
	cmd.Stderr = stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the server process: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	cleanups = append(cleanups, func() {
		in.Close()
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	out := bufio.NewScanner(outPipe)
	out.Buffer(make([]byte, 0, 4096), 1<<20)
	// The child's first line is its address, once it serves.
	addrLine := make(chan string, 1)
	go func() {
		if out.Scan() {
			addrLine <- out.Text()
		}
		close(addrLine)
	}()
	var addr string
	select {
	case line, ok := <-addrLine:
		addr, _ = strings.CutPrefix(line, "listening ")
		if !ok || addr == "" {
			return nil, errors.New("the server process ended before it served (its errors are above)")
		}
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(2 * time.Minute):
		return nil, errors.New("the server process did not start serving within 2 minutes")
	}
	command := func(c string) (serverSample, error) {
		var s serverSample
		if _, err := fmt.Fprintln(in, c); err != nil {
			return s, fmt.Errorf("tell the server process %s: %w", c, err)
		}
		if !out.Scan() {
			return s, fmt.Errorf("the server process did not answer %s: %v", c, out.Err())
		}
		if err := json.Unmarshal(out.Bytes(), &s); err != nil {
			return s, fmt.Errorf("the server process answered %s with %q: %w", c, out.Text(), err)
		}
		return s, nil
	}
	return &benchServer{
		wsURL: "ws://" + addr + "/v1/chat/ws",
		base:  "http://" + addr,
		mint: func(id string) (string, error) {
			return auth.Mint(tools.RoleBuyer, id, 24*time.Hour, time.Now())
		},
		tap:     tap,
		statsDB: stats,
		sample:  func() (serverSample, error) { return command("sample") },
		scope:   "server alone (its own process)",
		profile: func(start bool) error {
			c := "stop"
			if start {
				c = "start"
			}
			_, err := command(c)
			return err
		},
		close: cleanup,
	}, nil
}

// runBenchServer is the child of bench turn --server-process: csagent
// wired as serve over DATABASE_URL, with the bench's fake as its model,
// answering the bench's commands on stdin (see the top of this file).
func runBenchServer(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	f := newFlags("bench server", getenv, stderr)
	var llmURL, cpuProfile, memProfile string
	var poolMax int
	f.StringVar(&llmURL, "llm-url", "", "the fake model's API root")
	f.IntVar(&poolMax, "db-max-conns", 0, "the database pool size; 0 keeps serve's default")
	f.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile between start and stop")
	f.StringVar(&memProfile, "memprofile", "", "write an allocation profile (every allocation) between start and stop")
	if err := f.Parse(args); err != nil {
		return err
	}
	if llmURL == "" || getenv(childServerEnv) == "" {
		return usageError{"bench server is bench turn --server-process's own child; run that instead"}
	}
	secret := getenv("CSAGENT_AUTH_SECRET")
	if secret == "" {
		return usageError{"bench server needs CSAGENT_AUTH_SECRET"}
	}
	logger, err := benchLogger(getenv, stderr)
	if err != nil {
		return err
	}
	auth, err := web.NewAuth([]byte(secret))
	if err != nil {
		return err
	}
	ws, err := wireBenchServer(ctx, getenv, logger, getenv("DATABASE_URL"), llmURL, auth, poolMax)
	if err != nil {
		return err
	}
	defer ws.stop()
	fmt.Fprintln(stdout, "listening "+ws.addr)
	var profiling *os.File
	stopProfiles := func() error {
		if profiling != nil {
			pprof.StopCPUProfile()
			if err := profiling.Close(); err != nil {
				return err
			}
			profiling = nil
		}
		if memProfile != "" && runtime.MemProfileRate == 1 {
			// Written at the rate it was sampled at: the profile scales
			// its counts by the rate in force when it is written.
			err := writeHeapProfile(memProfile)
			runtime.MemProfileRate = 512 * 1024
			return err
		}
		return nil
	}
	defer stopProfiles() //nolint:errcheck // on the way out after an error
	sc := bufio.NewScanner(stdin)
	for sc.Scan() {
		switch c := strings.TrimSpace(sc.Text()); c {
		case "sample":
		case "start":
			if cpuProfile != "" && profiling == nil {
				pf, err := os.Create(cpuProfile)
				if err != nil {
					return fmt.Errorf("create profile: %w", err)
				}
				if err := pprof.StartCPUProfile(pf); err != nil {
					pf.Close()
					return fmt.Errorf("start profile: %w", err)
				}
				profiling = pf
			}
			if memProfile != "" {
				// Every allocation from here on: the profile's counts are exact.
				runtime.MemProfileRate = 1
			}
		case "stop":
			if err := stopProfiles(); err != nil {
				return fmt.Errorf("write profiles: %w", err)
			}
		default:
			return fmt.Errorf("bench server: unknown command %q", c)
		}
		b, _ := json.Marshal(sampleSelf(ws.pool))
		if _, err := fmt.Fprintf(stdout, "%s\n", b); err != nil {
			return err
		}
	}
	return stopProfiles()
}

// withQuery adds key=value to a URL's query.
func withQuery(u, key, value string) string {
	sep := "&"
	if !strings.Contains(u, "?") {
		sep = "?"
	}
	return u + sep + key + "=" + value
}
