package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/experiment"
	"github.com/csagent/csagent/eval"
	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/tools/demo"
)

const evalUsage = `usage:
  csagent eval run [flags] SUITE...   run suites (files or folders of *.yaml)
  csagent eval diff [--fail-on-regression] BASE.json NEW.json  compare two JSON reports
  csagent eval export [-o FILE] CONVERSATION_ID   a reviewed conversation as a regression case
  csagent eval fixtures [--run REGEXP] SUITE...  print what each case's placeholders resolve to`

func runEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{evalUsage}
	}
	switch args[0] {
	case "run":
		return runEvalRun(ctx, args[1:], getenv, stdout, stderr)
	case "diff":
		return runEvalDiff(args[1:], getenv, stdout, stderr)
	case "export":
		return runEvalExport(ctx, args[1:], getenv, stdout, stderr)
	case "fixtures":
		return runEvalFixtures(args[1:], getenv, stdout, stderr)
	}
	return usageError{fmt.Sprintf("unknown eval command %q\n%s", args[0], evalUsage)}
}

type evalConfig struct {
	common
	agent      agentConfig
	parallel   int
	repeat     int
	minPass    float64
	jsonOut    string
	junitOut   string
	htmlOut    string
	target     string
	judgeModel string
	progress   string
	runSkipped bool
	only       string
}

