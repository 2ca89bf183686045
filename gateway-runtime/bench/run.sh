#!/usr/bin/env bash
# Reproduces BENCHMARKS.md: one run, one machine. Starts the fake upstream, the gateway
# (standalone, with a virtual key and routing) and nginx as a plain reverse proxy to the same
# upstream, drives the same load at each with wrk (non-streaming) and the repo's HdrHistogram
# load generator (streams), and writes the results with ratios taken in this run. The fake
# upstream and the load generator are test tooling: they run from portcullis-testkit.jar
# (gateway-runtime/testkit), not from the gateway's jar.
#   usage: bash gateway-runtime/bench/run.sh [--quick | --smoke | --telemetry | --plain | --streams |
#          --cache | --guardrails | --slow-streams | --idle-connections | --help]
set -euo pipefail
cd "$(dirname "$0")/../.."

GATEWAY_JAR=${BENCH_A_JAR:-gateway-runtime/target/portcullis-gateway.jar}
TESTKIT_JAR=gateway-runtime/testkit/target/portcullis-testkit.jar

QUICK=false; SMOKE=false; TELEMETRY_ONLY=false; PLAIN=false; STREAMS_ONLY=false; CACHE_ONLY=false; GUARDRAILS_ONLY=false; SCALE_ONLY=""
case "${1:-}" in
  --quick) QUICK=true ;;
  --plain) PLAIN=true; QUICK=true ;;
  --smoke) SMOKE=true ;;
  --telemetry) TELEMETRY_ONLY=true ;;
  --streams) STREAMS_ONLY=true ;;
  --cache) CACHE_ONLY=true ;;
  --guardrails) GUARDRAILS_ONLY=true ;;
  --slow-streams) SCALE_ONLY=slow-streams ;;
  --idle-connections) SCALE_ONLY=idle-connections ;;
  -h|--help)
    cat <<USAGE
usage: bash gateway-runtime/bench/run.sh [--quick | --smoke | --telemetry | --plain | --streams |
                                         --cache | --guardrails | --slow-streams | --idle-connections]
Builds the gateway and the testkit, runs the benchmarks and rewrites BENCHMARKS.md.
  --quick   5 s per row instead of 15 s
  --smoke   checks the set-up only: starts the fake upstream and the gateway, sends a few
            seconds of streams through the gateway with the load generator; no wrk, no
            nginx, BENCHMARKS.md untouched
  --telemetry  only the telemetry pair (concurrency 16, metrics and access log on vs off),
            printed; BENCHMARKS.md untouched
  --plain   only the non-streaming rows (direct, nginx, the gateway; concurrency 1 and 16, 5 s
            each), printed; BENCHMARKS.md untouched. With BENCH_B_JAR (another build's gateway
            jar, beside its libs/), BENCH_B_FLAGS and/or BENCH_B_JVM, a second gateway "B" runs and the
            gateway rows alternate A, B, B, A, each with the gateway's CPU per request.
  --streams only the stream rows (direct, nginx, gateway same format and translated), printed;
            BENCHMARKS.md untouched. With a second gateway "B" (as for --plain), its same-format
            row too, in the order A, B, B, A (A/B in one run)
  --cache   only the response cache pair (concurrency 16, one exact-cached route answering
            hits vs the same route missing with x-portcullis-cache: bypass), printed;
            BENCHMARKS.md untouched
  --guardrails only the guardrails pair (concurrency 16, the examples/guardrails content-policy
            on input and output vs the same upstream without it), rows alternating unguarded,
            guarded, guarded, unguarded; printed; BENCHMARKS.md untouched
  --slow-streams  only the connection-scale row: 8,000 concurrent slow streams (1 token/s,
            60 tokens) through a gateway of their own; errors, completed streams, peak RSS and
            heap, printed; BENCHMARKS.md untouched
  --idle-connections  only the idle keep-alive connections row (RSS and heap per connection),
            printed; BENCHMARKS.md untouched
Programs: $GATEWAY_JAR (the gateway, standalone)
          $TESTKIT_JAR (fake-upstream, load)
Environment: BENCH_DURATION, BENCH_STREAMS, BENCH_GW_HEAP, BENCH_STREAM_RAMP, BENCH_WARMUP,
             BENCH_GW_FLAGS (extra flags for the main gateway), BENCH_GW_JVM (extra JVM options
             for the main gateway, e.g. a JFR recording), BENCH_A_JAR (another build's jar for it),
             BENCH_B_JAR, BENCH_B_FLAGS, BENCH_B_JVM (the second gateway of --plain and --streams),
             BENCH_SKIP_BUILD=1 (run the jars already built),
             BENCH_STREAM_ROWS (with --streams: only these rows, e.g. "direct nginx gateway"),
             BENCH_TELEMETRY_BASELINE_JAR (another gateway jar, telemetry on, added to the
             telemetry pair's rows: on, baseline, off, off, baseline, on), BENCH_SLOW_STREAMS,
             BENCH_SLOW_TOKENS, BENCH_SLOW_RAMP, BENCH_SCALE_JVM, BENCH_SCALE_FLAGS,
             BENCH_IDLE_CONNECTIONS, BENCH_PORT_OFFSET (added to every port).
USAGE
    exit 0 ;;
  "") ;;
  *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
esac

source .ci/env.sh
select_jdk
DURATION=${BENCH_DURATION:-$($QUICK && echo 5 || echo 15)}
STREAMS=${BENCH_STREAMS:-1000}
# The recommended production flags for one gateway pod (see the notes in BENCHMARKS.md): a fixed
# heap, and G1 so that 1,000 open streams (each holding socket buffers for seconds) are collected
# region by region instead of by full collections of the whole old generation.
GW_HEAP=${BENCH_GW_HEAP:-"-Xms320m -Xmx320m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError"}
STREAM_RAMP=${BENCH_STREAM_RAMP:-2}
# Connection scale (issues 18 and 19): slow streams as agents hold them, and idle keep-alive
# connections, each through a gateway of its own so that its memory is theirs alone.
SLOW_STREAMS=${BENCH_SLOW_STREAMS:-8000}
SLOW_TOKENS=${BENCH_SLOW_TOKENS:-60}
SLOW_RAMP=${BENCH_SLOW_RAMP:-30}
IDLE_CONNECTIONS=${BENCH_IDLE_CONNECTIONS:-5000}
# The documented flags for a pod that holds thousands of long streams (gateway-runtime/README.md,
# "Connection scale"): a 768 MiB heap (about 60 KB per open stream plus the base) and a concurrency
# bound above the streams (the default, one per 256 KiB of heap, would be 3,072).
SCALE_JVM=${BENCH_SCALE_JVM:-"-Xms768m -Xmx768m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError"}
SCALE_FLAGS=${BENCH_SCALE_FLAGS:-"--max-concurrent-requests 10000"}
# BENCH_PORT_OFFSET shifts every port, so two runs on one machine do not answer each other.
O=${BENCH_PORT_OFFSET:-0}
UP_PORT=$((18089 + O)); GW_PORT=$((18080 + O)); ADMIN_PORT=$((19090 + O)); NGINX_PORT=$((18081 + O)); GW_REDIS_PORT=$((18082 + O)); ADMIN_REDIS_PORT=$((19092 + O))
GW_OFF_PORT=$((18083 + O)); ADMIN_OFF_PORT=$((19093 + O))
GW_SCALE_PORT=$((18084 + O)); ADMIN_SCALE_PORT=$((19094 + O))
GW_B_PORT=$((18086 + O)); ADMIN_B_PORT=$((19096 + O))
KEY=pc-bench-3f1e5c2a9b7d4e6f8a0b1c2d3e4f5a6b

if ! $SMOKE && { ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; }; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk >/dev/null
  fi
fi
$SMOKE || $STREAMS_ONLY || command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }

