package experiment

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText writes r for a terminal: warnings first, the arms and the
// sample ratio check, each metric per arm with its interval and each
// arm's difference to control, then the findings.
func WriteText(w io.Writer, r Readout) error {
	var b strings.Builder
	state := "interim"
	if r.Final {
		state = "final"
	}
	fmt.Fprintf(&b, "experiment %s: %s readout (fixed horizon %d conversations per arm)\n", r.Experiment, state, r.Horizon)
	for _, x := range r.Warnings {
		fmt.Fprintf(&b, "WARNING: %s\n", x)
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "arm\tshare\tconversations\texpected")
	for _, a := range r.Arms {
		fmt.Fprintf(tw, "%s\t%g%%\t%d\t%.0f\n", a.Variant, a.Share, a.N, a.Expected)
	}
	tw.Flush()
	verdict := "consistent with the shares"
	if r.SRM.Mismatch {
		verdict = "MISMATCH"
	}
	fmt.Fprintf(&b, "sample ratio: chi-square %.2f, %d df, p = %.3g (%s)\n\n", r.SRM.ChiSquare, r.SRM.DF, r.SRM.P, verdict)

	tw = tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	head := []string{"metric"}
	for _, a := range r.Arms {
		head = append(head, a.Variant+" [95% CI]")
	}
	for _, a := range r.Arms[1:] {
		head = append(head, a.Variant+" − control [95% CI]")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, mr := range r.Metrics {
		row := []string{mr.Metric.Label}
		for _, e := range mr.Arms {
			row = append(row, fmt.Sprintf("%s [%s, %s] n=%d", FormatValue(mr.Metric, e.Value, false),
				FormatValue(mr.Metric, e.Lo, false), FormatValue(mr.Metric, e.Hi, false), e.N))
		}
		for _, d := range mr.Diffs[1:] {
			mark := ""
			switch {
			case d.Finding:
				mark = " *"
			case d.TooSmall:
				mark = " (too few)"
			}
			row = append(row, fmt.Sprintf("%s [%s, %s]%s", FormatValue(mr.Metric, d.Value, true),
				FormatValue(mr.Metric, d.Lo, true), FormatValue(mr.Metric, d.Hi, true), mark))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
	fmt.Fprintf(&b, "\n* a finding: the difference excludes zero at the corrected level %.4f (0.05 over %d comparisons), with every arm at the horizon and no sample ratio mismatch\n",
		r.FindingAlpha, len(r.Metrics)*(len(r.Arms)-1))
	if r.Final && len(r.Findings) == 0 {
		b.WriteString("findings: none; no variant is distinguishable from control on any metric\n")
	}
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "finding: %s\n", f)
	}
	if r.Unassigned > 0 {
		fmt.Fprintf(&b, "%d conversations in arms no longer in the file are left out\n", r.Unassigned)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
