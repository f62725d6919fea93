# Shortcuts for the two README commands and a few chores. The scripts do the
# work, so a machine without make runs them directly.

.PHONY: run test build db db-stop fmt lint

run:
	scripts/run.sh

test:
	scripts/test.sh

build:
	go build -o bin/csagent ./cmd/csagent

db:
	@scripts/devdb.sh

db-stop:
	@if [ -f .data/pg/PG_VERSION ]; then \
		if [ "$$(id -u)" = 0 ]; then runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D .data/pg stop; \
		else /usr/lib/postgresql/15/bin/pg_ctl -D .data/pg stop; fi; fi

fmt:
	gofmt -w $$(git ls-files '*.go')
