package web

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/agent/experiment"
)

// Experiments is the experiments file in force, which the readout reads
// (each experiment's arms, shares and horizon); *experiment.Set is one.
type Experiments interface {
	Config() experiment.Config
}

// ExperimentOutcomes returns the outcome of every conversation exposed to
// experiment name that started in [from, to), by the dashboard's own
// definitions (opsConvSQL: resolution, handoff, CSAT, fallbacks, latency,
// cost), read in one snapshot, in a fixed order so the bootstrap's seeded
// resamples are the same on every read. `csagent experiment report` reads
// the same.
func ExperimentOutcomes(ctx context.Context, db querier, name string, from, to time.Time) ([]experiment.Outcome, error) {
	f := opsFilter{From: from, To: to, Variant: name}
	var out []experiment.Outcome
	err := opsRead(ctx, db, func(q querier) error {
		rows, err := q.Query(ctx, `WITH `+opsConvSQL+`
SELECT variant, handed_off, returned, fallback > 0, coalesce(csat, 0), coalesce(latency, 0), turns, cost FROM per ORDER BY id`, opsArgs(f)...)
		if err != nil {
			return fmt.Errorf("query the outcomes of experiment %s: %w", name, err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (experiment.Outcome, error) {
			var o experiment.Outcome
			var returned bool
			var csat int16
			err := r.Scan(&o.Variant, &o.HandedOff, &returned, &o.Fallback, &csat, &o.LatencyMS, &o.Turns, &o.CostUSD)
			o.Resolved, o.CSAT = !o.HandedOff && !returned, int(csat)
			return o, err
		})
		if err != nil {
			return fmt.Errorf("read the outcomes of experiment %s: %w", name, err)
		}
		return nil
	})
	return out, err
}

// ReadoutSeed is the bootstrap's seed for experiment name: the same data
// read twice gives the same intervals, on the page and in the CLI.
func ReadoutSeed(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

// ExperimentPeriod is the span a readout reads for e at now: from the day
// it started to the day after now (or after its stop).
func ExperimentPeriod(e experiment.Experiment, now time.Time) (from, to time.Time) {
	end := now
	if e.Stop != nil && e.Stop.Before(now) {
		end = *e.Stop
	}
	return e.Start.UTC().Truncate(24 * time.Hour), end.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
}

// experimentState says where e stands at now, in a word.
func experimentState(e experiment.Experiment, now time.Time) string {
	switch {
	case e.Stopped:
		return "stopped"
	case now.Before(e.Start):
		return "scheduled"
	case e.Stop != nil && !now.Before(*e.Stop):
		return "ended"
	}
	return "running"
}

type opsExperimentRow struct {
	Name, Description, State, Link string
	Arms                           string
	Eligible                       string
	Start, Stop                    string
	Horizon                        int
	Exposed                        int
}

type opsExperimentsView struct {
	Rows []opsExperimentRow
}

func (s *Server) handleOpsExperiments(db querier, exps Experiments) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cfg := experimentsConfig(exps)
		names := make([]string, 0, len(cfg.Experiments))
		for _, e := range cfg.Experiments {
			names = append(names, e.Name)
		}
		counts := map[string]int{}
		rows, err := db.Query(r.Context(), `SELECT experiment, count(*) FROM conversations WHERE experiment = ANY ($1) GROUP BY 1`, names)
		if err != nil {
			opsFail(w, r, s.logger, fmt.Errorf("count exposures: %w", err))
			return
		}
		var name string
		var n int
		if _, err := pgx.ForEachRow(rows, []any{&name, &n}, func() error { counts[name] = n; return nil }); err != nil {
			opsFail(w, r, s.logger, fmt.Errorf("count exposures: %w", err))
			return
		}
		now := time.Now()
		var v opsExperimentsView
		for _, e := range cfg.Experiments {
			row := opsExperimentRow{Name: e.Name, Description: e.Description, State: experimentState(e, now), Link: "#/experiment/" + e.Name,
				Start: e.Start.UTC().Format("2006-01-02 15:04"), Horizon: e.Horizon, Exposed: counts[e.Name], Eligible: eligibleText(e.Eligible)}
			if e.Stop != nil {
				row.Stop = e.Stop.UTC().Format("2006-01-02 15:04")
			}
			var arms []string
			for _, a := range e.Arms {
				arms = append(arms, fmt.Sprintf("%s %g%%", a.Variant, a.Share))
			}
			row.Arms = strings.Join(arms, " · ")
			v.Rows = append(v.Rows, row)
		}
		renderOps(w, r, s.logger, "ops_experiments", v)
	})
}

func eligibleText(el experiment.Eligible) string {
	var parts []string
	if len(el.Locales) > 0 {
		parts = append(parts, "locales "+strings.Join(el.Locales, ", "))
	}
	if len(el.Shops) > 0 {
		parts = append(parts, "shops "+strings.Join(el.Shops, ", "))
	}
	if len(parts) == 0 {
		return "everyone"
	}
	return strings.Join(parts, "; ")
}

