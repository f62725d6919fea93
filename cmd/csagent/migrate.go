package main

import (
	"context"
	"fmt"
	"io"

	"github.com/csagent/csagent/migrations"
)

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg common
	f := newFlags("migrate", getenv, stderr)
	cfg.register(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	action := "up"
	if f.NArg() > 0 {
		action = f.Arg(0)
	}
	if f.NArg() > 1 || (action != "up" && action != "status") {
		return usageError{"usage: csagent migrate [up|status]"}
	}
	pool, err := cfg.openPool(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	m, err := migrations.New(pool, nil)
	if err != nil {
		return err
	}
	defer m.Close()
	if action == "up" {
		n, err := m.Up(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "applied %d migration(s)\n", n)
		return nil
	}
	st, err := m.Status(ctx)
	if err != nil {
		return err
	}
	for _, s := range st {
		state := "pending"
		if s.Applied {
			state = "applied"
		}
		fmt.Fprintf(stdout, "%05d  %-8s %s\n", s.Version, state, s.Name)
	}
	return nil
}
