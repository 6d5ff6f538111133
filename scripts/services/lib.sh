# shellcheck shell=bash
# Shared helpers for scripts/services/*.sh. Source it, do not run it.
#
# Layout under $LMS_CACHE_DIR (default ~/.cache/lms-platform):
#   downloads/   fetched archives and jars (kept between runs)
#   opt/         unpacked distributions
#   bin/         built binaries (versitygw)
#   go/          Go module and build caches
#   run/<svc>/   server state: data, config, pid file, logs

# shellcheck disable=SC2034  # some variables are used only by the sourcing scripts
LMS_CACHE_DIR="${LMS_CACHE_DIR:-${HOME:-/root}/.cache/lms-platform}"
mkdir -p "$LMS_CACHE_DIR"
LMS_CACHE_DIR="$(cd "$LMS_CACHE_DIR" && pwd -P)"
export LMS_CACHE_DIR
LMS_RUN_DIR="$LMS_CACHE_DIR/run"
LMS_DOWNLOAD_DIR="$LMS_CACHE_DIR/downloads"
LMS_OPT_DIR="$LMS_CACHE_DIR/opt"
LMS_MAVEN_REPO="${LMS_MAVEN_REPO:-https://repo1.maven.org/maven2}"
LMS_SERVICE="${LMS_SERVICE:-services}"

