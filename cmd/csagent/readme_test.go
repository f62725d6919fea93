package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/csagent/csagent/migrations/pgtest"
)

// docBlock is one fenced code block of a Markdown file.
type docBlock struct {
	file string
	line int
	info string // the fence's info string: "sh", "sh no-run", "console", …
	body string
}

// runnable returns the shell script a block stands for, or "" when it is
// not meant to run. The convention, documented in README.md ("Commands that
// run as written"): a block fenced ```sh or ```bash runs as a whole;
// ```console shows a session, whose `$ ` lines run (their output is not
// compared); a "no-run" word in the info string shows a block without
// running it (a synopsis, a command needing a real LLM or the test
// command itself).
func (b docBlock) runnable() string {
	fields := strings.Fields(b.info)
	if len(fields) == 0 {
		return ""
	}
	for _, f := range fields[1:] {
		if f == "no-run" {
			return ""
		}
	}
	switch fields[0] {
	case "sh", "bash":
		return b.body
	case "console":
		var cmds []string
		for _, l := range strings.Split(b.body, "\n") {
			if c, ok := strings.CutPrefix(l, "$ "); ok {
				cmds = append(cmds, c)
			}
		}
		return strings.Join(cmds, "\n")
	}
	return ""
}

// docBlocks returns the fenced code blocks of a Markdown file.
func docBlocks(t testing.TB, path string) []docBlock {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []docBlock
	var cur *docBlock
	var body []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if cur == nil {
			if info, ok := strings.CutPrefix(l, "```"); ok {
				cur = &docBlock{file: filepath.Base(path), line: n, info: strings.TrimSpace(info)}
				body = nil
			}
			continue
		}
		if strings.TrimSpace(l) == "```" {
			cur.body = strings.Join(body, "\n")
			blocks = append(blocks, *cur)
			cur = nil
			continue
		}
		body = append(body, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if cur != nil {
		t.Fatalf("%s:%d: a code block is never closed", path, cur.line)
	}
	return blocks
}

func TestDocBlocks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		info, body, want string
	}{
		{"sh", "a\nb", "a\nb"},
		{"bash", "a", "a"},
		{"sh no-run", "a", ""},
		{"console", "$ echo hi\nhi\n$ true", "echo hi\ntrue"},
		{"console no-run", "$ x", ""},
		{"yaml", "a: 1", ""},
		{"", "output", ""},
	}
	for _, tt := range tests {
		if got := (docBlock{info: tt.info, body: tt.body}).runnable(); got != tt.want {
			t.Errorf("runnable(%q, %q) = %q, want %q", tt.info, tt.body, got, tt.want)
		}
	}
}

