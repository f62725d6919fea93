#!/usr/bin/env bash
# test.sh is the one command that passes the tests on a fresh Debian 12
# machine: it prepares PostgreSQL with pgvector (scripts/devdb.sh), then runs
# go vet and the whole test suite with the race detector against it. The web
# package's browser tests drive Debian's chromium headless; it is installed
# here when missing. cmd/csagent's end-to-end replays of the eval suites run
# without the race detector (below, where the reason is).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || { echo "test.sh: Go 1.26 or newer is required (https://go.dev/doc/install)" >&2; exit 1; }

DATABASE_URL=$(scripts/devdb.sh)
export DATABASE_URL

# The browser tests (web/browser_test.go) fail without chromium.
if ! command -v chromium >/dev/null; then
	if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
	echo "== installing chromium for the browser tests" >&2
	mkdir -p .data
	# apt's output goes to a log; sudo drops the environment, so env passes it on.
	if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >.data/apt-chromium.log 2>&1; then
		cat .data/apt-chromium.log >&2
		exit 1
	fi
fi

# Each step says how long it took (wall seconds) and the load it ran under:
# the machine may be shared, and a slow step is then not the code's fault.
took() { echo "   ${1}: $((SECONDS - t0)) s, load $(cut -d' ' -f1-3 /proc/loadavg)"; t0=$SECONDS; }
t0=$SECONDS

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.data/*'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:" $unformatted >&2
	exit 1
fi
echo "== go vet"
go vet ./...
took "go vet"

# The end-to-end replays in cmd/csagent (every case of the starter suites
# four times: in process on the local model and three times through the fake
# LLM; and the README's commands against scripts/run.sh's server) run the
# same agent, tools, guardrails and eval code, turn after turn, that the
# library packages' own tests run under the race detector with real
# connections and concurrent turns; the README's server is a separate,
# uninstrumented binary anyway. Under -race they were two thirds of the test time, so they run
# without it (sharing go vet's build), beside staticcheck and the rest of
# the tests, which keep -race, cmd/csagent's other tests (its own goroutines:
# the eval runner's copiers and workers, serve's wiring) included. A replay
# renamed out of this list runs under -race with the rest: slower, never lost.
# With arguments (say -run TestX) everything runs under -race as one command.
replays='^(TestEvalRunsTheStarterSuites|TestRoutingReplaysTheStarterSuites|TestReadmeCommandsRun)$'
status=0
if [ $# -eq 0 ]; then
	mkdir -p .data
	go test -count=1 -timeout 20m -run "$replays" ./cmd/csagent >.data/test-replays.log 2>&1 &
	replays_pid=$!
fi
echo "== staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./... || status=1
took "staticcheck"
if [ $# -eq 0 ]; then
	echo "== go test -race (cmd/csagent's end-to-end replays alongside, without -race)"
	go test -race -count=1 -timeout 20m -skip "$replays" ./... || status=1
	wait "$replays_pid" || status=1
	cat .data/test-replays.log
else
	echo "== go test -race $*"
	go test -race -count=1 -timeout 20m "$@" ./... || status=1
fi
took "go test"
[ "$status" -eq 0 ] || exit "$status"
# The fuzz targets' seed corpora already ran as ordinary tests above. Timed
# fuzzing runs only on request (FUZZ=1, CSAGENT_FUZZTIME per target), or one
# target by hand, for example
#   go test -fuzz=FuzzDecodeFrame -fuzztime=10m ./web
if [ "${FUZZ:-0}" = 1 ]; then
	fuzztime=${CSAGENT_FUZZTIME:-30s}
	echo "== fuzz ($fuzztime each)"
	for target in web:FuzzDecodeFrame guardrails:FuzzNormalize agent/local/nlu:FuzzExtractSlots eval:FuzzLoadSuite; do
		pkg=${target%%:*} name=${target#*:}
		if ! out=$(go test -run='^$' -fuzz="^$name\$" -fuzztime="$fuzztime" -fuzzminimizetime=3s "./$pkg" 2>&1); then
			echo "$out" >&2
			echo "fuzz $name failed; its input is now in $pkg/testdata/fuzz/$name" >&2
			exit 1
		fi
	done
fi
echo "== ok"
