package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/csagent/csagent/agent/local/nlu"
)

// runBench runs one of csagent's measurements, prints a table and, with
// --out, writes the figures as JSON for comparing runs.
func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"usage: csagent bench nlu|turn|load|retrieval|guardrails [--out FILE]"}
	}
	sub, rest := args[0], args[1:]
	var out string
	f := newFlags("bench "+sub, getenv, stderr)
	f.StringVar(&out, "out", "", "write the results as JSON to this file")
	var rb retrievalBenchConfig
	if sub == "retrieval" {
		rb.register(f)
	}
	var tb turnBenchConfig
	if sub == "turn" {
		tb.register(f)
	}
	var lb loadBenchConfig
	if sub == "load" {
		lb.register(f)
	}
	if err := f.Parse(rest); err != nil {
		return err
	}
	var report any
	var err error
	switch sub {
	case "nlu":
		report, err = benchNLU(stdout)
	case "turn":
		report, err = benchTurn(ctx, tb, getenv, stdout, stderr)
	case "load":
		report, err = benchLoad(ctx, lb, getenv, stdout, stderr)
	case "retrieval":
		report, err = benchRetrieval(ctx, rb, stdout, stderr)
	case "guardrails":
		report, err = benchGuardrails(ctx, stdout)
	default:
		return usageError{fmt.Sprintf("unknown benchmark %q; have: nlu, turn, load, retrieval, guardrails", sub)}
	}
	if err != nil {
		return err
	}
	if out != "" {
		b, err := json.MarshalIndent(report, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(out, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", out, err)
		}
	}
	return nil
}

// nluBench is the local model's reading quality on the held-out set it was
// never trained on, and on cross-validation over the training set.
type nluBench struct {
	TrainSeconds float64                `json:"train_seconds"`
	ParseMicros  float64                `json:"parse_us"`
	HeldOut      map[string]nlu.Scores  `json:"held_out"`
	CrossVal     map[string]nlu.Scores  `json:"cross_validation_5_fold"`
	WeakIntents  map[nlu.Intent]float64 `json:"weak_intents"`
}

func benchNLU(w io.Writer) (nluBench, error) {
	start := time.Now()
	c, err := nlu.New()
	if err != nil {
		return nluBench{}, err
	}
	res := nluBench{TrainSeconds: time.Since(start).Seconds(), WeakIntents: map[nlu.Intent]float64{}}
	held := nlu.HeldOutSet()
	t0 := time.Now()
	rep := nlu.Evaluate(c, held)
	res.ParseMicros = float64(time.Since(t0).Microseconds()) / float64(len(held))
	cv, err := nlu.CrossValidate(nlu.TrainingSet(), 5)
	if err != nil {
		return nluBench{}, err
	}
	res.HeldOut = withOverall(rep)
	res.CrossVal = withOverall(cv)
	for i, f1 := range rep.IntentF1 {
		if f1 < 0.93 {
			res.WeakIntents[i] = f1
		}
	}

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "locale\theld-out n\taccuracy\tmacro-F1\tcross-val macro-F1\t\n")
	locales := append(nlu.Locales(), "all")
	for _, l := range locales {
		h, cvs := res.HeldOut[l], res.CrossVal[l]
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t\n", l, h.N, h.Accuracy, h.MacroF1, cvs.MacroF1)
	}
	tw.Flush()
	weak := make([]string, 0, len(res.WeakIntents))
	for i, f1 := range res.WeakIntents {
		weak = append(weak, fmt.Sprintf("%s %.3f", i, f1))
	}
	slices.Sort(weak)
	fmt.Fprintf(w, "training %.2fs, parse %.1fµs; intents under 0.93 F1: %v\n", res.TrainSeconds, res.ParseMicros, weak)
	return res, nil
}

func withOverall(r nlu.Report) map[string]nlu.Scores {
	m := map[string]nlu.Scores{"all": r.Overall}
	for l, s := range r.PerLocale {
		m[l] = s
	}
	return m
}