log() { printf '[%s] %s\n' "$LMS_SERVICE" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Prints a line for `eval "$(script)"`; the value is shell-quoted.
emit_export() { printf 'export %s=%q\n' "$1" "$2"; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# Runs a command as root (directly, or through passwordless sudo).
as_root() {
  if is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    die "root is needed for: $*"
  fi
}

# Servers that refuse root run as a dedicated user when we are root, else as us.
service_user() { if is_root; then echo "$1"; else id -un; fi; }

ensure_system_user() {
  is_root || return 0
  id -u "$1" >/dev/null 2>&1 && return 0
  log "creating system user $1"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$1"
}

# run_as USER CMD...: runs CMD as USER from /, keeping the environment.
run_as() {
  local user="$1"; shift
  if [[ $user == "$(id -un)" ]]; then
    (cd / && exec "$@")
  else
    (cd / && exec setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" \
      --init-groups -- "$@")
  fi
}

# Makes every ancestor of PATH searchable by USER (adds o+x where missing),
# so that a service user can reach its state under e.g. /root/.cache.
ensure_traversable() {
  local user="$1" path="$2" dir="" part
  local -a parts
  [[ $user == "$(id -un)" ]] && return 0
  IFS=/ read -ra parts <<<"$path"
  for part in "${parts[@]}"; do
    [[ -z $part ]] && continue
    dir="$dir/$part"
    [[ -d $dir ]] || break
    if ! run_as "$user" test -x "$dir"; then
      log "granting search permission (o+x) on $dir so that $user can reach $path"
      chmod o+x "$dir"
    fi
  done
}

# Serialises concurrent runs for one service (fd 9 stays open until exit).
take_lock() {
  mkdir -p "$LMS_RUN_DIR"
  exec 9>"$LMS_RUN_DIR/$1.lock"
  flock -w 1800 9 || die "timed out waiting for the lock $LMS_RUN_DIR/$1.lock"
}

# pid_alive PIDFILE [PATTERN]: the process exists (and its command line has PATTERN).
pid_alive() {
  local pidfile="$1" pattern="${2:-}" pid
  [[ -s $pidfile ]] || return 1
  pid="$(<"$pidfile")"
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ -z $pattern ]] || tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern"
}

# start_daemon PIDFILE LOGFILE USER CMD...: runs CMD in its own session in the
# background; PIDFILE gets its pid (which is also its process group id).
start_daemon() {
  local pidfile="$1" logfile="$2" user="$3"; shift 3
  local -a cmd=("$@")
  if [[ $user != "$(id -un)" ]]; then
    cmd=(setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --init-groups -- "${cmd[@]}")
  fi
  rm -f "$pidfile"
  if [[ -f $logfile ]] && (($(stat -c %s "$logfile") > 20000000)); then
    mv -f "$logfile" "$logfile.old"
  fi
  printf '\n==== %s starting: %s\n' "$(date '+%F %T')" "$*" >>"$logfile"
  # shellcheck disable=SC2016
  (cd / && exec setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "${cmd[@]}") \
    </dev/null >>"$logfile" 2>&1 9>&- &
  local i
  for i in $(seq 50); do [[ -s $pidfile ]] && return 0; sleep 0.1; done
  die "could not start: $*"
}

# stop_daemon PIDFILE PATTERN [TIMEOUT]: SIGTERM to its process group, SIGKILL after TIMEOUT s.
stop_daemon() {
  local pidfile="$1" pattern="$2" timeout="${3:-30}" pid i
  if ! pid_alive "$pidfile" "$pattern"; then
    rm -f "$pidfile"
    return 0
  fi
  pid="$(<"$pidfile")"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "process $pid did not stop within ${timeout}s, killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# wait_for TIMEOUT PIDFILE CMD...: polls CMD until it succeeds. Fails after
# TIMEOUT seconds, or at once if PIDFILE is given and its process has died.
wait_for() {
  local timeout="$1" pidfile="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if [[ -n $pidfile ]] && ! pid_alive "$pidfile"; then return 2; fi
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# fail_with_logs MESSAGE LOGFILE...: prints MESSAGE and the tail of each log, exits 1.
fail_with_logs() {
  local msg="$1" f; shift
  log "ERROR: $msg"
  for f in "$@"; do
    [[ -s $f ]] || continue
    printf '[%s] ---- last lines of %s ----\n' "$LMS_SERVICE" "$f" >&2
    # Only what the latest start (see start_daemon's marker) wrote, long lines cut.
    awk '/^==== .* starting: /{n=0} {buf[++n]=$0} END{for(i=(n>40?n-39:1);i<=n;i++) print buf[i]}' "$f" \
      | cut -c1-400 | sed "s/^/[$LMS_SERVICE] | /" >&2
  done
  exit 1
}

# shellcheck disable=SC2016
port_open() { timeout 5 bash -c ': <>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; }

# check_reachable VAR DEFAULT_PORT: for a service given by an environment
# variable holding a URL, checks that its host:port accepts connections.
check_reachable() {
  local var="$1" default_port="$2" url host port
  url="${!var}"
  if [[ ! $url =~ ^[A-Za-z][A-Za-z0-9+.-]*://([^/@]*@)?(\[[^]/]+\]|[^:/?#]+)(:([0-9]+))? ]]; then
    die "$var=$url is not a URL"
  fi
  host="${BASH_REMATCH[2]}"; host="${host#[}"; host="${host%]}"
  port="${BASH_REMATCH[4]:-$default_port}"
  port_open "$host" "$port" || die "$var is set, but nothing answers on $host:$port"
  log "using the server given by $var ($host:$port is reachable)"
}

# download URL DEST: fetches URL to DEST unless DEST exists (atomic rename).
download() {
  local url="$1" dest="$2"
  [[ -s $dest ]] && return 0
  mkdir -p "$(dirname "$dest")"
  log "downloading $url"
  curl -fsSL --retry 5 --retry-delay 2 --retry-connrefused --connect-timeout 20 \
    -o "$dest.part" "$url" || { rm -f "$dest.part"; return 1; }
  mv -f "$dest.part" "$dest"
}

# maven_fetch GROUP ARTIFACT VERSION EXT [CLASSIFIER]: prints the path of the
# cached artifact, fetching it from Maven Central (checked against its .sha1)
# or, failing that, through mvn and its own settings (mirrors, proxies).
maven_fetch() {
  local group="$1" artifact="$2" version="$3" ext="$4" classifier="${5:-}"
  local file="$artifact-$version${classifier:+-$classifier}.$ext"
  local dest="$LMS_DOWNLOAD_DIR/$file"
  [[ -s $dest ]] && { echo "$dest"; return 0; }
  mkdir -p "$LMS_DOWNLOAD_DIR"
  local url="$LMS_MAVEN_REPO/${group//.//}/$artifact/$version/$file" want got
  if command -v curl >/dev/null 2>&1 && download "$url" "$dest.unverified" \
    && want="$(curl -fsSL --retry 3 "$url.sha1")"; then
    got="$(sha1sum "$dest.unverified" | cut -d' ' -f1)"
    if [[ ${want%% *} == "$got" ]]; then
      mv -f "$dest.unverified" "$dest"
      echo "$dest"
      return 0
    fi
    log "checksum mismatch for $file (want ${want%% *}, got $got)"
  fi
  rm -f "$dest.unverified"
  command -v mvn >/dev/null 2>&1 || die "could not fetch $url and mvn is not installed"
  log "fetching $group:$artifact:$version through mvn"
  mvn -B -q dependency:copy \
    "-Dartifact=$group:$artifact:$version:$ext${classifier:+:$classifier}" \
    "-DoutputDirectory=$LMS_DOWNLOAD_DIR" >&2 || die "mvn could not fetch $group:$artifact:$version"
  [[ -s $dest ]] || die "mvn did not produce $dest"
  echo "$dest"
}

# Prints the JAVA_HOME of a JDK/JRE >= 17 (LMS_JAVA_HOME, ES_JAVA_HOME, JAVA_HOME or java on PATH).
find_java_home() {
  local home java major path_home=""
  if java="$(command -v java 2>/dev/null)"; then
    path_home="$(dirname "$(dirname "$(readlink -f "$java")")")"
  fi
  for home in "${LMS_JAVA_HOME:-}" "${ES_JAVA_HOME:-}" "${JAVA_HOME:-}" "$path_home"; do
    java="$home/bin/java"
    [[ -n $home && -x $java ]] || continue
    major="$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
    if [[ -n $major ]] && ((major >= 17)); then
      echo "$home"
      return 0
    fi
  done
  return 1
}
