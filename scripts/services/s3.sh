#!/usr/bin/env bash
# S3-compatible server for the test suite on 127.0.0.1:59000 with the bucket
# lms-test. Default: versitygw (built from the Go module proxy, POSIX backend).
# Fallback: S3Proxy's jar from Maven Central (filesystem backend), used when Go
# is missing or the build fails, or when LMS_S3_IMPL=s3proxy.
#
# Usage: s3.sh [prepare|start|stop|status]    (default: start)
# `start` prints the AWS_* export lines on stdout. If AWS_S3_ENDPOINT_URL is
# already set, nothing is installed or started: that endpoint is only checked.
set -euo pipefail
LMS_SERVICE=s3
# shellcheck source=scripts/services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VGW_VERSION="${LMS_VERSITYGW_VERSION:-v1.8.0}"
S3PROXY_VERSION="${LMS_S3PROXY_VERSION:-4.1.0}"
S3_IMPL="${LMS_S3_IMPL:-auto}" # auto | versitygw | s3proxy
S3_PORT="${LMS_S3_PORT:-59000}"
S3_DIR="$LMS_RUN_DIR/s3"
S3_PID="$S3_DIR/s3.pid"
S3_LOG="$S3_DIR/s3.log"
VGW_BIN="$LMS_CACHE_DIR/bin/versitygw-$VGW_VERSION/versitygw"

ACCESS_KEY=lmsaccess
SECRET_KEY=lmssecret123
REGION=us-east-1
BUCKET=lms-test
ENDPOINT="http://127.0.0.1:$S3_PORT"

emit_all() {
  emit_export AWS_S3_ENDPOINT_URL "$1"
  emit_export AWS_STORAGE_BUCKET_NAME "$2"
  emit_export AWS_ACCESS_KEY_ID "$3"
  emit_export AWS_SECRET_ACCESS_KEY "$4"
  emit_export AWS_S3_REGION_NAME "$5"
}

build_versitygw() {
  [[ -x $VGW_BIN ]] && return 0
  command -v go >/dev/null 2>&1 || { log "go is not installed"; return 1; }
  local build_log="$S3_DIR/versitygw-build.log" failed="$S3_DIR/versitygw-build.failed"
  # Do not repeat a failed multi-minute build at once (e.g. start right after prepare).
  if [[ $S3_IMPL == auto && -n $(find "$failed" -mmin -30 2>/dev/null) ]]; then
    log "versitygw build failed less than 30 minutes ago (see $build_log)"
    return 1
  fi
  log "building versitygw $VGW_VERSION with $(go version | cut -d' ' -f3), first run only (log: $build_log)"
  local started=$SECONDS
  mkdir -p "$LMS_CACHE_DIR/go" "$S3_DIR"
  if ! GOBIN="$(dirname "$VGW_BIN")" GOMODCACHE="$LMS_CACHE_DIR/go/mod" GOCACHE="$LMS_CACHE_DIR/go/build" \
    GOFLAGS="-modcacherw -buildvcs=false" \
    go install -trimpath -ldflags="-s -w" "github.com/versity/versitygw/cmd/versitygw@$VGW_VERSION" \
    >"$build_log" 2>&1; then
    touch "$failed"
    tail -n 20 "$build_log" | sed "s/^/[$LMS_SERVICE] | /" >&2
    log "go install of versitygw $VGW_VERSION failed"
    return 1
  fi
  rm -f "$failed"
  log "built versitygw in $((SECONDS - started))s"
}

fetch_s3proxy() {
  maven_fetch org.gaul s3proxy "$S3PROXY_VERSION" jar jar-with-dependencies
}

# Prints the implementation to run, fetching/building it first if needed.
choose_impl() {
  case $S3_IMPL in
    versitygw) build_versitygw || die "could not build versitygw"; echo versitygw ;;
    s3proxy) fetch_s3proxy >/dev/null; echo s3proxy ;;
    auto)
      if build_versitygw; then
        echo versitygw
      else
        log "falling back to S3Proxy $S3PROXY_VERSION"
        fetch_s3proxy >/dev/null
        echo s3proxy
      fi
      ;;
    *) die "LMS_S3_IMPL must be auto, versitygw or s3proxy (got $S3_IMPL)" ;;
  esac
}

# curl request signed with SigV4, for requests without a body (the header is
# the SHA-256 of an empty payload, which curl 7.88 does not add by itself).
s3_curl() {
  curl -sS --max-time 10 --aws-sigv4 "aws:amz:$REGION:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" "$@"
}

