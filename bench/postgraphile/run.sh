#!/usr/bin/env bash
# Starts PostGraphile 4 in the foreground against a PostgreSQL database, for the
# benchmark's side-by-side read; the benchmark stops it by killing the process.
#   bench/postgraphile/run.sh <database url> <port>
# Installs exactly the locked packages on first use (npm ci); nothing else of
# PostGraphile is kept in the repository.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x node_modules/.bin/postgraphile ]; then
  npm ci --no-audit --no-fund --silent >&2
fi
exec node_modules/.bin/postgraphile \
  --connection "$1" --host 127.0.0.1 --port "$2" --schema public \
  --disable-query-log --disable-graphiql
