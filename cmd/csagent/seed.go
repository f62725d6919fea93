package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/csagent/csagent/retrieval"
	"github.com/csagent/csagent/tools/demo"
)

func runSeed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg common
	var withDemo bool
	f := newFlags("seed", getenv, stderr)
	cfg.register(f)
	f.BoolVar(&withDemo, "demo", false, "write the demo shops, buyers, orders and policy documents")
	if err := f.Parse(args); err != nil {
		return err
	}
	if !withDemo {
		return usageError{"usage: csagent seed --demo (the demo data is the only seed there is)"}
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
	docs, errs := retrieval.LoadDir(retrieval.DemoPolicies())
	if len(errs) > 0 {
		return fmt.Errorf("demo policies: %w", errors.Join(errs...))
	}
	store := retrieval.NewStore(pool)
	written := 0
	for _, d := range docs {
		wrote, err := store.PutDocument(ctx, d)
		if err != nil {
			return err
		}
		if wrote {
			written++
		}
	}
	fmt.Fprintf(stdout, "demo data: %d buyers, %d orders; policy documents: %d (%d changed)\n",
		demo.Buyers, demo.Orders, len(docs), written)
	return nil
}
