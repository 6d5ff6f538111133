#!/usr/bin/env bash
# Elasticsearch 8.19 for the test suite: Elastic's integration-test distribution
# (org.elasticsearch.distribution.integ-test-zip:elasticsearch on Maven Central),
# run single-node on the machine's Java 17 at 127.0.0.1:59200, security off.
# That distribution carries only ES core: no analysis-common, no painless, and
# no `GET /` endpoint, so readiness is checked with /_cluster/health.
#
# Usage: elasticsearch.sh [prepare|start|stop|status]    (default: start)
# `start` prints `export ELASTICSEARCH_URL=...` on stdout. If ELASTICSEARCH_URL
# is already set, nothing is installed or started: that server is only checked.
set -euo pipefail
LMS_SERVICE=elasticsearch
# shellcheck source=scripts/services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ES_VERSION="${LMS_ES_VERSION:-8.19.21}"
ES_PORT="${LMS_ES_PORT:-59200}"
ES_TRANSPORT_PORT="${LMS_ES_TRANSPORT_PORT:-59300}"
ES_HEAP="${LMS_ES_HEAP:-512m}"
ES_HOME="$LMS_OPT_DIR/elasticsearch-$ES_VERSION"
ES_DIR="$LMS_RUN_DIR/elasticsearch"
ES_PID="$ES_DIR/elasticsearch.pid"
ES_LOG="$ES_DIR/console.log"
ES_USER="$(service_user lms-es)"
ES_URL="http://127.0.0.1:$ES_PORT"

healthy() {
  curl -fsS -o /dev/null --max-time 5 "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null
}

# Downloads the distribution (needs only curl); unpacking needs unzip.
prepare() {
  [[ -n ${ELASTICSEARCH_URL:-} ]] && return 0
  take_lock elasticsearch
  maven_fetch org.elasticsearch.distribution.integ-test-zip elasticsearch "$ES_VERSION" zip >/dev/null
}

unpack() {
  [[ -x $ES_HOME/bin/elasticsearch ]] && return 0
  local zip tmp
  zip="$(maven_fetch org.elasticsearch.distribution.integ-test-zip elasticsearch "$ES_VERSION" zip)"
  command -v unzip >/dev/null 2>&1 || die "unzip is missing (run scripts/services/system-packages.sh)"
  log "unpacking $(basename "$zip")"
  mkdir -p "$LMS_OPT_DIR"
  tmp="$(mktemp -d "$LMS_OPT_DIR/.unpack.XXXXXX")"
  unzip -q "$zip" -d "$tmp"
  rm -rf "$ES_HOME"
  mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
  rmdir "$tmp"
  chmod -R a+rX "$ES_HOME"
}

write_config() {
  local conf="$ES_DIR/config"
  mkdir -p "$conf/jvm.options.d" "$ES_DIR/data" "$ES_DIR/logs" "$ES_DIR/tmp"
  # Our own config dir: ES writes its keystore there, and the distribution stays pristine.
  [[ -f $conf/jvm.options ]] || cp -R "$ES_HOME/config/." "$conf/"
  cat >"$conf/elasticsearch.yml" <<EOF
# Written by scripts/services/elasticsearch.sh: a throwaway node for tests.
cluster.name: lms-test
node.name: lms-test-node
path.data: $ES_DIR/data
path.logs: $ES_DIR/logs
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $ES_TRANSPORT_PORT
discovery.type: single-node
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
EOF
  printf -- '-Xms%s\n-Xmx%s\n' "$ES_HEAP" "$ES_HEAP" >"$conf/jvm.options.d/lms-heap.options"
  touch "$ES_LOG"
  if [[ $ES_USER != "$(id -un)" ]]; then
    chown -R "$ES_USER:" "$conf" "$ES_LOG" "$ES_DIR/tmp"
    chown "$ES_USER:" "$ES_DIR" "$ES_DIR/data" "$ES_DIR/logs"
  fi
}

start() {
  if [[ -n ${ELASTICSEARCH_URL:-} ]]; then
    check_reachable ELASTICSEARCH_URL 9200
    emit_export ELASTICSEARCH_URL "$ELASTICSEARCH_URL"
    return 0
  fi
  local java_home
  java_home="$(find_java_home)" || die "no Java >= 17 found (run scripts/services/system-packages.sh)"

  take_lock elasticsearch
  if pid_alive "$ES_PID" elasticsearch && healthy; then
    log "already running at $ES_URL"
    emit_export ELASTICSEARCH_URL "$ES_URL"
    return 0
  fi
  if ! pid_alive "$ES_PID" elasticsearch; then
    ! port_open 127.0.0.1 "$ES_PORT" || die "port $ES_PORT is taken by another program"
    unpack
    ensure_system_user lms-es
    mkdir -p "$ES_DIR"
    write_config
    ensure_traversable "$ES_USER" "$ES_HOME"
    ensure_traversable "$ES_USER" "$ES_DIR"
    log "starting $ES_VERSION at $ES_URL (Java: $java_home)"
    start_daemon "$ES_PID" "$ES_LOG" "$ES_USER" env \
      HOME="$ES_DIR" ES_JAVA_HOME="$java_home" ES_PATH_CONF="$ES_DIR/config" \
      ES_TMPDIR="$ES_DIR/tmp" ES_JAVA_OPTS="${LMS_ES_JAVA_OPTS:-}" \
      "$ES_HOME/bin/elasticsearch"
  fi
  local rc=0
  wait_for 180 "$ES_PID" healthy || rc=$?
  case $rc in
    0) ;;
    2) fail_with_logs "Elasticsearch exited while starting" "$ES_LOG" ;;
    *) fail_with_logs "Elasticsearch did not become healthy within 180s" "$ES_LOG" ;;
  esac
  log "ready: $ES_URL"
  emit_export ELASTICSEARCH_URL "$ES_URL"
}

stop() {
  take_lock elasticsearch
  if pid_alive "$ES_PID" elasticsearch; then
    log "stopping"
    stop_daemon "$ES_PID" elasticsearch 60
  else
    log "not running"
    rm -f "$ES_PID"
  fi
}

status() {
  if pid_alive "$ES_PID" elasticsearch; then log "running at $ES_URL"; else log "stopped"; return 1; fi
}

case "${1:-start}" in
  prepare | start | stop | status) "${1:-start}" ;;
  *) die "usage: $0 [prepare|start|stop|status]" ;;
esac
