# shellcheck shell=bash
# Sourced by the scripts in .ci/: picks a JDK 21+ and, when asked, makes sure Redis answers, the
# tools .ci/oci-image uses are installed, and Prometheus (prometheus + promtool, for the metrics
# tests) is installed.

java_major() { # prints the major version of the java binary in $1/bin/java, or 0
  local v
  v=$("$1/bin/java" -version 2>&1 | head -n1 | sed -E 's/.*version "([0-9]+)(\.[^"]*)?".*/\1/')
  [[ "$v" =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

select_jdk() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && $(java_major "$JAVA_HOME") -ge 21 ]]; then
    :
  else
    local best="" best_v=0 d v
    for d in /usr/lib/jvm/*/ /opt/java/*/ /opt/jdk*/; do
      d=${d%/}
      [[ -x "$d/bin/java" && -x "$d/bin/javac" ]] || continue
      v=$(java_major "$d")
      if (( v >= 21 && v > best_v )); then best=$d; best_v=$v; fi
    done
    if [[ -z "$best" ]]; then
      echo "No JDK 21+ found (set JAVA_HOME or install one under /usr/lib/jvm)." >&2
      return 1
    fi
    export JAVA_HOME=$best
  fi
  export PATH="$JAVA_HOME/bin:$PATH"
  echo "Using JDK at $JAVA_HOME ($(java_major "$JAVA_HOME"))" >&2
}

redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG) 2>/dev/null; }

ensure_redis() {
  redis_up && return 0
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "Installing redis-server from Debian packages" >&2
    if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
  fi
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 50); do redis_up && return 0; sleep 0.1; done
  echo "Redis did not come up on 127.0.0.1:6379" >&2
  return 1
}

# .ci/oci-image: jq writes the image JSON, zip trims other platforms' native libraries; dpkg-query, ldd, GNU tar, gzip, sha256sum and flock come
# with any Debian or Ubuntu system; chroot and mount (the *ImageIT tests) with coreutils and mount.
ensure_image_tools() {
  local missing=() tool
  for tool in jq tar gzip zip sha256sum flock ldd dpkg-query chroot mount; do
    command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  ((${#missing[@]})) || return 0
  echo "Installing ${missing[*]} from Debian packages" >&2
  local pkgs=() SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  for tool in "${missing[@]}"; do
    case "$tool" in
      jq) pkgs+=(jq) ;;
      tar) pkgs+=(tar) ;;
      gzip) pkgs+=(gzip) ;;
      zip) pkgs+=(zip) ;;
      sha256sum | chroot) pkgs+=(coreutils) ;;
      ldd) pkgs+=(libc-bin) ;;
      mount) pkgs+=(mount) ;;
      flock) pkgs+=(util-linux) ;;
      dpkg-query) echo "dpkg-query is missing: the images are built from Debian packages (Debian or Ubuntu)" >&2; return 1 ;;
    esac
  done
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${pkgs[@]}" >/dev/null
}

# Installs Debian's prometheus package (prometheus and promtool) when either is missing. The tests
# start their own Prometheus on a free port; the system service is never started.
ensure_prometheus() {
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 && return 0
  echo "Installing prometheus (and promtool) from Debian packages" >&2
  if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1
}
