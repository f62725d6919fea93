package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/csagent/csagent/tools"
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
		return usageError{"usage: csagent token [--ttl D] buyer|seller|support ID"}
	}
	role := tools.Role(f.Arg(0))
	if role != tools.RoleBuyer && role != tools.RoleSeller && role != tools.RoleSupport {
		return usageError{fmt.Sprintf("role %q: want buyer, seller or support", f.Arg(0))}
	}
	if ttl <= 0 {
		return usageError{"--ttl must be positive"}
	}
	if ttl > cfg.tokenMaxLifetime {
		return usageError{fmt.Sprintf("--ttl %s exceeds --token-max-lifetime %s; servers would refuse the token", ttl, cfg.tokenMaxLifetime)}
	}
	tok, err := mintToken(ctx, &cfg, getenv, stderr, role, f.Arg(1), ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, tok)
	return nil
}
