#!/usr/bin/env bash
# Counts a proxy's system calls per request, by type, while wrk drives it (issue 18).
#
#   bash gateway-runtime/bench/syscalls-per-request.sh "PIDS" URL CONCURRENCY [SECONDS] [LUA]
#
# PIDS: the gateway's java process, or nginx's worker processes ("$(pgrep -P <master>)"); all of
# their threads are counted. URL and LUA as for wrk (LUA: a script that makes the request, e.g. the
# bench's post.lua; without it wrk sends GETs). Uses the kernel's syscall tracepoints through
# `perf stat` (apt-get install linux-perf), which cost the traced process next to nothing, unlike
# `strace -c`, whose overhead changes what it measures (with strace attached, the gateway at
# concurrency 16 batched its reads and showed as few system calls per request as nginx).
# Prints per request: all system calls, the usual I/O and wake-up ones, reads that returned EAGAIN
# (a read that parks), context switches and CPU time (task-clock, ms).
set -euo pipefail
pids=$1 url=$2 conc=$3 secs=${4:-10} lua=${5:-}
command -v perf >/dev/null || { echo "perf is required (apt-get install linux-perf)" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out" "$out.wrk"' EXIT
ev=raw_syscalls:sys_enter
for s in futex read write writev readv recvfrom sendto epoll_wait epoll_pwait epoll_ctl getsockopt sched_yield; do
  ev="$ev,syscalls:sys_enter_$s"
done
perf stat -x, -e "$ev" -e syscalls:sys_exit_read --filter 'ret == -11' -e context-switches -e task-clock \
  -p "$(tr ' ' ',' <<<"$pids" | sed 's/,*$//')" -o "$out" -- sleep $((secs + 1)) &
sp=$!
sleep 0.5
wrk -t "$(( conc < 2 ? 1 : 2 ))" -c "$conc" -d "${secs}s" --latency ${lua:+-s "$lua"} "$url" > "$out.wrk"
wait $sp
n=$(awk '/requests in/ {print $1}' "$out.wrk")
echo "requests: $n ($(awk '/Requests\/sec/ {print $2}' "$out.wrk") req/s, p50 $(awk '$1=="50%" {print $2}' "$out.wrk"))"
awk -F, -v n="$n" '$1 ~ /^[0-9.]+$/ && $1+0 > 0 {
  e=$3; sub("syscalls:sys_enter_","",e); sub("syscalls:sys_exit_read","read returning EAGAIN",e); sub("raw_syscalls:sys_enter","all system calls",e)
  printf "  %-24s %8.2f per request\n", e, $1/n }' "$out"
