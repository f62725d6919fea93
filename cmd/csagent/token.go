package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/web"
)

// runToken mints a bearer token for a buyer or a seller. With a database it
// mints at the person's current token version, so a token minted after they
// signed out works; without one, at version 0.
func runToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg common
	var ttl time.Duration
	f := newFlags("token", getenv, stderr)
	cfg.register(f)
	f.DurationVar(&ttl, "ttl", 24*time.Hour, "how long the token is valid; at most --token-max-lifetime")
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() != 2 {
		return usageError{"usage: csagent token buyer|seller ID"}
	}
	role := tools.Role(f.Arg(0))
	if role != tools.RoleBuyer && role != tools.RoleSeller {
		return usageError{fmt.Sprintf("role %q: want buyer or seller", f.Arg(0))}
	}
	if ttl <= 0 {
		return usageError{"--ttl must be positive"}
	}
	if ttl > cfg.tokenMaxLifetime {
		return usageError{fmt.Sprintf("--ttl %s exceeds --token-max-lifetime %s; servers would refuse the token", ttl, cfg.tokenMaxLifetime)}
	}
	auth, err := cfg.auth(getenv)
	if err != nil {
		return err
	}
	var ver int64
	if cfg.databaseURL != "" {
		pool, err := cfg.openPool(ctx)
		if err != nil {
			return err
		}
		defer pool.Close()
		if ver, err = web.TokenVersion(ctx, pool, role, f.Arg(1)); err != nil {
			return err
		}
	}
	tok, err := auth.MintVersion(role, f.Arg(1), ver, ttl, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, tok)
	return nil
}
