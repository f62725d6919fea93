package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/csagent/csagent/agent/experiment"
	"github.com/csagent/csagent/retrieval"
	"github.com/csagent/csagent/tools/demo"
)

// runSeed writes the demo data, then ingests the demo policies that ship
// in the binary through the same Ingester as `csagent ingest`, so a second
// seed changes nothing and prints "(0 changed)".
func runSeed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg common
	var emb embedConfig
	var withDemo bool
	var history, historyDays int
	f := newFlags("seed", getenv, stderr)
	cfg.register(f)
	emb.register(f)
	f.BoolVar(&withDemo, "demo", false, "write the demo shops, buyers, orders and policy documents")
	f.IntVar(&history, "history", 0, "also write this many past conversations (one turn each), for the /ops dashboard; a second run adds more")
	f.IntVar(&historyDays, "history-days", 30, "spread the --history conversations over this many days before now")
	var expFile, expName string
	f.string(&expFile, "experiments", "", "the experiments file that declares --experiment", "CSAGENT_EXPERIMENTS")
	f.StringVar(&expName, "experiment", "", "run the --history conversations as this two-arm experiment of --experiments, its variant planted with an effect ("+demo.TreatmentEffect+")")
	if err := f.Parse(args); err != nil {
		return err
	}
	if history < 0 || historyDays < 1 || historyDays > 3660 {
		return usageError{"usage: --history must be 0 or more, --history-days 1 to 3660"}
	}
	if !withDemo {
		return usageError{"usage: csagent seed --demo (the demo data is the only seed there is)"}
	}
	var hexp *demo.HistoryExperiment
	if expName != "" {
		var err error
		if hexp, err = historyExperiment(expFile, expName, history); err != nil {
			return err
		}
	}
	pool, m, err := cfg.openMigrated(ctx, nil)
	if err != nil {
		return err
	}
	defer pool.Close()
	defer m.Close()
	if err := demo.Seed(ctx, pool, time.Now()); err != nil {
		return err
	}
	store, err := emb.store(pool, getenv, "")
	if err != nil {
		return err
	}
	sum, err := retrieval.NewIngester(store).IngestFS(ctx, retrieval.DemoPolicies(), retrieval.IngestOptions{})
	if err == nil && len(sum.Errors) > 0 {
		err = errors.Join(sum.Errors...)
	}
	if err != nil {
		return fmt.Errorf("ingest the demo policies: %w", err)
	}
	fmt.Fprintf(stdout, "demo data: %d buyers, %d orders; policy documents: %d (%d changed), %d chunks written\n",
		demo.Buyers, demo.Orders, sum.Documents, sum.Written, sum.ChunksAdded)
	if history > 0 {
		start := time.Now()
		if err := demo.HistoryWith(ctx, pool, history, historyDays, start, hexp); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "history: %d conversations over the last %d days, written in %s; the server rolls them up for /ops\n",
			history, historyDays, time.Since(start).Round(time.Second))
		if hexp != nil {
			fmt.Fprintf(stdout, "experiment %s: arms %s and %s (planted in %s: %s)\n", hexp.Name, hexp.Control, hexp.Variant, hexp.Variant, demo.TreatmentEffect)
		}
	}
	return nil
}

// historyExperiment is the experiment name of the file at path, for
// --history to run as: two arms, control and one variant.
func historyExperiment(path, name string, history int) (*demo.HistoryExperiment, error) {
	if path == "" || history <= 0 {
		return nil, usageError{"--experiment needs --experiments FILE and --history N"}
	}
	cfg, err := loadExperiments(path)
	if err != nil {
		return nil, err
	}
	e, ok := cfg.Experiment(name)
	if !ok {
		return nil, fmt.Errorf("no experiment %q in %s", name, path)
	}
	if len(e.Arms) != 2 {
		return nil, fmt.Errorf("experiment %s has %d arms; --history runs two, control and one variant", name, len(e.Arms))
	}
	variant := e.Arms[0].Variant
	if variant == experiment.Control {
		variant = e.Arms[1].Variant
	}
	return &demo.HistoryExperiment{Name: name, Control: experiment.Control, Variant: variant, Arm: e.Assign}, nil
}
