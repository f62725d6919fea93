package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/csagent/csagent/tools"
)

func runToken(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg common
	var ttl time.Duration
	f := newFlags("token", getenv, stderr)
	cfg.register(f)
	f.DurationVar(&ttl, "ttl", 24*time.Hour, "how long the token is valid")
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() != 2 {
		return usageError{"usage: csagent token buyer|seller|support ID"}
	}
	role := tools.Role(f.Arg(0))
	if role != tools.RoleBuyer && role != tools.RoleSeller && role != tools.RoleSupport {
		return usageError{fmt.Sprintf("role %q: want buyer, seller or support", f.Arg(0))}
	}
	if ttl <= 0 {
		return usageError{"--ttl must be positive"}
	}
	auth, err := cfg.auth(getenv)
	if err != nil {
		return err
	}
	tok, err := auth.Mint(role, f.Arg(1), ttl, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, tok)
	return nil
}
