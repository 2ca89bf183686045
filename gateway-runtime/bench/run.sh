#!/usr/bin/env bash
# Reproduces BENCHMARKS.md: one run, one machine. Starts the fake upstream, the gateway
# (standalone, with a virtual key and routing) and nginx as a plain reverse proxy to the same
# upstream, drives the same load at each with wrk (non-streaming) and the repo's HdrHistogram
# load generator (streams), and writes the results with ratios taken in this run. The fake
# upstream and the load generator are test tooling: they run from portcullis-testkit.jar
# (gateway-runtime/testkit), not from the gateway's jar.
#   usage: bash gateway-runtime/bench/run.sh [--quick | --smoke | --telemetry | --plain | --help]
set -euo pipefail
cd "$(dirname "$0")/../.."

GATEWAY_JAR=${BENCH_A_JAR:-gateway-runtime/target/portcullis-gateway.jar}
TESTKIT_JAR=gateway-runtime/testkit/target/portcullis-testkit.jar

QUICK=false; SMOKE=false; TELEMETRY_ONLY=false; PLAIN=false
case "${1:-}" in
  --quick) QUICK=true ;;
  --plain) PLAIN=true; QUICK=true ;;
  --smoke) SMOKE=true ;;
  --telemetry) TELEMETRY_ONLY=true ;;
  -h|--help)
    cat <<USAGE
usage: bash gateway-runtime/bench/run.sh [--quick | --smoke | --telemetry | --plain]
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
Programs: $GATEWAY_JAR (the gateway, standalone)
          $TESTKIT_JAR (fake-upstream, load)
Environment: BENCH_DURATION, BENCH_STREAMS, BENCH_GW_HEAP, BENCH_STREAM_RAMP, BENCH_WARMUP,
             BENCH_GW_FLAGS (extra flags for the main gateway), BENCH_A_JVM (extra JVM flags
             for it), BENCH_A_JAR (another build's jar for it), BENCH_B_JAR, BENCH_B_FLAGS, BENCH_B_JVM (--plain's second gateway),
             BENCH_SKIP_BUILD=1 (use the jars already built), BENCH_PORT_OFFSET (added to
             every port, for two runs on one machine).
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
# BENCH_PORT_OFFSET moves every port, so that two runs on one machine do not meet.
O=${BENCH_PORT_OFFSET:-0}
UP_PORT=$((18089 + O)); GW_PORT=$((18080 + O)); ADMIN_PORT=$((19090 + O)); NGINX_PORT=$((18081 + O)); GW_REDIS_PORT=$((18082 + O)); ADMIN_REDIS_PORT=$((19092 + O))
GW_OFF_PORT=$((18083 + O)); ADMIN_OFF_PORT=$((19093 + O))
KEY=pc-bench-3f1e5c2a9b7d4e6f8a0b1c2d3e4f5a6b

if ! $SMOKE && { ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; }; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk >/dev/null
  fi
fi
$SMOKE || command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }

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

java -Xms256m -Xmx512m -jar "$TESTKIT_JAR" fake-upstream --port $UP_PORT > "$WORK/fake.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$UP_PORT/v1/models"

