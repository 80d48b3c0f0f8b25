#!/usr/bin/env bash
# A throwaway PostgreSQL server for the server tests: a new cluster in a temporary folder, listening on
# 127.0.0.1 at a free port (and a unix socket in that folder, nowhere else), one empty database, then
# COMMAND runs with ASSESS_TEST_DATABASE_URL pointing at it; the server is stopped and the folder removed
# when the command ends, however it ends. Nothing outside the temporary folder is touched (no system cluster,
# no /var/run/postgresql), so it runs beside any PostgreSQL already on the machine.
#
#   bash .ci/postgres.sh .venv/bin/python -m pytest tests/web        # a developer, or .ci/run
#   bash .ci/postgres.sh bash -c 'assess serve --database "$ASSESS_TEST_DATABASE_URL" ...'
#
# Needs Debian's `postgresql` (installed with apt-get when missing and we are root). PostgreSQL refuses to
# run as root, so as root the server runs as the system user `postgres` (the Debian package creates it);
# as any other user it runs as that user. Exit status: COMMAND's.
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }

find_bindir() {  # the newest server's binaries; Debian keeps them off PATH in /usr/lib/postgresql/N/bin
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then echo "$dir"; return; fi
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then dirname "$(readlink -f "$(command -v initdb)")"; fi
}

BINDIR=$(find_bindir)
if [ -z "$BINDIR" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== postgres: installing Debian's postgresql (apt-get)" >&2
    # The package's own cluster is not used; policy-rc.d-less containers may fail to start it, which is harmless.
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } || true
    BINDIR=$(find_bindir)
  fi
  [ -n "$BINDIR" ] || { echo "postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
fi

RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
  RUN_AS=(runuser -u postgres --)
fi

# As root under /tmp: the server user must be able to reach the folder (a private TMPDIR may not let it).
if [ "$(id -u)" = 0 ]; then TMP=$(mktemp -d /tmp/assess-pg.XXXXXX); else TMP=$(mktemp -d "${TMPDIR:-/tmp}/assess-pg.XXXXXX"); fi
chmod 700 "$TMP"
[ "$(id -u)" = 0 ] && chown postgres: "$TMP"
PGDATA="$TMP/data"

cleanup() {
  local status=$?
  if [ -f "$PGDATA/postmaster.pid" ]; then
    "${RUN_AS[@]}" "$BINDIR/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$TMP"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DB=assess_test
USER_NAME=assess

# UTF8 with the C locale: Chinese text round-trips; no system locale is needed. Trust only for connections
# from this machine to a server that lives for one command.
"${RUN_AS[@]}" "$BINDIR/initdb" -D "$PGDATA" -U "$USER_NAME" -E UTF8 --locale=C -A trust >"$TMP/initdb.log" 2>&1 \
  || { cat "$TMP/initdb.log" >&2; exit 1; }
# fsync off: a throwaway cluster need not survive a power cut, and the tests create and drop databases.
"${RUN_AS[@]}" "$BINDIR/pg_ctl" -D "$PGDATA" -l "$TMP/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$TMP/server.log" >&2; exit 1; }
"${RUN_AS[@]}" "$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U "$USER_NAME" "$DB"

export ASSESS_TEST_DATABASE_URL="postgresql://$USER_NAME@127.0.0.1:$PORT/$DB"
echo "== postgres: $("$BINDIR/postgres" --version) on 127.0.0.1:$PORT, ASSESS_TEST_DATABASE_URL=$ASSESS_TEST_DATABASE_URL" >&2
"$@"
