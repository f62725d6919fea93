package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/csagent/csagent/migrations/pgtest"
)

// secretEnv is an environment full of secrets, each a string that must never
// be printed.
func secretEnv(dbURL string) (getenv func(string) string, secrets []string) {
	secrets = []string{
		"auth-secret-auth-secret-auth-secret-0123456789",
		"sk-llm-key-0123456789abcdef", "sk-openai-key-0123456789abcdef",
		"translate-key-0123456789", "embed-key-0123456789", "fakellm-key-0123456789",
	}
	getenv = testEnv("DATABASE_URL", dbURL,
		"CSAGENT_AUTH_SECRET", secrets[0], "CSAGENT_LLM_API_KEY", secrets[1], "OPENAI_API_KEY", secrets[2],
		"CSAGENT_TRANSLATE_API_KEY", secrets[3], "CSAGENT_EMBED_API_KEY", secrets[4], "CSAGENT_FAKELLM_API_KEY", secrets[5])
	if u, err := url.Parse(dbURL); err == nil {
		if p, ok := u.User.Password(); ok {
			secrets = append(secrets, p)
		}
	}
	return getenv, secrets
}

func assertNoSecret(t *testing.T, where, out string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("%s prints the secret %q:\n%s", where, s, out)
		}
	}
}

// -h shows every setting's default, including those from the environment,
// but never a secret: the database password is masked, keys and the auth
// secret are not flags at all.
func TestHelpShowsNoSecret(t *testing.T) {
	t.Parallel()
	getenv, secrets := secretEnv("postgres://csagent:Hunter2-db-password@db.internal:5432/csagent?sslmode=disable")
	for _, cmd := range [][]string{{"serve"}, {"migrate"}, {"seed"}, {"token"}, {"eval"}, {"search"}, {"ingest"}, {"fakellm"}, {"bench", "turn"}, {"bench", "load"}} {
		var out, errOut bytes.Buffer
		run(t.Context(), append(append([]string{"csagent"}, cmd...), "-h"), getenv, nil, &out, &errOut) //nolint:errcheck // -h answers with flag.ErrHelp
		assertNoSecret(t, strings.Join(cmd, " ")+" -h", out.String()+errOut.String(), secrets)
		if cmd[0] == "serve" && !strings.Contains(errOut.String(), "postgres://csagent:xxxxx@db.internal:5432/csagent") {
			t.Errorf("serve -h does not show the database URL with its password masked:\n%s", errOut.String())
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"postgres://u:p4ss@h/db", "postgres://u:xxxxx@h/db"},
		{"postgres://u@h/db?password=p4ss&sslmode=disable", "postgres://u@h/db?password=xxxxx&sslmode=disable"},
		{"host=h user=u password=p4ss dbname=d", "host=h user=u password=xxxxx dbname=d"},
		{"host=h password='p 4ss' dbname=d", "host=h password=xxxxx dbname=d"},
	} {
		if got := redactURL(tt.in); got != tt.want {
			t.Errorf("redactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// serve at debug level, with secrets in its environment, through a
// database it cannot reach and one it can, with requests good and bad:
// no line it prints carries a secret. Its metrics are on the admin
// listener only.
func TestServeLogsShowNoSecretAndMetricsAreAdminOnly(t *testing.T) {
	t.Parallel()
	_, dbURL := pgtest.NewWithURL(t)
	getenv, secrets := secretEnv(dbURL)

	// Unreachable: the error names the host, not the password.
	bad, _ := url.Parse(dbURL)
	bad.Host = "127.0.0.1:1"
	badEnv, _ := secretEnv(bad.String())
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	err := run(ctx, []string{"csagent", "serve", "--addr", "127.0.0.1:0", "--log-level", "debug"}, badEnv, nil, &out, &errOut)
	cancel()
	if err == nil {
		t.Fatal("serve with an unreachable database succeeded")
	}
	assertNoSecret(t, "serve's error", err.Error()+out.String()+errOut.String(), secrets)

	addr, admin := freeAddr(t), freeAddr(t)
	ctx, cancel = context.WithCancel(t.Context())
	done := make(chan error, 1)
	var serveOut, serveErr syncBuffer
	go func() {
		done <- run(ctx, []string{"csagent", "serve", "--addr", addr, "--admin-addr", admin, "--log-level", "debug", "--dev"}, getenv, nil, &serveOut, &serveErr)
	}()
	waitHealthy(t, "http://"+addr, done)
	if code := get(t, "http://"+addr+"/metrics"); code != http.StatusNotFound {
		t.Errorf("public /metrics = %d, want 404", code)
	}
	resp, err := http.Get("http://" + admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "csagent_") {
		t.Errorf("admin /metrics = %d, want 200 with csagent metrics", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/v1/me", nil)
	req.Header.Set("Authorization", "Bearer forged.token.here")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	get(t, "http://"+addr+"/dev/login")
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve = %v", err)
	}
	assertNoSecret(t, "serve's output", serveOut.String()+serveErr.String(), secrets)
}

// csagent token honours the lifetime cap: it will not mint a token servers
// would refuse.
func TestTokenHonoursTheLifetimeCap(t *testing.T) {
	t.Parallel()
	getenv := testEnv("CSAGENT_AUTH_SECRET", testSecret)
	var out bytes.Buffer
	err := run(t.Context(), []string{"csagent", "token", "--ttl", "87600h", "buyer", "buyer-001"}, getenv, nil, &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "token-max-lifetime") {
		t.Errorf("token --ttl 87600h = %v, %q; want a refusal naming --token-max-lifetime", err, out.String())
	}
	out.Reset()
	if err := run(t.Context(), []string{"csagent", "token", "--token-max-lifetime", "48h", "--ttl", "48h", "buyer", "buyer-001"}, getenv, nil, &out, io.Discard); err != nil {
		t.Errorf("token under a raised cap = %v", err)
	}
}
