#!/usr/bin/env bash
# run.sh is the one command that runs csagent on a fresh Debian 12 machine:
# it prepares PostgreSQL with pgvector (or uses DATABASE_URL), builds the
# binary, migrates, seeds the demo data and policies, prints the URLs and a
# buyer's and a seller's dev token, and serves with the built-in local model.
# Extra arguments go to `csagent serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || { echo "run.sh: Go 1.26 or newer is required (https://go.dev/doc/install)" >&2; exit 1; }

DATABASE_URL=$(scripts/devdb.sh)
export DATABASE_URL
export CSAGENT_DEV="${CSAGENT_DEV:-1}"
addr="${CSAGENT_ADDR:-127.0.0.1:8080}"
export CSAGENT_ADDR="$addr"

mkdir -p bin
go build -o bin/csagent ./cmd/csagent
bin/csagent migrate up >/dev/null
bin/csagent seed --demo

admin="${CSAGENT_ADMIN_ADDR:-127.0.0.1:9090}"
buyer=$(bin/csagent token buyer buyer-001)
seller=$(bin/csagent token seller seller-maple)
# The second terminal needs the database; tokens and `csagent chat` sign
# with the development secret in .data, which the commands find themselves.
cat <<MSG

csagent is starting on http://$addr  (local model; Ctrl-C stops it)
  demo        http://$addr/   (dev login: pick a buyer for the chat, a seller for the reply-assist panel)
  health      http://$addr/healthz   readiness http://$addr/readyz
  metrics     http://$admin/metrics   (the admin listener, --admin-addr)
  buyer-001 (en) token:    $buyer
  seller-maple token:      $seller

In a second terminal, from $(pwd):
  export DATABASE_URL='$DATABASE_URL'
  echo "where is my order ORD-10101?" | bin/csagent chat buyer-001 --server http://$addr   # or type lines: bin/csagent chat buyer-001
  bin/csagent token buyer buyer-002                 # more tokens: buyer-001 … buyer-050, seller-maple, seller-hangang, …
  bin/csagent search --text --k 2 "how many days do I have to ask for a refund?"
  bin/csagent eval run eval/suites/handoff.yaml     # an eval suite, in process on copies of the demo database
  bin/csagent ingest retrieval/policies/            # re-reads the demo policies; yours: bin/csagent ingest --locale en --audience both my-policy.md

MSG
exec bin/csagent serve --admin-addr "$admin" "$@"
