#!/usr/bin/env bash
# Serves the platform on http://127.0.0.1:8000 with a background task worker.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
HOST="${LMS_HOST:-127.0.0.1}"
PORT="${LMS_PORT:-8000}"

.venv/bin/python manage.py recover_transcodes || true  # jobs a killed worker left running
.venv/bin/python manage.py db_worker --queue-name '*' --interval 1 --no-reload &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
printf '[serve] task worker started (pid %s)\n' "$worker" >&2
printf '[serve] open http://%s:%s/ — demo accounts are listed in README.md\n' "$HOST" "$PORT" >&2
.venv/bin/python manage.py runserver --noreload "$HOST:$PORT"
