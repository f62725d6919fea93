package eval

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// ErrNothingPending is returned (wrapped) by Chat.Decide when the agent
// asked the buyer to confirm nothing: the script's confirm step then fails
// the case, since the agent should have asked.
var ErrNothingPending = errors.New("no action is waiting for confirmation")

// ErrNoBrain is returned (wrapped) by a Backend that cannot provide the
// brain a case asks for; the case is skipped, not failed.
var ErrNoBrain = errors.New("brain not available")

// Runner runs suites on a Backend.
type Runner struct {
	Backend Backend
	// Judge grades rubrics; nil skips them.
	Judge Judge
	// Parallel is how many case runs go at once (at least 1).
	Parallel int
	// Repeat is how many times each case runs (at least 1).
	Repeat int
	// Target names what ran, for the report ("in-process", a URL).
	Target string
	// Variant names the experiment variant the backend runs, for the
	// report; empty for the defaults.
	Variant string
	// Only, when set, runs just the cases whose "suite/id" it matches; the
	// others are left out of the report.
	Only *regexp.Regexp
	// RunSkipped runs the cases marked skip too, to see whether what they
	// wait for has arrived; their verdicts then count like any other.
	RunSkipped bool
	// Progress hears about each run as it ends; nil is quiet.
	Progress Progress
	Logger   *slog.Logger
}

// Progress is told about a run's progress.
type Progress interface {
	// Start is called once with the number of case runs.
	Start(total int)
	// Done is called as each case run ends, from one goroutine at a time.
	Done(c *CaseResult, r Run)
	// Finish is called once all runs ended.
	Finish()
}

type job struct {
	idx     int
	suite   *Suite
	c       *Case
	attempt int
	b       Bindings
}

