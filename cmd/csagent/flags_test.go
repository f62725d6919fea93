package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/tools"
	"github.com/csagent/csagent/web"
)

// Flags may follow the arguments, as people type them; a lone "--" ends
// the flags so an argument may start with a dash.
func TestFlagsAfterArguments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args     []string
		wantArgs []string
		wantTTL  time.Duration
		wantDev  bool
	}{
		{[]string{"buyer", "x", "--ttl", "1s"}, []string{"buyer", "x"}, time.Second, false},
		{[]string{"--ttl", "2s", "buyer", "x"}, []string{"buyer", "x"}, 2 * time.Second, false},
		{[]string{"buyer", "--dev", "x", "-ttl=3s"}, []string{"buyer", "x"}, 3 * time.Second, true},
		{[]string{"buyer", "--", "-x", "--ttl", "4s"}, []string{"buyer", "-x", "--ttl", "4s"}, time.Hour, false},
		{nil, nil, time.Hour, false},
	}
	for _, tt := range tests {
		f := newFlags("test", testEnv(), io.Discard)
		var ttl time.Duration
		var dev bool
		f.DurationVar(&ttl, "ttl", time.Hour, "")
		f.BoolVar(&dev, "dev", false, "")
		if err := f.Parse(tt.args); err != nil {
			t.Fatalf("Parse(%q) = %v", tt.args, err)
		}
		if !slices.Equal(f.Args(), tt.wantArgs) || f.NArg() != len(tt.wantArgs) || ttl != tt.wantTTL || dev != tt.wantDev {
			t.Errorf("Parse(%q): args %q, ttl %s, dev %v; want %q, %s, %v", tt.args, f.Args(), ttl, dev, tt.wantArgs, tt.wantTTL, tt.wantDev)
		}
	}
}

// In a second terminal, `csagent token buyer X --ttl D` works without
// CSAGENT_DEV when scripts/run.sh left its development secret in the data
// folder, signs with that secret, and says so; serve never falls back to it.
func TestTokenUsesTheDevSecretInTheDataFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	noSecret := testEnv("CSAGENT_DATA_DIR", dir)

	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"csagent", "token", "buyer", "buyer-003"}, noSecret, nil, &out, &errOut); err == nil || !strings.Contains(err.Error(), "CSAGENT_AUTH_SECRET is not set") {
		t.Fatalf("token without a secret or a data folder = %v, want CSAGENT_AUTH_SECRET is not set", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "auth.secret")); err == nil {
		t.Fatal("token without --dev created a development secret")
	}

	// run.sh's server generated the secret.
	c := common{dataDir: dir, dev: true}
	secret, err := c.authSecret(testEnv())
	if err != nil {
		t.Fatal(err)
	}

	out.Reset()
	errOut.Reset()
	if err := run(t.Context(), []string{"csagent", "token", "buyer", "buyer-003", "--ttl", "7m"}, noSecret, nil, &out, &errOut); err != nil {
		t.Fatalf("token buyer buyer-003 --ttl 7m = %v (%s)", err, errOut.String())
	}
	if !strings.Contains(errOut.String(), filepath.Join(dir, "auth.secret")) {
		t.Errorf("stderr %q does not say which secret signed the token", errOut.String())
	}
	auth, err := web.NewAuth(secret)
	if err != nil {
		t.Fatal(err)
	}
	id, err := auth.Verify(strings.TrimSpace(out.String()))
	if err != nil {
		t.Fatalf("the token does not verify with the dev secret: %v", err)
	}
	if id.Role != tools.RoleBuyer || id.ID != "buyer-003" || time.Until(id.Expires) > 7*time.Minute+time.Second {
		t.Errorf("token speaks for %+v, want buyer-003 for at most 7m", id)
	}

	errOut.Reset()
	err = run(t.Context(), []string{"csagent", "serve"}, testEnv("CSAGENT_DATA_DIR", dir, "DATABASE_URL", "postgres://x@127.0.0.1:1/x"), nil, io.Discard, &errOut)
	if err == nil || !strings.Contains(err.Error(), "CSAGENT_AUTH_SECRET is not set") {
		t.Errorf("serve without a secret, beside a dev secret = %v, want it refused", err)
	}
}
