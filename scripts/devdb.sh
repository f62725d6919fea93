#!/usr/bin/env bash
# devdb.sh prepares a PostgreSQL 15 database with pgvector for csagent and
# prints the DATABASE_URL to use on its last line of stdout.
#
# With DATABASE_URL already set it only checks that the database answers.
# Otherwise it installs what is missing (PostgreSQL 15, the server headers,
# build tools), builds pgvector from Debian's own source package when no
# postgresql-15-pgvector package exists, and runs a project-local cluster under
# .data/pg on its own port. Every step is skipped when already done, so a second
# run takes a second or two.
#
# Works as root (the cluster then runs as the postgres user) and as a normal
# user with sudo. Progress goes to stderr.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/.data"
pgdata="$data/pg"
port="${CSAGENT_PG_PORT:-55432}"
pgbin=/usr/lib/postgresql/15/bin
dbname=csagent

say() { printf 'devdb: %s\n' "$*" >&2; }

if [ "$(id -u)" -eq 0 ]; then
	sudo=()
	as_pg() { runuser -u postgres -- "$@"; }
else
	sudo=(sudo)
	as_pg() { "$@"; }
fi

if [ -n "${DATABASE_URL:-}" ]; then
	say "using DATABASE_URL from the environment; no local cluster"
	echo "$DATABASE_URL"
	exit 0
fi

apt_updated=
apt_install() {
	if [ -z "$apt_updated" ]; then
		say "apt-get update"
		"${sudo[@]}" apt-get update -qq >&2
		apt_updated=1
	fi
	say "installing $*"
	mkdir -p "$data"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$data/apt.log" 2>&1 ||
		{ cat "$data/apt.log" >&2; exit 1; }
}

# 1. PostgreSQL 15, its server headers and a compiler for pgvector.
need=()
[ -x "$pgbin/postgres" ] || need+=(postgresql-15)
[ -x "$pgbin/pg_config" ] || [ -x /usr/bin/pg_config ] || need+=(postgresql-server-dev-15)
dpkg -s postgresql-server-dev-15 >/dev/null 2>&1 || need+=(postgresql-server-dev-15)
command -v make >/dev/null || need+=(make)
command -v gcc >/dev/null || need+=(gcc)
command -v dpkg-source >/dev/null || need+=(dpkg-dev)
if [ ${#need[@]} -gt 0 ]; then
	# shellcheck disable=SC2207
	apt_install $(printf '%s\n' "${need[@]}" | sort -u)
fi

# 2. pgvector: the distribution's package where one exists, else Debian's source
# package from trixie, built against PostgreSQL 15.
if [ ! -f /usr/share/postgresql/15/extension/vector.control ]; then
	if [ -z "$apt_updated" ]; then "${sudo[@]}" apt-get update -qq >&2; apt_updated=1; fi
	if apt-cache show postgresql-15-pgvector >/dev/null 2>&1; then
		apt_install postgresql-15-pgvector
	else
		say "no postgresql-15-pgvector package; building Debian's pgvector source package"
		src="$data/build"
		mkdir -p "$src"
		list=/etc/apt/sources.list.d/csagent-trixie-src.list
		echo "deb-src http://deb.debian.org/debian trixie main" | "${sudo[@]}" tee "$list" >/dev/null
		cleanup_src() {
			"${sudo[@]}" rm -f "$list"
			"${sudo[@]}" apt-get update -qq >&2 || true
		}
		trap cleanup_src EXIT
		"${sudo[@]}" apt-get update -qq >&2
		(cd "$src" && rm -rf pgvector-* pgvector_* && apt-get source -qq pgvector >&2)
		cleanup_src
		trap - EXIT
		dir=$(find "$src" -maxdepth 1 -type d -name 'pgvector-*' | head -1)
		[ -n "$dir" ] || { say "apt-get source pgvector produced no source tree"; exit 1; }
		# The Debian build targets every PostgreSQL it knows; we build the
		# upstream Makefile for 15 only. OPTFLAGS= keeps the binary portable.
		make -C "$dir" -s PG_CONFIG="$pgbin/pg_config" OPTFLAGS= >&2
		"${sudo[@]}" make -C "$dir" -s PG_CONFIG="$pgbin/pg_config" OPTFLAGS= install >&2
	fi
fi

# 3. A project-local cluster under .data/pg, on its own port.
mkdir -p "$data"
pwfile="$data/pg.password"
if [ ! -s "$pwfile" ]; then
	(umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$pwfile")
fi
if [ "$(id -u)" -eq 0 ] && [ ! -e "$pgdata" ]; then
	chmod o+x "$data"
	if ! runuser -u postgres -- test -x "$data"; then
		# The checkout sits where the postgres user cannot reach (under
		# /root, say): keep the cluster in postgres's home and link it here.
		home=$(getent passwd postgres | cut -d: -f6)
		real="$home/csagent-$(printf '%s' "$root" | sha256sum | cut -c1-12)"
		mkdir -p "$real"
		chown postgres:postgres "$real"
		ln -sfn "$real" "$pgdata"
		say "the cluster lives in $real (linked from $pgdata)"
	fi
fi
if [ ! -f "$pgdata/PG_VERSION" ]; then
	say "initialising a cluster in $pgdata"
	mkdir -p "$pgdata/"
	tmppw=$(mktemp)
	cp "$pwfile" "$tmppw"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres:postgres "$(readlink -f "$pgdata")" "$tmppw"
	fi
	as_pg "$pgbin/initdb" -D "$pgdata" -U csagent --pwfile="$tmppw" \
		--auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
	rm -f "$tmppw"
	cat >>"$pgdata/postgresql.conf" <<EOF
# csagent dev cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pgdata'
max_connections = 300
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
fi
if ! as_pg "$pgbin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
	say "starting the cluster on 127.0.0.1:$port"
	as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start >/dev/null
fi

pw=$(cat "$pwfile")
url="postgres://csagent:$pw@127.0.0.1:$port/$dbname?sslmode=disable"
export PGPASSWORD="$pw"
if ! psql -h 127.0.0.1 -p "$port" -U csagent -d postgres -Atqc "select 1 from pg_database where datname = '$dbname'" | grep -q 1; then
	say "creating database $dbname"
	psql -h 127.0.0.1 -p "$port" -U csagent -d postgres -qc "create database $dbname" >&2
fi
echo "$url"