[[ -n "${BENCH_SKIP_BUILD:-}" ]] ||
  ./mvnw -B -q -ntp -DskipTests -Dspotless.check.skip=true -pl gateway-runtime/testkit,gateway-runtime -am package
JAR=$GATEWAY_JAR
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

mkdir -p "$WORK/manifests"
cat > "$WORK/manifests/bench.yaml" <<YAML
apiVersion: portcullis.dev/v1alpha1
kind: LLMRoute
metadata: {name: bench}
spec:
  model: bench
  targets:
    - {name: fake, provider: openai-compatible, model: bench, baseUrl: "http://127.0.0.1:$UP_PORT/v1"}
---
apiVersion: portcullis.dev/v1alpha1
kind: LLMRoute
metadata: {name: bench-translated}
spec:
  model: bench-translated
  targets:
    - {name: fake-anthropic, provider: anthropic, model: bench, baseUrl: "http://127.0.0.1:$UP_PORT", credentials: {secretRef: {name: upstream, key: apiKey}}}
---
apiVersion: portcullis.dev/v1alpha1
kind: LLMRoute
metadata: {name: bench-stream}
spec:
  model: bench-stream
  targets:
    - {name: fake, provider: openai-compatible, model: "bench;tps=20;tokens=40", baseUrl: "http://127.0.0.1:$UP_PORT/v1"}
---
apiVersion: portcullis.dev/v1alpha1
kind: LLMRoute
metadata: {name: bench-slow}
spec:
  model: bench-slow
  targets:
    - {name: fake, provider: openai-compatible, model: "bench;tps=1;tokens=$SLOW_TOKENS", baseUrl: "http://127.0.0.1:$UP_PORT/v1"}
---
apiVersion: portcullis.dev/v1alpha1
kind: LLMRoute
metadata: {name: bench-stream-translated}
spec:
  model: bench-stream-translated
  targets:
    - {name: fake-anthropic, provider: anthropic, model: "bench;tps=20;tokens=40", baseUrl: "http://127.0.0.1:$UP_PORT", credentials: {secretRef: {name: upstream, key: apiKey}}}
---
# The same upstream behind the guardrails example's content-policy on input and output.
apiVersion: portcullis.dev/v1alpha1
kind: LLMRoute
metadata: {name: bench-guarded}
spec:
  model: bench-guarded
  targets:
    - {name: fake, provider: openai-compatible, model: bench, baseUrl: "http://127.0.0.1:$UP_PORT/v1"}
  guardrails: {input: [{name: content-policy}], output: [{name: content-policy}]}
---
# The same upstream behind an exact response cache (the cache rows: hits vs bypassed misses).
apiVersion: portcullis.dev/v1alpha1
kind: LLMRoute
metadata: {name: bench-cached}
spec:
  model: bench-cached
  targets:
    - {name: fake, provider: openai-compatible, model: bench, baseUrl: "http://127.0.0.1:$UP_PORT/v1"}
  cache: {mode: Exact, ttl: 1h}
---
apiVersion: v1
kind: Secret
metadata: {name: upstream}
stringData: {apiKey: sk-fake-upstream}
---
apiVersion: v1
kind: Secret
metadata: {name: bench-key}
stringData: {apiKey: $KEY}
---
apiVersion: portcullis.dev/v1alpha1
kind: VirtualKey
metadata: {name: bench}
spec:
  secretName: bench-key
  # Limits on but never reached, so every request pays for the check (and the token count):
  # one reserve and one settle in the limit store per request.
  limits: {requestsPerMinute: 1000000000, tokensPerMinute: 2000000000, maxConcurrent: 100000}
  budget: {amountUSD: "1000000", period: Monthly, action: Block}
YAML

# The guardrails example's policies, as they are.
cp examples/guardrails/policies.yaml "$WORK/manifests/policies.yaml"

wait_http() { for _ in $(seq 1 200); do curl -sf -o /dev/null "$1" && return 0; sleep 0.05; done; echo "timeout waiting for $1" >&2; return 1; }
# Starts a gateway on the bench manifests in the background, its output in $WORK/LOG.log, and waits
# until it is ready; its PID goes to the variable named first.
#   start_gateway PID_VAR PORT ADMIN_PORT JAR "JVM OPTIONS" LOG [GATEWAY FLAG...]
start_gateway() {
  local var=$1 port=$2 admin=$3 jar=$4 jvm=$5 log=$6
  shift 6
  # shellcheck disable=SC2086
  java $jvm -jar "$jar" --manifests "$WORK/manifests" --host 127.0.0.1 --port "$port" \
    --admin-port "$admin" "$@" > "$WORK/$log.log" 2>&1 &
  printf -v "$var" '%s' "$!"
  PIDS+=($!)
  wait_http "http://127.0.0.1:$admin/readyz"
}
# The second gateway "B" of an A/B in one run (--plain, --streams): another build (BENCH_B_JAR, with
# its libs/ beside it), other JVM options (BENCH_B_JVM) or other flags (BENCH_B_FLAGS); started once.
b_wanted() { [[ -n "${BENCH_B_JAR:-}${BENCH_B_FLAGS:-}${BENCH_B_JVM:-}" ]]; }
start_b_gateway() {
  # shellcheck disable=SC2086
  [[ -n "${GW_B_PID:-}" ]] || start_gateway GW_B_PID "$GW_B_PORT" "$ADMIN_B_PORT" "${BENCH_B_JAR:-$JAR}" \
    "$GW_HEAP ${BENCH_B_JVM:-}" gateway-b ${BENCH_B_FLAGS:-}
}