answering() {
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$ENDPOINT/" 2>/dev/null || true)"
  [[ $code != 000 && -n $code ]]
}

bucket_code() { s3_curl -o /dev/null -w '%{http_code}' -I "$ENDPOINT/$BUCKET" 2>/dev/null || true; }

start_versitygw() {
  local -a opts=()
  # The POSIX backend keeps object metadata in xattrs; use a sidecar dir where they are unsupported.
  if ! python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.lms_probe", b"1")' "$S3_DIR/data" 2>/dev/null; then
    log "no user xattrs on $S3_DIR/data, keeping metadata in a sidecar directory"
    mkdir -p "$S3_DIR/meta"
    opts=(--sidecar "$S3_DIR/meta")
  fi
  start_daemon "$S3_PID" "$S3_LOG" "$(id -un)" env \
    ROOT_ACCESS_KEY_ID="$ACCESS_KEY" ROOT_SECRET_ACCESS_KEY="$SECRET_KEY" \
    "$VGW_BIN" --port "127.0.0.1:$S3_PORT" --region "$REGION" --quiet \
    posix "${opts[@]}" "$S3_DIR/data"
}

start_s3proxy() {
  local jar java_home
  jar="$(fetch_s3proxy)"
  java_home="$(find_java_home)" || die "no Java >= 17 found for S3Proxy"
  cat >"$S3_DIR/s3proxy.conf" <<EOF
s3proxy.endpoint=$ENDPOINT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$S3_DIR/data
jclouds.region=$REGION
EOF
  start_daemon "$S3_PID" "$S3_LOG" "$(id -un)" \
    "$java_home/bin/java" -Xmx256m -jar "$jar" --properties "$S3_DIR/s3proxy.conf"
}

prepare() {
  [[ -n ${AWS_S3_ENDPOINT_URL:-} ]] && return 0
  take_lock s3
  choose_impl >/dev/null
}

start() {
  if [[ -n ${AWS_S3_ENDPOINT_URL:-} ]]; then
    check_reachable AWS_S3_ENDPOINT_URL 443
    # The other AWS_* variables pass through; unset ones get our defaults.
    emit_all "$AWS_S3_ENDPOINT_URL" "${AWS_STORAGE_BUCKET_NAME:-$BUCKET}" \
      "${AWS_ACCESS_KEY_ID:-$ACCESS_KEY}" "${AWS_SECRET_ACCESS_KEY:-$SECRET_KEY}" "${AWS_S3_REGION_NAME:-$REGION}"
    return 0
  fi
  take_lock s3
  mkdir -p "$S3_DIR/data"
  if pid_alive "$S3_PID" "$S3_DIR" && answering; then
    log "already running ($(cat "$S3_DIR/impl" 2>/dev/null || echo '?')) at $ENDPOINT"
  else
    if ! pid_alive "$S3_PID" "$S3_DIR"; then
      ! port_open 127.0.0.1 "$S3_PORT" || die "port $S3_PORT is taken by another program"
      local impl
      impl="$(choose_impl)"
      log "starting $impl at $ENDPOINT"
      echo "$impl" >"$S3_DIR/impl"
      "start_$impl"
    fi
    local rc=0
    wait_for 60 "$S3_PID" answering || rc=$?
    ((rc == 0)) || fail_with_logs "the S3 server did not come up" "$S3_LOG"
  fi

  local code
  code="$(bucket_code)"
  if [[ $code != 200 ]]; then
    log "creating bucket $BUCKET"
    code="$(s3_curl -o "$S3_DIR/create-bucket.out" -w '%{http_code}' -X PUT "$ENDPOINT/$BUCKET" || true)"
    [[ $code == 200 ]] || fail_with_logs "could not create bucket $BUCKET (HTTP $code)" "$S3_DIR/create-bucket.out" "$S3_LOG"
  fi
  log "ready: $ENDPOINT, bucket $BUCKET"
  emit_all "$ENDPOINT" "$BUCKET" "$ACCESS_KEY" "$SECRET_KEY" "$REGION"
}

stop() {
  take_lock s3
  if pid_alive "$S3_PID" "$S3_DIR"; then
    log "stopping"
    stop_daemon "$S3_PID" "$S3_DIR" 30
  else
    log "not running"
    rm -f "$S3_PID"
  fi
}

status() {
  if pid_alive "$S3_PID" "$S3_DIR"; then log "running at $ENDPOINT"; else log "stopped"; return 1; fi
}

case "${1:-start}" in
  prepare | start | stop | status) "${1:-start}" ;;
  *) die "usage: $0 [prepare|start|stop|status]" ;;
esac