// Run runs every case of suites Repeat times and returns the report. It
// returns an error only when nothing could be run; a case that could not
// run is an error in the report.
func (r *Runner) Run(ctx context.Context, suites []*Suite) (*Report, error) {
	start := time.Now()
	parallel, repeat := max(r.Parallel, 1), max(r.Repeat, 1)
	logger := r.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var results []CaseResult
	var jobs []job
	for _, s := range suites {
		for i := range s.Cases {
			c := &s.Cases[i]
			if r.Only != nil && !r.Only.MatchString(s.Name+"/"+c.ID) {
				continue
			}
			locale := s.locale(c)
			cr := CaseResult{
				Suite: s.Name, File: s.File, ID: c.ID, Description: c.Description,
				Tags: append(append([]string(nil), s.Defaults.Tags...), c.Tags...), Brain: s.brain(c).String(),
				Locale: locale, FlakyOK: c.FlakyOK, Skip: c.Skip, KnownGap: c.KnownGap,
			}
			b, err := resolve(s.fixture(c), locale)
			cr.Bindings = b
			idx := len(results)
			if r.RunSkipped {
				cr.Skip = ""
			}
			switch {
			case cr.Skip != "":
				cr.Status = StatusSkip
			case err != nil:
				cr.Status = StatusError
				cr.Runs = []Run{{Attempt: 1, Status: StatusError, Error: "fixture: " + err.Error()}}
			default:
				for a := 1; a <= repeat; a++ {
					jobs = append(jobs, job{idx: idx, suite: s, c: c, attempt: a, b: b})
				}
			}
			results = append(results, cr)
		}
	}
	if r.Progress != nil {
		r.Progress.Start(len(jobs))
	}

	var mu sync.Mutex
	queue := make(chan job)
	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() {
			for j := range queue {
				run, skip := r.runCase(ctx, j, logger)
				mu.Lock()
				cr := &results[j.idx]
				if skip != "" {
					cr.Skip, cr.Status = skip, StatusSkip
				} else {
					cr.Runs = append(cr.Runs, run)
				}
				if r.Progress != nil {
					r.Progress.Done(cr, run)
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, j := range jobs {
		select {
		case queue <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(queue)
	wg.Wait()
	if r.Progress != nil {
		r.Progress.Finish()
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("eval run cancelled: %w", err)
	}

	for i := range results {
		cr := &results[i]
		if cr.Skip != "" {
			cr.Status = StatusSkip
			continue
		}
		slices.SortFunc(cr.Runs, func(a, b Run) int { return cmp.Compare(a.Attempt, b.Attempt) })
		if len(cr.Runs) > 0 && cr.Runs[0].Brain != "" {
			cr.Brain = cr.Runs[0].Brain
		}
		caseStatus(cr)
	}
	return &Report{
		Version: ReportVersion, StartedAt: start.UTC(), Duration: time.Since(start), Target: r.Target, Variant: r.Variant,
		Repeat: repeat, Parallel: parallel, Summary: summarize(results, repeat), Cases: results,
	}, nil
}

// runCase runs one repeat of a case in a world of its own. skip is set when
// the backend cannot provide the brain the case asks for.
func (r *Runner) runCase(ctx context.Context, j job, logger *slog.Logger) (run Run, skip string) {
	start := time.Now()
	run = Run{Attempt: j.attempt}
	defer func() {
		run.Duration = time.Since(start)
		if run.Status == "" {
			run.Status = runStatus(run)
		}
	}()
	brain := j.suite.brain(j.c)
	w, err := r.Backend.Open(ctx, brain)
	if errors.Is(err, ErrNoBrain) {
		return run, err.Error()
	}
	if err != nil {
		run.Error = "open world: " + err.Error()
		return run, ""
	}
	run.Brain = w.Brain().String()
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if err := w.Close(cctx); err != nil {
			logger.WarnContext(ctx, "close eval world", "case", j.c.ID, "err", err)
		}
	}()

	db := w.DB()
	if len(j.c.Setup) > 0 && db == nil {
		run.Error = "setup needs the database: give --database-url"
		return run, ""
	}
	for i, q := range j.c.Setup {
		if _, err := db.Exec(ctx, j.b.expand(q)); err != nil {
			run.Error = fmt.Sprintf("setup[%d]: %v", i, err)
			return run, ""
		}
	}
	var before *snapshot
	if db != nil {
		s, err := takeSnapshot(ctx, db)
		if err != nil {
			run.Error = err.Error()
			return run, ""
		}
		before = &s
	}
	chat, err := w.Chat(ctx, j.b.Buyer, j.b.Locale)
	if err != nil {
		run.Error = "start conversation: " + err.Error()
		return run, ""
	}
	defer chat.Close()

	var all []ToolCall
	var events []Event
	var transcript strings.Builder
	var total time.Duration
	usage := &Usage{}
	last := Reply{}
	// prev is the reply before last, for the repeats check; nil before
	// the second reply.
	var prev *string
	for _, st := range j.c.Turns {
		t := Turn{}
		var reply Reply
		t0 := time.Now()
		if st.Confirm != nil {
			t.User = "[decline]"
			if *st.Confirm {
				t.User = "[confirm]"
			}
			reply, err = chat.Decide(ctx, *st.Confirm)
		} else {
			t.User = j.b.expand(st.User)
			reply, err = chat.Send(ctx, t.User)
		}
		t.Latency = time.Since(t0)
		total += t.Latency
		if errors.Is(err, ErrNothingPending) {
			t.Asserts = []AssertionResult{{Kind: "confirm", Want: t.User, Status: StatusFail,
				Detail: "the agent asked the buyer to confirm nothing, so there was nothing to decide"}}
			run.Turns = append(run.Turns, t)
			return run, ""
		}
		if err != nil {
			t.Error = err.Error()
			run.Turns = append(run.Turns, t)
			run.Error = fmt.Sprintf("turn %d: %v", len(run.Turns), err)
			return run, ""
		}
		if db != nil && reply.TurnID != "" && reply.ToolCalls == nil {
			calls, err := loadToolCalls(ctx, db, chat.ConversationID(), reply.TurnID)
			if err != nil {
				t.Error = err.Error()
			}
			reply.ToolCalls = calls
		}
		if db == nil && reply.ToolCalls == nil {
			reply.ToolCalls = reply.toolNames()
		}
		t.Reply = reply
		all = append(all, reply.ToolCalls...)
		events = append(events, reply.Events...)
		if reply.Usage != nil && usage != nil {
			usage.PromptTokens += reply.Usage.PromptTokens
			usage.CompletionTokens += reply.Usage.CompletionTokens
			usage.CostUSD += reply.Usage.CostUSD
		} else {
			// One turn without a usage record leaves the totals unknown.
			usage = nil
		}
		if reply.Usage != nil {
			run.Tokens += reply.Usage.PromptTokens + reply.Usage.CompletionTokens
			run.CostUSD += reply.Usage.CostUSD
		}
		fmt.Fprintf(&transcript, "Buyer: %s\nAgent: %s\n", t.User, reply.Text)
		var previous *string
		if len(run.Turns) > 0 {
			previous = &last.Text
		}
		sc := scope{reply: reply, calls: reply.ToolCalls, events: reply.Events, latency: t.Latency, usage: reply.Usage,
			transcript: transcript.String(), previous: previous, db: db, conv: chat.ConversationID()}
		t.Asserts = r.check(ctx, st.Expect, j.b, sc)
		run.Turns = append(run.Turns, t)
		prev, last = previous, reply
	}
	end := scope{reply: last, calls: all, events: events, latency: total, usage: usage, transcript: transcript.String(),
		previous: prev, db: db, conv: chat.ConversationID()}
	run.End = r.check(ctx, j.c.Expect, j.b, end)
	if j.c.Expect.DB != nil {
		run.End = append(run.End, checkDB(ctx, j.c.Expect.DB, j.b, db, before)...)
	}
	return run, ""
}

// check runs every assertion of e on s.
func (r *Runner) check(ctx context.Context, e Expect, b Bindings, s scope) []AssertionResult {
	out := checkText(e, b, s)
	if e.Tools != nil {
		out = append(out, checkTools(e.Tools, b, s.calls))
	}
	out = append(out, checkLimits(e, s)...)
	if e.Repeats != nil {
		out = append(out, checkRepeats(*e.Repeats, s))
	}
	if e.Pending != nil {
		out = append(out, checkPending(ctx, *e.Pending, s))
	}
	if e.HandoffSummary != nil {
		out = append(out, checkHandoffSummary(ctx, *e.HandoffSummary, b, s)...)
	}
	if e.Rubric != "" {
		out = append(out, checkRubric(ctx, r.Judge, e.Rubric, b, s))
	}
	return out
}
