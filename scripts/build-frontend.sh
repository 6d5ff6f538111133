#!/usr/bin/env bash
# Build the shared front-end assets (frontend/static/frontend/build/).
# Usage: scripts/build-frontend.sh [--dev]    (works from any directory)
# Installs npm dependencies with `npm ci` only when frontend/node_modules is
# missing or older than package-lock.json, so re-runs are fast.
set -euo pipefail

FRONTEND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../frontend" && pwd)"
log() { printf '[build-frontend] %s\n' "$*" >&2; }

command -v node >/dev/null 2>&1 || { log "node is not installed (need Node >= 18)"; exit 1; }
command -v npm >/dev/null 2>&1 || { log "npm is not installed"; exit 1; }

cd "$FRONTEND_DIR"
stamp="node_modules/.package-lock.json"   # written by npm on every install
if [[ ! -d node_modules || ! -f "$stamp" || package-lock.json -nt "$stamp" || package.json -nt "$stamp" ]]; then
  log "installing npm dependencies (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error >&2
  touch "$stamp"
else
  log "npm dependencies up to date"
fi

log "building assets..."
node build.mjs "$@"
log "done"