func runEvalRun(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg evalConfig
	f := newFlags("eval run", getenv, stderr)
	cfg.common.register(f)
	cfg.agent.register(f)
	f.int(&cfg.parallel, "parallel", 2, "case runs at once, each on its own copy of the demo database")
	f.int(&cfg.repeat, "repeat", 1, "runs of every case, for pass^k and flakiness")
	f.float(&cfg.minPass, "min-pass", 1, "lowest pass rate (0 to 1) that exits 0; errored cases count against it, and any failed case fails the run regardless")
	f.string(&cfg.jsonOut, "json", "", "write the JSON report (for eval diff) to this file")
	f.string(&cfg.junitOut, "junit", "", "write a JUnit XML report to this file")
	f.string(&cfg.htmlOut, "html", "", "write a self-contained HTML report to this file")
	f.string(&cfg.target, "target", "", "run against a live server's chat websocket, e.g. ws://127.0.0.1:8080/v1/chat/ws (tokens signed with CSAGENT_AUTH_SECRET); empty runs in process")
	f.string(&cfg.judgeModel, "judge-model", "", "LLM model that judges rubrics (same API as --llm-model); default --llm-model; with neither, rubrics are skipped", "CSAGENT_EVAL_JUDGE_MODEL")
	f.StringVar(&cfg.only, "run", "", "run only the cases whose suite/id matches this regular expression, e.g. 'refunds/|/status-'")
	f.BoolVar(&cfg.runSkipped, "run-skipped", false, "run the cases marked skip too, to see whether what they wait for has arrived")
	f.string(&cfg.progress, "progress", "auto", "progress display: auto (a bar on a terminal, lines otherwise), bar, lines or none")
	f.string(&cfg.agent.variant, "variant", "", "run every case on this experiment variant, declared in --experiments FILE (control: the defaults); in process only")
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() == 0 {
		return usageError{"usage: csagent eval run [flags] SUITE... (files or folders of *.yaml)"}
	}
	switch {
	case cfg.parallel < 1:
		return usageError{"--parallel must be at least 1"}
	case cfg.repeat < 1:
		return usageError{"--repeat must be at least 1"}
	case cfg.minPass < 0 || cfg.minPass > 1:
		return usageError{"--min-pass is a fraction from 0 to 1, e.g. 0.95"}
	case cfg.agent.variant != "" && cfg.target != "":
		return usageError{"--variant runs in process only: a live server assigns variants by its own experiments file"}
	case cfg.agent.variant == "" && cfg.agent.experimentsFile != "" && cfg.target == "":
		// An eval run is one variant: the file's experiments would split
		// the cases' buyers between arms by their hash.
		cfg.agent.variant = experiment.Control
	}
	// The report is eval's output; the agent's own warnings (a guardrail
	// rewrite, a withheld passage) would only bury the progress lines, so
	// they are shown when a log level is asked for.
	logLevelSet := getenv("CSAGENT_LOG_LEVEL") != ""
	f.Visit(func(fl *flag.Flag) { logLevelSet = logLevelSet || fl.Name == "log-level" })
	if !logLevelSet {
		cfg.logLevel = "error"
	}
	var only *regexp.Regexp
	if cfg.only != "" {
		re, err := regexp.Compile(cfg.only)
		if err != nil {
			return usageError{fmt.Sprintf("--run %q: %v", cfg.only, err)}
		}
		only = re
	}
	suites, err := eval.LoadPaths(f.Args()...)
	if err != nil {
		return err
	}
	logger, err := cfg.logger(stderr)
	if err != nil {
		return err
	}

	var backend eval.Backend
	target := "in-process"
	if cfg.target != "" {
		b, closeDB, err := cfg.wsBackend(ctx, getenv, stderr)
		if err != nil {
			return err
		}
		defer closeDB()
		backend, target = b, cfg.target
	} else {
		b, err := cfg.inProcess(ctx, logger, getenv, stderr)
		if err != nil {
			return err
		}
		defer b.close()
		backend = b
	}

	r := &eval.Runner{
		Backend: backend, Judge: cfg.judge(getenv), Parallel: cfg.parallel, Repeat: cfg.repeat,
		Target: target, Logger: logger, Progress: progressFor(cfg.progress, stderr), RunSkipped: cfg.runSkipped, Only: only,
		Variant: cfg.agent.variant,
	}
	report, err := r.Run(ctx, suites)
	if err != nil {
		return err
	}
	if err := eval.WriteText(stdout, report); err != nil {
		return err
	}
	for _, out := range []struct {
		path  string
		write func(io.Writer, *eval.Report) error
	}{{cfg.jsonOut, eval.WriteJSON}, {cfg.junitOut, eval.WriteJUnit}, {cfg.htmlOut, eval.WriteHTML}} {
		if out.path == "" {
			continue
		}
		if err := writeFile(out.path, report, out.write); err != nil {
			return err
		}
	}
	// Any failure fails the run; errors (the harness or the judge could not
	// tell) only lower the pass rate, so --min-pass can tolerate a few. A
	// run of known gaps only (--run picking them) has no pass rate: its
	// expected failures do not fail it.
	s := report.Summary
	onlyGaps := s.XFailed > 0 && s.Passed+s.Failed+s.Errored == 0
	if s.Failed > 0 || (s.PassRate < cfg.minPass && !onlyGaps) {
		return fmt.Errorf("eval: %d failed, %d errors, pass rate %.1f%% (minimum %.1f%%)", s.Failed, s.Errored, 100*s.PassRate, 100*cfg.minPass)
	}
	return nil
}

func writeFile(path string, r *eval.Report, write func(io.Writer, *eval.Report) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create report: %w", err)
	}
	if err := write(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}

// progressFor picks the progress display: a bar only on a terminal.
func progressFor(mode string, stderr io.Writer) eval.Progress {
	tty := false
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil {
			tty = st.Mode()&os.ModeCharDevice != 0
		}
	}
	switch mode {
	case "none":
		return nil
	case "bar":
		tty = true
	case "lines":
		tty = false
	}
	return eval.NewProgress(stderr, tty)
}

// judge returns the rubric judge: an LLM when one is named, nil otherwise.
func (c *evalConfig) judge(getenv func(string) string) eval.Judge {
	model := c.judgeModel
	if model == "" {
		model = c.agent.llm.model
	}
	if model == "" {
		return nil
	}
	return eval.NewModelJudge(agent.NewOpenAI(agent.OpenAIConfig{
		BaseURL: c.agent.llm.baseURL, APIKey: llmKey(getenv), Model: model,
		RequestTimeout: c.agent.llm.timeout, MaxRetries: c.agent.llm.retries,
	}))
}