// Every command README.md and eval/README.md show runs as written on a
// checkout after scripts/run.sh: the test runs scripts/run.sh on a fresh
// database (it builds bin/csagent, migrates, seeds the demo and serves in
// dev mode), then runs, from a second "terminal" with only what run.sh
// told it to export, each command run.sh prints and every runnable block
// of the two READMEs. That terminal works in a copy of the checkout made
// of links to the repository's files, so what the commands write
// (reports, a policy file) stays out of the repository. The one
// liberty: the documents' 127.0.0.1:8080 and 127.0.0.1:9090 become the
// free ports this run listens on.
func TestReadmeCommandsRun(t *testing.T) {
	t.Parallel() // the slowest of cmd's tests; each has its own databases
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash is needed to run the README's commands")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	checkout := t.TempDir()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if name == ".git" || name == "csagent" {
			continue
		}
		if err := os.Symlink(filepath.Join(root, name), filepath.Join(checkout, name)); err != nil {
			t.Fatal(err)
		}
	}
	_, dbURL := pgtest.NewWithURL(t)
	addr, admin := freeAddr(t), freeAddr(t)

	// The first terminal: scripts/run.sh, as a newcomer starts it.
	base := cleanEnv()
	runEnv := append(append([]string{}, base...), "DATABASE_URL="+dbURL, "CSAGENT_ADDR="+addr, "CSAGENT_ADMIN_ADDR="+admin)
	// run.sh runs in the repository itself, as a newcomer runs it: it
	// builds bin/csagent there (from the build cache this test binary
	// filled; a copy elsewhere would compile everything again) and keeps
	// the development secret in .data, both git-ignored, both linked
	// into the checkout the second terminal works in.
	for _, dir := range []string{"bin", ".data"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Lstat(filepath.Join(checkout, dir)); err != nil {
			if err := os.Symlink(filepath.Join(root, dir), filepath.Join(checkout, dir)); err != nil {
				t.Fatal(err)
			}
		}
	}
	server := exec.Command("scripts/run.sh")
	server.Dir = root
	server.Env = runEnv
	server.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var serverOut, serverErr syncBuffer
	server.Stdout, server.Stderr = &serverOut, &serverErr
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		server.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		// run.sh execs the server, so the process is csagent serve itself;
		// SIGTERM is its orderly shutdown.
		server.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			syscall.Kill(-server.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	started := time.Now()
	waitFor(t, "http://"+addr+"/healthz", 3*time.Minute, exited, &serverErr)
	t.Logf("scripts/run.sh served after %s", time.Since(started).Round(time.Millisecond))

	// The second terminal has what run.sh said to export, and nothing else
	// of csagent's.
	printed := serverOut.String()
	second, exports := secondTerminal(t, printed)
	if len(exports) == 0 || !strings.Contains(printed, "export DATABASE_URL='"+dbURL+"'") {
		t.Fatalf("run.sh printed no `export DATABASE_URL=…` for a second terminal:\n%s", printed)
	}
	for _, want := range []string{"http://" + admin + "/metrics", "bin/csagent eval run", "bin/csagent search", "bin/csagent ingest"} {
		if !strings.Contains(printed, want) {
			t.Errorf("run.sh's message lacks %q:\n%s", want, printed)
		}
	}
	if strings.Contains(printed, "access_token") {
		t.Errorf("run.sh's message puts a token in a URL:\n%s", printed)
	}
	termEnv := append(append([]string{}, base...), exports...)

	sh := func(where, script string) {
		t.Helper()
		script = strings.NewReplacer("127.0.0.1:8080", addr, "127.0.0.1:9090", admin).Replace(script)
		// A guard against a hung command, not a speed target: on a
		// machine loaded ten times over one eval case took 73 s and a
		// two-minute limit killed eval/README's block mid-run.
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
		cmd.Dir = checkout
		cmd.Env = termEnv
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s failed: %v\n--- script\n%s\n--- output\n%s", where, err, script, out)
			return
		}
		// curl exits 0 on a 4xx, so a request the server refused shows
		// only in what it printed: the error body of docs/protocol.md.
		if bytes.Contains(out, []byte(`{"error":{"code":`)) {
			t.Errorf("%s printed an API error:\n--- script\n%s\n--- output\n%s", where, script, out)
			return
		}
		t.Logf("%s: %s", where, time.Since(start).Round(time.Millisecond))
	}
	// run.sh's examples write no file, so they run beside the documents'
	// blocks, which run in order (a later block may read what an earlier
	// one wrote).
	var wg sync.WaitGroup
	wg.Go(func() { sh("run.sh's second-terminal commands", strings.Join(second, "\n")) })
	defer wg.Wait()
	for _, doc := range []string{"README.md", "eval/README.md"} {
		n := 0
		for _, b := range docBlocks(t, filepath.Join(root, doc)) {
			if s := b.runnable(); s != "" {
				n++
				sh(fmt.Sprintf("%s:%d", doc, b.line), s)
			}
		}
		if n == 0 {
			t.Errorf("%s has no runnable block", doc)
		}
	}
}

// secondTerminal reads run.sh's message: the commands it lists under "In a
// second terminal", comments dropped, and the variables it exports.
func secondTerminal(t *testing.T, printed string) (cmds, exports []string) {
	t.Helper()
	_, after, ok := strings.Cut(printed, "In a second terminal")
	if !ok {
		t.Fatalf("run.sh printed no commands for a second terminal:\n%s", printed)
	}
	lines := strings.Split(after, "\n")[1:]
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			break
		}
		if cmd, _, _ := strings.Cut(l, "   #"); cmd != "" {
			l = strings.TrimSpace(cmd)
		}
		if kv, ok := strings.CutPrefix(l, "export "); ok {
			name, value, _ := strings.Cut(kv, "=")
			exports = append(exports, name+"="+strings.Trim(value, "'\""))
		}
		cmds = append(cmds, l)
	}
	return cmds, exports
}

// cleanEnv is the test's environment without csagent's settings, as a new
// terminal has it.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "CSAGENT_") || strings.HasPrefix(kv, "DATABASE_URL=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// waitFor polls url until it answers 200, the process exits, or the wait
// runs out.
func waitFor(t *testing.T, url string, wait time.Duration, exited <-chan struct{}, log *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			t.Fatalf("scripts/run.sh exited early:\n%s", log.String())
		default:
		}
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the server did not answer %s within %s\n%s", url, wait, log.String())
}
