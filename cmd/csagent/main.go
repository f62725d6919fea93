// Command csagent is the one binary of csagent: the chat server and the
// commands that prepare and inspect it.
//
//	csagent serve              run the server
//	csagent migrate [up|status] apply or list the schema migrations
//	csagent seed --demo        write the demo shops, buyers, orders and policies
//	csagent token buyer|seller ID  print a signed token for a person
//	csagent chat BUYER         talk to a running server from a terminal
//	csagent nlu                read utterances as JSON lines, print intents and slots
//	csagent fakellm            serve a scripted OpenAI-compatible model for benchmarks
//	csagent ingest PATH...     load policy documents (Markdown, text, HTML) into search
//	csagent search "question"  print the policy passages a question finds
//
// Every setting is a flag with an environment fallback; `csagent COMMAND -h`
// lists them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	var u usageError
	if errors.As(err, &u) {
		fmt.Fprintf(os.Stderr, "csagent: %v\n", err)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "csagent: %v\n", err)
		os.Exit(1)
	}
}

// usageError is a command line the program cannot make sense of.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usage = `usage: csagent COMMAND [flags]

commands:
  serve                 run the chat server
  migrate [up|status]   apply the schema migrations, or list them
  seed --demo           write the demo data and policy documents
  ingest PATH...        load policy documents (files or folders) into search; prints what changed
  search "question"     print the policy passages a question finds, best first (JSON lines)
  token buyer|seller ID print a signed bearer token
  chat BUYER            talk to a running server as a buyer, a line at a time (stdin)
  nlu                   read JSON lines from stdin, print the local model's intent and slots
  check                 read replies from stdin, print the guardrails' verdict on each
  eval run SUITE...     run eval suites (in process, or --target ws://…) and report
  eval diff A.json B.json compare two eval reports
  eval fixtures SUITE...  print what each case's placeholders resolve to on the demo data
  experiment check FILE   validate an experiments file
  experiment report NAME  read out an experiment: per variant, intervals, difference to control
  bench nlu             measure the local model on the independent held-out set (--heldout DIR)
  bench turn            measure the server's overhead of a chat turn against fakellm
  bench load            hold idle connections and chatting buyers against fakellm
  fakellm               serve a scripted OpenAI-compatible model for benchmarks
  bench retrieval       measure policy search: recall and MRR per language, latency at 10k and 100k chunks
  bench guardrails      measure the guardrails: check latency, banned-phrase recall, hallucination and injection detection

Run 'csagent COMMAND -h' for a command's flags. Flags may come before or after
the arguments (csagent token buyer buyer-001 --ttl 1h); after a lone -- every
word is an argument.
`

// run is the whole program; main only hands it the process's world.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command"}
	}
	cmd, rest := args[1], args[2:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, getenv, stdout, stderr)
	case "seed":
		return runSeed(ctx, rest, getenv, stdout, stderr)
	case "ingest":
		return runIngest(ctx, rest, getenv, stdout, stderr)
	case "search":
		return runSearch(ctx, rest, getenv, stdout, stderr)
	case "token":
		return runToken(ctx, rest, getenv, stdout, stderr)
	case "chat":
		return runChat(ctx, rest, getenv, stdin, stdout, stderr)
	case "nlu":
		return runNLU(ctx, rest, getenv, stdin, stdout, stderr)
	case "eval":
		return runEval(ctx, rest, getenv, stdout, stderr)
	case "check":
		return runCheck(ctx, rest, getenv, stdin, stdout, stderr)
	case "experiment":
		return runExperiment(ctx, rest, getenv, stdout, stderr)
	case "bench":
		if len(rest) > 0 && rest[0] == "server" {
			// bench turn --server-process's child, which reads commands on stdin.
			return runBenchServer(ctx, rest[1:], getenv, stdin, stdout, stderr)
		}
		return runBench(ctx, rest, getenv, stdout, stderr)
	case "fakellm":
		return runFakeLLM(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}