func llmKey(getenv func(string) string) string {
	if k := getenv("CSAGENT_LLM_API_KEY"); k != "" {
		return k
	}
	return getenv("OPENAI_API_KEY")
}

// wsBackend is the live-server target: tokens signed like `csagent token`,
// and the server's database when --database-url is given.
func (c *evalConfig) wsBackend(ctx context.Context, getenv func(string) string, stderr io.Writer) (*eval.WSBackend, func(), error) {
	u, err := url.Parse(c.target)
	if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") {
		return nil, nil, usageError{fmt.Sprintf("--target %q: want ws://host/v1/chat/ws or wss://…", c.target)}
	}
	auth, err := c.clientAuth(getenv, stderr)
	if err != nil {
		return nil, nil, err
	}
	b := &eval.WSBackend{
		URL:         c.target,
		TurnTimeout: c.agent.turnTimeout + 10*time.Second,
		Token: func(buyer string) (string, error) {
			return auth.Mint(tools.RoleBuyer, buyer, time.Hour, time.Now())
		},
	}
	if c.agent.llm.model == "" {
		b.Served = eval.Brain{Name: eval.BrainLocal}
	} else {
		b.Served = eval.Brain{Name: eval.BrainLLM, Model: c.agent.llm.model}
	}
	if c.databaseURL == "" {
		return b, func() {}, nil
	}
	pool, err := c.openPool(ctx)
	if err != nil {
		return nil, nil, err
	}
	b.Database = pool
	return b, pool.Close, nil
}

// inProcess is the in-process target: a template database migrated and
// seeded with the demo data once per run, a copy of it for every case run,
// and the agent the server runs (agentConfig.build) over that copy.
type inProcess struct {
	cfg      *evalConfig
	logger   *slog.Logger
	getenv   func(string) string
	admin    *pgxpool.Pool
	template string
	// slots are the workers' agents, built once each (training the local
	// model takes about a second) and re-pointed at each case's database.
	slots chan *evalSlot
	mu    sync.Mutex
	all   []*evalSlot
	// copies are fresh copies of the template, made ahead of the cases
	// that take them, so a case does not wait for its copy; the copiers
	// end when stop is called. drops are copies to drop, dropped in the
	// background for the same reason.
	copies  chan evalCopy
	stop    context.CancelFunc
	copiers sync.WaitGroup
	drops   chan string
	dropper sync.WaitGroup
}

// evalCopy is a copy of the template, or why it could not be made.
type evalCopy struct {
	name string
	err  error
}

// evalSlot is one worker's pool and agents. The pool connects to whichever
// database current names; between cases its connections are closed, so the
// next case's agent sees only the next case's copy.
type evalSlot struct {
	pool    *pgxpool.Pool
	current atomic.Value // string: the database of the case running
	brains  map[eval.Brain]*brain
}

func (c *evalConfig) inProcess(ctx context.Context, logger *slog.Logger, getenv func(string) string, stderr io.Writer) (*inProcess, error) {
	admin, err := c.openPool(ctx)
	if err != nil {
		return nil, err
	}
	p := &inProcess{cfg: c, logger: logger, getenv: getenv, admin: admin,
		template: "csagent_eval_tpl_" + agent.NewID(""), slots: make(chan *evalSlot, c.parallel)}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{p.template}.Sanitize()); err != nil {
		admin.Close()
		return nil, fmt.Errorf("create eval template database: %w", err)
	}
	// The fixture is exactly what `csagent seed --demo` writes.
	seedArgs := []string{"--demo", "--database-url", databaseURL(c.databaseURL, p.template), "--log-level", "warn"}
	if err := runSeed(ctx, seedArgs, getenv, io.Discard, stderr); err != nil {
		p.close()
		return nil, fmt.Errorf("seed eval template database: %w", err)
	}
	cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	p.stop = cancel
	p.copies = make(chan evalCopy, c.parallel)
	p.drops = make(chan string, 4*c.parallel)
	for range c.parallel {
		p.copiers.Go(func() { p.copier(cctx) })
	}
	p.dropper.Go(func() {
		for name := range p.drops {
			if err := p.drop(name); err != nil {
				p.logger.Warn("drop eval database", "err", err)
			}
		}
	})
	return p, nil
}