# ---- Connection scale: slow streams and idle connections ------------------------------------
# Each row starts a gateway of its own with the scale flags ($SCALE_JVM $SCALE_FLAGS), samples its
# resident memory (VmRSS from /proc every second; VmHWM at the end) and, at the plateau, its live
# heap after one full collection (jcmd GC.run, then GC.heap_info), and stops it.
declare -A SCALE
jget() { sed -E "s/.*\"$2\":([0-9.]+).*/\1/" <<<"$1"; }
raise_open_files() { # each stream holds a client and an upstream socket in the gateway
  local want=$1 hard
  hard=$(ulimit -Hn)
  if [[ $hard != unlimited && $hard -lt $want ]]; then
    echo "open files: hard limit $hard < $want needed; the row will fail (raise it)" >&2
  fi
  ulimit -n "$hard" 2>/dev/null || true
}
start_scale_gateway() { # log-name
  # shellcheck disable=SC2086
  start_gateway SCALE_PID "$GW_SCALE_PORT" "$ADMIN_SCALE_PORT" "$JAR" "$SCALE_JVM" "$1" --access-log off $SCALE_FLAGS
}
stop_scale_gateway() { kill "$SCALE_PID" 2>/dev/null || true; wait "$SCALE_PID" 2>/dev/null || true; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
# KiB of heap in use after a full collection (what the open connections keep alive).
live_heap_kb() {
  jcmd "$1" GC.run >/dev/null 2>&1 || true
  jcmd "$1" GC.heap_info 2>/dev/null | awk '/garbage-first heap|PSYoungGen|def new generation|total [0-9]+K, used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub(/K,?/, "", v); print v; exit } }'
}
open_fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }
sample_rss() { # pid file: VmRSS every second until the pid is gone or the file is removed
  while [[ -f $2 ]] && kill -0 "$1" 2>/dev/null; do rss_kb "$1" >> "$2"; sleep 1; done
}
max_of() { sort -n "$1" | tail -n1; }
raise_open_files $(( 2 * SLOW_STREAMS + 1000 )) # before the fake upstream starts: it holds them too

slow_streams_run() {
  raise_open_files $(( 2 * SLOW_STREAMS + 1000 ))
  start_scale_gateway gateway-slow
  local samples="$WORK/slow-rss.txt" plateau=$(( SLOW_RAMP + (SLOW_TOKENS - SLOW_RAMP) / 2 )) out
  SCALE[slow-rss-start]=$(rss_kb "$SCALE_PID")
  local cpu_before; cpu_before=$(cpu_seconds "$SCALE_PID")
  : > "$samples"; sample_rss "$SCALE_PID" "$samples" &
  local sampler=$!
  # Every worker opens exactly one stream; they start evenly over the ramp, so all of them are
  # open from the end of the ramp until the first ones finish. (--duration only has to outlast the
  # ramp: a worker late to start on a loaded machine still sends its one request.)
  java -Xms1g -Xmx1g -jar "$TESTKIT_JAR" load --concurrency "$SLOW_STREAMS" --requests-per-connection 1 \
    --duration "$SLOW_TOKENS" --ramp "$SLOW_RAMP" --stream --stall 3000 --key "$KEY" \
    --url "http://127.0.0.1:$GW_SCALE_PORT/v1/chat/completions" \
    --body '{"model":"bench-slow","stream":true,"messages":[{"role":"user","content":"stream slowly"}]}' \
    > "$WORK/slow-load.json" 2> "$WORK/slow-load.err" &
  # (the load generator prints why requests failed, if any, on stderr: shown below)
  local loader=$!
  sleep "$plateau"
  SCALE[slow-fds]=$(open_fds "$SCALE_PID")
  SCALE[slow-heap-live]=$(live_heap_kb "$SCALE_PID")
  wait "$loader" || true
  out=$(cat "$WORK/slow-load.json")
  rm -f "$samples.stop"; kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  SCALE[slow-rss-peak]=$(max_of "$samples")
  SCALE[slow-hwm]=$(hwm_kb "$SCALE_PID")
  SCALE[slow-cpu]=$(awk -v a="$cpu_before" -v b="$(cpu_seconds "$SCALE_PID")" 'BEGIN {printf "%.1f", b - a}')
  SCALE[slow-completed]=$(jget "$out" requests)
  SCALE[slow-errors]=$(jget "$out" errors)
  SCALE[slow-stalls]=$(jget "$out" stalls)
  SCALE[slow-ttft-p50]=$(jget "$out" ttft_p50_us)
  SCALE[slow-ttft-p99]=$(jget "$out" ttft_p99_us)
  SCALE[slow-seconds]=$(jget "$out" seconds)
  SCALE[slow-died]=$(kill -0 "$SCALE_PID" 2>/dev/null && echo no || echo yes)
  echo "slow streams: $out; gateway fds at plateau ${SCALE[slow-fds]}, live heap ${SCALE[slow-heap-live]} KiB, peak RSS ${SCALE[slow-rss-peak]} KiB (VmHWM ${SCALE[slow-hwm]} KiB), gateway CPU ${SCALE[slow-cpu]} s" >&2
  grep -v '^WARNING' "$WORK/slow-load.err" | head -n 10 >&2 || true
  grep -iE "outofmemory|exception" "$WORK/gateway-slow.log" | sort | uniq -c | sort -rn | head -n 5 >&2 || true
  stop_scale_gateway
}

idle_connections_run() {
  raise_open_files $(( IDLE_CONNECTIONS + 1000 ))
  start_scale_gateway gateway-idle
  # Warm the path once, then the baseline: the gateway with no client connection.
  curl -sf -o /dev/null -H "authorization: Bearer $KEY" "http://127.0.0.1:$GW_SCALE_PORT/v1/models"
  SCALE[idle-heap-before]=$(live_heap_kb "$SCALE_PID")
  sleep 1
  SCALE[idle-rss-before]=$(rss_kb "$SCALE_PID")
  # Each connection sends one request, reads its answer and then holds the connection open,
  # idle, for --hold seconds (under the gateway's 60 s idle timeout).
  java -Xmx512m -jar "$TESTKIT_JAR" idle --connections "$IDLE_CONNECTIONS" --hold 20 --key "$KEY" \
    --url "http://127.0.0.1:$GW_SCALE_PORT/v1/models" > "$WORK/idle.json" 2> "$WORK/idle.err" &
  local holder=$!
  # Measured once all are open and answered (the holder prints when they are).
  for _ in $(seq 1 120); do grep -q opened "$WORK/idle.err" 2>/dev/null && break; sleep 0.5; done
  sleep 2
  SCALE[idle-fds]=$(open_fds "$SCALE_PID")
  SCALE[idle-rss-during]=$(rss_kb "$SCALE_PID")
  SCALE[idle-heap-during]=$(live_heap_kb "$SCALE_PID")
  sleep 1
  SCALE[idle-rss-during-gc]=$(rss_kb "$SCALE_PID")
  wait "$holder" || true
  SCALE[idle-result]=$(cat "$WORK/idle.json")
  SCALE[idle-answered]=$(jget "${SCALE[idle-result]}" answered)
  local n=${SCALE[idle-answered]}
  [[ $n -gt 0 ]] || n=1
  SCALE[idle-rss-per]=$(( (SCALE[idle-rss-during] - SCALE[idle-rss-before]) * 1024 / n ))
  SCALE[idle-heap-per]=$(( (SCALE[idle-heap-during] - SCALE[idle-heap-before]) * 1024 / n ))
  echo "idle connections: ${SCALE[idle-result]}; gateway fds ${SCALE[idle-fds]}, RSS ${SCALE[idle-rss-before]} -> ${SCALE[idle-rss-during]} KiB (${SCALE[idle-rss-per]} B each), live heap ${SCALE[idle-heap-before]} -> ${SCALE[idle-heap-during]} KiB (${SCALE[idle-heap-per]} B each)" >&2
  stop_scale_gateway
}

