#!/usr/bin/env bash
# A throwaway PostgreSQL for the test suite, from Debian's packages, in its own cluster
# (its own folder and port), so it never touches a PostgreSQL the machine already runs.
#
#   scripts/postgres.sh start   install if missing, init once, start; prints DATABASE_URL
#   scripts/postgres.sh stop
set -euo pipefail

PGPORT=${FOOTING_PG_PORT:-54329}
DATA=${FOOTING_PG_DIR:-/tmp/footing-postgres}
URL="postgres://footing:footing@127.0.0.1:${PGPORT}/footing"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# PostgreSQL refuses to run as root: as root, run its tools as the `postgres` user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

start() {
  if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local bin; bin=$(pg_bin)
  if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
    as_owner "$bin/initdb -D $DATA -U postgres -A trust --no-sync" >/dev/null
  fi
  if ! as_owner "$bin/pg_ctl -D $DATA status" >/dev/null 2>&1; then
    # fsync off: a test database that dies with the machine loses nothing that matters.
    as_owner "$bin/pg_ctl -D $DATA -l $DATA/server.log -w -o \"-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start" >/dev/null
  fi
  local psql=(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
  if [ -z "$("${psql[@]}" -c "select 1 from pg_roles where rolname = 'footing'")" ]; then
    "${psql[@]}" -c "create role footing login createdb password 'footing'"
  fi
  if [ -z "$("${psql[@]}" -c "select 1 from pg_database where datname = 'footing'")" ]; then
    "${psql[@]}" -c "create database footing owner footing"
  fi
  echo "$URL"
}

stop() {
  local bin; bin=$(pg_bin)
  [ -n "$bin" ] && [ -f "$DATA/PG_VERSION" ] && as_owner "$bin/pg_ctl -D $DATA -m fast stop" >/dev/null || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
