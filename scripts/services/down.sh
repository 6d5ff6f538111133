#!/usr/bin/env bash
# Stops the servers that up.sh started (found through their pid files and data
# dirs under $LMS_CACHE_DIR/run). Data, downloads and builds are kept; delete
# $LMS_CACHE_DIR/run for a clean slate. Servers given by environment variables
# are never touched.
set -euo pipefail
LMS_SERVICE=down
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/services/lib.sh
source "$here/lib.sh"

rc=0
for svc in s3 elasticsearch postgres; do
  "$here/$svc.sh" stop || { log "stopping $svc failed"; rc=1; }
done
exit "$rc"