slow_streams_table() {
  echo "## Connection scale: $SLOW_STREAMS concurrent slow streams (1 token/s, $SLOW_TOKENS tokens)"
  echo
  echo "A gateway of its own, started with \`$SCALE_JVM $SCALE_FLAGS\`; each of $SLOW_STREAMS clients opens one SSE stream (they start evenly over ${SLOW_RAMP}s, so all are open together until the first ends), $SLOW_TOKENS tokens at 1 token/s from the fake upstream: the gateway holds $SLOW_STREAMS client and $SLOW_STREAMS upstream connections at once. Peak RSS is the highest of VmRSS sampled every second (and VmHWM); live heap is measured once at the plateau after a full collection."
  echo
  echo "| streams | completed | errors | stalls (gap > 3 s) | TTFT p50 µs | TTFT p99 µs | gateway fds at plateau | live heap at plateau MiB | peak RSS MiB | VmHWM MiB | gateway CPU s |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  echo "| $SLOW_STREAMS | ${SCALE[slow-completed]} | ${SCALE[slow-errors]} | ${SCALE[slow-stalls]} | ${SCALE[slow-ttft-p50]} | ${SCALE[slow-ttft-p99]} | ${SCALE[slow-fds]} | $(( ${SCALE[slow-heap-live]:-0} / 1024 )) | $(( ${SCALE[slow-rss-peak]:-0} / 1024 )) | $(( ${SCALE[slow-hwm]:-0} / 1024 )) | ${SCALE[slow-cpu]} |"
  echo
}

idle_connections_table() {
  echo "## Connection scale: $IDLE_CONNECTIONS idle keep-alive connections"
  echo
  echo "A gateway of its own (\`$SCALE_JVM $SCALE_FLAGS\`); each connection sends one \`GET /v1/models\`, reads the answer and stays open, idle. Differences against the same gateway with no connection open, divided by the connections answered; heap after a full collection."
  echo
  echo "| connections answered | gateway fds | RSS before → with them MiB | RSS per connection | live heap before → with them KiB | live heap per connection |"
  echo "|---|---|---|---|---|---|"
  echo "| ${SCALE[idle-answered]} | ${SCALE[idle-fds]} | $(( SCALE[idle-rss-before] / 1024 )) → $(( SCALE[idle-rss-during] / 1024 )) | ${SCALE[idle-rss-per]} B | ${SCALE[idle-heap-before]} → ${SCALE[idle-heap-during]} | ${SCALE[idle-heap-per]} B |"
  echo
}
# ----------------------------------------------------------------------------------------------

java -Xms256m -Xmx512m -jar "$TESTKIT_JAR" fake-upstream --port $UP_PORT > "$WORK/fake.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$UP_PORT/v1/models"

if [[ -n $SCALE_ONLY ]]; then
  if [[ $SCALE_ONLY == slow-streams ]]; then slow_streams_run; slow_streams_table; else idle_connections_run; idle_connections_table; fi
  exit 0
fi

START_NS=$(date +%s%N)
# shellcheck disable=SC2086
# BENCH_GW_FLAGS: extra gateway flags (e.g. --access-log off, to split the telemetry pair's cost).
java $GW_HEAP ${BENCH_GW_JVM:-} -jar "$JAR" --manifests "$WORK/manifests" --host 127.0.0.1 --port $GW_PORT --admin-port $ADMIN_PORT ${BENCH_GW_FLAGS:-} > "$WORK/gateway.log" 2>&1 &
GW_PID=$!; PIDS+=($GW_PID)
for _ in $(seq 1 400); do curl -sf -o /dev/null "http://127.0.0.1:$ADMIN_PORT/readyz" && break; sleep 0.01; done
READY_MS=$(( ($(date +%s%N) - START_NS) / 1000000 ))

if $SMOKE; then
  wait_http "http://127.0.0.1:$ADMIN_PORT/readyz"
  echo "gateway ready in ${READY_MS} ms; 3 s of 8 streams through it:" >&2
  java -Xmx256m -jar "$TESTKIT_JAR" load --concurrency 8 --duration 3 --stream --key "$KEY" \
    --url "http://127.0.0.1:$GW_PORT/v1/chat/completions" \
    --body '{"model":"bench-stream","stream":true,"messages":[{"role":"user","content":"stream"}]}'
  exit $?
fi

NGINX=false
if ! $GUARDRAILS_ONLY && command -v nginx >/dev/null; then
  mkdir -p "$WORK/nginx"
  cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx; uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  upstream fake { server 127.0.0.1:$UP_PORT; keepalive 256; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { proxy_pass http://fake; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
  }
}
CONF
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
  NGINX_PID=$!; PIDS+=($NGINX_PID); NGINX=true
  wait_http "http://127.0.0.1:$NGINX_PORT/v1/models"
fi