// copier makes copies of the template until ctx ends.
func (p *inProcess) copier(ctx context.Context) {
	for {
		name := "csagent_eval_" + agent.NewID("")
		// FILE_COPY copies the template's files rather than logging every
		// page (WAL_LOG, the default): half the time for the demo's 11 MB.
		_, err := p.admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE "+pgx.Identifier{p.template}.Sanitize()+" STRATEGY FILE_COPY")
		if ctx.Err() != nil {
			if err == nil {
				p.drops <- name
			}
			return
		}
		if err != nil {
			err = fmt.Errorf("copy the fixture database: %w", err)
		}
		select {
		case p.copies <- evalCopy{name: name, err: err}:
		case <-ctx.Done():
			if err == nil {
				p.drops <- name
			}
			return
		}
		if err != nil {
			// Whatever refused the copy (too many connections, a full
			// disk) is not retried in a tight loop.
			select {
			case <-time.After(time.Second):
			case <-ctx.Done():
				return
			}
		}
	}
}

// Open copies the template for one case run and points a worker's agent at
// the copy.
func (p *inProcess) Open(ctx context.Context, b eval.Brain) (eval.World, error) {
	ac := p.cfg.agent
	switch b.Name {
	case eval.BrainLocal:
		ac.llm.model = ""
	case eval.BrainLLM:
		if b.Model != "" {
			ac.llm.model = b.Model
		}
		if ac.llm.model == "" {
			return nil, fmt.Errorf("%w: the case wants an LLM and none is configured (--llm-model)", eval.ErrNoBrain)
		}
	}
	spec := eval.Brain{Name: eval.BrainLocal}
	if ac.llm.model != "" {
		spec = eval.Brain{Name: eval.BrainLLM, Model: ac.llm.model}
	}
	s, err := p.slot(ctx)
	if err != nil {
		return nil, err
	}
	var cp evalCopy
	select {
	case cp = <-p.copies:
	case <-ctx.Done():
		p.slots <- s
		return nil, ctx.Err()
	}
	if cp.err != nil {
		p.slots <- s
		return nil, cp.err
	}
	name := cp.name
	s.current.Store(name)
	s.pool.Reset()
	br, ok := s.brains[spec]
	if !ok {
		br, err = ac.build(p.logger, p.getenv, s.pool, prometheus.NewRegistry())
		if err != nil {
			p.drops <- name
			p.slots <- s
			return nil, fmt.Errorf("build the agent: %w", err)
		}
		s.brains[spec] = br
	}
	return &inProcessWorld{p: p, s: s, db: name, brain: br, spec: spec}, nil
}

