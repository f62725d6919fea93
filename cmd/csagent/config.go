package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/csagent/csagent/migrations"
	"github.com/csagent/csagent/web"
)

// flags wraps a FlagSet whose flags fall back to environment variables, so
// every setting has both forms and `-h` shows which variable backs which flag.
type flags struct {
	*flag.FlagSet
	getenv func(string) string
	// bad collects environment values that do not parse; Parse reports them
	// rather than silently running with the default.
	bad []string
	// args are the arguments left after the flags, wherever they stood.
	args []string
}

// Parse parses args and fails on any environment fallback that did not
// parse. Flags may stand before, between or after the arguments
// (`csagent token buyer X --ttl 1s`), as people type them; after a lone
// "--" everything is an argument, for one that starts with a dash.
func (f *flags) Parse(args []string) error {
	f.args = nil
	for {
		if err := f.FlagSet.Parse(args); err != nil {
			return err
		}
		rest := f.FlagSet.Args()
		// The flag package stops at the first argument, and consumes a
		// "--" it stops at: the arguments after one are taken as they are.
		if len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			f.args = append(f.args, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		f.args = append(f.args, rest[0])
		args = rest[1:]
	}
	if len(f.bad) > 0 {
		return usageError{"invalid environment: " + strings.Join(f.bad, "; ")}
	}
	return nil
}

// Args returns the arguments that are not flags, in order.
func (f *flags) Args() []string { return f.args }

// NArg returns how many arguments are not flags.
func (f *flags) NArg() int { return len(f.args) }

// Arg returns the i-th argument that is not a flag, or "" when there is
// none.
func (f *flags) Arg(i int) string {
	if i < 0 || i >= len(f.args) {
		return ""
	}
	return f.args[i]
}

func newFlags(name string, getenv func(string) string, stderr io.Writer) *flags {
	fs := flag.NewFlagSet("csagent "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return &flags{FlagSet: fs, getenv: getenv}
}

func (f *flags) env(keys []string) (string, bool) {
	for _, k := range keys {
		if v := f.getenv(k); v != "" {
			return v, true
		}
	}
	return "", false
}

func (f *flags) string(p *string, name, def, help string, envs ...string) {
	if v, ok := f.env(envs); ok {
		def = v
	}
	f.StringVar(p, name, def, withEnv(help, envs))
}

func (f *flags) bool(p *bool, name string, def bool, help string, envs ...string) {
	if v, ok := f.env(envs); ok {
		if b, err := strconv.ParseBool(v); err == nil {
			def = b
		} else {
			f.bad = append(f.bad, f.envFor(envs)+" is not true or false")
		}
	}
	f.BoolVar(p, name, def, withEnv(help, envs))
}

func (f *flags) duration(p *time.Duration, name string, def time.Duration, help string, envs ...string) {
	if v, ok := f.env(envs); ok {
		if d, err := time.ParseDuration(v); err == nil {
			def = d
		} else {
			f.bad = append(f.bad, f.envFor(envs)+" is not a duration like 30s")
		}
	}
	f.DurationVar(p, name, def, withEnv(help, envs))
}

func (f *flags) int(p *int, name string, def int, help string, envs ...string) {
	if v, ok := f.env(envs); ok {
		if n, err := strconv.Atoi(v); err == nil {
			def = n
		} else {
			f.bad = append(f.bad, f.envFor(envs)+" is not an integer")
		}
	}
	f.IntVar(p, name, def, withEnv(help, envs))
}

func (f *flags) float(p *float64, name string, def float64, help string, envs ...string) {
	if v, ok := f.env(envs); ok {
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			def = x
		} else {
			f.bad = append(f.bad, f.envFor(envs)+" is not a number")
		}
	}
	f.Float64Var(p, name, def, withEnv(help, envs))
}

// envFor names the variable that supplied a value: the first one set.
func (f *flags) envFor(envs []string) string {
	for _, k := range envs {
		if f.getenv(k) != "" {
			return k
		}
	}
	return strings.Join(envs, "/")
}

func withEnv(help string, envs []string) string {
	if len(envs) == 0 {
		return help
	}
	return help + " (env " + strings.Join(envs, ", ") + ")"
}

// secretURL registers a connection string that may carry a password:
// -h shows its default (from the environment) with the password masked.
func (f *flags) secretURL(p *string, name, help string, envs ...string) {
	if v, ok := f.env(envs); ok {
		*p = v
	}
	f.Var(redactedURL{p}, name, withEnv(help, envs))
}

// redactedURL is a flag.Value whose String hides the password.
type redactedURL struct{ p *string }

func (r redactedURL) String() string {
	if r.p == nil {
		return ""
	}
	return redactURL(*r.p)
}

func (r redactedURL) Set(v string) error {
	*r.p = v
	return nil
}

// dsnPassword finds the password of a key=value connection string.
var dsnPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// redactURL returns a connection string (a URL or key=value pairs) with its
// password, wherever it is, replaced by xxxxx, for help texts and logs.
func redactURL(s string) string {
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		return dsnPassword.ReplaceAllString(s, "${1}xxxxx")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "(not shown: unparsable)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// common are the settings most commands share.
type common struct {
	databaseURL      string
	dataDir          string
	dev              bool
	logLevel         string
	logFormat        string
	tokenMaxLifetime time.Duration
}

func (c *common) register(f *flags) {
	f.secretURL(&c.databaseURL, "database-url", "PostgreSQL connection string (its password is never shown)", "DATABASE_URL")
	f.string(&c.dataDir, "data-dir", ".data", "folder for local state such as the dev auth secret", "CSAGENT_DATA_DIR")
	f.bool(&c.dev, "dev", false, "development mode: generate a local auth secret when none is set", "CSAGENT_DEV")
	f.string(&c.logLevel, "log-level", "info", "log level: debug, info, warn or error", "CSAGENT_LOG_LEVEL")
	f.string(&c.logFormat, "log-format", "text", "log format: text or json", "CSAGENT_LOG_FORMAT")
	f.duration(&c.tokenMaxLifetime, "token-max-lifetime", web.DefaultMaxTokenLifetime, "the longest a bearer token may live from issue to expiry; longer ones are neither minted nor accepted", "CSAGENT_TOKEN_MAX_LIFETIME")
}

func (c *common) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, usageError{fmt.Sprintf("--log-level %q: want debug, info, warn or error", c.logLevel)}
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageError{fmt.Sprintf("--log-format %q: want text or json", c.logFormat)}
}

// openPool connects to the database, waiting up to a few seconds for it to
// answer: a server started beside its database should not lose that race.
func (c *common) openPool(ctx context.Context) (*pgxpool.Pool, error) {
	if c.databaseURL == "" {
		return nil, usageError{"no database: set --database-url or DATABASE_URL"}
	}
	cfg, err := pgxpool.ParseConfig(c.databaseURL)
	if err != nil {
		return nil, usageError{"--database-url is not a valid PostgreSQL connection string"}
	}
	cfg.AfterConnect = migrations.RegisterTypes
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err = pool.Ping(pctx)
		cancel()
		if err == nil {
			return pool, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			pool.Close()
			return nil, fmt.Errorf("reach database %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// openMigrated opens the pool and applies pending migrations, so every
// command that touches data finds the schema it expects. The caller closes
// both.
func (c *common) openMigrated(ctx context.Context, logger *slog.Logger) (*pgxpool.Pool, *migrations.Migrator, error) {
	pool, err := c.openPool(ctx)
	if err != nil {
		return nil, nil, err
	}
	m, err := migrations.New(pool, logger)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	if _, err := m.Up(ctx); err != nil {
		m.Close()
		pool.Close()
		return nil, nil, err
	}
	return pool, m, nil
}

// auth returns the token signer and verifier keyed with authSecret.
func (c *common) auth(getenv func(string) string) (*web.Auth, error) {
	secret, err := c.authSecret(getenv)
	if err != nil {
		return nil, err
	}
	if c.tokenMaxLifetime <= 0 {
		return nil, usageError{"--token-max-lifetime must be positive"}
	}
	a, err := web.NewAuth(secret)
	if err != nil {
		return nil, err
	}
	return a.WithMaxLifetime(c.tokenMaxLifetime), nil
}

// clientAuth is auth for the commands that only mint tokens for a local
// server (token, chat, eval --target): without CSAGENT_AUTH_SECRET and
// without --dev, a development secret already in the data folder is used,
// and stderr says so. It is never created here, and serve never falls back
// to it: a production server without its secret must not start on a
// leftover development key.
func (c *common) clientAuth(getenv func(string) string, stderr io.Writer) (*web.Auth, error) {
	if getenv("CSAGENT_AUTH_SECRET") == "" && !c.dev {
		path := filepath.Join(c.dataDir, "auth.secret")
		if _, err := os.Stat(path); err == nil {
			fmt.Fprintf(stderr, "csagent: CSAGENT_AUTH_SECRET is not set; signing with the development secret in %s (the one scripts/run.sh's server uses)\n", path)
			dev := *c
			dev.dev = true
			return dev.auth(getenv)
		}
	}
	return c.auth(getenv)
}

// authSecret returns the HMAC key of the tokens: CSAGENT_AUTH_SECRET, or in
// dev mode a random key generated once and kept in the data folder.
func (c *common) authSecret(getenv func(string) string) ([]byte, error) {
	if s := getenv("CSAGENT_AUTH_SECRET"); s != "" {
		if len(s) < web.MinSecretBytes {
			return nil, fmt.Errorf("CSAGENT_AUTH_SECRET has %d bytes; use at least %d random bytes", len(s), web.MinSecretBytes)
		}
		return []byte(s), nil
	}
	if !c.dev {
		return nil, errors.New("CSAGENT_AUTH_SECRET is not set (or run with --dev to use a generated development secret)")
	}
	path := filepath.Join(c.dataDir, "auth.secret")
	if secret, err := readSecret(path); !errors.Is(err, os.ErrNotExist) {
		return secret, err
	}
	if err := os.MkdirAll(c.dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	secret := hex.EncodeToString(raw)
	// O_EXCL: of two processes starting at once, both use the first one's key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return readSecret(path)
	}
	if err != nil {
		return nil, fmt.Errorf("write dev auth secret: %w", err)
	}
	defer f.Close()
	if _, err := f.WriteString(secret + "\n"); err != nil {
		return nil, fmt.Errorf("write dev auth secret: %w", err)
	}
	return []byte(secret), nil
}

func readSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := strings.TrimSpace(string(b))
	if len(s) < web.MinSecretBytes {
		return nil, fmt.Errorf("%s holds a key shorter than %d bytes; delete it to generate a new one", path, web.MinSecretBytes)
	}
	return []byte(s), nil
}