# --- Streams (issue 18): direct, nginx (proxy_buffering off) and the gateway, same load ---------
# $STREAMS concurrent SSE streams, 40 tokens at 20 tokens/s each, from the same fake upstream.
# stream_rows runs them, stream_table writes the rows (into BENCHMARKS.md on a full run, printed
# with --streams).
STREAM_BODY_DIRECT='{"model":"bench;tps=20;tokens=40","stream":true,"messages":[{"role":"user","content":"stream"}]}'
STREAM_BODY_GW='{"model":"bench-stream","stream":true,"messages":[{"role":"user","content":"stream"}]}'
STREAM_BODY_X='{"model":"bench-stream-translated","stream":true,"messages":[{"role":"user","content":"stream"}]}'
load_streams() { java -Xmx512m -jar "$TESTKIT_JAR" load --stream --key "$KEY" "$@"; }
declare -A SJ SCPU
# CPU time (utime+stime, clock ticks) of the given processes
ticks_of() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) )); done; echo "$t"; }
stream_row() { # name url body [pids whose CPU time per completed stream is reported]
  local name=$1 url=$2 body=$3 before after n began
  shift 3
  # BENCH_STREAM_ROWS: only these rows (names as in stream_rows), for quick comparisons.
  [[ -z "${BENCH_STREAM_ROWS:-}" || " $BENCH_STREAM_ROWS " == *" $name "* ]] || return 0
  began=$(date -u +%H:%M:%S)
  before=$(ticks_of "$@")
  SJ[$name]=$(load_streams --concurrency "$STREAMS" --duration "$DURATION" --ramp "$STREAM_RAMP" --url "$url" --body "$body" || true)
  after=$(ticks_of "$@")
  n=$(sget "$name" requests)
  if (( $# > 0 && n > 0 )); then
    SCPU[$name]=$(awk -v t=$(( after - before )) -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.2f", t * 1000 / hz / n }')
  fi
  echo "streams $name ($began to $(date -u +%H:%M:%S) UTC): ${SJ[$name]} cpu_ms_per_stream=${SCPU[$name]:-}" >&2
}
# Unmeasured: a gateway's stream paths are compiled before its rows.
warm_streams() { # url
  load_streams --concurrency 200 --duration "${BENCH_WARMUP:-5}" --ramp 1 --url "$1" --body "$STREAM_BODY_GW" > /dev/null || true
  load_streams --concurrency 100 --duration "${BENCH_WARMUP:-5}" --ramp 1 --url "$1" --body "$STREAM_BODY_X" > /dev/null || true
}
STREAM_AB=false
stream_rows() {
  local gw="http://127.0.0.1:$GW_PORT/v1/chat/completions" gwb="http://127.0.0.1:$GW_B_PORT/v1/chat/completions"
  if b_wanted; then
    start_b_gateway
    STREAM_AB=true
  fi
  warm_streams "$gw"
  if $STREAM_AB; then warm_streams "$gwb"; fi
  stream_row direct "http://127.0.0.1:$UP_PORT/v1/chat/completions" "$STREAM_BODY_DIRECT"
  # nginx's CPU: its worker processes (the master only accepts signals).
  # shellcheck disable=SC2046
  if $NGINX; then stream_row nginx "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" "$STREAM_BODY_DIRECT" $(pgrep -P "$NGINX_PID"); fi
  stream_row gateway "$gw" "$STREAM_BODY_GW" "$GW_PID"
  if $STREAM_AB; then
    stream_row gateway-b "$gwb" "$STREAM_BODY_GW" "$GW_B_PID"
    stream_row gateway-b2 "$gwb" "$STREAM_BODY_GW" "$GW_B_PID"
    stream_row gateway2 "$gw" "$STREAM_BODY_GW" "$GW_PID"
  fi
  stream_row translated "$gw" "$STREAM_BODY_X" "$GW_PID"
}
jget() { sed -E "s/.*\"$2\":([0-9.]+).*/\1/" <<<"$1"; }
# A row's field as an integer (µs, counts); 0 when the row has no such field.
sget() { local v; v=$(jget "${SJ[$1]:-}" "$2" | cut -d. -f1); [[ "$v" =~ ^[0-9]+$ ]] && echo "$v" || echo 0; }
times_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a/b; else print "n/a" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100*a/b; else print "n/a" }'; }
stream_table() {
  local p label added50 added99 g50 g99 n50 n99
  echo "## Streaming: $STREAMS concurrent SSE streams, 40 tokens at 20 tokens/s each"
  echo
  echo "Closed loop, ${DURATION}s per row; the $STREAMS workers start evenly over ${STREAM_RAMP}s (one stream's length), then each opens its next stream as soon as one ends. The same fake upstream for every row; nginx is a plain reverse proxy with \`proxy_buffering off\`. The gateway's stream paths were warmed up first (${BENCH_WARMUP:-5}s each, unmeasured)."
  echo
  echo "| path | streams completed | errors | stalls (gap > 2 s) | TTFT p50 µs | TTFT p99 µs | added TTFT p50 µs | added TTFT p99 µs | proxy CPU ms per stream |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for p in direct nginx gateway gateway-b gateway-b2 gateway2 translated; do
    [[ -n "${SJ[$p]:-}" ]] || continue
    case $p in
      direct) label="direct" ;;
      nginx) label="nginx (proxy_buffering off)" ;;
      gateway) label="gateway (same format)" ;;
      gateway2) label="gateway (same format), again" ;;
      gateway-b|gateway-b2) label="gateway B (same format)" ;;
      translated) label="gateway (OpenAI → Anthropic)" ;;
    esac
    added50=""; added99=""
    if [[ $p != direct ]]; then
      added50=$(( $(sget "$p" ttft_p50_us) - $(sget direct ttft_p50_us) ))
      added99=$(( $(sget "$p" ttft_p99_us) - $(sget direct ttft_p99_us) ))
    fi
    echo "| $label | $(sget "$p" requests) | $(sget "$p" errors) | $(sget "$p" stalls) | $(sget "$p" ttft_p50_us) | $(sget "$p" ttft_p99_us) | $added50 | $added99 | ${SCPU[$p]:-} |"
  done
  echo
  if [[ -n "${SJ[nginx]:-}" ]]; then
    g50=$(( $(sget gateway ttft_p50_us) - $(sget direct ttft_p50_us) )); n50=$(( $(sget nginx ttft_p50_us) - $(sget direct ttft_p50_us) ))
    g99=$(( $(sget gateway ttft_p99_us) - $(sget direct ttft_p99_us) )); n99=$(( $(sget nginx ttft_p99_us) - $(sget direct ttft_p99_us) ))
    echo "Added time to first token, gateway (same format) vs nginx: p50 $g50 µs vs $n50 µs ($(times_ratio "$g50" "$n50") nginx's; target ≤ 2×), p99 $g99 µs vs $n99 µs ($(times_ratio "$g99" "$n99"); target ≤ 2×)."
    echo "Streams completed, gateway ÷ nginx: $(ratio "$(sget gateway requests)" "$(sget nginx requests)") (target ≥ 95%). Proxy CPU per stream (utime+stime of the gateway's process, of nginx's workers, over the row ÷ streams completed), gateway ÷ nginx: $(times_ratio "${SCPU[gateway]:-0}" "${SCPU[nginx]:-0}")."
  else
    echo "nginx is not installed here, so there is no nginx row to compare with."
  fi
  echo
}

if $STREAMS_ONLY; then
  stream_rows
  stream_table
  exit 0
fi

cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
wrk.body = os.getenv("BODY")
LUA

BODY_PLAIN='{"model":"bench","messages":[{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":16}'
BODY_G='{"model":"bench-guarded","messages":[{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":16}'
BODY_X='{"model":"bench-translated","messages":[{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":16}'

# us <- "1.23ms" | "850.00us" | "1.02s"
to_us() { awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) print int(n); else if (v ~ /ms$/) print int(n*1000); else if (v ~ /s$/) print int(n*1000000); else print int(n) }'; }

REDIS=false
if ensure_redis >/dev/null 2>&1 && redis_up; then REDIS=true; fi

declare -A RPS P50 P90 P99 REQS CPU_US
run_wrk() { # name url conc body
  local name=$1 url=$2 conc=$3 body=$4 out
  curl -sf -o /dev/null -X POST "$url" -H 'content-type: application/json' -H "authorization: Bearer $KEY" -d "$body" \
    || { echo "warm-up request to $url failed" >&2; exit 1; }
  out=$(BODY="$body" wrk -t "$(( conc < 2 ? 1 : 2 ))" -c "$conc" -d "${DURATION}s" --latency -s "${POST_LUA:-$WORK/post.lua}" "$url")
  if grep -q "Non-2xx" <<<"$out"; then echo "$name: non-2xx responses" >&2; grep "Non-2xx" <<<"$out" >&2; fi
  RPS[$name]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  REQS[$name]=$(awk '/requests in/ {print $1}' <<<"$out")
  P50[$name]=$(to_us "$(awk '$1=="50%" {print $2}' <<<"$out")")
  P90[$name]=$(to_us "$(awk '$1=="90%" {print $2}' <<<"$out")")
  P99[$name]=$(to_us "$(awk '$1=="99%" {print $2}' <<<"$out")")
  echo "$name: ${RPS[$name]} req/s p50=${P50[$name]}us p99=${P99[$name]}us" >&2
}

