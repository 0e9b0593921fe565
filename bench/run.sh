#!/usr/bin/env bash
# The repeatable benchmark: a synthetic register at scale 10 in its own PostgreSQL
# database, the app under gunicorn with production settings, wrk as load generator.
#   bench/run.sh                 # SCALE=10 by default; SKIP_DATA=1 reuses the database
#   bench/run.sh --side-by-side  # against Datasette, on the same rows in SQLite (BENCH_SQLITE) and PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${SCALE:-10}
DB=${BENCH_DB:-register_bench}
SQLITE_DB=${BENCH_SQLITE:-/tmp/register_bench.sqlite3}
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
SIDE_BY_SIDE=""
if [ "${1:-}" = "--side-by-side" ]; then SIDE_BY_SIDE=1; shift; fi

make install >/dev/null
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

if [ -z "${SKIP_DATA:-}" ]; then
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  .venv/bin/python manage.py migrate --noinput -v0
  .venv/bin/python manage.py load_seed_data --forces-only
  start=$(date +%s)
  .venv/bin/python manage.py generate_synthetic_data --scale "$SCALE"
  echo "generate_synthetic_data --scale $SCALE took $(( $(date +%s) - start )) s"
  psql -h 127.0.0.1 -U postgres -d "$DB" -qc "VACUUM ANALYZE"
fi
# A reused database gets the indexes of newer migrations too.
.venv/bin/python manage.py migrate --noinput -v0
psql -h 127.0.0.1 -U postgres -d "$DB" -qc "ANALYZE"
if [ -n "$SIDE_BY_SIDE" ]; then
  # The same synthetic register in SQLite, the embedded default.
  if [ -z "${SKIP_DATA:-}" ]; then
    rm -f "$SQLITE_DB" "$SQLITE_DB-wal" "$SQLITE_DB-shm"
    DATABASE_URL="sqlite:///$SQLITE_DB" .venv/bin/python manage.py migrate --noinput -v0
    DATABASE_URL="sqlite:///$SQLITE_DB" .venv/bin/python manage.py load_seed_data --forces-only
    DATABASE_URL="sqlite:///$SQLITE_DB" .venv/bin/python manage.py generate_synthetic_data --scale "$SCALE"
  fi
  exec .venv/bin/python -m bench.side_by_side "sqlite:///$SQLITE_DB" "$DATABASE_URL"
fi
.venv/bin/python -m bench.benchmark "$@"
# Which pages still read a large table in full (exits 1 if any does).
.venv/bin/python -m bench.explain