START_NS=$(date +%s%N)
# shellcheck disable=SC2086
# BENCH_GW_FLAGS: extra gateway flags (e.g. --access-log off, to split the telemetry pair's cost).
java $GW_HEAP ${BENCH_A_JVM:-} -jar "$JAR" --manifests "$WORK/manifests" --host 127.0.0.1 --port $GW_PORT --admin-port $ADMIN_PORT ${BENCH_GW_FLAGS:-} > "$WORK/gateway.log" 2>&1 &
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
if command -v nginx >/dev/null; then
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
  PIDS+=($!); NGINX=true
  wait_http "http://127.0.0.1:$NGINX_PORT/v1/models"
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
  out=$(BODY="$body" wrk -t "$(( conc < 2 ? 1 : 2 ))" -c "$conc" -d "${DURATION}s" --latency -s "$WORK/post.lua" "$url")
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
PLAIN_B_PORT=$((18084 + O)); PLAIN_B_ADMIN=$((19094 + O))
plain_rows() {
  local b=false c p
  if [[ -n "${BENCH_B_JAR:-}" || -n "${BENCH_B_FLAGS:-}" || -n "${BENCH_B_JVM:-}" ]]; then
    b=true
    # shellcheck disable=SC2086
    java $GW_HEAP ${BENCH_B_JVM:-} -jar "${BENCH_B_JAR:-$JAR}" --manifests "$WORK/manifests" --host 127.0.0.1 --port $PLAIN_B_PORT \
      --admin-port $PLAIN_B_ADMIN ${BENCH_B_FLAGS:-} > "$WORK/gateway-b.log" 2>&1 &
    GW_B_PID=$!; PIDS+=($GW_B_PID)
    wait_http "http://127.0.0.1:$PLAIN_B_ADMIN/readyz"
  fi
  local a_url="http://127.0.0.1:$GW_PORT/v1/chat/completions" b_url="http://127.0.0.1:$PLAIN_B_PORT/v1/chat/completions"
  warm_up "$a_url" "$BODY_PLAIN"; $b && warm_up "$b_url" "$BODY_PLAIN"
  warm_up "$a_url" "$BODY_PLAIN"; $b && warm_up "$b_url" "$BODY_PLAIN"
  plain_row() { # name pid url conc
    local before after
    before=$(cpu_ticks "$2")
    run_wrk "$1" "$3" "$4" "$BODY_PLAIN"
    after=$(cpu_ticks "$2")
    CPU_US[$1]=$(awk -v t=$(( after - before )) -v hz="$CLK_TCK" -v n="${REQS[$1]}" 'BEGIN { printf "%.1f", t * 1000000 / hz / n }')
  }
  for c in 1 16; do
    run_wrk "direct-$c" "http://127.0.0.1:$UP_PORT/v1/chat/completions" "$c" "$BODY_PLAIN"
    $NGINX && run_wrk "nginx-$c-a" "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" "$c" "$BODY_PLAIN"
    plain_row "A-$c-a" "$GW_PID" "$a_url" "$c"
    $b && plain_row "B-$c-a" "$GW_B_PID" "$b_url" "$c"
    $b && plain_row "B-$c-b" "$GW_B_PID" "$b_url" "$c"
    plain_row "A-$c-b" "$GW_PID" "$a_url" "$c"
    $NGINX && run_wrk "nginx-$c-b" "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" "$c" "$BODY_PLAIN"
  done
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100*a/b; else print "n/a" }'; }
  echo "## Non-streaming, ${DURATION}s per row, $(nproc) cores shared (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "A: ${BENCH_A_JVM:-} ${JAR} ${BENCH_GW_FLAGS:-}"
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
run_wrk_cpu() { # name pid url
  local before after
  before=$(cpu_ticks "$2")
  run_wrk "$1" "$3" 16 "$BODY_PLAIN"
  after=$(cpu_ticks "$2")
  CPU_US[$1]=$(awk -v t=$(( after - before )) -v hz="$CLK_TCK" -v n="${REQS[$1]}" 'BEGIN { printf "%.0f", t * 1000000 / hz / n }')
  echo "$1: gateway CPU ${CPU_US[$1]} us per request" >&2
}
telemetry_pair() {
  # shellcheck disable=SC2086
  java $GW_HEAP -jar "$JAR" --manifests "$WORK/manifests" --host 127.0.0.1 --port $GW_OFF_PORT \
    --admin-port $ADMIN_OFF_PORT --access-log off --request-metrics false > "$WORK/gateway-off.log" 2>&1 &
  GW_OFF_PID=$!; PIDS+=($GW_OFF_PID)
  wait_http "http://127.0.0.1:$ADMIN_OFF_PORT/readyz"
  warm_up "http://127.0.0.1:$GW_OFF_PORT/v1/chat/completions" "$BODY_PLAIN"
  run_wrk_cpu telemetry-on-a "$GW_PID" "http://127.0.0.1:$GW_PORT/v1/chat/completions"
  run_wrk_cpu telemetry-off-a "$GW_OFF_PID" "http://127.0.0.1:$GW_OFF_PORT/v1/chat/completions"
  run_wrk_cpu telemetry-off-b "$GW_OFF_PID" "http://127.0.0.1:$GW_OFF_PORT/v1/chat/completions"
  run_wrk_cpu telemetry-on-b "$GW_PID" "http://127.0.0.1:$GW_PORT/v1/chat/completions"
  kill "$GW_OFF_PID"; wait "$GW_OFF_PID" 2>/dev/null || true
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
  echo
  echo "Throughput with telemetry on: $(ratio "$on" "$off") of off."
}

if $TELEMETRY_ONLY; then
  telemetry_pair
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100*a/b; else print "n/a" }'; }
  telemetry_table
  exit 0
fi

CONCS=(1 16 64)
for c in "${CONCS[@]}"; do
  run_wrk "direct-$c" "http://127.0.0.1:$UP_PORT/v1/chat/completions" "$c" "$BODY_PLAIN"
  $NGINX && run_wrk "nginx-$c" "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" "$c" "$BODY_PLAIN"
  run_wrk "gateway-$c" "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$c" "$BODY_PLAIN"
  run_wrk "translated-$c" "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$c" "$BODY_X"
