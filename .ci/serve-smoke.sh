#!/usr/bin/env bash
# Start `assess serve` once, as an office would, and wait for /healthz (which answers only when the database
# does): with a new SQLite instance folder, or against the PostgreSQL database given (an empty one: the server
# migrates it). Loopback only, a free port; the server is stopped at the end whatever happens.
#
#   bash .ci/serve-smoke.sh                                   # SQLite in a temporary instance folder
#   bash .ci/postgres.sh bash .ci/serve-smoke.sh --postgres   # the database of ASSESS_TEST_DATABASE_URL
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
DB_ARGS=()
WHAT="SQLite"
if [ "${1:-}" = "--postgres" ]; then
  : "${ASSESS_TEST_DATABASE_URL:?run under .ci/postgres.sh, which sets ASSESS_TEST_DATABASE_URL}"
  DB_ARGS=(--database "$ASSESS_TEST_DATABASE_URL")
  WHAT="PostgreSQL"
fi
TMP=$(mktemp -d)
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" -m assess serve --instance "$TMP/instance" --host 127.0.0.1 --port "$PORT" --threads 2 \
  --create-office office "${DB_ARGS[@]}" </dev/null >"$TMP/server.log" 2>&1 &
SERVER=$!
cleanup() {
  local status=$?
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -rf "$TMP"
  exit "$status"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  if ! kill -0 "$SERVER" 2>/dev/null; then
    echo "assess serve ($WHAT) exited before it was ready:" >&2; cat "$TMP/server.log" >&2; exit 1
  fi
  if body=$("$PY" -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' \
            "http://127.0.0.1:$PORT/healthz" 2>/dev/null) && [ "$body" = ok ]; then
    echo "assess serve ($WHAT): /healthz answered ok on 127.0.0.1:$PORT"
    grep -E "数据库|Database" "$TMP/server.log" || true
    exit 0
  fi
  sleep 1
done
echo "assess serve ($WHAT): /healthz did not answer in 120 s:" >&2
cat "$TMP/server.log" >&2
exit 1
