#!/usr/bin/env bash
# PostgreSQL 15 (Debian's packages) for the test suite: a dedicated cluster under
# $LMS_CACHE_DIR/run/postgres, on 127.0.0.1:55432, role/database lms (password lms).
#
# Usage: postgres.sh [start|stop|status]    (default: start)
# `start` prints `export DATABASE_URL=...` on stdout. If DATABASE_URL is already
# set, nothing is installed or started: the server it names is only checked.
set -euo pipefail
LMS_SERVICE=postgres
# shellcheck source=scripts/services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_PORT="${LMS_PG_PORT:-55432}"
PG_BIN="${LMS_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DIR="$LMS_RUN_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"
PG_USER="$(service_user postgres)"
PG_URL="postgres://lms:lms@127.0.0.1:$PG_PORT/lms"

pg_running() {
  [[ -f $PG_DATA/PG_VERSION ]] && run_as "$PG_USER" "$PG_BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1
}

psql_admin() {
  run_as "$PG_USER" "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 \
    -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres
}

init_cluster() {
  log "creating a new cluster in $PG_DATA"
  rm -rf "$PG_DATA"
  run_as "$PG_USER" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --encoding=UTF8 \
    --locale=C.UTF-8 --no-sync --auth-local=peer --auth-host=scram-sha-256 >>"$PG_LOG" 2>&1 \
    || fail_with_logs "initdb failed" "$PG_LOG"
  echo "include = 'lms-test.conf'" >>"$PG_DATA/postgresql.conf"
}

write_config() {
  # Rewritten on every start, so changes here apply after down.sh + up.sh.
  cat >"$PG_DATA/lms-test.conf" <<EOF
# Written by scripts/services/postgres.sh: a throwaway cluster for tests.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  chown "$PG_USER:" "$PG_DATA/lms-test.conf"
}

ensure_role_and_database() {
  psql_admin <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lms') THEN
    CREATE ROLE lms LOGIN CREATEDB PASSWORD 'lms';
  END IF;
END
$$;
SELECT 'CREATE DATABASE lms OWNER lms'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'lms')\gexec
SQL
}

start() {
  if [[ -n ${DATABASE_URL:-} ]]; then
    check_reachable DATABASE_URL 5432
    if command -v psql >/dev/null 2>&1 && [[ $DATABASE_URL == postgres*://* ]]; then
      psql "$DATABASE_URL" -X -q -At -c 'SELECT 1' >/dev/null \
        || die "DATABASE_URL is set, but psql cannot log in with it"
    fi
    emit_export DATABASE_URL "$DATABASE_URL"
    return 0
  fi
  [[ -x $PG_BIN/postgres ]] || die "PostgreSQL 15 is not installed in $PG_BIN (run scripts/services/system-packages.sh)"

  take_lock postgres
  mkdir -p "$PG_DIR"
  touch "$PG_LOG"
  if [[ $PG_USER != "$(id -un)" ]]; then
    chown "$PG_USER:" "$PG_DIR" "$PG_LOG"
    ensure_traversable "$PG_USER" "$PG_DIR"
  fi

  if pg_running; then
    log "already running on 127.0.0.1:$PG_PORT"
  else
    [[ -f $PG_DATA/PG_VERSION ]] || init_cluster
    ! port_open 127.0.0.1 "$PG_PORT" || die "port $PG_PORT is taken by another program"
    write_config
    log "starting on 127.0.0.1:$PG_PORT"
    run_as "$PG_USER" "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t 120 -s 9>&- \
      || fail_with_logs "PostgreSQL did not start" "$PG_LOG"
  fi

  ensure_role_and_database || fail_with_logs "could not create the lms role/database" "$PG_LOG"
  PGPASSWORD=lms "$PG_BIN/psql" -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U lms -d lms -c 'SELECT 1' >/dev/null \
    || fail_with_logs "cannot log in as lms over TCP" "$PG_LOG"
  log "ready: $PG_URL"
  emit_export DATABASE_URL "$PG_URL"
}

stop() {
  take_lock postgres
  if pg_running; then
    log "stopping"
    run_as "$PG_USER" "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 -s
  else
    log "not running"
  fi
}

status() {
  if pg_running; then log "running on 127.0.0.1:$PG_PORT"; else log "stopped"; return 1; fi
}

case "${1:-start}" in
  start | stop | status) "${1:-start}" ;;
  prepare) ;; # nothing to download
  *) die "usage: $0 [start|stop|status]" ;;
esac
