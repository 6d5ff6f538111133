#!/usr/bin/env bash
# Installs what is missing and starts every service the test suite needs, on
# loopback only. Progress goes to stderr; stdout gets only `export` lines:
#
#   eval "$(scripts/services/up.sh)"
#
# Services already given by environment variables (DATABASE_URL,
# ELASTICSEARCH_URL, AWS_S3_ENDPOINT_URL) are only checked. Running servers are
# left alone, so a second run takes about a second. Stop them with down.sh.
set -euo pipefail
LMS_SERVICE=up
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/services/lib.sh
source "$here/lib.sh"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
log "cache dir: $LMS_CACHE_DIR"

# apt runs alongside the downloads/builds that need none of its packages; each
# server starts as soon as what it needs is there. A failed prepare is retried,
# and reported, by the start that follows it.
"$here/system-packages.sh" >"$tmp/system-packages.env" &
apt_pid=$!
"$here/elasticsearch.sh" prepare >/dev/null &
es_prepare_pid=$!
"$here/s3.sh" prepare >/dev/null &
s3_prepare_pid=$!

services=(postgres elasticsearch s3)
declare -A pids
wait "$apt_pid" || die "installing system packages failed (see above)"
wait "$es_prepare_pid" || log "Elasticsearch download failed; retrying"
for svc in postgres elasticsearch; do
  "$here/$svc.sh" start >"$tmp/$svc.env" &
  pids[$svc]=$!
done
wait "$s3_prepare_pid" || log "S3 server build/download failed; retrying"
"$here/s3.sh" start >"$tmp/s3.env" &
pids[s3]=$!

failed=()
for svc in "${services[@]}"; do
  wait "${pids[$svc]}" || failed+=("$svc")
done
((${#failed[@]} == 0)) || die "could not bring up: ${failed[*]} (see the messages and log tails above)"

cat "$tmp/system-packages.env"
for svc in "${services[@]}"; do cat "$tmp/$svc.env"; done
log "all services ready in ${SECONDS}s"
