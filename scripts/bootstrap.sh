#!/usr/bin/env bash
# Installs what the platform needs to run from this checkout, idempotently:
# Python dependencies (uv, from uv.lock), front-end packages (npm, from
# package-lock.json) built into static files, and compiled translations.
# Progress goes to stderr.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[bootstrap] %s\n' "$*" >&2; }
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1
UV_VERSION=0.13.8
if ! command -v uv >/dev/null 2>&1 || [[ "$(uv --version 2>/dev/null)" != "uv $UV_VERSION"* ]]; then
  log "installing uv $UV_VERSION"
  python3 -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" >&2
fi
log "Python dependencies (uv sync --frozen)"
uv sync --frozen --quiet >&2

missing=()
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get -q update >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends "${missing[@]}" >&2
fi

scripts/build-frontend.sh

log "compiling translations"
for locale_dir in */locale; do
  (cd "${locale_dir%/locale}" && ../.venv/bin/django-admin compilemessages -v0 >&2)
done
mkdir -p var/static
log "ready"
