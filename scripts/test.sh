#!/usr/bin/env bash
# test.sh is the one command that passes the tests on a fresh Debian 12
# machine: it prepares PostgreSQL with pgvector (scripts/devdb.sh), then runs
# go vet and the whole test suite with the race detector against it.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || { echo "test.sh: Go 1.26 or newer is required (https://go.dev/doc/install)" >&2; exit 1; }

DATABASE_URL=$(scripts/devdb.sh)
export DATABASE_URL

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