# --plain: the non-streaming rows only (issue 18's throughput and added-latency targets), with an
# optional second gateway build or flag set "B" measured in the same run, rows alternating
# A, B, B, A so that drifting load on a shared machine falls on both alike.
plain_rows() {
  local b=false c p
  if b_wanted; then
    b=true
    start_b_gateway
  fi
  local a_url="http://127.0.0.1:$GW_PORT/v1/chat/completions" b_url="http://127.0.0.1:$GW_B_PORT/v1/chat/completions"
  warm_up "$a_url" "$BODY_PLAIN"; $b && warm_up "$b_url" "$BODY_PLAIN"
  warm_up "$a_url" "$BODY_PLAIN"; $b && warm_up "$b_url" "$BODY_PLAIN"
  for c in 1 16; do
    run_wrk "direct-$c" "http://127.0.0.1:$UP_PORT/v1/chat/completions" "$c" "$BODY_PLAIN"
    $NGINX && run_wrk "nginx-$c-a" "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" "$c" "$BODY_PLAIN"
    run_wrk_cpu "A-$c-a" "$GW_PID" "$a_url" "$BODY_PLAIN" "$c"
    $b && run_wrk_cpu "B-$c-a" "$GW_B_PID" "$b_url" "$BODY_PLAIN" "$c"
    $b && run_wrk_cpu "B-$c-b" "$GW_B_PID" "$b_url" "$BODY_PLAIN" "$c"
    run_wrk_cpu "A-$c-b" "$GW_PID" "$a_url" "$BODY_PLAIN" "$c"
    $NGINX && run_wrk "nginx-$c-b" "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" "$c" "$BODY_PLAIN"
  done
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100*a/b; else print "n/a" }'; }
  echo "## Non-streaming, ${DURATION}s per row, $(nproc) cores shared (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "A: ${BENCH_GW_JVM:-} ${JAR} ${BENCH_GW_FLAGS:-}"
  $b && echo "B: ${BENCH_B_JVM:-} ${BENCH_B_JAR:-$JAR} ${BENCH_B_FLAGS:-}"
  echo
  echo "| concurrency | path | req/s (mean of 2 rows) | p50 µs | p99 µs | − direct p50 µs | ÷ nginx req/s | gateway CPU µs/request |"
  echo "|---|---|---|---|---|---|---|---|"
  for c in 1 16; do
    local nginx_rps=""
    $NGINX && nginx_rps=$(mean2 "${RPS[nginx-$c-a]}" "${RPS[nginx-$c-b]}")
    echo "| $c | direct | ${RPS[direct-$c]} | ${P50[direct-$c]} | ${P99[direct-$c]} | | | |"
    $NGINX && echo "| $c | nginx | $nginx_rps | $(mean2 "${P50[nginx-$c-a]}" "${P50[nginx-$c-b]}") | $(mean2 "${P99[nginx-$c-a]}" "${P99[nginx-$c-b]}") | | | |"
    for p in A B; do
      [[ -n "${RPS[$p-$c-a]:-}" ]] || continue
      local rps p50
      rps=$(mean2 "${RPS[$p-$c-a]}" "${RPS[$p-$c-b]}")
      p50=$(mean2 "${P50[$p-$c-a]}" "${P50[$p-$c-b]}")
      echo "| $c | gateway $p | $rps | $p50 | $(mean2 "${P99[$p-$c-a]}" "${P99[$p-$c-b]}") | $(( p50 - ${P50[direct-$c]} )) | $([[ -n $nginx_rps ]] && ratio "$rps" "$nginx_rps") | $(awk -v a="${CPU_US[$p-$c-a]}" -v b="${CPU_US[$p-$c-b]}" 'BEGIN { printf "%.1f", (a + b) / 2 }') |"
    done
  done
}

# JIT warm-up (not measured): a few seconds of the same load on each gateway path first, so the
# first rows do not measure the interpreter.
warm_up() { BODY="$2" wrk -t 2 -c 16 -d "${BENCH_WARMUP:-5}s" -s "$WORK/post.lua" "$1" > /dev/null; }
if ! $PLAIN; then
  warm_up "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$BODY_PLAIN"
  warm_up "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$BODY_X"
  warm_up "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$BODY_G"
fi

# Telemetry on (the default: per-request metrics, access log to stdout; no OTLP exporter) against
# the same build with both off (--access-log off --request-metrics false), alternating rows at
# concurrency 16 on one machine. Besides req/s, the gateway's CPU time per request (utime+stime of
# its process over the row, divided by the requests wrk completed) is less sensitive to other
# load on a shared machine than throughput is.
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run_wrk_cpu() { # name pid url [body] [concurrency, 16]
  local before after
  before=$(cpu_ticks "$2")
  run_wrk "$1" "$3" "${5:-16}" "${4:-$BODY_PLAIN}"
  after=$(cpu_ticks "$2")
  CPU_US[$1]=$(awk -v t=$(( after - before )) -v hz="$CLK_TCK" -v n="${REQS[$1]}" 'BEGIN { printf "%.0f", t * 1000000 / hz / n }')
  echo "$1: gateway CPU ${CPU_US[$1]} us per request" >&2
}
telemetry_pair() {
  start_gateway GW_OFF_PID "$GW_OFF_PORT" "$ADMIN_OFF_PORT" "$JAR" "$GW_HEAP" gateway-off \
    --access-log off --request-metrics false
  warm_up "http://127.0.0.1:$GW_OFF_PORT/v1/chat/completions" "$BODY_PLAIN"
  if [[ -n "${BENCH_TELEMETRY_BASELINE_JAR:-}" ]]; then
    # Another build (e.g. the previous commit's jar) with telemetry on, in the same run.
    start_gateway GW_BASE_PID "$GW_BASE_PORT" "$ADMIN_BASE_PORT" "$BENCH_TELEMETRY_BASELINE_JAR" \
      "$GW_HEAP" gateway-baseline
    warm_up "http://127.0.0.1:$GW_BASE_PORT/v1/chat/completions" "$BODY_PLAIN"
  fi
  run_wrk_cpu telemetry-on-a "$GW_PID" "http://127.0.0.1:$GW_PORT/v1/chat/completions"
  baseline_row telemetry-baseline-a
  run_wrk_cpu telemetry-off-a "$GW_OFF_PID" "http://127.0.0.1:$GW_OFF_PORT/v1/chat/completions"
  run_wrk_cpu telemetry-off-b "$GW_OFF_PID" "http://127.0.0.1:$GW_OFF_PORT/v1/chat/completions"
  baseline_row telemetry-baseline-b
  run_wrk_cpu telemetry-on-b "$GW_PID" "http://127.0.0.1:$GW_PORT/v1/chat/completions"
  kill "$GW_OFF_PID"; wait "$GW_OFF_PID" 2>/dev/null || true
  if [[ -n "${GW_BASE_PID:-}" ]]; then kill "$GW_BASE_PID"; wait "$GW_BASE_PID" 2>/dev/null || true; fi
}
GW_BASE_PORT=$((18085 + O)); ADMIN_BASE_PORT=$((19095 + O))
baseline_row() {
  if [[ -n "${GW_BASE_PID:-}" ]]; then
    run_wrk_cpu "$1" "$GW_BASE_PID" "http://127.0.0.1:$GW_BASE_PORT/v1/chat/completions"
  fi
}
mean2() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (a + b) / 2 }'; }
if $PLAIN; then
  plain_rows
  exit 0
