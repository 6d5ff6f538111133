#!/usr/bin/env bash
# Installs the Debian packages the test suite and the service scripts need
# (ffmpeg/ffprobe, Chromium + chromedriver, PostgreSQL 15, fonts, ...).
# apt is skipped entirely when everything is already installed.
# Prints `export CHROMIUM_EXECUTABLE=...` on stdout.
set -euo pipefail
LMS_SERVICE=system-packages
# shellcheck source=scripts/services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

packages=(
  ca-certificates curl unzip
  ffmpeg
  chromium chromium-driver
  postgresql-15 postgresql-client-15
  fonts-noto-core fonts-dejavu-core # Noto/DejaVu cover Vietnamese diacritics
)
# Elasticsearch (and the S3Proxy fallback) need a Java >= 17.
find_java_home >/dev/null || packages+=(openjdk-17-jre-headless)

missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
  [[ $status == installed ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  log "all Debian packages already installed"
else
  apt_log="$LMS_RUN_DIR/system-packages/apt.log"
  mkdir -p "$(dirname "$apt_log")"
  log "installing with apt (log: $apt_log): ${missing[*]}"
  started=$SECONDS
  apt_opts=(-q -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)
  as_root apt-get "${apt_opts[@]}" update >"$apt_log" 2>&1 \
    || fail_with_logs "apt-get update failed" "$apt_log"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y \
    --no-install-recommends "${missing[@]}" >>"$apt_log" 2>&1 \
    || fail_with_logs "apt-get install failed" "$apt_log"
  log "apt finished in $((SECONDS - started))s"
fi

for cmd in ffmpeg ffprobe chromium chromedriver curl unzip; do
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd is still missing after installing packages"
done
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || die "PostgreSQL 15 server is still missing"

chromium_bin="${CHROMIUM_EXECUTABLE:-/usr/bin/chromium}"
[[ -x $chromium_bin ]] || die "CHROMIUM_EXECUTABLE=$chromium_bin is not executable"
emit_export CHROMIUM_EXECUTABLE "$chromium_bin"
