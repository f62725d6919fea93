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

# Each step says how long it took in wall seconds, the CPU seconds it used
# (user and system, its child processes' included; a loaded machine
# inflates these less than wall time) and the load at its end: the machine
# may be shared, and a slow step is then not the code's fault.
timed() {
	local name=$1 TIMEFORMAT rc=0
	shift
	TIMEFORMAT="   $name: %0R s, CPU %0U+%0S s"
	time "$@" || rc=$?
	echo "   (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
	return "$rc"
}

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.data/*'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:" $unformatted >&2
	exit 1
fi

# Go's test cache replays a passed package's result when nothing the test
# can see changed: its binary, the environment variables and the files it
# read. It cannot see the PostgreSQL server, chromium, or the files the
# tests' child processes read (scripts/run.sh and what the README's
# commands touch). Those go into a fingerprint; when it differs from the
# last passed run's, the cache is cleared and every test runs again. Each
# test's database is cloned from a template its own binary migrated and
# seeded, so the data a cached result saw is the data a new run would see.
# FRESH=1 (or `go clean -testcache`) runs every test again regardless.
mkdir -p .data
fingerprint=$({
	psql "$DATABASE_URL" -Atc "SELECT current_setting('server_version'), (SELECT default_version FROM pg_available_extensions WHERE name = 'vector')" 2>/dev/null || echo "unknown $RANDOM$RANDOM"
	chromium --version 2>/dev/null || true
	{ git ls-files -co --exclude-standard 2>/dev/null || find . -type f -not -path './.git/*' -not -path './.data/*' -not -path './bin/*'; } |
		grep -v '\.go$' | xargs -d '\n' sha256sum 2>/dev/null || true
} | sha256sum | cut -c1-32)
if [ "${FRESH:-0}" = 1 ] || [ "$(cat .data/test-fingerprint 2>/dev/null)" != "$fingerprint" ]; then
	go clean -testcache
fi

# Which tests run without the race detector, and why. -race finds races
# only in code that runs concurrently during the test, and costs 2-10x in
# CPU; these tests run nothing concurrently of their own, or run code the
# other packages' tests already run concurrently under -race:
#  - agent/local and agent/local/nlu: the local model, pure computation
#    with no goroutine; training it is most of their time (about 1 s
#    without -race, 10-30 s with it, and nlu's cross-validation trains five
#    more). nlu's TestConcurrentParse, the one test that parses from
#    several goroutines, keeps -race (a second, narrow command below).
#  - agent/experiment: hashing buyers into arms and reading the YAML, no
#    goroutine; its assignment tests hash 100 000 buyers for their
#    statistics. cmd's and web's -race tests swap and read a Set from
#    several goroutines (SIGHUP reloads, concurrent turns).
#  - cmd/csagent's end-to-end replays (every case of the starter suites
#    four times: in process on the local model and three times through the
#    fake LLM; and the README's commands against scripts/run.sh's server)
#    run the same agent, tools, guardrails and eval code, turn after turn,
#    that the library packages' own tests run under -race with real
#    connections and concurrent turns; the README's server is a separate,
#    uninstrumented binary anyway. Under -race they were two thirds of the
#    test time. cmd/csagent's other tests (its own goroutines: the eval
#    runner's copiers and workers, serve's wiring) keep -race.
#  - cmd/csagent's `bench nlu` tests: one training and a five-fold
#    cross-validation each, in one goroutine.
# A test renamed out of these lists runs under -race with the rest:
# slower, never lost. go vet runs inside go test (-vet=all, every
# analyzer go vet runs), on the build the tests use, so no package is
# compiled twice for vet's sake.
# With arguments (say -run TestX) everything runs under -race as one command.
norace_cmd='^(TestEvalRunsTheStarterSuites|TestRoutingReplaysTheStarterSuites|TestReadmeCommandsRun|TestBenchNLUReportsHeldOutScores|TestBenchNLUReportsIndependentHeldOut)$'
race_only_nlu='^TestConcurrentParse$'
status=0
if [ $# -eq 0 ]; then
	mod=$(go list -m)
	mapfile -t race_pkgs < <(go list ./... | grep -vxF -e "$mod/agent/local" -e "$mod/agent/local/nlu" -e "$mod/agent/experiment")
	# The tests without -race and staticcheck run beside the -race run: the
	# tests wait on PostgreSQL and chromium part of the time, and the other
	# commands fill the cores meanwhile. Their output is printed once they
	# end. Both need every package compiled without -race (staticcheck
	# reads the compiler's export data, test files included), so that is
	# done once first, by the same `go list` staticcheck runs, and both
	# then find it in the build cache instead of compiling it side by side.
	# -parallel 4 lets the four replays and the README's run go side by
	# side (each has its own databases and fake LLM).
	{
		timed "compile without -race" go list -e -compiled=true -test=true -export=true -deps=true -pgo=off -json=ImportPath ./... >/dev/null &&
			{
				timed staticcheck go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./... >.data/staticcheck.log 2>&1 &
				staticcheck_pid=$!
				timed "go test (agent/local, agent/local/nlu, agent/experiment; cmd/csagent's replays and bench nlu)" \
					bash -c 'go test -vet=all -timeout 20m -skip "$1" ./agent/local ./agent/local/nlu ./agent/experiment &&
						go test -vet=off -timeout 20m -parallel 4 -run "$2" ./cmd/csagent' _ "$race_only_nlu" "$norace_cmd" || rc=$?
				echo "== staticcheck"
				wait "$staticcheck_pid" || rc=1
				cat .data/staticcheck.log
				exit "${rc:-0}"
			}
	} >.data/test-norace.log 2>&1 &
	norace_pid=$!
	echo "== go vet and go test -race (staticcheck and the tests without -race alongside)"
	# -parallel 4: web's and cmd/csagent's tests (each on its own server
	# and database) run side by side. They spend most of their time
	# waiting on PostgreSQL, websockets and chromium, not computing; run
	# one after another they used about one core of two.
	timed "go test -race" go test -race -vet=all -timeout 20m -parallel 4 -skip "$norace_cmd" "${race_pkgs[@]}" || status=1
	timed "go test -race (nlu's TestConcurrentParse)" go test -race -vet=off -timeout 20m -run "$race_only_nlu" ./agent/local/nlu || status=1
	echo "== go test without -race"
	wait "$norace_pid" || status=1
	cat .data/test-norace.log
else
	echo "== go test -race -vet=all $*"
	timed "go test" go test -race -vet=all -timeout 20m "$@" ./... || status=1
fi
echo "   total: ${SECONDS} s"
[ "$status" -eq 0 ] && echo "$fingerprint" >.data/test-fingerprint
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