func experimentsConfig(exps Experiments) experiment.Config {
	if exps == nil {
		return experiment.Config{}
	}
	return exps.Config()
}

// opsCell is one arm's value of a metric, or its difference to control.
type opsCell struct {
	Value, Interval string
	// Class marks a difference: finding-better, finding-worse, or none.
	Class string
	Title string
}

type opsReadoutRow struct {
	Metric string
	Arms   []opsCell
	Diffs  []opsCell
}

type opsReadoutArm struct {
	Variant, Share, Expected, Link string
	N                              int
}

type opsReadoutView struct {
	Name, Description, State, Period string
	Horizon                          int
	Final                            bool
	Arms                             []opsReadoutArm
	Treatments                       []string
	SRM                              string
	SRMBad                           bool
	FindingLevel                     string
	Rows                             []opsReadoutRow
	Warnings, Findings               []string
	JSON                             string
}

func (s *Server) handleOpsExperiment(db querier, exps Experiments) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := chi.URLParam(r, "name")
		e, ok := experimentsConfig(exps).Experiment(name)
		if !ok {
			writeError(w, r, codeNotFound, "no experiment of that name in the experiments file")
			return
		}
		now := time.Now()
		from, to := ExperimentPeriod(e, now)
		outs, err := ExperimentOutcomes(r.Context(), db, name, from, to)
		if err != nil {
			opsFail(w, r, s.logger, err)
			return
		}
		ro := experiment.Analyze(e, outs, experiment.AnalyzeOptions{Seed: ReadoutSeed(name)})
		if r.URL.Query().Get("format") == "json" {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Disposition", `attachment; filename="readout-`+name+`.json"`)
			w.Header().Set("Cache-Control", "no-store")
			json.NewEncoder(w).Encode(ro) //nolint:errcheck // the client went away
			return
		}
		renderOps(w, r, s.logger, "ops_experiment", readoutView(e, ro, from, to, now))
	})
}

func readoutView(e experiment.Experiment, ro experiment.Readout, from, to, now time.Time) opsReadoutView {
	v := opsReadoutView{Name: e.Name, Description: e.Description, State: experimentState(e, now), Horizon: e.Horizon, Final: ro.Final,
		Period:   from.Format(time.DateOnly) + " to " + to.Add(-24*time.Hour).Format(time.DateOnly),
		Warnings: ro.Warnings, Findings: ro.Findings, JSON: "/v1/ops/experiments/" + e.Name + "?format=json",
		SRM: fmt.Sprintf("chi-square %.2f, %d df, p = %.3g", ro.SRM.ChiSquare, ro.SRM.DF, ro.SRM.P), SRMBad: ro.SRM.Mismatch,
		FindingLevel: fmt.Sprintf("%.4f", ro.FindingAlpha),
	}
	f := opsFilter{From: from, To: to}
	for i, a := range ro.Arms {
		f.Variant = e.Name + "/" + a.Variant
		v.Arms = append(v.Arms, opsReadoutArm{Variant: a.Variant, Share: fmt.Sprintf("%g%%", a.Share), N: a.N,
			Expected: fmt.Sprintf("%.0f", a.Expected), Link: "#/conversations?" + f.query("metric", "all")})
		if i > 0 {
			v.Treatments = append(v.Treatments, a.Variant)
		}
	}
	for _, mr := range ro.Metrics {
		row := opsReadoutRow{Metric: mr.Metric.Label}
		for _, est := range mr.Arms {
			row.Arms = append(row.Arms, opsCell{Value: experiment.FormatValue(mr.Metric, est.Value, false),
				Interval: fmt.Sprintf("%s – %s", experiment.FormatValue(mr.Metric, est.Lo, false), experiment.FormatValue(mr.Metric, est.Hi, false)),
				Title:    fmt.Sprintf("n = %d", est.N)})
		}
		for _, d := range mr.Diffs[1:] {
			c := opsCell{Value: experiment.FormatValue(mr.Metric, d.Value, true),
				Interval: fmt.Sprintf("%s – %s", experiment.FormatValue(mr.Metric, d.Lo, true), experiment.FormatValue(mr.Metric, d.Hi, true))}
			switch {
			case d.Finding && d.Better:
				c.Class, c.Title = "finding better", "a finding: better than control"
			case d.Finding:
				c.Class, c.Title = "finding worse", "a finding: worse than control"
			case d.TooSmall:
				c.Class, c.Title = "small", "too few values to conclude"
			default:
				c.Title = "not a finding"
			}
			row.Diffs = append(row.Diffs, c)
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// variantChoices are the dashboard's variant filter values: each
// experiment of the file, then each of its arms.
func variantChoices(exps Experiments) []string {
	var out []string
	for _, e := range experimentsConfig(exps).Experiments {
		out = append(out, e.Name)
		for _, a := range e.Arms {
			out = append(out, e.Name+"/"+a.Variant)
		}
	}
	return slices.Clip(out)
}