fi
telemetry_table() {
  local on off
  on=$(mean2 "${RPS[telemetry-on-a]}" "${RPS[telemetry-on-b]}")
  off=$(mean2 "${RPS[telemetry-off-a]}" "${RPS[telemetry-off-b]}")
  echo "## Telemetry cost: concurrency 16, non-streaming"
  echo
  echo "The same gateway build twice in this run: telemetry on (the default: per-request metrics and the JSON access log to stdout, redirected to a file; no OTLP exporter) and off (\`--access-log off --request-metrics false\`); rows alternate on, off, off, on, ${DURATION}s each."
  echo
  echo "| telemetry | req/s (mean of 2 rows) | p50 µs | p99 µs | gateway CPU µs per request |"
  echo "|---|---|---|---|---|"
  echo "| on | $on | $(mean2 "${P50[telemetry-on-a]}" "${P50[telemetry-on-b]}") | $(mean2 "${P99[telemetry-on-a]}" "${P99[telemetry-on-b]}") | $(mean2 "${CPU_US[telemetry-on-a]}" "${CPU_US[telemetry-on-b]}") |"
  echo "| off | $off | $(mean2 "${P50[telemetry-off-a]}" "${P50[telemetry-off-b]}") | $(mean2 "${P99[telemetry-off-a]}" "${P99[telemetry-off-b]}") | $(mean2 "${CPU_US[telemetry-off-a]}" "${CPU_US[telemetry-off-b]}") |"
  if [[ -n "${GW_BASE_PID:-}" ]]; then
    local base
    base=$(mean2 "${RPS[telemetry-baseline-a]}" "${RPS[telemetry-baseline-b]}")
    echo "| on, baseline build ($BENCH_TELEMETRY_BASELINE_JAR) | $base | $(mean2 "${P50[telemetry-baseline-a]}" "${P50[telemetry-baseline-b]}") | $(mean2 "${P99[telemetry-baseline-a]}" "${P99[telemetry-baseline-b]}") | $(mean2 "${CPU_US[telemetry-baseline-a]}" "${CPU_US[telemetry-baseline-b]}") |"
    echo
    echo "Throughput of the baseline build with telemetry on: $(ratio "$base" "$off") of off."
  fi
  echo
  echo "Throughput with telemetry on: $(ratio "$on" "$off") of off."
}