// slot returns an idle worker slot, making one while fewer than --parallel
// exist.
func (p *inProcess) slot(ctx context.Context) (*evalSlot, error) {
	select {
	case s := <-p.slots:
		return s, nil
	default:
	}
	p.mu.Lock()
	if len(p.all) < p.cfg.parallel {
		s := &evalSlot{brains: map[eval.Brain]*brain{}}
		s.current.Store(p.idleDB())
		pc, err := pgxpool.ParseConfig(p.cfg.databaseURL)
		if err != nil {
			p.mu.Unlock()
			return nil, fmt.Errorf("parse database url: %w", err)
		}
		pc.BeforeConnect = func(_ context.Context, cc *pgx.ConnConfig) error {
			cc.Database = s.current.Load().(string)
			return nil
		}
		pc.MaxConns = 8
		pool, err := pgxpool.NewWithConfig(ctx, pc)
		if err != nil {
			p.mu.Unlock()
			return nil, fmt.Errorf("open eval pool: %w", err)
		}
		s.pool = pool
		p.all = append(p.all, s)
		p.mu.Unlock()
		return s, nil
	}
	p.mu.Unlock()
	select {
	case s := <-p.slots:
		return s, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// idleDB is where a worker's pool points between cases: the database the
// run was given, never the template, which must have no connections to be
// copied.
func (p *inProcess) idleDB() string { return p.admin.Config().ConnConfig.Database }

func (p *inProcess) drop(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := p.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop eval database %s: %w", name, err)
	}
	return nil
}

// close stops the copiers, drops every copy left, closes the workers'
// pools and drops the template.
func (p *inProcess) close() {
	if p.stop != nil {
		p.stop()
		p.copiers.Wait()
	drain:
		for {
			select {
			case cp := <-p.copies:
				if cp.err == nil {
					p.drops <- cp.name
				}
			default:
				break drain
			}
		}
		close(p.drops)
		p.dropper.Wait()
	}
	p.mu.Lock()
	for _, s := range p.all {
		s.pool.Close()
	}
	p.mu.Unlock()
	if err := p.drop(p.template); err != nil {
		p.logger.Warn("drop eval template", "err", err)
	}
	p.admin.Close()
}

type inProcessWorld struct {
	p     *inProcess
	s     *evalSlot
	db    string
	brain *brain
	spec  eval.Brain
}

func (w *inProcessWorld) DB() eval.DB       { return w.s.pool }
func (w *inProcessWorld) Brain() eval.Brain { return w.spec }

// Close drops the case's copy and hands the worker back.
func (w *inProcessWorld) Close(context.Context) error {
	w.s.pool.Reset()
	w.s.current.Store(w.p.idleDB())
	w.p.drops <- w.db
	w.p.slots <- w.s
	return nil
}

// Chat opens a conversation for buyer, as the websocket's hello does.
func (w *inProcessWorld) Chat(ctx context.Context, buyer, locale string) (eval.Chat, error) {
	conv, err := w.brain.agent.Store().Open(ctx, buyer, "", locale)
	if err != nil {
		return nil, err
	}
	return &inProcessChat{ag: w.brain.agent, conv: conv.ID, locale: locale,
		caller: tools.Caller{Role: tools.RoleBuyer, ID: buyer, Locale: locale}}, nil
}

type inProcessChat struct {
	ag      *agent.Agent
	conv    string
	locale  string
	caller  tools.Caller
	n       int
	pending string
}

func (c *inProcessChat) ConversationID() string { return c.conv }
func (c *inProcessChat) Close() error           { return nil }

func (c *inProcessChat) Send(ctx context.Context, text string) (eval.Reply, error) {
	c.n++
	var events []eval.Event
	r, err := c.ag.Run(tools.NewContext(ctx, c.caller), agent.Turn{
		ConversationID: c.conv, ClientID: fmt.Sprintf("eval-%d", c.n), Text: text, Locale: c.locale,
	}, c.collect(&events))
	if err != nil {
		return eval.Reply{}, err
	}
	return eval.FromAgentReply(r, events), nil
}

func (c *inProcessChat) Decide(ctx context.Context, approved bool) (eval.Reply, error) {
	if c.pending == "" {
		return eval.Reply{}, eval.ErrNothingPending
	}
	var events []eval.Event
	r, err := c.ag.Confirm(tools.NewContext(ctx, c.caller), c.conv, c.pending, approved, c.locale, c.collect(&events))
	if err != nil {
		return eval.Reply{}, err
	}
	return eval.FromAgentReply(r, events), nil
}

// collect keeps a turn's events and the last action it asks to confirm.
// The agent emits from the turn's tool goroutines one at a time.
func (c *inProcessChat) collect(events *[]eval.Event) func(agent.Event) error {
	return func(e agent.Event) error {
		ev := eval.FromAgentEvent(e)
		if ev.Kind == eval.EventConfirm {
			c.pending = ev.ActionID
		}
		*events = append(*events, ev)
		return nil
	}
}

func runEvalDiff(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var failOnRegression bool
	f := newFlags("eval diff", getenv, stderr)
	f.BoolVar(&failOnRegression, "fail-on-regression", false, "exit non-zero when a case that passed in BASE does not pass in NEW")
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() != 2 {
		return usageError{"usage: csagent eval diff [--fail-on-regression] BASE.json NEW.json"}
	}
	a, err := eval.ReadJSON(f.Arg(0))
	if err != nil {
		return err
	}
	b, err := eval.ReadJSON(f.Arg(1))
	if err != nil {
		return err
	}
	c := eval.Diff(a, b)
	if err := eval.WriteDiff(stdout, c); err != nil {
		return err
	}
	if n := c.Regressions(); failOnRegression && n > 0 {
		return fmt.Errorf("eval diff: %d cases regressed", n)
	}
	return nil
}

// The targets fit what the runner declares.
var (
	_ eval.Backend = (*inProcess)(nil)
	_ eval.Backend = (*eval.WSBackend)(nil)
	_ eval.World   = (*inProcessWorld)(nil)
	_ eval.Chat    = (*inProcessChat)(nil)
)

// databaseURL returns base with its database replaced by name.
func databaseURL(base, name string) string {
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" {
		// A key=value connection string: a later dbname wins.
		return base + " dbname=" + name
	}
	u.Path = "/" + name
	return u.String()
}

