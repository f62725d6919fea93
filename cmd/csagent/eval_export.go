package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/csagent/csagent/eval"
)

// runEvalExport writes a reviewed conversation as an eval suite of one
// regression case (the same YAML as the "Save as eval case" button on
// /ops), to stdout or -o FILE.
func runEvalExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg common
	var out string
	f := newFlags("eval export", getenv, stderr)
	cfg.register(f)
	f.StringVar(&out, "o", "", "write the suite to this file instead of stdout")
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return usageError{"usage: csagent eval export [-o FILE] CONVERSATION_ID"}
	}
	pool, err := cfg.openPool(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	id := f.Arg(0)
	rv, err := eval.LoadReview(ctx, pool, id)
	if err != nil {
		return fmt.Errorf("%w (label it in the review queue on /ops first)", err)
	}
	suite, err := eval.ExportConversation(ctx, pool, id, rv)
	if err != nil {
		return err
	}
	if out == "" {
		_, err = stdout.Write(suite)
		return err
	}
	if err := os.WriteFile(out, suite, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Fprintf(stderr, "wrote %s; run it with: csagent eval run %s\n", out, out)
	return nil
}
