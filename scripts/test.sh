#!/usr/bin/env bash
# test.sh is the one command that passes the tests on a fresh Debian 12
# machine: it prepares PostgreSQL with pgvector (scripts/devdb.sh), then runs
# go vet and the whole test suite with the race detector against it. The web
# package's browser tests drive Debian's chromium headless; it is installed
# here when missing.
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

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.data/*'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:" $unformatted >&2
	exit 1
fi
echo "== go vet"
go vet ./...
echo "== staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
echo "== go test -race"
go test -race -count=1 -timeout 20m "$@" ./...
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