// runEvalFixtures prints, for every case, the buyer, language and orders
// its placeholders resolve to on the demo data, with each order's kind and
// items, so a suite's author sees what a case talks about before running
// it. Nothing touches a database: the demo data is a pure function.
func runEvalFixtures(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var only string
	f := newFlags("eval fixtures", getenv, stderr)
	f.StringVar(&only, "run", "", "only the cases whose suite/id matches this regular expression")
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() == 0 {
		return usageError{"usage: csagent eval fixtures [--run REGEXP] SUITE..."}
	}
	var re *regexp.Regexp
	if only != "" {
		var err error
		if re, err = regexp.Compile(only); err != nil {
			return usageError{fmt.Sprintf("--run %q: %v", only, err)}
		}
	}
	suites, err := eval.LoadPaths(f.Args()...)
	if err != nil {
		return err
	}
	kinds := map[string]string{}
	for _, o := range demo.Plan() {
		kinds[o.ID] = o.Kind.String() + " in " + o.ShopID
	}
	items := demo.Items()
	failed := 0
	for _, s := range suites {
		for i := range s.Cases {
			c := &s.Cases[i]
			name := s.Name + "/" + c.ID
			if re != nil && !re.MatchString(name) {
				continue
			}
			b, err := s.Bindings(c)
			if err != nil {
				failed++
				fmt.Fprintf(stdout, "%s\n  error: %v\n", name, err)
				continue
			}
			fmt.Fprintf(stdout, "%s\n", name)
			names := make([]string, 0, len(b.Vars))
			for k := range b.Vars {
				names = append(names, k)
			}
			slices.Sort(names)
			for _, k := range names {
				v := b.Vars[k]
				line := fmt.Sprintf("  {{%s}} = %s", k, v)
				if kind, ok := kinds[v]; ok && strings.Contains(k, "order") {
					var lines []string
					for _, it := range items[v] {
						lines = append(lines, fmt.Sprintf("%d × %s", it.Quantity, it.Name))
					}
					line += fmt.Sprintf("  (%s: %s)", kind, strings.Join(lines, ", "))
				}
				fmt.Fprintln(stdout, line)
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d case(s) have fixtures that resolve to nothing", failed)
	}
	return nil
}