# Response cache: one route with an exact cache, the same body every request. Hits are answered
# from the gateway's in-process cache without an upstream call; the misses are the same route with
# `x-portcullis-cache: bypass` (key, lookup header and upstream call, nothing read or stored).
# Rows alternate hit, miss, miss, hit at concurrency 16 (target: hits >= 1.5x misses' req/s), then
# one hit row at concurrency 1 for a hit's p50.
BODY_CACHED='{"model":"bench-cached","messages":[{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":16}'
cache_pair() {
  cat > "$WORK/bypass.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
wrk.headers["x-portcullis-cache"] = "bypass"
wrk.body = os.getenv("BODY")
LUA
  local url="http://127.0.0.1:$GW_PORT/v1/chat/completions" hdr
  # The first request stores the entry; every later one (without bypass) is a hit.
  hdr=$(curl -s -D - -o /dev/null -X POST "$url" -H 'content-type: application/json' -H "authorization: Bearer $KEY" -d "$BODY_CACHED" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-portcullis-cache" {print $2}')
  echo "cache: first request $hdr" >&2
  warm_up "$url" "$BODY_CACHED"
  BODY="$BODY_CACHED" wrk -t 2 -c 16 -d "${BENCH_WARMUP:-5}s" -s "$WORK/bypass.lua" "$url" > /dev/null
  hdr=$(curl -s -D - -o /dev/null -X POST "$url" -H 'content-type: application/json' -H "authorization: Bearer $KEY" -d "$BODY_CACHED" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-portcullis-cache" {print $2}')
  [[ $hdr == HIT ]] || { echo "cache: expected a HIT, got '$hdr'" >&2; exit 1; }
  run_wrk cache-hit-a "$url" 16 "$BODY_CACHED"
  POST_LUA="$WORK/bypass.lua" run_wrk cache-miss-a "$url" 16 "$BODY_CACHED"
  POST_LUA="$WORK/bypass.lua" run_wrk cache-miss-b "$url" 16 "$BODY_CACHED"
  run_wrk cache-hit-b "$url" 16 "$BODY_CACHED"
  run_wrk cache-hit-1 "$url" 1 "$BODY_CACHED"
  POST_LUA="$WORK/bypass.lua" run_wrk cache-miss-1 "$url" 1 "$BODY_CACHED"
}
cache_table() {
  local hit miss
  hit=$(mean2 "${RPS[cache-hit-a]}" "${RPS[cache-hit-b]}")
  miss=$(mean2 "${RPS[cache-miss-a]}" "${RPS[cache-miss-b]}")
  echo "## Response cache: exact hits vs misses on one route"
  echo
  echo "One route with \`cache: {mode: Exact}\`, the same body every request, the gateway's in-process cache. Hit rows are answered from the cache (no upstream call); miss rows send \`x-portcullis-cache: bypass\` (the fake upstream answers at once, so a miss here costs only the gateway's and the upstream's own work). Rows at concurrency 16 alternate hit, miss, miss, hit, ${DURATION}s each; then one row each at concurrency 1."
  echo
  echo "| concurrency | path | req/s | p50 µs | p99 µs |"
  echo "|---|---|---|---|---|"
  echo "| 16 | hit (mean of 2 rows) | $hit | $(mean2 "${P50[cache-hit-a]}" "${P50[cache-hit-b]}") | $(mean2 "${P99[cache-hit-a]}" "${P99[cache-hit-b]}") |"
  echo "| 16 | miss, bypass (mean of 2 rows) | $miss | $(mean2 "${P50[cache-miss-a]}" "${P50[cache-miss-b]}") | $(mean2 "${P99[cache-miss-a]}" "${P99[cache-miss-b]}") |"
  echo "| 1 | hit | ${RPS[cache-hit-1]} | ${P50[cache-hit-1]} | ${P99[cache-hit-1]} |"
  echo "| 1 | miss, bypass | ${RPS[cache-miss-1]} | ${P50[cache-miss-1]} | ${P99[cache-miss-1]} |"
  echo
  echo "Hits: $(ratio_x "$hit" "$miss") the misses' throughput at concurrency 16 (target: 1.5x)."
  echo
}
ratio_x() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a/b; else print "n/a" }'; }

if $CACHE_ONLY; then
  cache_pair
  cache_table
  exit 0
fi

if $TELEMETRY_ONLY; then
  telemetry_pair
  telemetry_table
  exit 0
fi

# --guardrails: the guarded route against the same upstream without a policy, alternating
# unguarded, guarded, guarded, unguarded at concurrency 16 on the one gateway, with the gateway's CPU
# time per request (less sensitive than req/s to other load on a shared machine).
guardrails_pair() {
  local url="http://127.0.0.1:$GW_PORT/v1/chat/completions"
  run_wrk_cpu unguarded-16-a "$GW_PID" "$url" "$BODY_PLAIN"
  run_wrk_cpu guarded-16-a "$GW_PID" "$url" "$BODY_G"
  run_wrk_cpu guarded-16-b "$GW_PID" "$url" "$BODY_G"
  run_wrk_cpu unguarded-16-b "$GW_PID" "$url" "$BODY_PLAIN"
}
guardrails_table() {
  local on off
  on=$(mean2 "${RPS[guarded-16-a]}" "${RPS[guarded-16-b]}")
  off=$(mean2 "${RPS[unguarded-16-a]}" "${RPS[unguarded-16-b]}")
  echo "## Guardrails: concurrency 16, non-streaming (rows unguarded, guarded, guarded, unguarded; ${DURATION}s each)"
  echo
  echo "| route | req/s (mean of 2 rows) | p50 µs | p99 µs | gateway CPU µs per request |"
  echo "|---|---|---|---|---|"
  echo "| no policy | $off | $(mean2 "${P50[unguarded-16-a]}" "${P50[unguarded-16-b]}") | $(mean2 "${P99[unguarded-16-a]}" "${P99[unguarded-16-b]}") | $(mean2 "${CPU_US[unguarded-16-a]}" "${CPU_US[unguarded-16-b]}") |"
  echo "| content-policy in and out | $on | $(mean2 "${P50[guarded-16-a]}" "${P50[guarded-16-b]}") | $(mean2 "${P99[guarded-16-a]}" "${P99[guarded-16-b]}") | $(mean2 "${CPU_US[guarded-16-a]}" "${CPU_US[guarded-16-b]}") |"
  echo
  echo "Guarded throughput: $(ratio "$on" "$off") of unguarded (target: at least 80%)."
}

if $GUARDRAILS_ONLY; then
  guardrails_pair
  guardrails_table
  exit 0
fi

CONCS=(1 16 64)
for c in "${CONCS[@]}"; do
  run_wrk "direct-$c" "http://127.0.0.1:$UP_PORT/v1/chat/completions" "$c" "$BODY_PLAIN"
  $NGINX && run_wrk "nginx-$c" "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" "$c" "$BODY_PLAIN"
  run_wrk "gateway-$c" "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$c" "$BODY_PLAIN"
  run_wrk "translated-$c" "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$c" "$BODY_X"
done
# Guardrails: the example's content-policy on input and output, at concurrency 16, alternating with
# the same route without it (target: at least 80% of its throughput).
guardrails_pair

# The same gateway with its limits in Redis (one Lua round trip to reserve, one to settle): started
# only for these rows, so it takes no CPU or memory from the others.
if $REDIS; then
  start_gateway GW_REDIS_PID "$GW_REDIS_PORT" "$ADMIN_REDIS_PORT" "$JAR" "$GW_HEAP" gateway-redis \
    --redis redis://127.0.0.1:6379
  warm_up "http://127.0.0.1:$GW_REDIS_PORT/v1/chat/completions" "$BODY_PLAIN"
  for c in "${CONCS[@]}"; do
    run_wrk "redis-$c" "http://127.0.0.1:$GW_REDIS_PORT/v1/chat/completions" "$c" "$BODY_PLAIN"
  done
  kill "$GW_REDIS_PID"; wait "$GW_REDIS_PID" 2>/dev/null || true
fi

telemetry_pair
cache_pair

stream_rows
slow_streams_run
idle_connections_run
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$GW_PID/status")

{
  echo "# Benchmarks"
  echo
  echo "Reproduce: \`bash gateway-runtime/bench/run.sh\` (one run; all numbers below come from the same run on the same machine)."
  echo
  echo "- Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load generator, upstream, nginx and gateway share it."
  echo "- JDK: $(java -version 2>&1 | head -n1)"
  echo "- Gateway JVM flags: \`$GW_HEAP\`; standalone mode, virtual-key auth and routing on; the key has rate, token and concurrency limits and a budget (never reached), kept in process (in Redis for the Redis rows)."
  echo "- Load: wrk (closed loop, ${DURATION}s per row, \`--latency\`) after ${BENCH_WARMUP:-5}s of unmeasured warm-up per gateway path; body ~120 bytes, the fake upstream answers at once."
  echo "- Date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "## Non-streaming chat completions"
  echo
  echo "| concurrency | path | req/s | p50 µs | p90 µs | p99 µs | gateway ÷ nginx req/s | gateway − direct p50 µs |"
  echo "|---|---|---|---|---|---|---|---|"
  for c in "${CONCS[@]}"; do
    for p in direct nginx gateway translated redis; do
      k="$p-$c"; [[ -n "${RPS[$k]:-}" ]] || continue
      extra1=""; extra2=""
      if [[ $p == gateway || $p == translated || $p == redis ]]; then
        [[ -n "${RPS[nginx-$c]:-}" ]] && extra1=$(ratio "${RPS[$k]}" "${RPS[nginx-$c]}")
        extra2=$(( ${P50[$k]} - ${P50[direct-$c]} ))
      fi
      label=$p; [[ $p == gateway ]] && label="gateway (same format)"; [[ $p == translated ]] && label="gateway (OpenAI → Anthropic)"; [[ $p == redis ]] && label="gateway (same format, limits in Redis)"
      echo "| $c | $label | ${RPS[$k]} | ${P50[$k]} | ${P90[$k]} | ${P99[$k]} | $extra1 | $extra2 |"
    done
  done
  echo
  telemetry_table
  cache_table
  guardrails_table
  echo
  stream_table
  slow_streams_table
  idle_connections_table
  echo "## Footprint"
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "| gateway peak RSS (VmHWM) over the whole run | $(( RSS_KB / 1024 )) MiB |"
  echo "| start-up to \`/readyz\` 200 (process launch → ready) | ${READY_MS} ms |"
} > "$WORK/BENCHMARKS.generated.md"

if [[ -f BENCHMARKS.md ]] && grep -q '<!-- notes -->' BENCHMARKS.md; then
  sed -n '/<!-- notes -->/,$p' BENCHMARKS.md > "$WORK/notes.md"
  cat "$WORK/BENCHMARKS.generated.md" <(echo) "$WORK/notes.md" > BENCHMARKS.md
else
  cp "$WORK/BENCHMARKS.generated.md" BENCHMARKS.md
fi
cat BENCHMARKS.md
