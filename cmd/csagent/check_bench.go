package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/csagent/csagent/internal/guardbench"
)

// benchGuardrails measures the guardrails with the built-in rules: check
// latency, banned-phrase recall on evasions with false positives on clean
// replies, hallucination precision and recall, and injection detection
// rates, on the labelled sets in internal/guardbench/testdata.
func benchGuardrails(ctx context.Context, w io.Writer) (guardbench.Report, error) {
	rep, err := guardbench.Run(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("bench guardrails: %w", err)
	}
	l := rep.Latency
	fmt.Fprintf(w, "latency: output p50 %.1fµs p99 %.1fµs max %.1fµs (%d checks); input p50 %.1fµs p99 %.1fµs (%d checks)\n\n",
		l.OutputP50, l.OutputP99, l.OutputMax, l.OutputChecks, l.InputP50, l.InputP99, l.InputChecks)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "banned phrases\tevasions\tdetected\trecall\tclean\tfalse pos.\tFP rate\t\n")
	for _, b := range rep.Banned {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%d\t%d\t%.3f\t\n", b.Set, b.Evasions, b.Detected, b.Recall, b.Clean, b.FalsePositives, b.FalsePositiveRate)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "hallucination\tplanted\tcaught\tsupported\tfalse alarms\tprecision\trecall\tspan recall\t\n")
	for _, h := range rep.Hallucination {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t\n", h.Set, h.Planted, h.Caught, h.Supported, h.Flagged, h.Precision, h.Recall, h.SpanRecall)
	}
	tw.Flush()
	fmt.Fprintln(w)
	in := rep.Injection
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "injection (held-out, threshold %.2f)\tpositives\tnegatives\tTPR\tFPR\t\n", in.Threshold)
	fmt.Fprintf(tw, "patterns + classifier\t%d\t%d\t%.3f\t%.3f\t\n", in.Positives, in.Negatives, in.TPR, in.FPR)
	fmt.Fprintf(tw, "classifier only\t\t\t%.3f\t%.3f\t\n", in.ClassifierTPR, in.ClassifierFPR)
	fmt.Fprintf(tw, "patterns only\t\t\t%.3f\t%.3f\t\n", in.PatternsTPR, in.PatternsFPR)
	fmt.Fprintf(tw, "5-fold cross-validation (%d examples)\t\t\t%.3f\t%.3f\t\n", in.TrainExamples, in.CrossValTPR, in.CrossValFPR)
	tw.Flush()
	fmt.Fprintf(w, "%.2fs\n", rep.Seconds)
	return rep, nil
}