done
# Guardrails: the example's content-policy on input and output, at concurrency 16, measured right
# after the same route without it (target: at least 80% of its throughput).
run_wrk "unguarded-16" "http://127.0.0.1:$GW_PORT/v1/chat/completions" 16 "$BODY_PLAIN"
run_wrk "guarded-16" "http://127.0.0.1:$GW_PORT/v1/chat/completions" 16 "$BODY_G"

# The same gateway with its limits in Redis (one Lua round trip to reserve, one to settle): started
# only for these rows, so it takes no CPU or memory from the others.
if $REDIS; then
  # shellcheck disable=SC2086
  java $GW_HEAP -jar "$JAR" --manifests "$WORK/manifests" --host 127.0.0.1 --port $GW_REDIS_PORT \
    --admin-port $ADMIN_REDIS_PORT --redis redis://127.0.0.1:6379 > "$WORK/gateway-redis.log" 2>&1 &
  GW_REDIS_PID=$!; PIDS+=($GW_REDIS_PID)
  wait_http "http://127.0.0.1:$ADMIN_REDIS_PORT/readyz"
  warm_up "http://127.0.0.1:$GW_REDIS_PORT/v1/chat/completions" "$BODY_PLAIN"
  for c in "${CONCS[@]}"; do
    run_wrk "redis-$c" "http://127.0.0.1:$GW_REDIS_PORT/v1/chat/completions" "$c" "$BODY_PLAIN"
  done
  kill "$GW_REDIS_PID"; wait "$GW_REDIS_PID" 2>/dev/null || true
fi

telemetry_pair

STREAM_BODY_DIRECT='{"model":"bench;tps=20;tokens=40","stream":true,"messages":[{"role":"user","content":"stream"}]}'
STREAM_BODY_GW='{"model":"bench-stream","stream":true,"messages":[{"role":"user","content":"stream"}]}'
load() { java -Xmx512m -jar "$TESTKIT_JAR" load --concurrency "$STREAMS" --duration "$DURATION" --ramp "$STREAM_RAMP" --stream --key "$KEY" "$@"; }
S_DIRECT=$(load --url "http://127.0.0.1:$UP_PORT/v1/chat/completions" --body "$STREAM_BODY_DIRECT" || true)
S_GW=$(load --url "http://127.0.0.1:$GW_PORT/v1/chat/completions" --body "$STREAM_BODY_GW" || true)
echo "streams direct: $S_DIRECT" >&2
echo "streams gateway: $S_GW" >&2
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$GW_PID/status")
jget() { sed -E "s/.*\"$2\":([0-9.]+).*/\1/" <<<"$1"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100*a/b; else print "n/a" }'; }
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
  echo "## Guardrails (the examples/guardrails content-policy on input and output)"
  echo
  echo "| concurrency | path | req/s | p50 µs | p99 µs | guarded ÷ unguarded req/s |"
  echo "|---|---|---|---|---|---|"
  echo "| 16 | gateway, no policy | ${RPS[unguarded-16]} | ${P50[unguarded-16]} | ${P99[unguarded-16]} | |"
  echo "| 16 | gateway, content-policy in and out | ${RPS[guarded-16]} | ${P50[guarded-16]} | ${P99[guarded-16]} | $(ratio "${RPS[guarded-16]}" "${RPS[unguarded-16]}") |"
  echo
  echo
  echo "## Streaming: $STREAMS concurrent SSE streams, 40 tokens at 20 tokens/s each"
  echo
  echo "Closed loop, ${DURATION}s; the $STREAMS workers start evenly over ${STREAM_RAMP}s (one stream's length), then each opens its next stream as soon as one ends."
  echo
  echo "| path | streams completed | errors | stalls (gap > 2 s) | TTFT p50 µs | TTFT p99 µs |"
  echo "|---|---|---|---|---|---|"
  echo "| direct | $(jget "$S_DIRECT" requests) | $(jget "$S_DIRECT" errors) | $(jget "$S_DIRECT" stalls) | $(jget "$S_DIRECT" ttft_p50_us) | $(jget "$S_DIRECT" ttft_p99_us) |"
  echo "| gateway | $(jget "$S_GW" requests) | $(jget "$S_GW" errors) | $(jget "$S_GW" stalls) | $(jget "$S_GW" ttft_p50_us) | $(jget "$S_GW" ttft_p99_us) |"
  echo
  echo "Time to first token added by the gateway at p99: $(( $(jget "$S_GW" ttft_p99_us | cut -d. -f1) - $(jget "$S_DIRECT" ttft_p99_us | cut -d. -f1) )) µs."
  echo
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
